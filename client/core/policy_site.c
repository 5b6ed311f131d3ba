/* policy_site: parse network sites, choose the one in force, layer values. */

#include <re.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include "kvconf.h"
#include "policy.h"
#include "policy_value.h"
#include "policy_site.h"

/* One match_ line. */
struct policy_match {
	enum policy_match_kind kind;
	int family;
	uint8_t addr[16];
	unsigned prefixlen;
	bool is_mac;
	uint8_t mac[6];
	char text[256]; /* chassis text or SSID; the CIDR as written */
};

struct policy_site {
	char name[POLICY_SITE_NAME_MAX + 1];
	struct policy_match *matchv;
	size_t matchc;
	struct kvconf *keys; /* the site's own values */
	const char *file;    /* of the [site] line; a reference */
	unsigned line;
};

struct policy_sites {
	struct policy_site *v;
	size_t n;
	struct kvconf *global; /* the lines outside every section */
	char remote[POLICY_SITE_NAME_MAX + 1];
};

static void sites_destructor(void *arg)
{
	struct policy_sites *s = arg;
	size_t i;

	for (i = 0; i < s->n; i++) {
		mem_deref(s->v[i].matchv);
		mem_deref(s->v[i].keys);
		mem_deref((void *)s->v[i].file);
	}
	mem_deref(s->v);
	mem_deref(s->global);
}

static void diag_msg_destructor(void *arg)
{
	struct policy_diag_msg *m = arg;

	list_unlink(&m->le);
	mem_deref(m->text);
}

/* "file:line: <fmt>", said once however often it is found. */
static int diag_say(struct policy_diag *diag, const char *file, unsigned line,
		    const char *fmt, ...)
{
	struct policy_diag_msg *m;
	struct le *le;
	va_list ap;
	int err;

	if (!diag)
		return 0;

	m = mem_zalloc(sizeof(*m), diag_msg_destructor);
	if (!m)
		return ENOMEM;

	va_start(ap, fmt);
	err = re_sdprintf(&m->text, "%s:%u: %v", file, line, fmt, &ap);
	va_end(ap);
	if (err) {
		mem_deref(m);
		return err;
	}

	LIST_FOREACH(&diag->msgl, le)
	{
		const struct policy_diag_msg *o = le->data;

		if (!strcmp(o->text, m->text)) {
			mem_deref(m);
			return 0;
		}
	}

	list_append(&diag->msgl, &m->le, m);
	return 0;
}

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

/* "[site NAME]" split by kvconf into key "[site" and value "NAME]". */
static bool header_parse(char *name, const struct kvconf_entry *e)
{
	struct pl v;
	size_t i;

	if (strcmp(e->key, "[site"))
		return false;

	pl_set_str(&v, e->value);
	if (!v.l || v.p[v.l - 1] != ']')
		return false;
	--v.l;
	policy_pl_trim(&v);
	if (!v.l || v.l > POLICY_SITE_NAME_MAX)
		return false;
	for (i = 0; i < v.l; i++) {
		if (!name_char(v.p[i]))
			return false;
	}

	pl_strcpy(&v, name, POLICY_SITE_NAME_MAX + 1);
	return true;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "00:11:22:aa:bb:cc" or with '-'. */
static bool mac_parse(uint8_t mac[6], const char *s)
{
	size_t i;

	if (strlen(s) != 17)
		return false;

	for (i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		if (i < 5 && s[3 * i + 2] != ':' && s[3 * i + 2] != '-')
			return false;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}

	return true;
}

/* "10.20.0.0/16", "2001:db8:1::/48": *why when it is not one. */
static bool cidr_parse(struct policy_match *m, const char *s, const char **why)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash = strchr(s, '/');
	unsigned max, i;
	size_t n;

	*why = "is not an address/prefix such as 10.20.0.0/16 or "
	       "2001:db8:1::/48";
	if (!slash)
		return false;
	n = (size_t)(slash - s);
	if (!n || n >= sizeof(addr))
		return false;
	memcpy(addr, s, n);
	addr[n] = '\0';

	if (inet_pton(AF_INET, addr, m->addr) == 1) {
		m->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, addr, m->addr) == 1) {
		m->family = AF_INET6;
		max = 128;
	} else {
		return false;
	}

	if (policy_uint_parse(&m->prefixlen, slash + 1) || m->prefixlen > max)
		return false;

	for (i = m->prefixlen; i < max; i++) {
		if (m->addr[i / 8] & (0x80u >> (i % 8))) {
			*why = "has address bits set past the prefix length";
			return false;
		}
	}

	return true;
}

