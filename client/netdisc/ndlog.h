/* ndlog: where netdisc and its parts (lldp, wifi) log, handed in at alloc
 * time so that they depend on no host program (issue 16 item 5). */

#ifndef LOCPHONE_NDLOG_H
#define LOCPHONE_NDLOG_H

enum ndlog_level {
	NDLOG_INFO,
	NDLOG_WARNING,
};

/* One formatted line, ending "\n" and beginning with the part's name
 * ("netdisc: ", "lldp: ", "wifi: "), as style.md has log lines. */
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
