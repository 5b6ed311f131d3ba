/* Unit tests for wifi: synthesised nl80211 messages (no radio here). */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>
#include "wifi.h"
#include "nlbuild.h"

/* NL80211_CMD_NEW_SCAN_RESULTS for one BSS, as a dump reply carries it. */
static void scan_result(struct dgram *d, uint32_t ifindex, const uint8_t *ies,
			size_t ieslen, uint32_t status, uint32_t freq,
			int32_t mbm)
{
	struct genlmsghdr g = {.cmd = NL80211_CMD_NEW_SCAN_RESULTS};
	size_t nest;

	msg_begin(d, 0x1c /* nl80211 family id, any */, &g, sizeof(g));
	attr(d, NL80211_ATTR_IFINDEX, &ifindex, 4);
	nest = nest_begin(d, NL80211_ATTR_BSS);
	attr(d, NL80211_BSS_BSSID, "\x00\x1a\x2b\x3c\x4d\x5e", 6);
	attr(d, NL80211_BSS_FREQUENCY, &freq, 4);
	attr(d, NL80211_BSS_SIGNAL_MBM, &mbm, 4);
	attr(d, NL80211_BSS_INFORMATION_ELEMENTS, ies, ieslen);
	if (status != UINT32_MAX)
		attr(d, NL80211_BSS_STATUS, &status, 4);
	nest_end(d, nest);
	msg_end(d);
}

/* IEs: SSID "Corp-WiFi" (ID 0, length 9), then a rates element (ID 1). */
static const uint8_t ies_corp[] = {0x00, 0x09, 'C', 'o',  'r',	'p',  '-', 'W',
				   'i',	 'F',  'i', 0x01, 0x02, 0x82, 0x84};

static void associated_bss(void **state)
{
	struct dgram d = {.len = 0};
	struct wifi_bss bss;
	const char *why = NULL;
	struct odict *od = NULL;
	struct mbuf *mb = mbuf_alloc(256);
	(void)state;

	scan_result(&d, 3, ies_corp, sizeof(ies_corp),
		    NL80211_BSS_STATUS_ASSOCIATED, 5180, -6250);
	assert_int_equal(NL80211_CMD_NEW_SCAN_RESULTS,
			 wifi_msg_cmd(d.buf, d.len));
	assert_int_equal(0, wifi_bss_decode(&bss, d.buf, d.len, &why));
	assert_int_equal(3, bss.ifindex);
	assert_true(bss.associated);
	assert_string_equal("Corp-WiFi", bss.ssid);
	assert_int_equal(36, bss.channel);

	assert_int_equal(0, odict_alloc(&od, 8));
	assert_int_equal(0, wifi_bss_json_encode(od, &bss, "wlan0"));
	assert_int_equal(0, mbuf_printf(mb, "%H", json_encode_odict, od));
	assert_int_equal(0, mbuf_write_u8(mb, 0));
	assert_string_equal("{\"interface\":\"wlan0\",\"bssid\":"
			    "\"00:1a:2b:3c:4d:5e\",\"ssid\":\"Corp-WiFi\","
			    "\"frequency\":5180,\"channel\":36,"
			    "\"signal_dbm\":-62}",
			    (char *)mb->buf);
	mem_deref(od);
	mem_deref(mb);
}

