/* heldreq: decodes HELD locationRequests (RFC 5985) for the LIS simulator. */

#include <re.h>
#include <stdarg.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "simtext.h"
#include "heldreq.h"

/* Longest text read from one element: 255 octets of hexBinary and some
 * surrounding white space; URIs and addresses are shorter. */
enum { TEXT_MAX = 2 * HELDREQ_LLDP_ID_MAX + 64 };

/* Longest piece of outside text (element names, parser messages) quoted
 * in a fault message. */
enum { QUOTE_MAX = 48 };

static void heldreq_destructor(void *arg)
{
	struct heldreq *req = arg;
	size_t i;

	for (i = 0; i < req->uric; i++)
		mem_deref(req->uriv[i]);
}

/* Outside text for a message: printable ASCII only, at most QUOTE_MAX
 * characters, so a cut never splits a UTF-8 sequence. */
static int quote_print(struct re_printf *pf, const xmlChar *s)
{
	size_t i;
	int err = 0;

	for (i = 0; s && s[i] && i < QUOTE_MAX && !err; i++) {
		char c = (s[i] >= 0x20 && s[i] < 0x7f) ? (char)s[i] : '?';

		/* libxml2 messages end in a line break */
		if (s[i] == '\n' || s[i] == '\r')
			continue;
		err = pf->vph(&c, 1, pf->arg);
	}

	return err;
}

static int fault_set(struct heldreq_fault *f, const char *code, const char *fmt,
		     ...)
{
	va_list ap;

	f->code = code;
	va_start(ap, fmt);
	(void)re_vsnprintf(f->message, sizeof(f->message), fmt, ap);
	va_end(ap);

	return EBADMSG;
}

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static const char *elem_ns(const xmlNode *n)
{
	return n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
}

/* An element in namespace ns, with the given local name (any if NULL). */
static bool is_elem(const xmlNode *n, const char *ns, const char *name)
{
	const char *href = elem_ns(n);

	return n->type == XML_ELEMENT_NODE && href && 0 == strcmp(href, ns) &&
	       (!name || 0 == strcmp((const char *)n->name, name));
}

static bool name_is(const xmlNode *n, const char *name)
{
	return 0 == strcmp((const char *)n->name, name);
}

/*
 * The character content of an element that has no element children, with
 * XML white space trimmed, NUL-terminated in buf.  EBADMSG if it holds an
 * element or does not fit.
 */
static int text_get(char *buf, size_t sz, size_t *lenp, const xmlNode *n,
		    struct heldreq_fault *f)
{
	const xmlNode *c;
	size_t len = 0, start = 0;

	for (c = n->children; c; c = c->next) {
		size_t l;

		if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
			continue;
		if (c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE)
			return fault_set(f, "xmlError",
					 "<%H> must hold text only",
					 quote_print, n->name);
		if (!c->content)
			continue;

		l = strlen((const char *)c->content);
		if (l >= sz - len)
			return fault_set(f, "xmlError", "<%H> is too long",
					 quote_print, n->name);
		memcpy(buf + len, c->content, l);
		len += l;
	}

	while (len && is_xml_space(buf[len - 1]))
		--len;
	while (start < len && is_xml_space(buf[start]))
		++start;
	memmove(buf, buf + start, len - start);
	len -= start;
	buf[len] = '\0';

	*lenp = len;
	return 0;
}

/* The value of an unqualified attribute, trimmed, into buf; *present says
 * whether the attribute is there at all. */
static int attr_get(char *buf, size_t sz, bool *present, const xmlNode *n,
		    const char *name, struct heldreq_fault *f)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	size_t len, start = 0;

	*present = v != NULL;
	buf[0] = '\0';
	if (!v)
		return 0;

	len = strlen((const char *)v);
	while (len && is_xml_space((char)v[len - 1]))
		--len;
	while (start < len && is_xml_space((char)v[start]))
		++start;

	if (len - start >= sz) {
		xmlFree(v);
		return fault_set(f, "xmlError", "attribute %s is too long",
				 name);
	}

	memcpy(buf, v + start, len - start);
	buf[len - start] = '\0';
	xmlFree(v);
	return 0;
}

/*
 * Walk the whole tree without recursion: cap nesting and element count,
 * and refuse entity references (a request has no use for them).
 */
