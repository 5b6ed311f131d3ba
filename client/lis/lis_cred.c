/* lis_cred: the LIS credentials file, read only when no one else can. */

#include <re.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "kvconf.h"
#include "lis_client.h"
#include "lis_cred.h"

/* Mode bits that let someone other than the owner at the file. */
#define OTHERS_MASK (S_IRWXG | S_IRWXO)

static int say(char *why, size_t whysz, int err, const char *fmt, ...)
{
	va_list ap;

	if (why && whysz) {
		va_start(ap, fmt);
		(void)re_vsnprintf(why, whysz, fmt, ap);
		va_end(ap);
	}

	return err;
}

/* "0644": libre's printf has no octal. */
static const char *mode_text(char buf[8], mode_t mode)
{
	(void)re_snprintf(buf, 8, "%u%u%u%u", (unsigned)(mode >> 9) & 7,
			  (unsigned)(mode >> 6) & 7, (unsigned)(mode >> 3) & 7,
			  (unsigned)mode & 7);
	return buf;
}

void lis_cred_wipe(struct lis_cred_file *c)
{
	if (c)
		explicit_bzero(c, sizeof(*c));
}

static int method_decode(enum lis_http_auth *m, const char *v)
{
	if (0 == str_cmp(v, "any"))
		*m = LIS_AUTH_ANY;
	else if (0 == str_cmp(v, "basic"))
		*m = LIS_AUTH_BASIC;
	else if (0 == str_cmp(v, "digest"))
		*m = LIS_AUTH_DIGEST;
	else
		return EINVAL;

	return 0;
}

/* One line; the value is never put into why. */
static int entry_apply(struct lis_cred_file *c, const struct kvconf_entry *e,
		       const char *path, char *why, size_t whysz)
{
	const char *key = e->key;
	int s = LIS_PRIMARY;

	if (0 == strncmp(key, "secondary_", 10)) {
		s = LIS_SECONDARY;
		key += 10;
	}

	if (0 == str_cmp(key, "user")) {
		if (!e->value[0] || strlen(e->value) >= LIS_CRED_USER_MAX)
			return say(why, whysz, EBADMSG,
				   "%s:%u: %s: must be 1 to %u characters",
				   path, e->line, e->key,
				   LIS_CRED_USER_MAX - 1);
		if (strchr(e->value, ':'))
			return say(why, whysz, EBADMSG,
				   "%s:%u: %s: a colon is not allowed in it",
				   path, e->line, e->key);
		str_ncpy(c->server[s].user, e->value,
			 sizeof(c->server[s].user));
		c->server[s].set = true;
		return 0;
	}

	if (0 == str_cmp(key, "password")) {
		if (strlen(e->value) >= LIS_CRED_PASSWORD_MAX)
			return say(why, whysz, EBADMSG,
				   "%s:%u: %s: longer than %u characters", path,
				   e->line, e->key, LIS_CRED_PASSWORD_MAX - 1);
		str_ncpy(c->server[s].password, e->value,
			 sizeof(c->server[s].password));
		return 0;
	}

	if (0 == str_cmp(key, "auth")) {
		if (method_decode(&c->server[s].method, e->value))
			return say(why, whysz, EBADMSG,
				   "%s:%u: %s: must be any, basic or digest",
				   path, e->line, e->key);
		return 0;
	}

	return say(why, whysz, EBADMSG,
		   "%s:%u: unknown key (user, password, auth, and each with "
		   "secondary_ before it)",
		   path, e->line);
}

