/* held_decode: HELD locationResponse and error documents (RFC 5985). */

#include <re.h>
#include <string.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "pidf.h"
#include "pidf_int.h"
#include "rfc3339.h"
#include "xmlutil.h"

/* RFC 5985 and the IANA "HELD Error Codes" registry, with RFC 6155's
 * badIdentifier (standards.md §1.4). */
static const char *const error_names[HELD_ERROR_COUNT] = {
	[HELD_OK] = "",
	[HELD_ERROR_REQUEST] = "requestError",
	[HELD_ERROR_XML] = "xmlError",
	[HELD_ERROR_GENERAL_LIS] = "generalLisError",
	[HELD_ERROR_LOCATION_UNKNOWN] = "locationUnknown",
	[HELD_ERROR_UNSUPPORTED_MESSAGE] = "unsupportedMessage",
	[HELD_ERROR_TIMEOUT] = "timeout",
	[HELD_ERROR_CANNOT_PROVIDE_LI_TYPE] = "cannotProvideLiType",
	[HELD_ERROR_NOT_LOCATABLE] = "notLocatable",
	[HELD_ERROR_BAD_IDENTIFIER] = "badIdentifier",
	[HELD_ERROR_OTHER] = NULL,
};

const char *held_error_name(enum held_error e)
{
	return (unsigned)e < HELD_ERROR_COUNT ? error_names[e] : NULL;
}

void held_response_reset(struct held_response *resp)
{
	if (!resp)
		return;

	location_reset(&resp->loc);
	memset(resp, 0, sizeof(*resp));
}

static int fail(const char **errmsg, int err, const char *msg)
{
	if (errmsg)
		*errmsg = msg;
	return err;
}

/* RFC 5985 error (standards.md §1.1): a code attribute and an optional
 * message.  A message too long for us is cut, not refused. */
static int decode_error(struct held_response *resp, const xmlNode *root,
			const char **errmsg)
{
	const xmlNode *msg;
	int e, err;

	err = xmlutil_attr(resp->code_text, sizeof(resp->code_text), root,
			   "code");
	if (err == ENOMEM)
		return fail(errmsg, err, "out of memory");
	if (err || !resp->code_text[0])
		return fail(errmsg, EBADMSG, "HELD error without a code");

	resp->error = HELD_ERROR_OTHER;
	for (e = HELD_ERROR_REQUEST; e < HELD_ERROR_OTHER; e++) {
		if (0 == strcmp(resp->code_text, error_names[e])) {
			resp->error = e;
			break;
		}
	}

	msg = xmlutil_child(root, HELD_NS, "message");
	if (msg) {
		err = xmlutil_text(resp->message, sizeof(resp->message), msg);
		if (err && err != EOVERFLOW)
			return fail(errmsg, err, "out of memory");
	}

	return 0;
}

/* RFC 5985 locationUriSet (standards.md §1.3): a required expires and
 * one or more locationURI; we keep the first LOCATION_URI_MAX. */
static int decode_uri_set(struct location *loc, const xmlNode *set,
			  const char **errmsg)
{
	char buf[LOCATION_URI_LEN_MAX + 1];
	const xmlNode *n;
	time_t expires;
	int err;

	err = xmlutil_attr(buf, sizeof(buf), set, "expires");
	if (err == ENOMEM)
		return fail(errmsg, err, "out of memory");
	if (err || rfc3339_parse(&expires, buf, strlen(buf)))
		return fail(errmsg, EBADMSG,
			    "locationUriSet without a valid "
			    "expires");

	n = xmlutil_child(set, HELD_NS, "locationURI");
	if (!n)
		return fail(errmsg, EBADMSG, "empty locationUriSet");

	for (; n; n = xmlutil_next(n, HELD_NS, "locationURI")) {
		if (loc->uric == LOCATION_URI_MAX)
			break;

		err = xmlutil_text(buf, sizeof(buf), n);
		if (!err)
			err = location_add_uri(loc, buf, expires);
		if (err == ENOMEM)
			return fail(errmsg, err, "out of memory");
		if (err)
			return fail(errmsg, EBADMSG, "bad locationURI");
	}

	return 0;
}

/* RFC 5985 locationResponse (standards.md §1.3): an optional URI set,
 * then an optional PIDF-LO; at least one of them. */
static int decode_location(struct held_response *resp, const xmlNode *root,
			   const char **errmsg)
{
	const xmlNode *set, *presence;
	int err;

	set = xmlutil_child(root, HELD_NS, "locationUriSet");
	presence = xmlutil_child(root, PIDF_NS_PIDF, "presence");

	if (!set && !presence)
		return fail(errmsg, EBADMSG,
			    "locationResponse without a "
			    "location");

	if (presence) {
		err = pidf_parse_presence(&resp->loc, presence, errmsg);
		if (err)
			return err == ENOMEM ? ENOMEM : EBADMSG;
	}

	if (set) {
		err = decode_uri_set(&resp->loc, set, errmsg);
		if (err)
			return err;
	}

	resp->loc.source = LOCATION_SOURCE_LIS;
	resp->error = HELD_OK;
	return 0;
}

int held_response_decode(struct held_response *resp, const uint8_t *buf,
			 size_t len, const char **errmsg)
{
	struct held_response tmp;
	const xmlNode *root;
	xmlDoc *doc = NULL;
	int err;

	if (!resp || (!buf && len))
		return EINVAL;

	err = xmlutil_parse(&doc, buf, len, HELD_MAX_SIZE, errmsg);
	if (err)
		return err;

	memset(&tmp, 0, sizeof(tmp));
	root = xmlDocGetRootElement(doc);

	if (xmlutil_is(root, HELD_NS, "locationResponse"))
		err = decode_location(&tmp, root, errmsg);
	else if (xmlutil_is(root, HELD_NS, "error"))
		err = decode_error(&tmp, root, errmsg);
	else if (xmlutil_in_ns(root, HELD_NS))
		err = fail(errmsg, EPROTO, "unexpected HELD document element");
	else
		err = fail(errmsg, EPROTO, "not a HELD document");

	xmlFreeDoc(doc);

	if (err) {
		held_response_reset(&tmp);
		return err;
	}

	held_response_reset(resp);
	*resp = tmp;
	return 0;
}
