/* wifi: nl80211 message decoding for the associated access point. */

#include <re.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/nl80211.h>
#include "nlattr.h"
#include "wifi.h"
#include "netstate.h"

/* The attributes after nlmsghdr and genlmsghdr, bounds checked. */
static int genl_attrs(struct nlattr_cursor *c, const uint8_t *buf, size_t len,
		      const char **errmsg)
{
	struct nlmsghdr nlh;
	const size_t hdr = NLMSG_HDRLEN + GENL_HDRLEN;

	if (len < hdr) {
		*errmsg = "shorter than the genetlink headers";
		return EBADMSG;
	}
	memcpy(&nlh, buf, sizeof(nlh));
	if (nlh.nlmsg_len < hdr || nlh.nlmsg_len > len) {
		*errmsg = "netlink length beyond the datagram";
		return EBADMSG;
	}

	nlattr_init(c, buf + hdr, nlh.nlmsg_len - hdr);
	return 0;
}

int wifi_msg_cmd(const uint8_t *buf, size_t len)
{
	if (!buf || len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -1;

	return buf[NLMSG_HDRLEN]; /* genlmsghdr.cmd */
}

int wifi_iface_decode(struct wifi_iface *ifc, const uint8_t *buf, size_t len,
		      const char **errmsg)
{
	struct nlattr_cursor c;
	struct nlattr_val a;
	uint32_t v;
	int r, err;

	if (!ifc || !buf || !errmsg)
		return EINVAL;

	err = genl_attrs(&c, buf, len, errmsg);
	if (err)
		return err;

	memset(ifc, 0, sizeof(*ifc));
	while ((r = nlattr_next(&c, &a)) > 0) {
		switch (a.type) {
		case NL80211_ATTR_IFINDEX:
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "NL80211_ATTR_IFINDEX not 4 bytes";
				return EBADMSG;
			}
			ifc->ifindex = v;
			break;
		case NL80211_ATTR_IFNAME:
			if (!nlattr_str(ifc->name, sizeof(ifc->name), &a)) {
				*errmsg = "NL80211_ATTR_IFNAME empty or long";
				return EBADMSG;
			}
			break;
		case NL80211_ATTR_IFTYPE:
			if (!nlattr_u32(&ifc->iftype, &a)) {
				*errmsg = "NL80211_ATTR_IFTYPE not 4 bytes";
				return EBADMSG;
			}
			break;
		default:
			break;
		}
	}

	if (r < 0) {
		*errmsg = "malformed nl80211 attribute";
		return EBADMSG;
	}
	if (!ifc->ifindex) {
		*errmsg = "interface without NL80211_ATTR_IFINDEX";
		return EBADMSG;
	}

	return 0;
}

/* SSID element (ID 0) from information elements, as text for display. */
static int ssid_from_ies(struct wifi_bss *bss, const uint8_t *ie, size_t len,
			 const char **errmsg)
{
	size_t off = 0;

	while (off + 2 <= len) {
		uint8_t id = ie[off], elen = ie[off + 1];
		size_t o;

		if (off + 2 + elen > len) {
			*errmsg = "information element beyond its attribute";
			return EBADMSG;
		}
		if (id != 0) {
			off += 2u + elen;
			continue;
		}
		if (elen > WIFI_SSID_MAX) {
			*errmsg = "SSID element longer than 32 octets";
			return EBADMSG;
		}

		/* an SSID is any 0..32 octets (802.11): shown as text,
		 * never trusted to be UTF-8 */
		o = wiretext_utf8(bss->ssid, sizeof(bss->ssid), ie + off + 2,
				  elen);
		bss->ssid_exact =
			o == elen && !memcmp(bss->ssid, ie + off + 2, elen);
		bss->has_ssid = true;
		return 0;
	}

	return 0;
}

