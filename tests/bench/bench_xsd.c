/* bench_xsd: what validating a document against ../shared/xsd costs. */

/*
 * Usage: bench_xsd N.  Loads the schemas once (timed), then builds N
 * PIDF-LOs (civic + circle, the RFC 5491 profile, with the LIS's
 * provided-by) and N HELD requests (IP, MAC, AOR, LLDP, one AP), timing
 * the build alone and the validation of each, side by side in one run.
 * Prints one JSON line; exits 77 without the schemas.
 */

#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "pidf.h"
#include "xsdcheck.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int record(struct location *loc)
{
	int err = 0;

	memset(loc, 0, sizeof(*loc));
	err |= civic_set_str(&loc->civic, CIVIC_COUNTRY, "US");
	err |= civic_set_str(&loc->civic, CIVIC_A1, "WA");
	err |= civic_set_str(&loc->civic, CIVIC_A3, "Redmond");
	err |= civic_set_str(&loc->civic, CIVIC_RD, "Microsoft");
	err |= civic_set_str(&loc->civic, CIVIC_HNO, "1");
	err |= civic_set_str(&loc->civic, CIVIC_ROOM, "3105");
	loc->geo.shape = GEO_CIRCLE;
	loc->geo.crs = GEO_CRS_2D;
	loc->geo.pos.lat = 47.640068;
	loc->geo.pos.lon = -122.129858;
	loc->geo.radius = 25;
	loc->obtained_at = 1700000000;
	err |= location_set_method(loc, "Wiremap");
	err |= location_set_provided_by_xml(
		loc, "<sim:provider xmlns:sim=\"urn:x-locphone:lis-sim\">"
		     "<sim:name>lis</sim:name></sim:provider>");
	return err;
}

int main(int argc, char *argv[])
{
	static const struct held_lldp lldp = {
		4, {0, 0x1b, 0x21, 0x3c, 0x4d, 0x5e}, 6, 5, {'g', 'i', '1'}, 3};
	static const struct held_wifi_ap ap = {
		.bssid = {0xa0, 0x12, 0x34, 0x56, 0x78, 0x9a},
		.ssid = {'c', 'o', 'r', 'p'},
		.ssid_len = 4,
		.serving = true};
	const struct pidf_params p = {
		.entity = "sip:alice@example.com",
		.device_id = "mac:001b213c4d5e",
		.timestamp = 1700000000,
		.retransmission_allowed = true,
	};
	const unsigned n = argc > 1 ? (unsigned)atoi(argv[1]) : 500;
	double t, load, build_pidf = 0, val_pidf = 0, build_req = 0,
			val_req = 0;
	struct held_request req;
	struct mbuf *mb = mbuf_alloc(4096);
	struct location loc;
	const char *why = NULL;
	char err[256];
	unsigned i;

	if (!mb || !n || record(&loc))
		return 1;

	t = now_s();
	if (xsdcheck_init(&why)) {
		printf("SKIP: %s\n", why ? why : "no schemas");
		return 77;
	}
	load = now_s() - t;

	memset(&req, 0, sizeof(req));
	if (sa_set_str(&req.ip, "192.0.2.5", 0))
		return 1;
	req.has_mac = true;
	memcpy(req.mac, "\x00\x1b\x21\x3c\x4d\x5e", 6);
	req.uri = "sip:alice@example.com";
	req.lldp = &lldp;
	req.apv = &ap;
	req.apc = 1;

	for (i = 0; i < n; i++) {
		mbuf_rewind(mb);
		t = now_s();
		if (pidf_build(mb, &loc, &p))
			return 1;
		build_pidf += now_s() - t;
		t = now_s();
		if (xsdcheck_doc(XSDCHECK_PIDF, mb->buf, mb->end, err,
				 sizeof(err))) {
			fprintf(stderr, "invalid PIDF-LO: %s\n", err);
			return 1;
		}
		val_pidf += now_s() - t;

		mbuf_rewind(mb);
		t = now_s();
		if (held_request_encode(mb, &req))
			return 1;
		build_req += now_s() - t;
		t = now_s();
		if (xsdcheck_doc(XSDCHECK_HELD_REQUEST, mb->buf, mb->end, err,
				 sizeof(err))) {
			fprintf(stderr, "invalid HELD request: %s\n", err);
			return 1;
		}
		val_req += now_s() - t;
	}

	printf("{\"bench\":\"xsd-validate\",\"documents\":%u,"
	       "\"schema_load_s\":%.4f,"
	       "\"pidf_build_us\":%.1f,\"pidf_validate_us\":%.1f,"
	       "\"held_request_build_us\":%.1f,"
	       "\"held_request_validate_us\":%.1f}\n",
	       2 * n, load, build_pidf * 1e6 / n, val_pidf * 1e6 / n,
	       build_req * 1e6 / n, val_req * 1e6 / n);

	location_reset(&loc);
	mem_deref(mb);
	return 0;
}
