/* ndlog: client/'s log lines, formatted and handed to the host's log. */

#include <stdarg.h>
#include <re.h>

#include "ndlog.h"

void ndlog_printf(const struct ndlog *lg, enum ndlog_level level,
		  const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!lg || !lg->logh || !fmt)
		return;

	va_start(ap, fmt);
	(void)re_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);

	lg->logh(level, line, lg->arg);
}
