/*
 * wifi80211: the associated access point of each Wi-Fi station interface,
 * over nl80211 (libnl-genl-3), refreshed on MLME events (connect, roam,
 * disconnect) and interface changes.  Runs in baresip's event loop.
 */

#ifndef LOCPHONE_WIFI80211_H
#define LOCPHONE_WIFI80211_H

#include <stdbool.h>
#include <stddef.h>

#include "ndlog.h"
#include "wifi.h"

struct wifi80211;

#define WIFI80211_MAX_STATIONS 4

/* One station interface and the BSS it is associated with, if any. */
struct wifi_station {
	struct wifi_iface iface;
	struct wifi_bss bss;
	bool associated;
};

typedef void(wifi80211_change_h)(void *arg);

/*
 * ENODEV when the kernel has no nl80211 (no Wi-Fi driver): the caller says
 * so once and carries on without Wi-Fi.  lg (copied; NULL: silent) is
 * where it logs.
 */
int wifi80211_alloc(struct wifi80211 **wp, wifi80211_change_h *changeh,
		    void *arg, const struct ndlog *lg);

/* The stations known now; *n gets their count. */
const struct wifi_station *wifi80211_stations(const struct wifi80211 *w,
					      size_t *n);

#endif
