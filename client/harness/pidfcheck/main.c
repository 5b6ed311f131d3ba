/* locphone-pidfcheck: one PIDF-LO checked against the published schemas
 * and read as the engine reads it, the verdict as one JSON object. */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <re.h>
#include "civic.h"
#include "location.h"
#include "pidf.h"
#include "ctlproto.h"
#include "xsdcheck.h"

/* Most bytes read: past PIDF_MAX_SIZE the document is refused anyway, a
 * little more lets us say so instead of failing to read. */
#define PIDFCHECK_READ_MAX (PIDF_MAX_SIZE + 1u)

#define PIDFCHECK_SHARE_XSD "/usr/share/locphone/xsd"

enum { EXIT_VALID = 0, EXIT_INVALID = 1, EXIT_USAGE = 2 };

static void usage(FILE *f)
{
	fprintf(f, "usage: locphone-pidfcheck [--xsd-dir DIR] [FILE|-]\n"
		   "Checks one PIDF-LO against the published schemas and reads "
		   "it as locphone does;\n"
		   "prints {\"valid\", \"schema\", \"errors\", \"location\", "
		   "\"parse_error\"} as JSON.\n"
		   "Exit 0 valid, 1 not valid, 2 usage or I/O error.\n");
}

static bool has_schemas(const char *dir)
{
	char path[1200];
	struct stat sb;

	if (!dir || !dir[0])
		return false;
	snprintf(path, sizeof(path), "%s/held-lm.xsd", dir);
	return stat(path, &sb) == 0;
}

/* --xsd-dir, else $LOCPHONE_XSD_DIR, else the build's, else the installed
 * copy; xsdcheck reads $LOCPHONE_XSD_DIR, so the choice goes there. */
static int schema_dir_choose(const char *opt)
{
	const char *env = getenv("LOCPHONE_XSD_DIR");
	const char *dir = NULL;

	if (opt)
		dir = opt;
	else if (env && env[0])
		dir = env;
	else if (has_schemas(LOCPHONE_XSD_DIR))
		dir = LOCPHONE_XSD_DIR;
	else if (has_schemas(PIDFCHECK_SHARE_XSD))
		dir = PIDFCHECK_SHARE_XSD;
	else
		dir = LOCPHONE_XSD_DIR;

	return setenv("LOCPHONE_XSD_DIR", dir, 1) ? errno : 0;
}

/* The whole of f, up to PIDFCHECK_READ_MAX bytes (*toolong says more
 * followed). */
static int input_read(struct mbuf **mbp, FILE *f, bool *toolong)
{
	struct mbuf *mb = mbuf_alloc(4096);
	uint8_t chunk[4096];
	size_t n;
	int err = 0;

	if (!mb)
		return ENOMEM;
	*toolong = false;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (mb->end + n > PIDFCHECK_READ_MAX) {
			n = PIDFCHECK_READ_MAX - mb->end;
			*toolong = true;
		}
		err = mbuf_write_mem(mb, chunk, n);
		if (err || *toolong)
			break;
	}
	if (!err && ferror(f))
		err = EIO;
	if (err) {
		mem_deref(mb);
		return err;
	}
	*mbp = mb;
	return 0;
}

struct verdict {
	struct odict *out;
	struct odict *errors; /* an array */
	unsigned nerr;
	bool schema_ok;
	bool parsed;
};

static int error_add(struct verdict *v, const char *msg)
{
	char key[16];

	re_snprintf(key, sizeof(key), "%u", v->nerr++);
	return odict_entry_add(v->errors, key, ODICT_STRING, msg);
}

