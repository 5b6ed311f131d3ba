/* savedloc: the in-memory store of saved locations. */

#include <re.h>
#include <math.h>
#include <string.h>
#include "civic.h"
#include "savedloc.h"
#include "savedloc_priv.h"

/* Buckets of the fingerprint table: about one fingerprint each for a few
 * thousand saved networks, so a lookup is one hash and one strcmp. */
#define FP_BUCKETS 4096u

struct savedloc {
	struct list entries; /* struct savedloc_entry */
	struct hash *by_fp;  /* struct savedloc_network, keyed by fp */
};

static void network_destructor(void *arg)
{
	struct savedloc_network *n = arg;

	list_unlink(&n->le);
	hash_unlink(&n->he);
	mem_deref(n->fp);
}

static void entry_destructor(void *arg)
{
	struct savedloc_entry *e = arg;

	list_unlink(&e->le);
	list_flush(&e->networks);
	civic_reset(&e->civic);
	mem_deref(e->name);
}

static void store_destructor(void *arg)
{
	struct savedloc *s = arg;

	list_flush(&s->entries);
	mem_deref(s->by_fp);
}

int savedloc_alloc(struct savedloc **sp)
{
	struct savedloc *s;
	int err;

	if (!sp)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), store_destructor);
	if (!s)
		return ENOMEM;

	err = hash_alloc(&s->by_fp, FP_BUCKETS);
	if (err)
		mem_deref(s);
	else
		*sp = s;

	return err;
}

enum savedloc_place savedloc_place_change(bool entered,
					  const char *entered_place,
					  const char *place)
{
	if (!str_isset(place))
		return SAVEDLOC_PLACE_WAIT;
	if (entered && !str_isset(entered_place))
		return SAVEDLOC_PLACE_ADOPT;
	if (entered && !strcmp(entered_place, place))
		return SAVEDLOC_PLACE_SAME;

	return SAVEDLOC_PLACE_LEAVE;
}

bool savedloc_fingerprint_valid(const char *fp)
{
	size_t i;

	if (!fp || !fp[0])
		return false;

	for (i = 0; fp[i]; i++) {
		if (i >= SAVEDLOC_FP_MAX)
			return false;
		if (!((fp[i] >= '0' && fp[i] <= '9') ||
		      (fp[i] >= 'a' && fp[i] <= 'f')))
			return false;
	}

	return true;
}

bool savedloc_name_valid(const char *name)
{
	size_t i;

	if (!name || !name[0])
		return false;

	for (i = 0; name[i]; i++) {
		if (i >= SAVEDLOC_NAME_MAX)
			return false;
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return false;
	}

	return true;
}

bool savedloc_coord_valid(const struct savedloc_coord *c)
{
	return c && isfinite(c->lat) && isfinite(c->lon) && c->lat >= -90.0 &&
	       c->lat <= 90.0 && c->lon >= -180.0 && c->lon <= 180.0;
}

/* Round to 1e-7 degree, what the file keeps, so a saved store loads back
 * equal.  |v| <= 180, so v * 1e7 fits easily in int64_t. */
double savedloc_degrees_round(double v)
{
	int64_t k = (int64_t)(v * 1e7 + (v < 0 ? -0.5 : 0.5));

	return (double)k / 1e7;
}

static bool fp_equal(struct le *le, void *arg)
{
	const struct savedloc_network *n = le->data;

	return 0 == strcmp(n->fp, arg);
}

static struct savedloc_network *network_lookup(const struct savedloc *s,
					       const char *fp)
{
	struct le *le =
		hash_lookup(s->by_fp, hash_fast_str(fp), fp_equal, (void *)fp);

	return le ? le->data : NULL;
}

const struct savedloc_entry *savedloc_lookup(const struct savedloc *s,
					     const char *fp)
{
	const struct savedloc_network *n;

	if (!s || !fp)
		return NULL;

	n = network_lookup(s, fp);
	return n ? n->entry : NULL;
}

static struct savedloc_entry *entry_find(const struct savedloc *s,
					 const char *name)
{
	struct le *le;

	LIST_FOREACH(&s->entries, le)
	{
		struct savedloc_entry *e = le->data;

		if (!strcmp(e->name, name))
			return e;
	}

	return NULL;
}

const struct savedloc_entry *savedloc_find(const struct savedloc *s,
					   const char *name)
{
	return s && name ? entry_find(s, name) : NULL;
}

const struct list *savedloc_list(const struct savedloc *s)
{
	return s ? &s->entries : NULL;
}

/* A network node for fp, not yet in the table or any entry's list. */
static int network_alloc(struct savedloc_network **np, const char *fp)
{
	struct savedloc_network *n;
	int err;

	n = mem_zalloc(sizeof(*n), network_destructor);
	if (!n)
		return ENOMEM;

	err = str_dup(&n->fp, fp);
	if (err)
		mem_deref(n);
	else
		*np = n;

	return err;
}

/* Attach n to e and the table, taking its fingerprint from whichever
 * location had it before (a network has one saved location). */