static int tree_check(const xmlNode *root, struct heldreq_fault *f)
{
	const xmlNode *n = root;
	unsigned depth = 1, count = 0;

	while (n) {
		if (n->type == XML_ENTITY_REF_NODE)
			return fault_set(f, "xmlError",
					 "entity references are not allowed");

		if (n->type == XML_ELEMENT_NODE) {
			if (++count > HELDREQ_ELEMENTS_MAX)
				return fault_set(f, "xmlError",
						 "more than %u elements",
						 HELDREQ_ELEMENTS_MAX);
			if (depth > HELDREQ_DEPTH_MAX)
				return fault_set(f, "xmlError",
						 "elements nested deeper "
						 "than %u",
						 HELDREQ_DEPTH_MAX);
			if (n->children) {
				n = n->children;
				++depth;
				continue;
			}
		}

		while (n != root && !n->next) {
			n = n->parent;
			--depth;
		}
		if (n == root)
			break;
		n = n->next;
	}

	return 0;
}

/* RFC 5985: responseTime is emergencyRouting, emergencyDispatch or a
 * non-negative number of milliseconds. */
static int rtime_decode(struct heldreq *req, const xmlNode *root,
			struct heldreq_fault *f)
{
	char v[32];
	bool present;
	uint64_t ms = 0;
	size_t i;
	int err;

	err = attr_get(v, sizeof(v), &present, root, "responseTime", f);
	if (err || !present)
		return err;

	if (0 == strcmp(v, "emergencyRouting")) {
		req->rtime = HELDREQ_RT_ROUTING;
		return 0;
	}
	if (0 == strcmp(v, "emergencyDispatch")) {
		req->rtime = HELDREQ_RT_DISPATCH;
		return 0;
	}

	for (i = 0; v[i]; i++) {
		if (v[i] < '0' || v[i] > '9')
			break;
		ms = ms * 10 + (uint64_t)(v[i] - '0');
		if (ms > UINT32_MAX)
			break;
	}
	if (!i || v[i])
		return fault_set(f, "xmlError", "bad responseTime");

	req->rtime = HELDREQ_RT_MS;
	req->rtime_ms = (uint32_t)ms;
	return 0;
}

/* RFC 5985: locationType is a list of tokens, attribute exact (boolean). */
static int loctype_decode(struct heldreq *req, const xmlNode *n,
			  struct heldreq_fault *f)
{
	static const struct {
		const char *token;
		unsigned bits;
	} tokens[] = {
		{"any", HELDREQ_LT_ANY},
		{"civic", HELDREQ_LT_CIVIC},
		{"geodetic", HELDREQ_LT_GEODETIC},
		{"locationURI", HELDREQ_LT_URI},
	};
	char text[TEXT_MAX], exact[16];
	unsigned bits = 0;
	bool present;
	size_t len, i;
	int err;

	err = text_get(text, sizeof(text), &len, n, f);
	if (err)
		return err;
	err = attr_get(exact, sizeof(exact), &present, n, "exact", f);
	if (err)
		return err;

	/* xs:boolean */
	if (!present || 0 == strcmp(exact, "false") || 0 == strcmp(exact, "0"))
		req->exact = false;
	else if (0 == strcmp(exact, "true") || 0 == strcmp(exact, "1"))
		req->exact = true;
	else
		return fault_set(f, "xmlError", "bad locationType exact");

	for (i = 0; i < len;) {
		size_t start, t;

		while (i < len && is_xml_space(text[i]))
			++i;
		start = i;
		while (i < len && !is_xml_space(text[i]))
			++i;
		if (i == start)
			break;

		for (t = 0; t < ARRAY_SIZE(tokens); t++) {
			if (strlen(tokens[t].token) == i - start &&
			    0 == memcmp(text + start, tokens[t].token,
					i - start))
				break;
		}
		if (t == ARRAY_SIZE(tokens))
			return fault_set(f, "xmlError",
					 "unknown locationType token");

		bits |= tokens[t].bits;
	}

	if (!bits)
		return fault_set(f, "xmlError", "empty locationType");

	req->loctypes = bits;
	return 0;
}

static int id_ip_decode(struct heldreq *req, const xmlNode *n,
			struct heldreq_fault *f)
{
	char text[TEXT_MAX], v[8];
	bool present;
	struct sa sa;
	size_t len;
	int err;

