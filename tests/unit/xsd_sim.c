/* xsd_sim: the LIS simulator's answers, for test_xsd. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "simtext.h"
#include "heldreq.h"
#include "wiremap.h"
#include "heldresp.h"
#include "xsd_sim.h"

const char xsd_sim_ns[] = HELDRESP_SIM_NS;

/* 2023-11-14T22:13:20Z, as locsample.h's T0 */
#define NOW ((time_t)1700000000)

static void entry(struct wiremap_entry *e, unsigned i)
{
	memset(e, 0, sizeof(*e));
	e->kind = i % 2 ? WIREMAP_BSSID : WIREMAP_CHASSIS_PORT;

	if (i != 2) {
		assert_int_equal(0,
				 civic_set_str(&e->civic, CIVIC_COUNTRY, "US"));
		assert_int_equal(0, civic_set_str(&e->civic, CIVIC_A1, "WA"));
		assert_int_equal(0,
				 civic_set_str(&e->civic, CIVIC_A3, "Redmond"));
		assert_int_equal(
			0, civic_set_str(&e->civic, CIVIC_RD, "Microsoft"));
		assert_int_equal(0, civic_set_str(&e->civic, CIVIC_STS, "Way"));
		assert_int_equal(0, civic_set_str(&e->civic, CIVIC_HNO, "1"));
		assert_int_equal(0, civic_set_str(&e->civic, CIVIC_ROOM,
						  "3105 <east> & \"wing\""));
		assert_int_equal(0,
				 civic_set_str(&e->civic, CIVIC_PC, "98052"));
	}
	if (i >= 1) {
		e->geodetic = true;
		e->lat = 47.640068;
		e->lon = -122.129858;
		e->has_alt = i == 3 || i == 4;
		e->alt = 12.5;
		e->has_radius = i != 3 && i != 5;
		e->radius = 25;
	}
	if (i == 1 || i == 4)
		str_ncpy(e->elin, "4255550100", sizeof(e->elin));
}

#define ENTRIES 6

void xsd_sim_answers(xsd_sim_doc_h *h, void *arg)
{
	static const unsigned typesets[] = {
		HELDREQ_LT_CIVIC | HELDREQ_LT_GEODETIC,
		HELDREQ_LT_CIVIC,
		HELDREQ_LT_GEODETIC,
	};
	static const char *const errors[] = {
		"requestError",	       "xmlError",	     "generalLisError",
		"locationUnknown",     "unsupportedMessage", "timeout",
		"cannotProvideLiType", "notLocatable",
	};
	struct mbuf *pidf = mbuf_alloc(2048), *mb = mbuf_alloc(4096);
	struct wiremap_entry e;
	char what[128];
	unsigned i, t, u;

	assert_non_null(pidf);
	assert_non_null(mb);

	for (i = 0; i < ENTRIES; i++) {
		entry(&e, i);
		for (t = 0; t < ARRAY_SIZE(typesets); t++) {
			const unsigned has =
				(e.geodetic ? HELDREQ_LT_GEODETIC : 0) |
				(civic_is_empty(&e.civic) ? 0
							  : HELDREQ_LT_CIVIC);
			struct heldresp_pidf p = {
				.ent = &e,
				.loctypes = typesets[t],
				.entity = "pres:0123456789abcdef@lis-sim."
					  "invalid",
				.device_id = i % 2 ? "mac:001b213c4d5e"
						   : HELDRESP_SIM_NS
						     ":device:0123456789abcdef",
				.provider = "lis-sim <test> & co",
				.now = NOW,
			};

			/* the simulator sends what it has (exact="false"),
			 * else cannotProvideLiType */
			if ((typesets[t] & has) != typesets[t])
				continue;

			mbuf_rewind(pidf);
			assert_int_equal(0, heldresp_pidf_encode(pidf, &p));
			mbuf_write_u8(pidf, 0);

			if (t == 0) {
				/* what a location URI dereferences to */
				re_snprintf(what, sizeof(what),
					    "lis-sim PIDF-LO, entry %u", i);
				h(pidf->buf, pidf->end - 1, true, what, arg);
			}

			for (u = 0; u < 2; u++) {
				mbuf_rewind(mb);
				assert_int_equal(
					0,
					heldresp_location_encode(
						mb,
						u ? "https://lis.example/loc/"
						    "0123456789abcdef"
						  : NULL,
						NOW + 1800,
						(const char *)pidf->buf));
				re_snprintf(what, sizeof(what),
					    "lis-sim locationResponse, entry "
					    "%u, types %u, %s URI",
					    i, typesets[t], u ? "with" : "no");
				h(mb->buf, mb->end, false, what, arg);
			}
		}
		civic_reset(&e.civic);
	}

	/* a locationURI alone (no PIDF-LO asked for) */
	mbuf_rewind(mb);
	assert_int_equal(
		0, heldresp_location_encode(mb, "https://lis.example/loc/00",
					    NOW, NULL));
	h(mb->buf, mb->end, false, "lis-sim locationResponse, URI only", arg);

	for (i = 0; i < ARRAY_SIZE(errors); i++) {
		mbuf_rewind(mb);
		assert_int_equal(0, heldresp_error_encode(
					    mb, errors[i],
					    "why, with <markup> & \"quotes\""));
		re_snprintf(what, sizeof(what), "lis-sim error %s", errors[i]);
		h(mb->buf, mb->end, false, what, arg);
	}

	mem_deref(mb);
	mem_deref(pidf);
}
