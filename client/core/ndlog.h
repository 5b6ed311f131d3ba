/* ndlog: where the parts under client/ log -- netdisc and its parts (lldp,
 * wifi), the LIS client and the locator -- handed in at alloc time so that
 * they depend on no host program and log in one style (issue 16 item 5).
 * The name is netdisc's, which had it first. */

#ifndef LOCPHONE_NDLOG_H
#define LOCPHONE_NDLOG_H

enum ndlog_level {
	NDLOG_INFO,
	NDLOG_WARNING,
};

/* One formatted line, ending "\n" and beginning with the part's name
 * ("netdisc: ", "lldp: ", "wifi: ", "lis: ", "locator: "), as style.md has
 * log lines. */
typedef void(ndlog_h)(enum ndlog_level level, const char *line, void *arg);

struct ndlog {
	ndlog_h *logh; /* NULL: nothing is logged */
	void *arg;
};

/* Format as re_printf does (%m, %s, %zu, ...) and hand the line to
 * lg->logh; a line past 512 octets is cut.  lg NULL: nothing. */
void ndlog_printf(const struct ndlog *lg, enum ndlog_level level,
		  const char *fmt, ...);

#endif