/* libre's mem_realloc does not take NULL for a first allocation. */
static void *grow(void *p, size_t size)
{
	return p ? mem_realloc(p, size) : mem_alloc(size, NULL);
}

static int match_add(struct policy_site *site, const struct policy_match *m)
{
	struct policy_match *v;

	v = grow(site->matchv, (site->matchc + 1) * sizeof(*v));
	if (!v)
		return ENOMEM;

	site->matchv = v;
	v[site->matchc++] = *m;
	return 0;
}

/* One match_ line of site: added, or said why not (dropped). */
static int match_line(struct policy_site *site, const struct kvconf_entry *e,
		      struct policy_diag *diag)
{
	struct policy_match m;
	const char *why = NULL;

	memset(&m, 0, sizeof(m));
	if (strlen(e->value) >= sizeof(m.text))
		return diag_say(diag, e->file, e->line,
				"%s: longer than %zu "
				"bytes; dropped",
				e->key, sizeof(m.text) - 1);
	str_ncpy(m.text, e->value, sizeof(m.text));

	if (!strcmp(e->key, "match_subnet")) {
		m.kind = POLICY_MATCH_SUBNET;
		if (!cidr_parse(&m, e->value, &why))
			return diag_say(diag, e->file, e->line,
					"%s: '%s' %s; dropped", e->key,
					e->value, why);
	} else if (!strcmp(e->key, "match_bssid")) {
		m.kind = POLICY_MATCH_BSSID;
		m.is_mac = mac_parse(m.mac, e->value);
		if (!m.is_mac)
			return diag_say(diag, e->file, e->line,
					"%s: '%s' is not a MAC address "
					"(00:11:22:aa:bb:cc); dropped",
					e->key, e->value);
	} else if (!strcmp(e->key, "match_chassis")) {
		m.kind = POLICY_MATCH_CHASSIS;
		m.is_mac = mac_parse(m.mac, e->value);
		if (!e->value[0])
			return diag_say(diag, e->file, e->line,
					"%s: empty; dropped", e->key);
	} else if (!strcmp(e->key, "match_ssid")) {
		m.kind = POLICY_MATCH_SSID;
		if (!e->value[0])
			return diag_say(diag, e->file, e->line,
					"%s: empty; dropped", e->key);
	} else {
		return diag_say(diag, e->file, e->line,
				"%s: not a match: match_subnet, match_chassis, "
				"match_bssid or match_ssid; ignored",
				e->key);
	}

	return match_add(site, &m);
}

