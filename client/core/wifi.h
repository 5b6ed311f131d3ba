/* wifi: nl80211 replies and events to the associated access point. */

#ifndef LOCPHONE_WIFI_H
#define LOCPHONE_WIFI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <re.h>

#define WIFI_SSID_MAX 32

/* A station interface as NL80211_CMD_NEW_INTERFACE describes it. */
struct wifi_iface {
	unsigned ifindex;
	char name[16];
	uint32_t iftype; /* NL80211_IFTYPE_* */
};

#include "wiretext.h"

/* One BSS from a scan dump; only the associated one matters to us. */
struct wifi_bss {
	unsigned ifindex;
	uint8_t bssid[6];
	/* as text (wiretext_utf8: ISO-8859-1 transcoded, control characters
	 * dropped); ssid_exact if that is the SSID's octets unchanged */
	char ssid[WIRETEXT_SIZE(WIFI_SSID_MAX)];
	bool has_ssid;
	bool ssid_exact;
	uint32_t frequency; /* MHz */
	unsigned channel;   /* 0 if the frequency is not a Wi-Fi channel */
	int32_t signal_mbm; /* 1/100 dBm */
	bool has_signal;
	bool associated; /* NL80211_BSS_STATUS associated or IBSS joined */
};

/* The genetlink command of a message, or -1 if it is too short. */
int wifi_msg_cmd(const uint8_t *buf, size_t len);

/*
 * Decode an NL80211_CMD_NEW_INTERFACE message (nlmsghdr + genlmsghdr +
 * attributes).  EBADMSG with *errmsg when malformed.
 */
int wifi_iface_decode(struct wifi_iface *ifc, const uint8_t *buf, size_t len,
		      const char **errmsg);

/*
 * Decode an NL80211_CMD_NEW_SCAN_RESULTS message (one BSS of a dump).
 * ENOENT if it carries no BSS, EBADMSG with *errmsg when malformed.  The
 * SSID comes from the SSID element (ID 0) of the information elements.
 */
int wifi_bss_decode(struct wifi_bss *bss, const uint8_t *buf, size_t len,
		    const char **errmsg);

/* IEEE 802.11 channel number of a centre frequency in MHz (2.4, 5, 6
 * GHz bands); 0 when none. */
unsigned wifi_channel(uint32_t mhz);

/* The JSON form for netinfo: interface, bssid, ssid, frequency, channel,
 * signal_dbm. */
int wifi_bss_json_encode(struct odict *od, const struct wifi_bss *bss,
			 const char *ifname);

#endif
