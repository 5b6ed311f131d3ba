/* locphonectl: what its source files share (not a library). */
#ifndef LOCPHONE_LOCPHONECTL_H
#define LOCPHONE_LOCPHONECTL_H

#include <libintl.h>
#include <stdbool.h>

#include <re.h>

/* Human output goes through gettext (catalogue "locphone", ui/po);
 * --json output and what the engine says are never translated. */
#define _(s)  gettext(s)
#define N_(s) (s)

/* Exit codes (documented in the usage text and PROTOCOL.md). */
enum {
	EXIT_OK = 0,
	EXIT_REFUSED = 1,     /* the engine said no */
	EXIT_UNREACHABLE = 2, /* no engine, or it went away */
	EXIT_USAGE = 64,
};

struct opts {
	char socket[256];
	bool json;
};

/* The usage text, to f. */
void usage(FILE *f);

/* Send one command, print its reply; returns an exit code. */
int run_request(const struct opts *o, const char *cmd,
		const struct odict *args);

/* The string at key, or dflt. */
const char *str_or(const struct odict *od, const char *key, const char *dflt);

/* " name=value" for each civic element, in the order the engine sent. */
void print_civic(const struct odict *civic);

/* "location SUB ...": argv[0] is SUB; returns an exit code. */
int location_command(const struct opts *o, int argc, char *argv[]);

/* Human output of the location.* commands; false if cmd is not one. */
bool location_print_result(const char *cmd, const struct odict *res);

/* The INVITE of an emergency.started event (or e911.preview result) as
 * sent: Request-URI, To, the extra headers, the PIDF-LO part. */
void print_invite(const struct odict *ev);

/* {"number": N} or {"uri": N} as dial takes it. */
int args_number(struct odict **odp, const char *number);

/* "testcall [NUMBER] [--timeout S] [--psap-record FILE]": argv[0] is
 * "testcall"; returns an exit code. */
int testcall_command(const struct opts *o, int argc, char *argv[]);

#endif
