/* Fuzz target: nl80211 messages (scan results, interfaces). */

#include <re.h>
#include <stdlib.h>
#include <string.h>
#include "wifi.h"
#include "wiretext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wifi_bss bss;
	struct wifi_iface ifc;
	struct odict *od = NULL;
	const char *why = NULL;

	(void)wifi_msg_cmd(data, size);
	(void)wifi_iface_decode(&ifc, data, size, &why);
	if (wifi_bss_decode(&bss, data, size, &why) == 0) {
		/* an SSID is any octets; what is shown is valid UTF-8 */
		if (bss.has_ssid && !wiretext_is_utf8((const uint8_t *)bss.ssid,
						      strlen(bss.ssid)))
			abort();
		if (!odict_alloc(&od, 8))
			(void)wifi_bss_json_encode(od, &bss, "wlan0");
	}
	mem_deref(od);

	return 0;
}