/* Schema validity; without schemas the check is skipped, not failed. */
static int schema_check(struct verdict *v, const struct mbuf *mb, bool toolong)
{
	const char *why = NULL;
	char err[512], text[1400];
	int rc;

	if (toolong || mb->end > PIDF_MAX_SIZE) {
		v->schema_ok = false;
		re_snprintf(text, sizeof(text),
			    "the document is larger than %u bytes",
			    PIDF_MAX_SIZE);
		rc = odict_entry_add(v->out, "schema", ODICT_STRING,
				     "skipped: the document is too large");
		return rc ? rc : error_add(v, text);
	}

	rc = xsdcheck_init(&why);
	if (rc) {
		v->schema_ok = true;
		re_snprintf(text, sizeof(text), "skipped: %s (looked in %s)",
			    why ? why : "no schemas", xsdcheck_dir());
		return odict_entry_add(v->out, "schema", ODICT_STRING, text);
	}

	rc = odict_entry_add(v->out, "schema", ODICT_STRING, "checked");
	if (rc)
		return rc;
	rc = xsdcheck_doc(XSDCHECK_PIDF, mb->buf, mb->end, err, sizeof(err));
	v->schema_ok = rc == 0;
	if (rc == EBADMSG) {
		re_snprintf(text, sizeof(text), "schema: %s", err);
		return error_add(v, text);
	}
	return rc;
}

/* The location as the engine would use it, or why it is refused. */
static int location_check(struct verdict *v, const struct mbuf *mb)
{
	struct location loc;
	struct odict *lj = NULL;
	const char *why = NULL;
	char text[600];
	int rc, err;

	memset(&loc, 0, sizeof(loc));
	rc = pidf_parse(&loc, mb->buf, mb->end, &why);
	if (rc) {
		v->parsed = false;
		err = odict_entry_add(v->out, "location", ODICT_NULL);
		if (!err)
			err = odict_entry_add(v->out, "parse_error",
					      ODICT_STRING,
					      why ? why : "refused");
		re_snprintf(text, sizeof(text), "location: %s",
			    why ? why : "refused");
		if (!err)
			err = error_add(v, text);
		return err;
	}

	v->parsed = true;
	err = odict_alloc(&lj, 16);
	if (!err)
		err = location_json_encode(lj, &loc);
	if (!err)
		err = odict_entry_add(v->out, "location", ODICT_OBJECT, lj);
	mem_deref(lj);
	location_reset(&loc);
	return err;
}

static int check(FILE *in, const char *name, bool *valid)
{
	struct verdict v;
	struct mbuf *mb = NULL;
	bool toolong;
	int err;

	memset(&v, 0, sizeof(v));
	err = input_read(&mb, in, &toolong);
	if (err) {
		fprintf(stderr, "locphone-pidfcheck: %s: %s\n", name,
			strerror(err));
		return err;
	}

	err = odict_alloc(&v.out, 8);
	if (!err)
		err = odict_alloc(&v.errors, 8);
	if (!err)
		err = schema_check(&v, mb, toolong);
	if (!err)
		err = location_check(&v, mb);
	if (!err)
		err = odict_entry_add(v.out, "errors", ODICT_ARRAY, v.errors);
	*valid = v.schema_ok && v.parsed;
	if (!err)
		err = odict_entry_add(v.out, "valid", ODICT_BOOL, *valid);
	/* re_printf() gives the bytes written, or below 0 */
	if (!err && re_printf("%H\n", json_out_odict, v.out) < 0)
		err = EIO;
	if (err)
		fprintf(stderr, "locphone-pidfcheck: %s\n", strerror(err));

	mem_deref(v.errors);
	mem_deref(v.out);
	mem_deref(mb);
	return err;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{"xsd-dir", required_argument, NULL, 'x'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *xsd_dir = NULL, *name = "-";
	FILE *in = stdin;
	bool valid = false;
	int c, err;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {

		case 'x':
			xsd_dir = optarg;
			break;

		case 'h':
			usage(stdout);
			return EXIT_VALID;

		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (argc - optind == 1)
		name = argv[optind];

	if (strcmp(name, "-")) {
		in = fopen(name, "rb");
		if (!in) {
			fprintf(stderr, "locphone-pidfcheck: %s: %s\n", name,
				strerror(errno));
			return EXIT_USAGE;
		}
	}

	err = schema_dir_choose(xsd_dir);
	if (!err)
		err = check(in, name, &valid);
	if (in != stdin)
		fclose(in);

	if (err)
		return EXIT_USAGE;
	return valid ? EXIT_VALID : EXIT_INVALID;
}
