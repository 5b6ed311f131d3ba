/* kvconf: parser for baresip-style "key value" configuration files. */

#include <re.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include "kvconf.h"

struct kvconf {
	struct list entries;
	char *file;
};

static void kvconf_destructor(void *arg)
{
	struct kvconf *kv = arg;

	list_flush(&kv->entries);
	mem_deref(kv->file);
}

static void entry_destructor(void *arg)
{
	struct kvconf_entry *e = arg;

	list_unlink(&e->le);
	mem_deref((void *)e->file);
	mem_deref(e->key);
	mem_deref(e->value);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int add_line(struct kvconf *kv, const char *p, size_t n, unsigned line)
{
	struct kvconf_entry *e;
	size_t k = 0, v;
	int err;

	while (n && is_blank(p[n - 1]))
		--n;
	while (k < n && is_blank(p[k]))
		++k;
	p += k;
	n -= k;
	if (!n || p[0] == '#')
		return 0;

	for (k = 0; k < n && !is_blank(p[k]); k++)
		;
	for (v = k; v < n && is_blank(p[v]); v++)
		;

	e = mem_zalloc(sizeof(*e), entry_destructor);
	if (!e)
		return ENOMEM;

	e->file = mem_ref(kv->file);
	e->line = line;
	err = re_sdprintf(&e->key, "%b", p, k);
	if (err)
		goto out;
	err = re_sdprintf(&e->value, "%b", p + v, n - v);
	if (err)
		goto out;

	list_append(&kv->entries, &e->le, e);

out:
	if (err)
		mem_deref(e);
	return err;
}

int kvconf_parse(struct kvconf **kvp, const char *file, const char *buf,
		 size_t len, unsigned *errline)
{
	struct kvconf *kv;
	unsigned line = 1;
	size_t start = 0, i;
	int err = 0;

	if (!kvp || (!buf && len))
		return EINVAL;
	if (len > KVCONF_MAX_SIZE) {
		if (errline)
			*errline = 0;
		return EFBIG;
	}

	kv = mem_zalloc(sizeof(*kv), kvconf_destructor);
	if (!kv)
		return ENOMEM;

	err = str_dup(&kv->file, file ? file : "(buffer)");
	if (err)
		goto out;

	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] == '\0') {
			err = EBADMSG;
			goto out;
		}
		if (i < len && buf[i] != '\n')
			continue;
		if (i - start > KVCONF_MAX_LINE) {
			err = EBADMSG;
			goto out;
		}
		err = add_line(kv, buf + start, i - start, line);
		if (err)
			goto out;
		start = i + 1;
		++line;
	}

out:
	if (err) {
		if (errline)
			*errline = line;
		mem_deref(kv);
	} else {
		*kvp = kv;
	}
	return err;
}

int kvconf_load(struct kvconf **kvp, const char *path, unsigned *errline)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err = 0;

	if (!kvp || !path)
		return EINVAL;

	f = fopen(path, "r");
	if (!f)
		return errno;

	buf = mem_alloc(KVCONF_MAX_SIZE + 1, NULL);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}

	len = fread(buf, 1, KVCONF_MAX_SIZE + 1, f);
	if (ferror(f)) {
		err = EIO;
		goto out;
	}
	if (len > KVCONF_MAX_SIZE) {
		if (errline)
			*errline = 0;
		err = EFBIG;
		goto out;
	}

	err = kvconf_parse(kvp, path, buf, len, errline);

out:
	fclose(f);
	mem_deref(buf);
	return err;
}

const struct kvconf_entry *kvconf_get(const struct kvconf *kv, const char *key)
{
	struct le *le;

	if (!kv || !key)
		return NULL;

	for (le = list_tail(&kv->entries); le; le = le->prev) {
		const struct kvconf_entry *e = le->data;

		if (0 == str_cmp(e->key, key))
			return e;
	}

	return NULL;
}

const char *kvconf_str(const struct kvconf *kv, const char *key)
{
	const struct kvconf_entry *e = kvconf_get(kv, key);

	return e ? e->value : NULL;
}

const struct list *kvconf_entries(const struct kvconf *kv)
{
	return kv ? &kv->entries : NULL;
}

int kvconf_alloc(struct kvconf **kvp, const char *file)
{
	struct kvconf *kv;
	int err;

	if (!kvp)
		return EINVAL;

	kv = mem_zalloc(sizeof(*kv), kvconf_destructor);
	if (!kv)
		return ENOMEM;

	err = str_dup(&kv->file, file ? file : "(merged)");
	if (err)
		mem_deref(kv);
	else
		*kvp = kv;

	return err;
}

int kvconf_append(struct kvconf *kv, const struct kvconf_entry *src, int tag)
{
	struct kvconf_entry *e;
	int err;

	if (!kv || !src)
		return EINVAL;

	e = mem_zalloc(sizeof(*e), entry_destructor);
	if (!e)
		return ENOMEM;

	/* every entry holds a reference on its file name, so a copy keeps
	 * pointing at the file it was read from after that kvconf is gone */
	e->file = mem_ref((void *)src->file);
	e->line = src->line;
	e->tag = tag;
	err = str_dup(&e->key, src->key);
	if (!err)
		err = str_dup(&e->value, src->value);
	if (err) {
		mem_deref(e);
		return err;
	}

	list_append(&kv->entries, &e->le, e);
	return 0;
}