static int bss_nested(struct wifi_bss *bss, const struct nlattr_val *outer,
		      const char **errmsg)
{
	struct nlattr_cursor c;
	struct nlattr_val a;
	uint32_t v;
	int r, err;

	nlattr_init(&c, outer->val, outer->len);
	while ((r = nlattr_next(&c, &a)) > 0) {
		switch (a.type) {
		case NL80211_BSS_BSSID:
			if (a.len != 6) {
				*errmsg = "NL80211_BSS_BSSID not 6 bytes";
				return EBADMSG;
			}
			memcpy(bss->bssid, a.val, 6);
			break;
		case NL80211_BSS_FREQUENCY:
			if (!nlattr_u32(&bss->frequency, &a)) {
				*errmsg = "NL80211_BSS_FREQUENCY not 4 bytes";
				return EBADMSG;
			}
			bss->channel = wifi_channel(bss->frequency);
			break;
		case NL80211_BSS_SIGNAL_MBM:
			if (!nlattr_s32(&bss->signal_mbm, &a)) {
				*errmsg = "NL80211_BSS_SIGNAL_MBM not 4 bytes";
				return EBADMSG;
			}
			bss->has_signal = true;
			break;
		case NL80211_BSS_STATUS:
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "NL80211_BSS_STATUS not 4 bytes";
				return EBADMSG;
			}
			bss->associated = v == NL80211_BSS_STATUS_ASSOCIATED ||
					  v == NL80211_BSS_STATUS_IBSS_JOINED;
			break;
		case NL80211_BSS_INFORMATION_ELEMENTS:
			err = ssid_from_ies(bss, a.val, a.len, errmsg);
			if (err)
				return err;
			break;
		default:
			break;
		}
	}

	if (r < 0) {
		*errmsg = "malformed NL80211_ATTR_BSS";
		return EBADMSG;
	}

	return 0;
}

int wifi_bss_decode(struct wifi_bss *bss, const uint8_t *buf, size_t len,
		    const char **errmsg)
{
	struct nlattr_cursor c;
	struct nlattr_val a;
	bool found = false;
	uint32_t v;
	int r, err;

	if (!bss || !buf || !errmsg)
		return EINVAL;

	err = genl_attrs(&c, buf, len, errmsg);
	if (err)
		return err;

	memset(bss, 0, sizeof(*bss));
	while ((r = nlattr_next(&c, &a)) > 0) {
		if (a.type == NL80211_ATTR_IFINDEX) {
			if (!nlattr_u32(&v, &a)) {
				*errmsg = "NL80211_ATTR_IFINDEX not 4 bytes";
				return EBADMSG;
			}
			bss->ifindex = v;
		} else if (a.type == NL80211_ATTR_BSS) {
			err = bss_nested(bss, &a, errmsg);
			if (err)
				return err;
			found = true;
		}
	}

	if (r < 0) {
		*errmsg = "malformed nl80211 attribute";
		return EBADMSG;
	}

	return found ? 0 : ENOENT;
}

unsigned wifi_channel(uint32_t mhz)
{
	/* IEEE 802.11: channel centre frequencies per band */
	if (mhz == 2484)
		return 14;
	if (mhz >= 2412 && mhz <= 2472 && (mhz - 2407) % 5 == 0)
		return (mhz - 2407) / 5;
	if (mhz == 5935)
		return 2; /* the one 6 GHz channel off the 5 MHz grid */
	if (mhz >= 5955 && mhz <= 7115 && (mhz - 5950) % 5 == 0)
		return (mhz - 5950) / 5;
	if (mhz >= 5160 && mhz <= 5885 && (mhz - 5000) % 5 == 0)
		return (mhz - 5000) / 5;

	return 0;
}

int wifi_bss_json_encode(struct odict *od, const struct wifi_bss *bss,
			 const char *ifname)
{
	char mac[18];
	int err;

	if (!od || !bss)
		return EINVAL;

	net_mac_print(mac, sizeof(mac), bss->bssid);
	err = odict_entry_add(od, "interface", ODICT_STRING,
			      ifname ? ifname : "");
	if (!err)
		err = odict_entry_add(od, "bssid", ODICT_STRING, mac);
	if (!err && bss->has_ssid)
		err = odict_entry_add(od, "ssid", ODICT_STRING, bss->ssid);
	if (!err)
		err = odict_entry_add(od, "frequency", ODICT_INT,
				      (int64_t)bss->frequency);
	if (!err && bss->channel)
		err = odict_entry_add(od, "channel", ODICT_INT,
				      (int64_t)bss->channel);
	if (!err && bss->has_signal)
		err = odict_entry_add(od, "signal_dbm", ODICT_INT,
				      (int64_t)(bss->signal_mbm / 100));

	return err;
}
