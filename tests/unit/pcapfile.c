/* pcapfile: read the first frame of a classic libpcap file. */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "pcapfile.h"

static uint32_t get32(const uint8_t *p, bool swap)
{
	if (swap)
		return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		       (uint32_t)p[2] << 8 | p[3];
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

int pcapfile_first(const char *path, uint8_t *buf, size_t *lenp)
{
	uint8_t hdr[24], rec[16];
	uint32_t magic, caplen;
	bool swap;
	FILE *f;
	int err = 0;

	f = fopen(path, "rb");
	if (!f) {
		err = errno;
		fprintf(stderr, "pcapfile: %s: %s\n", path, strerror(err));
		return err;
	}

	if (fread(hdr, sizeof(hdr), 1, f) != 1 ||
	    fread(rec, sizeof(rec), 1, f) != 1) {
		fprintf(stderr, "pcapfile: %s: no frame\n", path);
		err = EBADMSG;
		goto out;
	}

	/* microsecond (a1b2c3d4) or nanosecond (a1b23c4d) timestamps, in
	 * the writer's byte order */
	magic = get32(hdr, false);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	if (!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) {
		fprintf(stderr, "pcapfile: %s: not a classic pcap\n", path);
		err = EBADMSG;
		goto out;
	}
	if (get32(hdr + 20, swap) != 1) {
		fprintf(stderr, "pcapfile: %s: link type is not Ethernet\n",
			path);
		err = EBADMSG;
		goto out;
	}

	caplen = get32(rec + 8, swap);
	if (caplen > PCAPFILE_FRAME_MAX ||
	    (caplen && fread(buf, caplen, 1, f) != 1)) {
		fprintf(stderr, "pcapfile: %s: record of %u octets cut short\n",
			path, caplen);
		err = EBADMSG;
		goto out;
	}

	*lenp = caplen;

out:
	(void)fclose(f);
	return err;
}
