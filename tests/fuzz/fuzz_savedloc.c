/* Fuzz target: saved-locations files through decode, encode and decode. */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "savedloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every network leads back to the location that lists it. */
static void check_index(const struct savedloc *s)
{
	struct le *le, *ne;

	LIST_FOREACH(savedloc_list(s), le)
	{
		const struct savedloc_entry *e = le->data;

		if (!e->name || civic_is_empty(&e->civic))
			abort();
		LIST_FOREACH(&e->networks, ne)
		{
			const struct savedloc_network *n = ne->data;

			if (savedloc_lookup(s, n->fp) != e)
				abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct savedloc *s = NULL, *t = NULL;
	struct savedloc_error e;
	struct mbuf *a = NULL, *b = NULL;
	int err;

	if (savedloc_decode(&s, (const char *)data, size, &e)) {
		/* every refusal says why */
		if (!e.why[0])
			abort();
		return 0;
	}
	check_index(s);

	/* what decodes encodes, decodes again and encodes the same */
	a = mbuf_alloc(size + 64);
	b = mbuf_alloc(size + 64);
	if (!a || !b)
		goto out;
	err = savedloc_encode(a, s);
	if (err == EFBIG || err == ENOMEM)
		goto out;
	if (err)
		abort();
	if (savedloc_decode(&t, (const char *)a->buf, a->end, &e))
		abort();
	if (savedloc_encode(b, t))
		abort();
	if (a->end != b->end || memcmp(a->buf, b->buf, a->end))
		abort();

out:
	mem_deref(a);
	mem_deref(b);
	mem_deref(s);
	mem_deref(t);
	return 0;
}
