/* nlbuild: netlink messages assembled byte by byte for the unit tests. */

/* A datagram under construction: messages appended one after another. */
struct dgram {
	uint8_t buf[4096];
	size_t len;
	size_t msg; /* offset of the message being built */
};

static inline void msg_begin(struct dgram *d, uint16_t type, const void *hdr,
			     size_t hlen)
{
	struct nlmsghdr nlh = {.nlmsg_type = type};

	d->msg = d->len;
	memcpy(d->buf + d->len, &nlh, sizeof(nlh));
	d->len += NLMSG_HDRLEN;
	memcpy(d->buf + d->len, hdr, hlen);
	d->len += NLMSG_ALIGN(hlen);
}

static inline void attr(struct dgram *d, uint16_t type, const void *val,
			size_t len)
{
	uint16_t rlen = (uint16_t)(4 + len);

	memcpy(d->buf + d->len, &rlen, 2);
	memcpy(d->buf + d->len + 2, &type, 2);
	memcpy(d->buf + d->len + 4, val, len);
	d->len += (4 + len + 3) & ~3u;
}

static inline void msg_end(struct dgram *d)
{
	uint32_t n = (uint32_t)(d->len - d->msg);

	memcpy(d->buf + d->msg, &n, 4);
}

/* A nested attribute: its payload is what is appended until nest_end. */
static inline size_t nest_begin(struct dgram *d, uint16_t type)
{
	size_t at = d->len;

	memcpy(d->buf + d->len + 2, &type, 2);
	d->len += 4;
	return at;
}

static inline void nest_end(struct dgram *d, size_t at)
{
	uint16_t n = (uint16_t)(d->len - at);

	memcpy(d->buf + at, &n, 2);
}