static int site_open(struct policy_sites *s, const char *name,
		     const struct kvconf_entry *e)
{
	struct policy_site *v;
	int err;

	v = grow(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return ENOMEM;
	s->v = v;

	memset(&v[s->n], 0, sizeof(v[0]));
	str_ncpy(v[s->n].name, name, sizeof(v[0].name));
	err = kvconf_alloc(&v[s->n].keys, e->file);
	if (err)
		return err;
	v[s->n].file = mem_ref((void *)e->file);
	v[s->n].line = e->line;
	++s->n;
	return 0;
}

/* A line inside a site: its own value of a policy setting. */
static int site_key(struct policy_site *site, const struct kvconf_entry *e,
		    struct policy_diag *diag)
{
	if (!policy_key_known(e->key))
		return diag_say(diag, e->file, e->line,
				"%s: not a policy setting; a site can only "
				"set policy settings (site %s); ignored",
				e->key, site->name);

	return kvconf_append(site->keys, e, POLICY_FROM_SITE);
}

static int sections_split(struct policy_sites *s, const struct kvconf *admin,
			  struct policy_diag *diag,
			  const struct kvconf_entry **remote)
{
	struct policy_site *cur = NULL;
	bool skip = false;
	struct le *le;
	int err = 0;

	LIST_FOREACH(kvconf_entries(admin), le)
	{
		const struct kvconf_entry *e = le->data;
		char name[POLICY_SITE_NAME_MAX + 1];
		int dup;

		if (err)
			break;

		if (e->key[0] == '[') {
			cur = NULL;
			skip = true;
			if (!header_parse(name, e)) {
				err = diag_say(diag, e->file, e->line,
					       "'%s %s' is not a section "
					       "header [site NAME] (NAME: 1 to "
					       "%u of A-Z a-z 0-9 . - _); the "
					       "lines up to the next one are "
					       "ignored",
					       e->key, e->value,
					       POLICY_SITE_NAME_MAX);
				continue;
			}
			dup = policy_site_find(s, name);
			if (dup >= 0) {
				err = diag_say(diag, e->file, e->line,
					       "site %s is already defined at "
					       "%s:%u; this section is ignored",
					       name, s->v[dup].file,
					       s->v[dup].line);
				continue;
			}
			err = site_open(s, name, e);
			if (err)
				break;
			cur = &s->v[s->n - 1];
			skip = false;
			continue;
		}
		if (skip)
			continue;

		if (!strcmp(e->key, "remote_site")) {
			if (cur)
				err = diag_say(diag, e->file, e->line,
					       "remote_site: a global setting: "
					       "put it before the first [site "
					       "NAME]; ignored");
			else
				*remote = e;
		} else if (!strncmp(e->key, "match_", 6)) {
			if (cur)
				err = match_line(cur, e, diag);
			else
				err = diag_say(diag, e->file, e->line,
					       "%s: only inside a [site NAME] "
					       "section; ignored",
					       e->key);
		} else if (cur) {
			err = site_key(cur, e, diag);
		} else {
			err = kvconf_append(s->global, e, POLICY_FROM_ADMIN);
		}
	}

	return err;
}

/* The layers of one effective policy, lowest first (see the header). */
static int layers_merge(struct kvconf **kvp, const struct policy_sites *admin,
			const struct policy_sites *served, int site)
{
	const struct policy_site *as = NULL, *ss = NULL;
	const size_t na = policy_sites_count(admin);
	struct kvconf *kv = NULL;
	struct le *le;
	int err;

	if (site >= 0 && (size_t)site < na) {
		as = &admin->v[site];
		if (served) {
			int i = policy_site_find(served, as->name);
			ss = i >= 0 ? &served->v[i] : NULL;
		}
	} else if (site >= 0 && served &&
		   (size_t)site - na < policy_sites_count(served)) {
		ss = &served->v[(size_t)site - na];
	}

	err = kvconf_alloc(&kv, NULL);
	if (err)
		return err;

	if (served) {
		LIST_FOREACH(kvconf_entries(served->global), le)
		{
			if (!err)
				err = kvconf_append(kv, le->data,
						    POLICY_FROM_SERVED);
		}
	}
	if (admin) {
		LIST_FOREACH(kvconf_entries(admin->global), le)
		{
			if (!err)
				err = kvconf_append(kv, le->data,
						    POLICY_FROM_ADMIN);
		}
	}
	if (ss) {
		LIST_FOREACH(kvconf_entries(ss->keys), le)
		{
			if (!err)
				err = kvconf_append(kv, le->data,
						    POLICY_FROM_SITE);
		}
	}
	if (as) {
		LIST_FOREACH(kvconf_entries(as->keys), le)
		{
			if (!err)
				err = kvconf_append(kv, le->data,
						    POLICY_FROM_SITE);
		}
	}

	if (err)
		mem_deref(kv);
	else
		*kvp = kv;
	return err;
}

int policy_sites_parse(struct policy_sites **sp, const struct kvconf *admin,
		       struct policy_diag *diag)
{
	const struct kvconf_entry *remote = NULL;
	struct policy_sites *s;
	struct policy p;
	size_t i;
	int err;

	if (!sp)
		return EINVAL;

	s = mem_zalloc(sizeof(*s), sites_destructor);
	if (!s)
		return ENOMEM;

	err = kvconf_alloc(&s->global, NULL);
	if (!err)
		err = sections_split(s, admin, diag, &remote);
	if (err)
		goto out;

	if (remote && policy_site_find(s, remote->value) < 0)
		err = diag_say(diag, remote->file, remote->line,
			       "remote_site: no site '%s' is defined; VPN "
			       "users get the global policy",
			       remote->value);
	else if (remote)
		str_ncpy(s->remote, remote->value, sizeof(s->remote));

	/* each site's values are checked now, not when the phone first
	 * walks into that site; a problem is said once */
	memset(&p, 0, sizeof(p));
	for (i = 0; !err && i < s->n; i++) {
		struct kvconf *kv = NULL;

		if (!s->v[i].matchc && strcmp(s->v[i].name, s->remote))
			err = diag_say(diag, s->v[i].file, s->v[i].line,
				       "site %s has no match_ line and is not "
				       "the remote_site: it is never chosen",
				       s->v[i].name);
		if (!err)
			err = layers_merge(&kv, s, NULL, (int)i);
		if (!err)
			err = policy_load(&p, NULL, kv, diag);
		mem_deref(kv);
	}
	policy_reset(&p);

out:
	if (err)
		mem_deref(s);
	else
		*sp = s;
	return err;
}

size_t policy_sites_count(const struct policy_sites *s)
{
	return s ? s->n : 0;
}

const char *policy_site_name(const struct policy_sites *s, int i)
{
	return s && i >= 0 && (size_t)i < s->n ? s->v[i].name : NULL;
}

int policy_site_find(const struct policy_sites *s, const char *name)
{
	size_t i;

	for (i = 0; s && name && i < s->n; i++) {
		if (!strcmp(s->v[i].name, name))
			return (int)i;
	}

	return -1;
}

static bool subnet_has(const struct policy_match *m,
		       const struct policy_site_facts *f)
{
	unsigned i;

	if (!f->has_subnet || f->family != m->family)
		return false;

	for (i = 0; i < m->prefixlen; i++) {
		uint8_t bit = 0x80u >> (i % 8);

		if ((f->addr[i / 8] & bit) != (m->addr[i / 8] & bit))
			return false;
	}

	return true;
}

static bool chassis_has(const struct policy_match *m,
			const struct policy_site_facts *f)
{
	uint8_t mac[6];
	size_t i;

	for (i = 0; i < f->chassisc; i++) {
		if (m->is_mac && mac_parse(mac, f->chassis[i]) &&
		    !memcmp(mac, m->mac, 6))
			return true;
		if (!strcmp(m->text, f->chassis[i]))
			return true;
	}

	return false;
}

/* How specific a match of m is; 0: it does not match. */
static unsigned match_rank(const struct policy_match *m,
			   const struct policy_site_facts *f)
{
	switch (m->kind) {

	case POLICY_MATCH_CHASSIS:
		return chassis_has(m, f) ? 1000 : 0;

	case POLICY_MATCH_BSSID:
		return f->has_bssid && !memcmp(f->bssid, m->mac, 6) ? 900 : 0;

	case POLICY_MATCH_SUBNET:
		/* a /0 still beats an SSID: it is the wire the phone is on */
		return subnet_has(m, f) ? 200 + m->prefixlen : 0;

	case POLICY_MATCH_SSID:
		return f->ssid[0] && !strcmp(f->ssid, m->text) ? 100 : 0;

	default:
		return 0;
	}
}

static const char *kind_word(enum policy_match_kind k)
{
	switch (k) {

	case POLICY_MATCH_CHASSIS:
		return "LLDP chassis";
	case POLICY_MATCH_BSSID:
		return "BSSID";
	case POLICY_MATCH_SUBNET:
		return "subnet";
	case POLICY_MATCH_SSID:
		return "SSID";
	default:
		return "?";
	}
}

/* The best match among sites (numbered from base), into best. */
static void sites_scan(const struct policy_sites *s, size_t base,
		       const struct policy_sites *shadow,
		       const struct policy_site_facts *f, unsigned *best_rank,
		       int *best, const struct policy_match **best_m)
{
	size_t i, j;

	for (i = 0; s && i < s->n; i++) {
		const struct policy_site *site = &s->v[i];

		/* a served site the administrator's file also defines is
		 * that one */
		if (shadow && policy_site_find(shadow, site->name) >= 0)
			continue;

		for (j = 0; j < site->matchc; j++) {
			unsigned r = match_rank(&site->matchv[j], f);

			/* ties: the one written first stays */
			if (r > *best_rank) {
				*best_rank = r;
				*best = (int)(base + i);
				*best_m = &site->matchv[j];
			}
		}
	}
}

void policy_site_choose(struct policy_site_choice *choice,
			const struct policy_sites *admin,
			const struct policy_sites *served,
			const struct policy_site_facts *facts)
{
	const size_t na = policy_sites_count(admin);
	const struct policy_match *m = NULL;
	const char *name;
	unsigned rank = 0;
	int best = -1;

	if (!choice)
		return;

	memset(choice, 0, sizeof(*choice));
	choice->site = -1;

	if (facts) {
		sites_scan(admin, 0, NULL, facts, &rank, &best, &m);
		sites_scan(served, na, admin, facts, &rank, &best, &m);
	}

	if (best >= 0) {
		name = (size_t)best < na ? admin->v[best].name
					 : served->v[(size_t)best - na].name;
		choice->site = best;
		choice->kind = m->kind;
		str_ncpy(choice->name, name, sizeof(choice->name));
		re_snprintf(choice->why, sizeof(choice->why),
			    "%s %s of site %s%s", kind_word(m->kind), m->text,
			    name,
			    facts->vpn ? " (the network under the VPN)" : "");
		return;
	}

	/* the administrator's remote_site, else the served one */
	name = admin && admin->remote[0]     ? admin->remote
	       : served && served->remote[0] ? served->remote
					     : NULL;
	if (facts && facts->vpn && name) {
		int i = policy_site_find(admin, name);

		if (i < 0)
			i = (int)na + policy_site_find(served, name);
		choice->site = i;
		choice->kind = POLICY_MATCH_REMOTE;
		str_ncpy(choice->name, name, sizeof(choice->name));
		re_snprintf(choice->why, sizeof(choice->why),
			    "on VPN and no site matches the network under "
			    "it: remote_site %s",
			    name);
		return;
	}

	re_snprintf(choice->why, sizeof(choice->why), "%s",
		    na + policy_sites_count(served)
			    ? "no site matches this network: the global "
			      "policy"
			    : "no sites are defined: the global policy");
}

static void origins_fill(enum policy_origin *origins, const struct policy *p,
			 const struct kvconf *merged, const struct kvconf *user)
{
	size_t i;

	for (i = 0; i < POLICY_KEY_COUNT; i++) {
		const char *key = policy_key_name(i);
		const struct kvconf_entry *a = kvconf_get(merged, key);
		const struct kvconf_entry *u = kvconf_get(user, key);

		if (!a) {
			origins[i] = u ? POLICY_FROM_USER : POLICY_FROM_DEFAULT;
			continue;
		}

		origins[i] = (enum policy_origin)a->tag;

		/* the two floors the user may raise */
		if (!u)
			continue;
		if (!strcmp(key, "e911_enabled") && p->e911_enabled &&
		    !str_casecmp(u->value, "yes") &&
		    str_casecmp(a->value, "yes"))
			origins[i] = POLICY_FROM_USER;
		if (!strcmp(key, "location_required") &&
		    !str_casecmp(u->value, policy_word(POLICY_WORDS_LOCATION,
						       p->location_required)) &&
		    str_casecmp(a->value, u->value))
			origins[i] = POLICY_FROM_USER;
	}
}

int policy_site_load(struct policy *p, const struct kvconf *user,
		     const struct policy_sites *admin,
		     const struct policy_sites *served, int site,
		     enum policy_origin *origins, struct policy_diag *diag)
{
	struct kvconf *kv = NULL;
	int err;

	if (!p)
		return EINVAL;

	err = layers_merge(&kv, admin, served, site);
	if (!err)
		err = policy_load(p, user, kv, diag);
	if (!err && origins)
		origins_fill(origins, p, kv, user);

	mem_deref(kv);
	return err;
}

const char *policy_origin_name(enum policy_origin o)
{
	switch (o) {

	case POLICY_FROM_SERVED:
		return "served policy";
	case POLICY_FROM_ADMIN:
		return "administrator file";
	case POLICY_FROM_SITE:
		return "site";
	case POLICY_FROM_USER:
		return "user file";
	default:
		return "default";
	}
}

static void subnet_fact(struct policy_site_facts *f, const char *s)
{
	char addr[INET6_ADDRSTRLEN + 1];
	const char *slash;
	size_t n;

	if (!s)
		return;
	slash = strchr(s, '/');
	n = slash ? (size_t)(slash - s) : strlen(s);
	if (!n || n >= sizeof(addr))
		return;
	memcpy(addr, s, n);
	addr[n] = '\0';

	if (inet_pton(AF_INET, addr, f->addr) == 1)
		f->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, f->addr) == 1)
		f->family = AF_INET6;
	else
		return;

	f->has_subnet = true;
}

