/* bench_held: one HELD query's work, encode and decode, N times. */

/*
 * Usage: bench_held query|copy N, run by callgrind_per_op.py.  "query"
 * encodes the locationRequest a wired phone sends (IP, MAC, AOR, LLDP
 * chassis/port) and decodes a LIS answer with a location URI and a civic
 * PIDF-LO, as the engine does per LIS query; "copy" memcpy()s the same
 * request and answer bytes: the least any client must do with them.
 */

#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "held.h"

static const char answer[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<locationResponse xmlns=\"urn:ietf:params:xml:ns:geopriv:held\">"
	"<locationUriSet expires=\"2030-01-01T00:00:00Z\">"
	"<locationURI>https://lis.corp.test/loc/7f3a</locationURI>"
	"</locationUriSet>"
	"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
	"xmlns:dm=\"urn:ietf:params:xml:ns:pidf:data-model\" "
	"xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
	"xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
	"entity=\"pres:alice@corp.test\">"
	"<dm:device id=\"d1\"><gp:geopriv><gp:location-info>"
	"<ca:civicAddress><ca:country>US</ca:country><ca:A1>WA</ca:A1>"
	"<ca:A3>Redmond</ca:A3><ca:RD>Microsoft</ca:RD><ca:STS>Way</ca:STS>"
	"<ca:HNO>1</ca:HNO><ca:FLR>3</ca:FLR><ca:ROOM>3105</ca:ROOM>"
	"</ca:civicAddress></gp:location-info>"
	"<gp:usage-rules/><gp:method>Wiremap</gp:method>"
	"</gp:geopriv><dm:timestamp>2029-12-31T23:00:00Z</dm:timestamp>"
	"</dm:device></presence></locationResponse>\n";

static int request_encode(struct mbuf *mb)
{
	static const struct held_lldp lldp = {
		.chassis_type = 4,
		.chassis = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55},
		.chassis_len = 6,
		.port_type = 5,
		.port = {'G', 'i', '1', '/', '0', '/', '7'},
		.port_len = 7,
	};
	struct held_request req;

	memset(&req, 0, sizeof(req));
	req.response_time = HELD_RESPONSE_TIME_EMERGENCY_DISPATCH;
	(void)sa_set_str(&req.ip, "10.1.2.30", 0);
	req.has_mac = true;
	memcpy(req.mac, "\x02\x00\x00\x00\x00\x0a", 6);
	req.uri = "sip:alice@corp.test";
	req.lldp = &lldp;

	mb->pos = mb->end = 0;
	return held_request_encode(mb, &req);
}

static int query(struct mbuf *mb)
{
	struct held_response resp;
	const char *why = NULL;
	int err;

	err = request_encode(mb);
	if (err)
		return err;

	memset(&resp, 0, sizeof(resp));
	err = held_response_decode(&resp, (const uint8_t *)answer,
				   sizeof(answer) - 1, &why);
	if (!err && (resp.error != HELD_OK ||
		     str_cmp(civic_get(&resp.loc.civic, CIVIC_ROOM), "3105")))
		err = EBADMSG;
	if (err)
		fprintf(stderr, "bench_held: %s\n", why ? why : "bad answer");
	held_response_reset(&resp);
	return err;
}

int main(int argc, char *argv[])
{
	static uint8_t sink[8192];
	struct mbuf *mb = mbuf_alloc(2048);
	unsigned long n, i;
	size_t reqlen;
	int err;

	if (argc != 3 || !mb)
		return 2;
	n = strtoul(argv[2], NULL, 10);

	/* both modes do one real query first: the one-off work cancels */
	err = query(mb);
	if (err)
		return 1;
	reqlen = mb->end;

	for (i = 0; i < n; i++) {
		if (!strcmp(argv[1], "query")) {
			err = query(mb);
			if (err)
				return 1;
		} else {
			memcpy(sink, mb->buf, reqlen);
			memcpy(sink + reqlen, answer, sizeof(answer) - 1);
			__asm__ volatile("" : : "r"(sink) : "memory");
		}
	}

	printf("request %zu octets, answer %zu octets\n", reqlen,
	       sizeof(answer) - 1);
	mem_deref(mb);
	return 0;
}
