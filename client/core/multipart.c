/* multipart: build and split RFC 2046 multipart/mixed message bodies. */

#include <re.h>
#include <string.h>
#include <strings.h>
#include "multipart.h"

/* glibc's memmem is vectorised: the INVITE body hook scans every
 * emergency INVITE's parts with it (bench e911-dial-to-invite). */
static const uint8_t *find_mem(const uint8_t *hay, size_t hlen,
			       const uint8_t *needle, size_t nlen)
{
	if (!nlen || hlen < nlen)
		return NULL;

	return memmem(hay, hlen, needle, nlen);
}

static bool boundary_valid(const char *b, size_t n)
{
	return n >= 1 && n <= MULTIPART_BOUNDARY_MAX && !memchr(b, '\r', n) &&
	       !memchr(b, '\n', n);
}

bool multipart_boundary_usable(const char *boundary, const uint8_t *buf,
			       size_t len)
{
	char delim[MULTIPART_BOUNDARY_MAX + 3];
	size_t n;

	if (!boundary)
		return false;

	n = strlen(boundary);
	if (!boundary_valid(boundary, n))
		return false;

	delim[0] = '-';
	delim[1] = '-';
	memcpy(delim + 2, boundary, n);

	return find_mem(buf, len, (const uint8_t *)delim, n + 2) == NULL;
}

int multipart_build(struct mbuf *mb, const char *boundary, const char *ctype1,
		    const uint8_t *body1, size_t len1, const char *hdrs2,
		    const uint8_t *body2, size_t len2)
{
	int err = 0;

	if (!mb || !ctype1 || !hdrs2 || (!body1 && len1) || (!body2 && len2) ||
	    !boundary || !boundary_valid(boundary, strlen(boundary)))
		return EINVAL;
	if (!multipart_boundary_usable(boundary, body1, len1) ||
	    !multipart_boundary_usable(boundary, body2, len2))
		return EEXIST;

	/* plain writes, no formatting: this runs for every emergency INVITE */
	const size_t bn = strlen(boundary);
	const struct {
		const void *p;
		size_t n;
	} piece[] = {
		{"--", 2},
		{boundary, bn},
		{"\r\nContent-Type: ", 16},
		{ctype1, strlen(ctype1)},
		{"\r\n\r\n", 4},
		{body1, len1},
		{"\r\n--", 4},
		{boundary, bn},
		{"\r\n", 2},
		{hdrs2, strlen(hdrs2)},
		{"\r\n", 2},
		{body2, len2},
		{"\r\n--", 4},
		{boundary, bn},
		{"--\r\n", 4},
	};

	/* a failed write takes back what was written: no half body */
	const size_t pos = mb->pos, end = mb->end;

	for (size_t i = 0; i < ARRAY_SIZE(piece); i++) {
		if (!piece[i].n)
			continue;
		err = mbuf_write_mem(mb, piece[i].p, piece[i].n);
		if (err) {
			mb->pos = pos;
			mb->end = end;
			return err;
		}
	}

	return 0;
}

int multipart_boundary_get(struct pl *boundary, const struct pl *ctype)
{
	struct pl type, params, val;

	if (!boundary || !ctype)
		return EINVAL;

	if (re_regex(ctype->p, ctype->l, "[^;]+[^]*", &type, &params))
		return ENOENT;

	/* trim trailing blanks of the media type */
	while (type.l &&
	       (type.p[type.l - 1] == ' ' || type.p[type.l - 1] == '\t'))
		--type.l;

	if (type.l < 10 || strncasecmp(type.p, "multipart/", 10))
		return ENOENT;

	if (msg_param_decode(&params, "boundary", &val))
		return ENOENT;

	if (val.l >= 2 && val.p[0] == '"') {
		if (val.p[val.l - 1] != '"')
			return EBADMSG;
		val.p += 1;
		val.l -= 2;
	}

	if (!boundary_valid(val.p, val.l))
		return EBADMSG;

	*boundary = val;
	return 0;
}

