/* bench_lldp_decode: one switch LLDPDU decoded or copied N times. */

/*
 * Usage: bench_lldp_decode decode|copy N.  Run under callgrind by
 * bench_lldp_decode.py, which subtracts a run with N = 0 of the same mode,
 * so only the per-frame work is counted.  Both modes check the frame once
 * before the loop, so that work cancels out too.  "decode" runs
 * lldp_decode() into the same struct lldp_frame N times, which frees the
 * previous result's civic address first, as the engine does for each frame
 * from a neighbour; "copy" memcpy()s the same octets N times, the cheapest
 * thing a receiver can do with a frame, as the baseline.
 */

#include <re.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_fixtures.h"

/* An access switch port's LLDPDU as a desk phone sees it (124 octets). */
/* clang-format off */
static const char switch_pdu[] = HEAD	/* chassis MAC, port Gi1/0/7, TTL */
	"\x0a\x09" "sw-floor4"		/* System Name */
	/* MED Capabilities 0x000f (caps, policy, location, PSE), device
	 * type 4 (network connectivity) */
	MED_HDR("\x07", "\x01") "\x00\x0f\x04"
	/* MED Network Policy: voice, tagged, VLAN 100, priority 5, DSCP 46 */
	MED_HDR("\x08", "\x02") "\x01\x40\xc9\x6e"
	LOC_CIVIC_WH			/* civic LCI: 1600 Pennsylvania Ave */
	END;
/* clang-format on */

/* The frame decodes to what the comments above say. */
static int frame_check(struct lldp_frame *f, const uint8_t *pdu, size_t len)
{
	const char *why = NULL;
	int err;

	err = lldp_decode(f, pdu, len, &why);
	if (err) {
		fprintf(stderr, "bench_lldp_decode: %s\n", why);
		return err;
	}

	if (strcmp(f->chassis.text, "00:11:22:33:44:55") ||
	    strcmp(f->sys_name, "sw-floor4") || !f->med.has_caps ||
	    f->med.policyc != 1 || f->med.policyv[0].vlan != 100 ||
	    !f->med.has_civic ||
	    str_cmp(civic_get(&f->med.civic.civic, CIVIC_HNO), "1600")) {
		fprintf(stderr, "bench_lldp_decode: frame decoded wrongly\n");
		return EBADMSG;
	}

	return 0;
}

static int decode_n(const uint8_t *pdu, size_t len, unsigned long n)
{
	struct lldp_frame f;
	unsigned long i;
	int err;

	memset(&f, 0, sizeof(f));
	err = frame_check(&f, pdu, len);
	for (i = 0; i < n && !err; i++)
		err = lldp_decode(&f, pdu, len, NULL);

	lldp_frame_reset(&f);
	return err;
}

static int copy_n(const uint8_t *pdu, size_t len, unsigned long n)
{
	/* through a volatile pointer: every copy is a real call */
	void *(*volatile copy)(void *, const void *, size_t) = memcpy;
	uint8_t dst[sizeof(switch_pdu)];
	struct lldp_frame f;
	unsigned long i;
	int err;

	memset(&f, 0, sizeof(f));
	err = frame_check(&f, pdu, len);
	lldp_frame_reset(&f);

	memset(dst, 0, sizeof(dst));
	for (i = 0; i < n && !err; i++)
		copy(dst, pdu, len);

	if (!err && n && memcmp(dst, pdu, len))
		err = EIO;
	return err;
}

int main(int argc, char *argv[])
{
	const uint8_t *pdu = (const uint8_t *)switch_pdu;
	const size_t len = sizeof(switch_pdu) - 1;
	unsigned long n;
	char *end;
	int err;

	if (argc != 3 || (strcmp(argv[1], "decode") && strcmp(argv[1], "copy")))
		goto usage;
	n = strtoul(argv[2], &end, 10);
	if (end == argv[2] || *end)
		goto usage;

	if (0 == strcmp(argv[1], "decode"))
		err = decode_n(pdu, len, n);
	else
		err = copy_n(pdu, len, n);
	if (err) {
		fprintf(stderr, "bench_lldp_decode: %s failed (%d)\n", argv[1],
			err);
		return 1;
	}

	printf("%s %lu frames of %zu octets\n", argv[1], n, len);
	return 0;

usage:
	fprintf(stderr, "usage: bench_lldp_decode decode|copy N\n");
	return 2;
}
