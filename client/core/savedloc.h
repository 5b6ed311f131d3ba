/* savedloc: civic addresses typed in by the person, kept per network. */

#ifndef LOCPHONE_SAVEDLOC_H
#define LOCPHONE_SAVEDLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <re.h>

#include "atomicfile.h"
#include "civic.h"

/*
 * design.md §1 (step 3, "Ask") and §6 (source 4): when no automatic location
 * can be trusted the person types a civic address; it is remembered for the
 * network they are on (its fingerprint, an opaque lower-case hex string)
 * and offered again when they come back.  A network has at most one saved
 * location; a saved location may be remembered for many networks, or none.
 */

#define SAVEDLOC_NAME_MAX      64	  /* bytes in a location's name */
#define SAVEDLOC_FP_MAX	       128	  /* hex digits in a fingerprint */
#define SAVEDLOC_MAX_LOCATIONS 2048u	  /* locations in one store */
#define SAVEDLOC_MAX_NETWORKS  64u	  /* fingerprints per location */
#define SAVEDLOC_MAX_SIZE      (4u << 20) /* largest file accepted, bytes */
#define SAVEDLOC_VERSION       1	  /* file format written */

struct savedloc;

/* WGS 84 degrees, kept to 1e-7 degree (about 1 cm). */
struct savedloc_coord {
	double lat; /* -90 .. 90 */
	double lon; /* -180 .. 180 */
};

/* One saved location.  Read-only to callers; owned by the store. */
struct savedloc_entry {
	struct le le; /* in the store, in the order added */
	char *name;
	struct civic civic;
	bool has_coord;
	struct savedloc_coord coord;
	struct list networks; /* struct savedloc_network */
};

/* One network the location is remembered for. */
struct savedloc_network {
	struct le le; /* in entry->networks */
	struct le he; /* in the store's fingerprint table */
	char *fp;
	struct savedloc_entry *entry;
};

/* Why a decode or load failed, in words for a log line or a dialog. */
struct savedloc_error {
	char why[256];	  /* "" if nothing went wrong */
	char aside[4096]; /* load: where a corrupt file was moved, or "" */
};

/* A new empty store in *sp (the caller's, free with mem_deref). */
int savedloc_alloc(struct savedloc **sp);

/*
 * Add a location, or replace the one of the same name wholesale (keeping
 * its place in the list).  civic must not be empty; coord may be NULL;
 * fpv holds fpc fingerprints (duplicates are merged).  A fingerprint
 * another location was remembered for moves to this one.  Copies
 * everything.  Returns 0, EINVAL for a bad name, civic, coordinate or
 * fingerprint, ENOSPC past SAVEDLOC_MAX_LOCATIONS or _NETWORKS, or ENOMEM;
 * on error the store is unchanged.
 */
int savedloc_put(struct savedloc *s, const char *name,
		 const struct civic *civic, const struct savedloc_coord *coord,
		 const char *const *fpv, size_t fpc);

/* Remember the named location for one more network (taking it from any
 * other location).  ENOENT if there is no such location; else as put. */
int savedloc_remember(struct savedloc *s, const char *name, const char *fp);

/* A deep copy of s in *dp (the caller's): what a change is made on before
 * it is written (savedloc_replace).  0, EINVAL or ENOMEM. */
int savedloc_clone(struct savedloc **dp, const struct savedloc *s);

/* Delete a location and what it was remembered for; ENOENT if absent. */
int savedloc_delete(struct savedloc *s, const char *name);

/* Delete everything. */
void savedloc_forget_all(struct savedloc *s);

/* The location remembered for a network, or NULL.  A hash lookup. */
const struct savedloc_entry *savedloc_lookup(const struct savedloc *s,
					     const char *fp);

/* The location of that name, or NULL. */
const struct savedloc_entry *savedloc_find(const struct savedloc *s,
					   const char *name);

/* All locations (struct savedloc_entry) in the order they were added. */
const struct list *savedloc_list(const struct savedloc *s);

/* What becomes of the person's location when the network is named. */
enum savedloc_place {
	SAVEDLOC_PLACE_WAIT,  /* no network identified: nothing changes */
	SAVEDLOC_PLACE_ADOPT, /* entered (and maybe saved) before the network
			       * was identified: it is this one's, and a
			       * saved one is remembered for it now */
	SAVEDLOC_PLACE_SAME,  /* still the network it was entered on */
	SAVEDLOC_PLACE_LEAVE, /* another network (or nothing entered): not
			       * used here; this network's saved one is */
};

/*
 * Issue 11 item 10: entered says whether the person's location is set,
 * entered_place is the network it was entered on ("" or NULL: none was
 * identified then), place the network identified now ("" or NULL: none).
 */
enum savedloc_place savedloc_place_change(bool entered,
					  const char *entered_place,
					  const char *place);

/* 1 to SAVEDLOC_FP_MAX lower-case hex digits. */
bool savedloc_fingerprint_valid(const char *fp);

/*
 * Append the store to mb as a JSON document with a version field:
 * {"version":1,"locations":[{"name":..,"civic":{RFC 5139 names},
 * "coord":{"lat":..,"lon":..},"networks":[..]},..]}.  EFBIG if it would
 * exceed SAVEDLOC_MAX_SIZE, ENOMEM; on failure mb is as it was.
 */
int savedloc_encode(struct mbuf *mb, const struct savedloc *s);

/*
 * Decode a document written by savedloc_encode.  Returns 0 with a new store
 * in *sp (the caller's); EFBIG over SAVEDLOC_MAX_SIZE; ENOTSUP for a version
 * newer than this program's; EBADMSG for anything truncated, malformed,
 * unknown, duplicated or out of range; ENOMEM.  On error e->why (if e is
 * given) says what and where: "byte 120: truncated: ...",
 * "locations[2].civic.HNO: not a string".
 */
int savedloc_decode(struct savedloc **sp, const char *buf, size_t len,
		    struct savedloc_error *e);

/*
 * Write the store to path atomically (atomicfile_write, mode 0600): after
 * a failure or a crash at any point path holds either the old or the new
 * contents, complete.  Returns 0 or an errno value.
 */
int savedloc_save(const struct savedloc *s, const char *path);

/* savedloc_save with a fault-injection hook (NULL: none), called after
 * each step of atomicfile_write. */
int savedloc_save_hooked(const struct savedloc *s, const char *path,
			 const struct atomicfile_hook *hook);

/*
 * The store is the file (issue 11 item 7): write next (a changed copy,
 * savedloc_clone) to path as savedloc_save_hooked does, and only once path
 * names it make it *sp (the old store is freed).  A refused write (disk
 * full, read-only, I/O error, ...) frees next and leaves *sp as it was,
 * equal to the file; its error is returned.  A failure after the rename
 * (the directory's fsync) leaves the new contents in the file, so they
 * become *sp and 0 is returned.  next is always taken over.
 */
int savedloc_replace(struct savedloc **sp, struct savedloc *next,
		     const char *path, const struct atomicfile_hook *hook);

/*
 * Read the store saved at path into *sp (the caller's).  A missing file is
 * an empty store.  A corrupt, truncated or oversized file is never emptied
 * silently: it is renamed to path + ".corrupt-<UTC time>", e->aside names
 * it, and the decode error (EBADMSG, EFBIG) is returned.  ENOTSUP (a newer
 * version) and read errors leave the file where it is: then the caller must
 * not save over it.
 */
int savedloc_load(struct savedloc **sp, const char *path,
		  struct savedloc_error *e);

#endif
