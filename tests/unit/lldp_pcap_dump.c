/* lldp_pcap_dump: what lldp_decode_ethernet() makes of the first frame of
 * each pcap named, one JSON line each, for lldp_captures.py to compare
 * with tshark's reading of the same frames. */

/*
 * Each line: {"file": PATH, "err": 0 or an errno value, "why": the
 * decoder's reason (refused) or the first dropped TLV's, "frame": the
 * netinfo form (lldp_frame_json_encode), "raw": what netinfo does not
 * show (ID octets in hex, civic What, language, CAtypes without an RFC
 * 5139 name, dropped TLVs)}.
 */

#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "lldp.h"
#include "lldp_json.h"
#include "pcapfile.h"

static int hex_add(struct odict *o, const char *key, const uint8_t *p, size_t n)
{
	char buf[2 * LLDP_ID_MAX + 1];
	size_t i;

	for (i = 0; i < n && 2 * i + 2 < sizeof(buf); i++)
		(void)re_snprintf(buf + 2 * i, 3, "%02x", p[i]);
	buf[2 * i] = '\0';

	return odict_entry_add(o, key, ODICT_STRING, buf);
}

static int raw_encode(struct odict *od, const struct lldp_frame *f)
{
	struct odict *raw = NULL;
	int err;

	err = odict_alloc(&raw, 8);
	if (!err)
		err = hex_add(raw, "chassis", f->chassis.raw, f->chassis.len);
	if (!err)
		err = hex_add(raw, "port", f->port.raw, f->port.len);
	if (!err && f->med.has_civic)
		err = odict_entry_add(raw, "what", ODICT_INT,
				      (int64_t)f->med.civic.what);
	if (!err && f->med.has_civic)
		err = odict_entry_add(raw, "lang", ODICT_STRING,
				      f->med.civic.lang);
	if (!err && f->med.has_civic)
		err = odict_entry_add(raw, "ca_unknown", ODICT_INT,
				      (int64_t)f->med.civic.unknown);
	if (!err)
		err = odict_entry_add(raw, "dropped", ODICT_INT,
				      (int64_t)f->dropped);
	if (!err)
		err = odict_entry_add(od, "raw", ODICT_OBJECT, raw);

	mem_deref(raw);
	return err;
}

static int dump(const char *path, uint8_t *buf)
{
	struct odict *od = NULL, *fo = NULL;
	struct lldp_frame f;
	const char *why = NULL;
	size_t len = 0;
	int derr, err;

	memset(&f, 0, sizeof(f));
	err = pcapfile_first(path, buf, &len);
	if (err)
		return err;

	derr = lldp_decode_ethernet(&f, buf, len, &why);

	err = odict_alloc(&od, 8);
	if (!err)
		err = odict_entry_add(od, "file", ODICT_STRING, path);
	if (!err)
		err = odict_entry_add(od, "err", ODICT_INT, (int64_t)derr);
	if (!err && (derr || f.dropped))
		err = odict_entry_add(od, "why", ODICT_STRING,
				      derr ? why : f.dropbuf);
	if (!err && !derr)
		err = odict_alloc(&fo, 8);
	if (!err && !derr)
		err = lldp_frame_json_encode(fo, &f);
	if (!err && !derr)
		err = odict_entry_add(od, "frame", ODICT_OBJECT, fo);
	if (!err && !derr)
		err = raw_encode(od, &f);
	/* re_printf() counts what it printed */
	if (!err && re_printf("%H\n", json_encode_odict, od) < 0)
		err = EIO;

	mem_deref(fo);
	mem_deref(od);
	lldp_frame_reset(&f);
	return err;
}

int main(int argc, char **argv)
{
	uint8_t *buf;
	int i, err = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: lldp_pcap_dump FILE.pcap...\n");
		return 2;
	}

	buf = malloc(PCAPFILE_FRAME_MAX);
	if (!buf)
		return 1;

	for (i = 1; i < argc && !err; i++)
		err = dump(argv[i], buf);

	free(buf);
	return err ? 1 : 0;
}