	if (req->ipc >= HELDREQ_IDS_MAX)
		return fault_set(f, "requestError", "more than %u ip",
				 HELDREQ_IDS_MAX);

	err = text_get(text, sizeof(text), &len, n, f);
	if (!err)
		err = attr_get(v, sizeof(v), &present, n, "v", f);
	if (err)
		return err;

	/* RFC 6155: attribute v says which IP version the address is */
	if (sa_set_str(&sa, text, 0))
		return fault_set(f, "badIdentifier", "ip is not an address");
	if (present && !((0 == strcmp(v, "4") && sa_af(&sa) == AF_INET) ||
			 (0 == strcmp(v, "6") && sa_af(&sa) == AF_INET6)))
		return fault_set(f, "badIdentifier", "ip v does not match");

	req->ipv[req->ipc++] = sa;
	return 0;
}

static int id_mac_decode(struct heldreq *req, const xmlNode *n,
			 struct heldreq_fault *f)
{
	char text[TEXT_MAX];
	size_t len;
	int err;

	if (req->macc >= HELDREQ_IDS_MAX)
		return fault_set(f, "requestError", "more than %u mac",
				 HELDREQ_IDS_MAX);

	err = text_get(text, sizeof(text), &len, n, f);
	if (err)
		return err;

	if (sim_mac_decode(req->macv[req->macc], text, len))
		return fault_set(f, "badIdentifier", "mac is not a MAC");

	++req->macc;
	return 0;
}

/* A URI: a scheme (RFC 3986 characters), a colon, no blanks or controls. */
static bool id_uri_valid(const char *s, size_t len)
{
	size_t i, colon = 0;

	for (i = 0; i < len && !colon; i++) {
		char c = s[i];

		if (c == ':' && i > 0)
			colon = i;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (i > 0 && ((c >= '0' && c <= '9') || c == '+' ||
				      c == '-' || c == '.'))))
			return false;
	}
	if (!colon || colon + 1 >= len)
		return false;

	for (i = colon + 1; i < len; i++) {
		if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f)
			return false;
	}

	return true;
}

static int id_uri_decode(struct heldreq *req, const xmlNode *n,
			 struct heldreq_fault *f)
{
	char text[TEXT_MAX];
	size_t len;
	int err;

	if (req->uric >= HELDREQ_IDS_MAX)
		return fault_set(f, "requestError", "more than %u uri",
				 HELDREQ_IDS_MAX);

	err = text_get(text, sizeof(text), &len, n, f);
	if (err)
		return err;

	if (len >= HELDREQ_URI_MAX || !id_uri_valid(text, len))
		return fault_set(f, "badIdentifier", "uri is not a URI");

	err = str_dup(&req->uriv[req->uric], text);
	if (err)
		return err;

	++req->uric;
	return 0;
}

/* RFC 6155 device: ip, mac and uri are read; other identities (nai, fqdn,
 * ...) are valid but this simulator does not match on them. */
static int device_decode(struct heldreq *req, const xmlNode *dev,
			 struct heldreq_fault *f)
{
	const xmlNode *n;
	int err = 0;

	for (n = dev->children; n && !err; n = n->next) {
		if (!is_elem(n, HELD_ID_NS, NULL))
			continue;

		if (name_is(n, "ip"))
			err = id_ip_decode(req, n, f);
		else if (name_is(n, "mac"))
			err = id_mac_decode(req, n, f);
		else if (name_is(n, "uri"))
			err = id_uri_decode(req, n, f);
	}

	return err;
}

/* RFC 7105: chassis and port carry a subtype in attribute type and the ID
 * octets as xs:hexBinary, 1 to 255 octets. */
static int lldp_id_decode(struct lldp_id *id, const xmlNode *n,
			  struct heldreq_fault *f)
{
	char text[TEXT_MAX], type[8];
	size_t len, octets;
	bool present;
	int err;

	err = text_get(text, sizeof(text), &len, n, f);
	if (!err)
		err = attr_get(type, sizeof(type), &present, n, "type", f);
	if (err)
		return err;

	/* IEEE 802.1AB defines subtypes 1..7 for both IDs */
	if (!present || strlen(type) != 1 || type[0] < '1' || type[0] > '7')
		return fault_set(f, "xmlError", "lldp %s needs type 1..7",
				 n->name);

