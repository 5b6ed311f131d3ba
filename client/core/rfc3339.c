/* rfc3339: UTC timestamps as RFC 3339 / xs:dateTime text. */

#include <re.h>
#include <string.h>
#include <time.h>
#include "rfc3339.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what we can print. */
#define T_MIN (-62135596800LL)
#define T_MAX 253402300799LL

int rfc3339_format(char *buf, size_t size, time_t t)
{
	struct tm tm;

	if (!buf || size < RFC3339_LEN)
		return EINVAL;
	if ((long long)t < T_MIN || (long long)t > T_MAX || !gmtime_r(&t, &tm))
		return EINVAL;

	if (re_snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ",
			tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			tm.tm_hour, tm.tm_min, tm.tm_sec) != RFC3339_LEN - 1)
		return EINVAL;

	return 0;
}

int rfc3339_print(struct re_printf *pf, const time_t *t)
{
	char buf[RFC3339_LEN];
	int err;

	if (!t)
		return EINVAL;

	err = rfc3339_format(buf, sizeof(buf), *t);
	if (err)
		return err;

	return re_hprintf(pf, "%s", buf);
}

/* Read exactly n decimal digits at s[*pos]; EINVAL otherwise. */
static int read_digits(int *vp, const char *s, size_t len, size_t *pos,
		       size_t n)
{
	int v = 0;
	size_t i;

	if (len - *pos < n)
		return EINVAL;

	for (i = 0; i < n; i++) {
		char c = s[*pos + i];

		if (c < '0' || c > '9')
			return EINVAL;
		v = v * 10 + (c - '0');
	}

	*pos += n;
	*vp = v;
	return 0;
}

static int expect(const char *s, size_t len, size_t *pos, char c)
{
	if (*pos >= len || s[*pos] != c)
		return EINVAL;

	++*pos;
	return 0;
}

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31};

	return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

/* The zone: 'Z', '+hh:mm' or '-hh:mm', as seconds east of UTC. */
static int read_zone(int *offp, const char *s, size_t len, size_t *pos)
{
	int sign, hh, mm, err;

	if (*pos == len) {
		*offp = 0;
		return 0;
	}

	if (s[*pos] == 'Z' || s[*pos] == 'z') {
		++*pos;
		*offp = 0;
		return 0;
	}

	if (s[*pos] != '+' && s[*pos] != '-')
		return EINVAL;
	sign = s[*pos] == '-' ? -1 : 1;
	++*pos;

	err = read_digits(&hh, s, len, pos, 2);
	if (!err)
		err = expect(s, len, pos, ':');
	if (!err)
		err = read_digits(&mm, s, len, pos, 2);
	if (err)
		return err;
	if (hh > 23 || mm > 59)
		return EINVAL;

	*offp = sign * (hh * 3600 + mm * 60);
	return 0;
}

int rfc3339_parse(time_t *tp, const char *s, size_t len)
{
	int y, mo, d, h, mi, sec, off;
	size_t pos = 0;
	struct tm tm;
	time_t t;
	int err;

	if (!tp || !s)
		return EINVAL;

	err = read_digits(&y, s, len, &pos, 4);
	if (!err)
		err = expect(s, len, &pos, '-');
	if (!err)
		err = read_digits(&mo, s, len, &pos, 2);
	if (!err)
		err = expect(s, len, &pos, '-');
	if (!err)
		err = read_digits(&d, s, len, &pos, 2);
	if (err)
		return err;

	if (pos >= len || (s[pos] != 'T' && s[pos] != 't'))
		return EINVAL;
	++pos;

	err = read_digits(&h, s, len, &pos, 2);
	if (!err)
		err = expect(s, len, &pos, ':');
	if (!err)
		err = read_digits(&mi, s, len, &pos, 2);
	if (!err)
		err = expect(s, len, &pos, ':');
	if (!err)
		err = read_digits(&sec, s, len, &pos, 2);
	if (err)
		return err;

	/* RFC 3339 time-secfrac: at least one digit after the dot */
	if (pos < len && s[pos] == '.') {
		size_t start = ++pos;

		while (pos < len && s[pos] >= '0' && s[pos] <= '9')
			++pos;
		if (pos == start)
			return EINVAL;
	}

	err = read_zone(&off, s, len, &pos);
	if (err)
		return err;
	if (pos != len)
		return EINVAL;

	/* RFC 3339 §5.7: a leap second (60) is legal and folds into :00 */
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60)
		return EINVAL;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;

	t = timegm(&tm);
	if (t == (time_t)-1 && !(y == 1969 && mo == 12 && d == 31))
		return EINVAL;

	t -= off;
	if ((long long)t < T_MIN || (long long)t > T_MAX)
		return EINVAL;

	*tp = t;
	return 0;
}
