/* simcsv: one line of comma-separated values, split in place. */

/*
 * Split the NUL-terminated line into at most max fields separated by
 * commas, in place: fieldv[i] point into line.  A field in double quotes
 * may hold commas, and "" in it stands for one quote (RFC 4180, without
 * line breaks inside fields); unquoted fields lose surrounding blanks.
 * Returns 0, or EBADMSG with *why saying what is wrong.
 */
int simcsv_split(char **fieldv, size_t *fieldc, size_t max, char *line,
		 const char **why);