	if (sim_hex_decode(id->v, sizeof(id->v), &octets, text, len) || !octets)
		return fault_set(f, "xmlError",
				 "lldp %s is not 1..255 octets of hexBinary",
				 n->name);

	id->type = (uint8_t)(type[0] - '0');
	id->len = (uint8_t)octets;
	return 0;
}

static int lldp_decode(struct heldreq *req, const xmlNode *lldp,
		       struct heldreq_fault *f)
{
	struct heldreq_lldp m;
	bool chassis = false, port = false;
	const xmlNode *n;
	int err = 0;

	if (req->lldpc >= HELDREQ_LLDP_MAX)
		return fault_set(f, "requestError", "more than %u lldp",
				 HELDREQ_LLDP_MAX);

	memset(&m, 0, sizeof(m));
	for (n = lldp->children; n && !err; n = n->next) {
		if (!is_elem(n, HELD_LLDP_NS, NULL))
			continue;

		if (name_is(n, "chassis") && !chassis) {
			chassis = true;
			err = lldp_id_decode(&m.chassis, n, f);
		} else if (name_is(n, "port") && !port) {
			port = true;
			err = lldp_id_decode(&m.port, n, f);
		} else {
			err = fault_set(f, "xmlError", "unexpected lldp <%H>",
					quote_print, n->name);
		}
	}
	if (err)
		return err;

	if (!chassis || !port)
		return fault_set(f, "xmlError", "lldp needs chassis and port");

	req->lldpv[req->lldpc++] = m;
	return 0;
}

/* RFC 7105 wifi: one or more ap, each with exactly one bssid. */
static int ap_decode(struct heldreq *req, const xmlNode *ap,
		     struct heldreq_fault *f)
{
	const xmlNode *n, *bssid = NULL;
	char text[TEXT_MAX];
	size_t len;
	int err;

	for (n = ap->children; n; n = n->next) {
		if (!is_elem(n, HELD_WIFI_NS, "bssid"))
			continue;
		if (bssid)
			return fault_set(f, "xmlError", "ap has two bssid");
		bssid = n;
	}
	if (!bssid)
		return fault_set(f, "xmlError", "ap without bssid");

	if (req->bssidc >= HELDREQ_AP_MAX)
		return fault_set(f, "requestError", "more than %u ap",
				 HELDREQ_AP_MAX);

	err = text_get(text, sizeof(text), &len, bssid, f);
	if (err)
		return err;

	if (sim_mac_decode(req->bssidv[req->bssidc], text, len))
		return fault_set(f, "xmlError", "bssid is not a MAC address");

	++req->bssidc;
	return 0;
}

static int wifi_decode(struct heldreq *req, const xmlNode *wifi,
		       struct heldreq_fault *f)
{
	const xmlNode *n;
	unsigned aps = 0;
	int err = 0;

	for (n = wifi->children; n && !err; n = n->next) {
		if (!is_elem(n, HELD_WIFI_NS, "ap"))
			continue;
		++aps;
		err = ap_decode(req, n, f);
	}
	if (err)
		return err;

	if (!aps)
		return fault_set(f, "xmlError", "wifi without ap");

	return 0;
}

/* RFC 7105: measurements holds one element per technology, each in its
 * own namespace; those other than lldp and wifi are skipped. */
static int measurements_decode(struct heldreq *req, const xmlNode *m,
			       struct heldreq_fault *f)
{
	const xmlNode *n;
	int err = 0;

	for (n = m->children; n && !err; n = n->next) {
		if (is_elem(n, HELD_LLDP_NS, "lldp"))
			err = lldp_decode(req, n, f);
		else if (is_elem(n, HELD_WIFI_NS, "wifi"))
			err = wifi_decode(req, n, f);
	}

	return err;
}

/* The children of locationRequest: locationType, then extensions from
 * other namespaces (RFC 5985), here RFC 6155 device and RFC 7105
 * measurements.  Each may appear once. */
static int children_decode(struct heldreq *req, const xmlNode *root,
			   struct heldreq_fault *f)
{
	bool loctype = false, device = false, measurements = false;
	const xmlNode *n;
	int err = 0;