static void unassociated_and_odd_ssid(void **state)
{
	/* SSID with a NUL and a backslash: the NUL dropped, the text kept */
	static const uint8_t ies[] = {0x00, 0x04, 'a', 0x00, '\\', 'b'};
	struct dgram d = {.len = 0};
	struct wifi_bss bss;
	const char *why = NULL;
	(void)state;

	scan_result(&d, 3, ies, sizeof(ies), UINT32_MAX, 2437, -8000);
	assert_int_equal(0, wifi_bss_decode(&bss, d.buf, d.len, &why));
	assert_false(bss.associated);
	assert_string_equal("a\\b", bss.ssid);
	assert_false(bss.ssid_exact);

	/* ISO-8859-1 "Caf\xe9" becomes UTF-8; UTF-8 is kept, exactly */
	{
		static const uint8_t latin1[] = {0x00, 0x04, 'C',
						 'a',  'f',  0xe9};
		static const uint8_t utf8[] = {0x00, 0x05, 'C', 'a',
					       'f',  0xc3, 0xa9};

		d.len = 0;
		scan_result(&d, 3, latin1, sizeof(latin1), UINT32_MAX, 2437,
			    -8000);
		assert_int_equal(0, wifi_bss_decode(&bss, d.buf, d.len, &why));
		assert_string_equal("Caf\xc3\xa9", bss.ssid);
		assert_false(bss.ssid_exact);

		d.len = 0;
		scan_result(&d, 3, utf8, sizeof(utf8), UINT32_MAX, 2437, -8000);
		assert_int_equal(0, wifi_bss_decode(&bss, d.buf, d.len, &why));
		assert_string_equal("Caf\xc3\xa9", bss.ssid);
		assert_true(bss.ssid_exact);
	}
	assert_int_equal(6, bss.channel);
}

static void channels(void **state)
{
	static const struct {
		uint32_t mhz;
		unsigned ch;
	} cases[] = {{2412, 1},	  {2472, 13}, {2484, 14}, {5180, 36},
		     {5825, 165}, {5955, 1},  {6115, 33}, {5935, 2},
		     {2400, 0},	  {900, 0},   {60480, 0}};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(cases[i].ch, wifi_channel(cases[i].mhz));
}

static void interfaces(void **state)
{
	struct genlmsghdr g = {.cmd = NL80211_CMD_NEW_INTERFACE};
	struct dgram d = {.len = 0};
	struct wifi_iface ifc;
	const char *why = NULL;
	uint32_t idx = 4, type = NL80211_IFTYPE_STATION;
	(void)state;

	msg_begin(&d, 0x1c, &g, sizeof(g));
	attr(&d, NL80211_ATTR_IFINDEX, &idx, 4);
	attr(&d, NL80211_ATTR_IFNAME, "wlp2s0", 7);
	attr(&d, NL80211_ATTR_IFTYPE, &type, 4);
	msg_end(&d);

	assert_int_equal(0, wifi_iface_decode(&ifc, d.buf, d.len, &why));
	assert_int_equal(4, ifc.ifindex);
	assert_string_equal("wlp2s0", ifc.name);
	assert_int_equal(NL80211_IFTYPE_STATION, ifc.iftype);
}

static void malformed(void **state)
{
	struct dgram d = {.len = 0};
	struct wifi_bss bss;
	const char *why = NULL;
	/* an element claiming 9 octets with 3 present */
	static const uint8_t short_ie[] = {0x00, 0x09, 'a', 'b', 'c'};
	static const uint8_t long_ssid[] = {
		0x00, 33,  'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
		'x',  'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x',
		'x',  'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
	(void)state;

	scan_result(&d, 3, short_ie, sizeof(short_ie), 1, 2412, 0);
	assert_int_equal(EBADMSG, wifi_bss_decode(&bss, d.buf, d.len, &why));
	assert_string_equal("information element beyond its attribute", why);

	d.len = 0;
	scan_result(&d, 3, long_ssid, sizeof(long_ssid), 1, 2412, 0);
	assert_int_equal(EBADMSG, wifi_bss_decode(&bss, d.buf, d.len, &why));
	assert_string_equal("SSID element longer than 32 octets", why);

	/* cut in the middle of the nested BSS */
	d.len = 0;
	scan_result(&d, 3, ies_corp, sizeof(ies_corp), 1, 2412, 0);
	assert_int_equal(EBADMSG,
			 wifi_bss_decode(&bss, d.buf, d.len - 9, &why));

	assert_int_equal(EBADMSG, wifi_bss_decode(&bss, d.buf, 10, &why));
	assert_int_equal(-1, wifi_msg_cmd(d.buf, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(associated_bss),
		cmocka_unit_test(unassociated_and_odd_ssid),
		cmocka_unit_test(channels),
		cmocka_unit_test(interfaces),
		cmocka_unit_test(malformed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