void policy_site_facts_from_netinfo(struct policy_site_facts *f,
				    const struct odict *netinfo)
{
	const struct odict_entry *w, *l;
	struct le *le;

	if (!f)
		return;
	memset(f, 0, sizeof(*f));
	if (!netinfo)
		return;

	(void)odict_get_boolean(netinfo, &f->vpn, "vpn");
	subnet_fact(f, odict_string(netinfo, "subnet"));

	w = odict_get_type(netinfo, ODICT_OBJECT, "wifi");
	if (w) {
		const char *bssid = odict_string(w->u.odict, "bssid");
		const char *ssid = odict_string(w->u.odict, "ssid");

		f->has_bssid = bssid && mac_parse(f->bssid, bssid);
		if (ssid)
			str_ncpy(f->ssid, ssid, sizeof(f->ssid));
	}

	l = odict_get_type(netinfo, ODICT_OBJECT, "lldp");
	LIST_FOREACH(l ? &l->u.odict->lst : NULL, le)
	{
		const struct odict_entry *nb = le->data, *c;
		const char *v;

		if (f->chassisc >= POLICY_SITE_CHASSIS_MAX)
			break;
		if (nb->type != ODICT_OBJECT)
			continue;
		c = odict_get_type(nb->u.odict, ODICT_OBJECT, "chassis_id");
		v = c ? odict_string(c->u.odict, "value") : NULL;
		if (v && v[0])
			str_ncpy(f->chassis[f->chassisc++], v,
				 sizeof(f->chassis[0]));
	}
}

