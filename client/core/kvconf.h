/* kvconf: baresip-style "key value" configuration files, with origins. */

#ifndef LOCPHONE_KVCONF_H
#define LOCPHONE_KVCONF_H

#include <stddef.h>

#include <re.h>

struct kvconf;

/* One setting as written: the key, its value and where it was found. */
struct kvconf_entry {
	struct le le;
	char *key;
	char *value;
	const char *file; /* a reference held by the entry */
	unsigned line;
	int tag; /* the caller's, for kvconf_append; 0 when parsed */
};

/* Largest configuration file accepted; anything bigger is refused whole. */
#define KVCONF_MAX_SIZE (256u * 1024u)
#define KVCONF_MAX_LINE 4096u

/*
 * Parse buf (len bytes) read from file.  Blank lines and lines starting with
 * '#' are skipped; the key is the first word, the value the rest of the line
 * with surrounding blanks removed.  A line without a key, a NUL byte, a line
 * over KVCONF_MAX_LINE or a buffer over KVCONF_MAX_SIZE is an error: EBADMSG,
 * and *errline (if given) says which line.  On success *kvp owns everything.
 */
int kvconf_parse(struct kvconf **kvp, const char *file, const char *buf,
		 size_t len, unsigned *errline);

/* Read and parse a file; ENOENT when it does not exist. */
int kvconf_load(struct kvconf **kvp, const char *path, unsigned *errline);

/* The last entry with this key (later lines override earlier ones). */
const struct kvconf_entry *kvconf_get(const struct kvconf *kv, const char *key);
const char *kvconf_str(const struct kvconf *kv, const char *key);

/* All entries in file order. */
const struct list *kvconf_entries(const struct kvconf *kv);

/* An empty kvconf named file ("(merged)" for NULL), for kvconf_append. */
int kvconf_alloc(struct kvconf **kvp, const char *file);

/* Append a copy of src (its file and line kept) with the caller's tag. */
int kvconf_append(struct kvconf *kv, const struct kvconf_entry *src, int tag);

#endif