static void network_attach(struct savedloc *s, struct savedloc_entry *e,
			   struct savedloc_network *n)
{
	mem_deref(network_lookup(s, n->fp));

	n->entry = e;
	list_append(&e->networks, &n->le, n);
	hash_append(s->by_fp, hash_fast_str(n->fp), &n->he, n);
}

static bool fp_in(const char *const *fpv, size_t n, const char *fp)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(fpv[i], fp))
			return true;
	}

	return false;
}

/* Build a detached entry; its networks wait in pending, not yet attached. */
static int entry_build(struct savedloc_entry **ep, struct list *pending,
		       const char *name, const struct civic *civic,
		       const struct savedloc_coord *coord,
		       const char *const *fpv, size_t fpc)
{
	struct savedloc_entry *e;
	size_t i;
	int err;

	e = mem_zalloc(sizeof(*e), entry_destructor);
	if (!e)
		return ENOMEM;

	err = str_dup(&e->name, name);
	if (err)
		goto out;
	err = civic_copy(&e->civic, civic);
	if (err)
		goto out;

	if (coord) {
		e->has_coord = true;
		e->coord.lat = savedloc_degrees_round(coord->lat);
		e->coord.lon = savedloc_degrees_round(coord->lon);
	}

	for (i = 0; i < fpc; i++) {
		struct savedloc_network *n;

		if (fp_in(fpv, i, fpv[i]))
			continue;
		err = network_alloc(&n, fpv[i]);
		if (err)
			goto out;
		list_append(pending, &n->le, n);
	}

out:
	if (err)
		mem_deref(e);
	else
		*ep = e;

	return err;
}

int savedloc_put(struct savedloc *s, const char *name,
		 const struct civic *civic, const struct savedloc_coord *coord,
		 const char *const *fpv, size_t fpc)
{
	struct savedloc_entry *e = NULL, *old;
	struct list pending = LIST_INIT;
	size_t i;
	int err;

	if (!s || !savedloc_name_valid(name) || !civic ||
	    civic_is_empty(civic) || (fpc && !fpv) ||
	    (coord && !savedloc_coord_valid(coord)))
		return EINVAL;
	if (fpc > SAVEDLOC_MAX_NETWORKS)
		return ENOSPC;
	for (i = 0; i < fpc; i++) {
		if (!savedloc_fingerprint_valid(fpv[i]))
			return EINVAL;
	}

	old = entry_find(s, name);
	if (!old && list_count(&s->entries) >= SAVEDLOC_MAX_LOCATIONS)
		return ENOSPC;

	err = entry_build(&e, &pending, name, civic, coord, fpv, fpc);
	if (err) {
		list_flush(&pending);
		return err;
	}

	/* nothing can fail from here on: the store changes all at once */
	if (old) {
		list_insert_after(&s->entries, &old->le, &e->le, e);
		mem_deref(old);
	} else {
		list_append(&s->entries, &e->le, e);
	}

	while (pending.head) {
		struct savedloc_network *n = pending.head->data;

		list_unlink(&n->le);
		network_attach(s, e, n);
	}

	return 0;
}

int savedloc_remember(struct savedloc *s, const char *name, const char *fp)
{
	struct savedloc_network *n;
	struct savedloc_entry *e;
	int err;

	if (!s || !name || !savedloc_fingerprint_valid(fp))
		return EINVAL;

	e = entry_find(s, name);
	if (!e)
		return ENOENT;

	n = network_lookup(s, fp);
	if (n && n->entry == e)
		return 0;
	if (list_count(&e->networks) >= SAVEDLOC_MAX_NETWORKS)
		return ENOSPC;

	err = network_alloc(&n, fp);
	if (err)
		return err;

	network_attach(s, e, n);
	return 0;
}

int savedloc_clone(struct savedloc **dp, const struct savedloc *s)
{
	const char *fpv[SAVEDLOC_MAX_NETWORKS];
	struct savedloc *d = NULL;
	struct le *le;
	int err;

	if (!dp || !s)
		return EINVAL;

	err = savedloc_alloc(&d);
	for (le = s->entries.head; le && !err; le = le->next) {
		const struct savedloc_entry *e = le->data;
		size_t fpc = 0;
		struct le *ne;

		for (ne = e->networks.head; ne && fpc < ARRAY_SIZE(fpv);
		     ne = ne->next) {
			const struct savedloc_network *n = ne->data;

			fpv[fpc++] = n->fp;
		}
		err = savedloc_put(d, e->name, &e->civic,
				   e->has_coord ? &e->coord : NULL, fpv, fpc);
	}

	if (err)
		mem_deref(d);
	else
		*dp = d;
	return err;
}

int savedloc_delete(struct savedloc *s, const char *name)
{
	struct savedloc_entry *e;

	if (!s || !name)
		return EINVAL;

	e = entry_find(s, name);
	if (!e)
		return ENOENT;

	mem_deref(e);
	return 0;
}

void savedloc_forget_all(struct savedloc *s)
{
	if (s)
		list_flush(&s->entries);
}
