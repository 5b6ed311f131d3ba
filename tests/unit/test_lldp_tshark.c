/* Unit test: tshark, an independent dissector, reads what lldp_encode()
 * writes.  Skips (77) without tshark, but fails in CI (CI=true). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "civic.h"
#include "lldp.h"

#define SKIP 77
/* tshark -V prints a few KiB per frame; more means something is off. */
#define OUTPUT_MAX (1024 * 1024)

static char tshark[512];

/* Find tshark on PATH (or $TSHARK); false if there is none. */
static bool tshark_find(void)
{
	const char *env = getenv("TSHARK");
	const char *path = getenv("PATH");
	char *dirs, *dir, *save = NULL;
	bool found = false;

	if (env && *env) {
		(void)re_snprintf(tshark, sizeof(tshark), "%s", env);
		return access(tshark, X_OK) == 0;
	}

	dirs = strdup(path ? path : "/usr/bin:/bin");
	if (!dirs)
		return false;

	for (dir = strtok_r(dirs, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		(void)re_snprintf(tshark, sizeof(tshark), "%s/tshark", dir);
		found = access(tshark, X_OK) == 0;
	}

	free(dirs);
	return found;
}

/* libpcap file: global header, then per frame a record header; all
 * little-endian, link type 1 (Ethernet). */
static void pcap_write(FILE *f, struct mbuf *const *framev, size_t framec)
{
	static const uint8_t global[24] = {
		0xd4, 0xc3, 0xb2, 0xa1, /* magic, microsecond timestamps */
		0x02, 0x00, 0x04, 0x00, /* version 2.4 */
		0,    0,    0,	  0,	0, 0, 0, 0, /* time zone, accuracy */
		0xff, 0xff, 0x00, 0x00,		    /* snap length 65535 */
		0x01, 0x00, 0x00, 0x00,		    /* Ethernet */
	};
	size_t i;

	assert_int_equal(1, fwrite(global, sizeof(global), 1, f));

	for (i = 0; i < framec; i++) {
		const uint32_t len = (uint32_t)framev[i]->end;
		const uint8_t rec[16] = {
			(uint8_t)i,
			0,
			0,
			0, /* seconds */
			0,
			0,
			0,
			0, /* microseconds */
			(uint8_t)len,
			(uint8_t)(len >> 8),
			0,
			0, /* saved */
			(uint8_t)len,
			(uint8_t)(len >> 8),
			0,
			0, /* on wire */
		};

		assert_int_equal(1, fwrite(rec, sizeof(rec), 1, f));
		assert_int_equal(1, fwrite(framev[i]->buf, len, 1, f));
	}
}

/* Run tshark -V -r path and return what it printed. */
static struct mbuf *tshark_run(const char *path)
{
	struct mbuf *out = mbuf_alloc(8192);
	char cmd[1200];
	uint8_t chunk[4096];
	FILE *p;
	size_t n;

	assert_non_null(out);
	(void)re_snprintf(cmd, sizeof(cmd), "'%s' -V -r '%s' 2>/dev/null",
			  tshark, path);
	p = popen(cmd, "r");
	assert_non_null(p);

	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0) {
		assert_true(out->end + n < OUTPUT_MAX);
		assert_int_equal(0, mbuf_write_mem(out, chunk, n));
	}

	assert_int_equal(0, pclose(p));
	assert_int_equal(0, mbuf_write_u8(out, 0));
	return out;
}

static void tshark_reads_encoder_output(void **state)
{
	static const struct lldp_med_policy voice = {
		.app = LLDP_MED_APP_VOICE,
		.tagged = true,
		.vlan = 100,
		.priority = 5,
		.dscp = 46,
	};
	/* what tshark must print for the two frames */
	static const char *const want[] = {
		"Chassis Subtype = MAC address, Id: 02:00:5e:10:00:01",
		"Port Subtype = Interface name, Id: eth0",
		"Port Subtype = MAC address, Id: 02:00:5e:10:00:01",
		"Time To Live = 120 sec",
		"Time To Live = 0 sec",
		"System Name = phone-1",
		"Telephone: Capable",
		"Class Type: Endpoint Class III (3)",
		"Location Identification: Capable",
		"Application Type: Voice (1)",
		"Policy: Defined",
		"Policy: Unknown",
		"Tagged: Yes",
		"VLAN Id: 100",
		"L2 Priority: 5",
		"DSCP Priority: 46",
		"Software Revision: 0.1.0",
		"Model Name: softphone",
		"End of LLDPDU",
	};
	struct lldp_tx tx = {
		.mac = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01},
		.ifname = "eth0",
		.ttl = 120,
		.sys_name = "phone-1",
		.policy = &voice,
		.sw_rev = "0.1.0",
		.manufacturer = "locphone",
		.model = "softphone",
	};
	struct mbuf *framev[2];
	const char *tmp = getenv("TMPDIR");
	char path[512];
	struct mbuf *out;
	size_t i;
	FILE *f;
	int fd;
	(void)state;

	/* frame 1: interface name, voice policy; frame 2: MAC port ID,
	 * policy unknown, TTL 0 */
	for (i = 0; i < ARRAY_SIZE(framev); i++) {
		framev[i] = mbuf_alloc(128);
		assert_non_null(framev[i]);
		assert_int_equal(0, lldp_encode(framev[i], &tx));
		tx.ifname = NULL;
		tx.policy = NULL;
		tx.ttl = 0;
	}

	(void)re_snprintf(path, sizeof(path), "%s/lldp-tshark-XXXXXX.pcap",
			  tmp && *tmp ? tmp : "/tmp");
	fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	pcap_write(f, framev, ARRAY_SIZE(framev));
	assert_int_equal(0, fclose(f));

	out = tshark_run(path);
	(void)unlink(path);

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (!strstr((char *)out->buf, want[i]))
			print_error("tshark did not print \"%s\":\n%s\n",
				    want[i], (char *)out->buf);
		assert_non_null(strstr((char *)out->buf, want[i]));
	}
	assert_null(strstr((char *)out->buf, "Malformed"));

	mem_deref(out);
	for (i = 0; i < ARRAY_SIZE(framev); i++)
		mem_deref(framev[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tshark_reads_encoder_output),
	};
	const char *ci = getenv("CI");

	if (!tshark_find()) {
		if (ci && !strcmp(ci, "true")) {
			fprintf(stderr, "tshark is missing, and CI needs it\n");
			return 1;
		}
		printf("tshark not installed: skipping\n");
		return SKIP;
	}

	return cmocka_run_group_tests(tests, NULL, NULL);
}