	for (n = root->children; n && !err; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;

		if (!elem_ns(n)) {
			err = fault_set(f, "xmlError", "<%H> has no namespace",
					quote_print, n->name);
		} else if (is_elem(n, HELD_NS, "locationType") && !loctype) {
			loctype = true;
			err = loctype_decode(req, n, f);
		} else if (is_elem(n, HELD_NS, NULL)) {
			err = fault_set(f, "xmlError", "unexpected <%H>",
					quote_print, n->name);
		} else if (is_elem(n, HELD_ID_NS, "device")) {
			if (device)
				err = fault_set(f, "xmlError", "two device");
			device = true;
			if (!err)
				err = device_decode(req, n, f);
		} else if (is_elem(n, HELD_LM_NS, "measurements")) {
			if (measurements)
				err = fault_set(f, "xmlError",
						"two measurements");
			measurements = true;
			if (!err)
				err = measurements_decode(req, n, f);
		}
	}

	return err;
}

/* Parse with no network, no DTD loading, no entity substitution. */
static int doc_read(xmlDoc **docp, struct heldreq_fault *f, const uint8_t *buf,
		    size_t len)
{
	xmlParserCtxt *ctxt;
	xmlDoc *doc;
	int err = 0;

	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return ENOMEM;

	doc = xmlCtxtReadMemory(ctxt, (const char *)buf, (int)len, NULL, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *xe = xmlCtxtGetLastError(ctxt);

		err = fault_set(f, "xmlError", "not well-formed: line %d: %H",
				xe ? xe->line : 0, quote_print,
				xe ? (const xmlChar *)xe->message : NULL);
		goto out;
	}

	/* a DTD can declare entities; HELD requests have no use for one */
	if (doc->intSubset || doc->extSubset) {
		err = fault_set(f, "xmlError", "a DTD is not allowed");
		xmlFreeDoc(doc);
		goto out;
	}

	*docp = doc;

out:
	xmlFreeParserCtxt(ctxt);
	return err;
}

int heldreq_decode(struct heldreq **reqp, struct heldreq_fault *fault,
		   const uint8_t *buf, size_t len)
{
	struct heldreq *req = NULL;
	xmlDoc *doc = NULL;
	const xmlNode *root;
	int err;

	if (!reqp || !fault || (!buf && len))
		return EINVAL;

	fault->code = NULL;
	fault->message[0] = '\0';

	if (len > HELDREQ_SIZE_MAX)
		return fault_set(fault, "requestError",
				 "request is over %u bytes", HELDREQ_SIZE_MAX);
	if (!len)
		return fault_set(fault, "xmlError", "empty request");

	err = doc_read(&doc, fault, buf, len);
	if (err)
		return err;

	root = xmlDocGetRootElement(doc);
	if (!root) {
		err = fault_set(fault, "xmlError", "no document element");
		goto out;
	}

	err = tree_check(root, fault);
	if (err)
		goto out;

	if (!is_elem(root, HELD_NS, "locationRequest")) {
		err = fault_set(fault, "unsupportedMessage",
				"<%H> is not a HELD locationRequest",
				quote_print, root->name);
		goto out;
	}

	req = mem_zalloc(sizeof(*req), heldreq_destructor);
	if (!req) {
		err = ENOMEM;
		goto out;
	}

	/* RFC 5985: an absent locationType means "any" */
	req->loctypes = HELDREQ_LT_ANY;

	err = rtime_decode(req, root, fault);
	if (!err)
		err = children_decode(req, root, fault);

out:
	if (err)
		mem_deref(req);
	else
		*reqp = req;

	xmlFreeDoc(doc);
	return err;
}

static xmlParserInputPtr no_entity_loader(const char *url, const char *id,
					  xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;

	return NULL;
}

void heldreq_init(void)
{
	xmlSetExternalEntityLoader(no_entity_loader);
}

int heldreq_loctypes_print(struct re_printf *pf, const unsigned *loctypes)
{
	static const struct {
		unsigned bit;
		const char *token;
	} names[] = {
		{HELDREQ_LT_ANY, "any"},
		{HELDREQ_LT_CIVIC, "civic"},
		{HELDREQ_LT_GEODETIC, "geodetic"},
		{HELDREQ_LT_URI, "locationURI"},
	};
	const char *sep = "";
	size_t i;
	int err = 0;

	if (!loctypes)
		return 0;

	for (i = 0; i < ARRAY_SIZE(names) && !err; i++) {
		if (!(*loctypes & names[i].bit))
			continue;
		err = re_hprintf(pf, "%s%s", sep, names[i].token);
		sep = " ";
	}

	return err;
}