static int entries_apply(struct lis_cred_file *c, const struct kvconf *kv,
			 const char *path, char *why, size_t whysz)
{
	bool password[2] = {false, false};
	struct le *le;
	int err;

	for (le = list_head(kvconf_entries(kv)); le; le = le->next) {
		const struct kvconf_entry *e = le->data;

		err = entry_apply(c, e, path, why, whysz);
		if (err)
			return err;
		if (!str_cmp(e->key, "password"))
			password[LIS_PRIMARY] = true;
		else if (!str_cmp(e->key, "secondary_password"))
			password[LIS_SECONDARY] = true;
	}

	for (int s = 0; s < 2; s++) {
		if (password[s] && !c->server[s].set)
			return say(why, whysz, EBADMSG,
				   "%s: a %spassword without a %suser", path,
				   s ? "secondary_" : "",
				   s ? "secondary_" : "");
	}

	/* the secondary takes the primary's unless it has its own */
	if (c->server[LIS_PRIMARY].set && !c->server[LIS_SECONDARY].set)
		c->server[LIS_SECONDARY] = c->server[LIS_PRIMARY];

	return 0;
}

int lis_cred_load(struct lis_cred_file *c, const char *path, char *why,
		  size_t whysz)
{
	struct kvconf *kv = NULL;
	char *buf = NULL;
	struct stat st;
	char mbuf[8];
	unsigned line = 0;
	size_t len = 0;
	int fd, err = 0;

	if (!c || !path)
		return EINVAL;
	memset(c, 0, sizeof(*c));

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return say(why, whysz, errno, "%s: %m", path, errno);

	/* the open file is what is checked and read: no race with a swap */
	if (fstat(fd, &st)) {
		err = say(why, whysz, errno, "%s: %m", path, errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err = say(why, whysz, EACCES, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & OTHERS_MASK) {
		err = say(why, whysz, EACCES,
			  "%s: mode %s lets others read it: refused, no "
			  "credentials are sent (chmod 600 %s)",
			  path, mode_text(mbuf, st.st_mode), path);
		goto out;
	}
	if (st.st_size > (off_t)KVCONF_MAX_SIZE) {
		err = say(why, whysz, EFBIG, "%s: larger than %u bytes", path,
			  KVCONF_MAX_SIZE);
		goto out;
	}

	buf = mem_zalloc((size_t)st.st_size + 1, NULL);
	if (!buf) {
		err = ENOMEM;
		goto out;
	}
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = say(why, whysz, errno, "%s: %m", path, errno);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}

	err = kvconf_parse(&kv, path, buf, len, &line);
	if (err) {
		err = say(why, whysz, err, "%s:%u: not a \"key value\" line",
			  path, line);
		goto out;
	}

	err = entries_apply(c, kv, path, why, whysz);

out:
	(void)close(fd);
	if (buf) {
		explicit_bzero(buf, len);
		mem_deref(buf);
	}
	/* the parsed copy holds the secrets too */
	if (kv) {
		struct le *le;

		for (le = list_head(kvconf_entries(kv)); le; le = le->next) {
			struct kvconf_entry *e = le->data;

			explicit_bzero(e->value, strlen(e->value));
		}
		mem_deref(kv);
	}
	if (err)
		lis_cred_wipe(c);

	return err;
}

int lis_cred_key_check(const char *path, char *why, size_t whysz)
{
	struct stat st;
	char mbuf[8];

	if (!path)
		return EINVAL;
	if (stat(path, &st))
		return say(why, whysz, errno, "%s: %m", path, errno);
	if (!S_ISREG(st.st_mode))
		return say(why, whysz, EACCES, "%s: not a regular file", path);
	if (st.st_mode & OTHERS_MASK)
		return say(why, whysz, EACCES,
			   "%s: mode %s lets others read the private key: "
			   "refused, no client certificate is offered (chmod "
			   "600 %s)",
			   path, mode_text(mbuf, st.st_mode), path);

	return 0;
}

void lis_cred_apply(struct lis_auth auth[2], const struct lis_cred_file *c)
{
	for (int s = 0; s < 2; s++) {
		if (!c->server[s].set)
			continue;
		auth[s].user = c->server[s].user;
		auth[s].password = c->server[s].password;
		auth[s].method = c->server[s].method;
	}
}
