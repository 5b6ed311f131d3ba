/* bench_lldp_captures: one captured frame decoded or copied N times. */

/*
 * Usage: bench_lldp_captures decode|copy N FILE.pcap.  Run under callgrind
 * by bench_lldp_captures.py, which subtracts a run with N = 0 of the same
 * mode and file, so that reading the file and start-up cancel out.
 * "decode" runs lldp_decode_ethernet() on the frame N times into the same
 * struct lldp_frame, as the engine does for each frame from a neighbour;
 * "copy" memcpy()s the frame N times, the cheapest thing a receiver can
 * do with it, as the baseline.
 */

#include <re.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "pcapfile.h"

static int decode_n(const uint8_t *frame, size_t len, unsigned long n)
{
	struct lldp_frame f;
	const char *why = NULL;
	unsigned long i;
	int err;

	/* the frame must decode once: a refused one measures nothing */
	memset(&f, 0, sizeof(f));
	err = lldp_decode_ethernet(&f, frame, len, &why);
	if (err)
		fprintf(stderr, "bench_lldp_captures: refused: %s\n", why);
	for (i = 0; i < n && !err; i++)
		err = lldp_decode_ethernet(&f, frame, len, NULL);

	lldp_frame_reset(&f);
	return err;
}

static int copy_n(const uint8_t *frame, size_t len, unsigned long n)
{
	/* through a volatile pointer: every copy is a real call */
	void *(*volatile copy)(void *, const void *, size_t) = memcpy;
	struct lldp_frame f;
	uint8_t *dst;
	unsigned long i;
	int err;

	/* the same one-off decode as "decode", so that it cancels out */
	memset(&f, 0, sizeof(f));
	err = lldp_decode_ethernet(&f, frame, len, NULL);
	lldp_frame_reset(&f);

	dst = calloc(1, len ? len : 1);
	if (!dst)
		return ENOMEM;
	for (i = 0; i < n && !err; i++)
		copy(dst, frame, len);
	if (!err && n && memcmp(dst, frame, len))
		err = EIO;

	free(dst);
	return err;
}

int main(int argc, char *argv[])
{
	unsigned long n;
	uint8_t *frame;
	size_t len = 0;
	char *end;
	int err;

	if (argc != 4 || (strcmp(argv[1], "decode") && strcmp(argv[1], "copy")))
		goto usage;
	n = strtoul(argv[2], &end, 10);
	if (end == argv[2] || *end)
		goto usage;

	frame = malloc(PCAPFILE_FRAME_MAX);
	if (!frame)
		return 1;
	err = pcapfile_first(argv[3], frame, &len);
	if (!err)
		err = 0 == strcmp(argv[1], "decode") ? decode_n(frame, len, n)
						     : copy_n(frame, len, n);
	free(frame);
	if (err) {
		fprintf(stderr, "bench_lldp_captures: %s failed (%d)\n",
			argv[1], err);
		return 1;
	}

	printf("%s %lu frames of %zu octets\n", argv[1], n, len);
	return 0;

usage:
	fprintf(stderr, "usage: bench_lldp_captures decode|copy N FILE.pcap\n");
	return 2;
}