/* The first diagnostic of d, or NULL. */
static const char *first_diag(const struct policy_diag *d)
{
	const struct le *le = list_head(&d->msgl);

	return le ? ((const struct policy_diag_msg *)le->data)->text : NULL;
}

int policy_sites_validate(struct policy_sites **sp, const char *name,
			  const char *buf, size_t len, char *why, size_t whysz)
{
	struct policy_diag diag = {LIST_INIT};
	struct policy_sites *sites = NULL;
	struct kvconf *kv = NULL;
	struct policy scratch;
	unsigned line = 0;
	int err;

	if (!sp || !name || (!buf && len) || !why || !whysz)
		return EINVAL;
	memset(&scratch, 0, sizeof(scratch));
	why[0] = '\0';

	err = kvconf_parse(&kv, name, buf ? buf : "", len, &line);
	if (err) {
		re_snprintf(why, whysz, "%s:%u: not a policy file (%m)", name,
			    line, err);
		return err;
	}

	err = policy_sites_parse(&sites, kv, &diag);
	/* the global values, and each site's, loaded as they would be */
	for (int i = -1; !err && i < (int)policy_sites_count(sites); i++)
		err = policy_site_load(&scratch, NULL, NULL, sites, i, NULL,
				       &diag);
	if (!err && first_diag(&diag))
		err = EBADMSG;
	if (err)
		re_snprintf(why, whysz, "%s",
			    first_diag(&diag) ? first_diag(&diag)
					      : "cannot be loaded");

	policy_reset(&scratch);
	policy_diag_reset(&diag);
	mem_deref(kv);
	if (err)
		mem_deref(sites);
	else
		*sp = sites;

	return err;
}