static void header_value(struct pl *out, const struct pl *hdrs,
			 const char *name)
{
	const size_t nlen = strlen(name);
	const char *p = hdrs->p;
	const char *end = hdrs->p + hdrs->l;

	out->p = NULL;
	out->l = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *lend = eol ? eol : end;
		size_t llen = (size_t)(lend - p);

		if (llen && p[llen - 1] == '\r')
			--llen;

		if (llen > nlen && p[nlen] == ':' &&
		    0 == strncasecmp(p, name, nlen)) {
			const char *v = p + nlen + 1;
			const char *ve = p + llen;

			while (v < ve && (*v == ' ' || *v == '\t'))
				++v;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				--ve;
			out->p = v;
			out->l = (size_t)(ve - v);
			return;
		}

		p = eol ? eol + 1 : end;
	}
}

static int part_decode(struct multipart_part *part, const uint8_t *p, size_t n)
{
	const uint8_t *sep;

	memset(part, 0, sizeof(*part));

	/* RFC 2046 §5.1.1: a part with no header lines starts with CRLF */
	if (n >= 2 && p[0] == '\r' && p[1] == '\n') {
		part->body.p = (const char *)p + 2;
		part->body.l = n - 2;
		return 0;
	}

	sep = find_mem(p, n, (const uint8_t *)"\r\n\r\n", 4);
	if (!sep)
		return EBADMSG;

	part->hdrs.p = (const char *)p;
	part->hdrs.l = (size_t)(sep - p) + 2;
	part->body.p = (const char *)sep + 4;
	part->body.l = n - (size_t)(sep - p) - 4;

	header_value(&part->ctype, &part->hdrs, "Content-Type");
	header_value(&part->cid, &part->hdrs, "Content-ID");
	header_value(&part->disposition, &part->hdrs, "Content-Disposition");

	return 0;
}

/* Skip transport padding and the CRLF after a delimiter line. */
static int skip_delimiter_tail(size_t *pos, const uint8_t *buf, size_t len)
{
	size_t i = *pos;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		++i;
	if (i + 2 > len || buf[i] != '\r' || buf[i + 1] != '\n')
		return EBADMSG;

	*pos = i + 2;
	return 0;
}

int multipart_parse(struct multipart_part *partv, size_t *partc,
		    const struct pl *boundary, const uint8_t *buf, size_t len)
{
	uint8_t delim[MULTIPART_BOUNDARY_MAX + 4];
	const uint8_t *hit;
	size_t dlen, pos, n = 0;
	int err;

	if (!partv || !partc || !boundary || (!buf && len))
		return EINVAL;
	if (!boundary_valid(boundary->p, boundary->l))
		return EINVAL;

	/* the delimiter is CRLF "--" boundary; the first may start the body */
	delim[0] = '\r';
	delim[1] = '\n';
	delim[2] = '-';
	delim[3] = '-';
	memcpy(delim + 4, boundary->p, boundary->l);
	dlen = boundary->l + 4;

	if (len >= dlen - 2 && !memcmp(buf, delim + 2, dlen - 2)) {
		pos = dlen - 2;
	} else {
		hit = find_mem(buf, len, delim, dlen);
		if (!hit)
			return EBADMSG;
		pos = (size_t)(hit - buf) + dlen;
	}

	for (;;) {
		size_t start;

		if (pos + 2 <= len && buf[pos] == '-' && buf[pos + 1] == '-')
			break; /* close delimiter */

		err = skip_delimiter_tail(&pos, buf, len);
		if (err)
			return err;

		start = pos;
		hit = find_mem(buf + start, len - start, delim, dlen);
		if (!hit)
			return EBADMSG; /* no closing delimiter */

		if (n >= *partc)
			return EOVERFLOW;

		err = part_decode(&partv[n], buf + start,
				  (size_t)(hit - (buf + start)));
		if (err)
			return err;
		++n;

		pos = (size_t)(hit - buf) + dlen;
	}

	*partc = n;
	return 0;
}
