/* locphonectl location ...: the person's locations and the prompt. */

#include <re.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "locphonectl.h"

/* Subcommands other than set, and the bus command of each. */
static const struct {
	const char *sub;
	const char *cmd;
	bool name; /* takes NAME */
} subs[] = {
	{"save", "location.save", true},
	{"use", "location.use", true},
	{"delete", "location.delete", true},
	{"list", "location.list", false},
	{"forget-all", "location.forget-all", false},
	{"dismiss", "location.dismiss", false},
	{"acknowledge-disclaimer", "location.acknowledge-disclaimer", false},
};

/* "--lat 47.6" or "--lat=47.6": degrees, a JSON number. */
static int degrees_add(struct odict *args, const char *key, const char *val)
{
	char *end = NULL;
	double v = strtod(val, &end);

	if (!val[0] || *end) {
		fprintf(stderr, _("locphonectl: --%s: not a number: %s\n"), key,
			val);
		return EINVAL;
	}

	return odict_entry_add(args, key, ODICT_DOUBLE, v);
}

/*
 * "--HNO 1 --RD Microsoft ..." or "--HNO=1": RFC 5139 element names as
 * the engine knows them; it checks names and values and says which field
 * is wrong.
 */
static int set_args(struct odict **odp, int argc, char *argv[])
{
	struct odict *args = NULL;
	int i, err;

	err = odict_alloc(&args, 32);
	for (i = 0; !err && i < argc; i++) {
		char key[32];
		const char *arg = argv[i], *eq, *val;

		if (strncmp(arg, "--", 2) || !arg[2]) {
			fprintf(stderr,
				_("locphonectl: location set: expected "
				  "--FIELD VALUE, got '%s'\n"),
				arg);
			err = EINVAL;
			break;
		}
		arg += 2;
		eq = strchr(arg, '=');
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			fprintf(stderr,
				_("locphonectl: --%s: a value is needed\n"),
				arg);
			err = EINVAL;
			break;
		}
		str_ncpy(key, arg,
			 eq ? MIN(sizeof(key), (size_t)(eq - arg) + 1)
			    : sizeof(key));

		if (!str_cmp(key, "lat") || !str_cmp(key, "lon"))
			err = degrees_add(args, key, val);
		else
			err = odict_entry_add(args, key, ODICT_STRING, val);
	}

	if (!err && !odict_count(args, false)) {
		fprintf(stderr, _("locphonectl: location set: give the fields, "
				  "e.g. --HNO 1 --RD Main\n"));
		err = EINVAL;
	}

	if (err)
		mem_deref(args);
	else
		*odp = args;
	return err;
}

int location_command(const struct opts *o, int argc, char *argv[])
{
	const char *cmd = NULL;
	struct odict *args = NULL;
	size_t i;
	int rc, err = 0;

	if (0 == str_cmp(argv[0], "set")) {
		cmd = "location.set";
		err = set_args(&args, argc - 1, argv + 1);
		if (err)
			return EXIT_USAGE;
	}

	for (i = 0; !cmd && i < ARRAY_SIZE(subs); i++) {
		if (str_cmp(argv[0], subs[i].sub))
			continue;
		if (argc != (subs[i].name ? 2 : 1))
			break;
		cmd = subs[i].cmd;
		err = odict_alloc(&args, 2);
		if (!err && subs[i].name)
			err = odict_entry_add(args, "name", ODICT_STRING,
					      argv[1]);
	}

	if (!cmd) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (err) {
		fprintf(stderr, "locphonectl: %s\n", strerror(err));
		mem_deref(args);
		return EXIT_USAGE;
	}

	rc = run_request(o, cmd, args);
	mem_deref(args);
	return rc;
}

static void print_saved(const struct odict *res)
{
	const struct odict_entry *locs = odict_lookup(res, "locations");
	const char *in_use = odict_string(res, "in_use");
	bool remember = false;
	struct le *le;

	(void)odict_get_boolean(res, &remember, "remember");
	if (!remember)
		printf(_("remember_locations is no: nothing is kept\n"));

	for (le = locs && locs->type == ODICT_ARRAY ? locs->u.odict->lst.head
						    : NULL;
	     le; le = le->next) {
		const struct odict_entry *e = le->data;
		const struct odict_entry *civic;
		const char *name;
		uint64_t n = 0;
		bool here = false;

		if (e->type != ODICT_OBJECT)
			continue;
		name = str_or(e->u.odict, "name", "?");
		(void)odict_get_boolean(e->u.odict, &here, "here");
		(void)odict_get_number(e->u.odict, &n, "networks");
		/* TRANSLATORS: "*" if in use, the name, how many networks it
		 * is saved for, then ", this one" or nothing */
		printf(ngettext("%s %-20s %llu network%s\n",
				"%s %-20s %llu networks%s\n", (unsigned long)n),
		       in_use && !str_cmp(in_use, name) ? "*" : " ", name,
		       (unsigned long long)n, here ? _(", this one") : "");
		civic = odict_get_type(e->u.odict, ODICT_OBJECT, "civic");
		if (civic) {
			printf("  ");
			print_civic(civic->u.odict);
			printf("\n");
		}
	}

	if (!locs || locs->type != ODICT_ARRAY || !locs->u.odict->lst.head)
		printf(_("no saved locations\n"));
}

static void print_choice(const struct odict *res)
{
	const char *name = odict_string(res, "name");
	bool used = false, remembered = false, pending = false;

	if (name) {
		(void)odict_get_boolean(res, &remembered, "remembered");
		(void)odict_get_boolean(res, &pending, "remember_pending");
		printf(_("saved      %s%s\n"), name,
		       remembered ? _(", remembered for this network")
		       : pending  ? _(", will be remembered once the network "
				       "is known")
				  : _(", not tied to a network"));
	}
	(void)odict_get_boolean(res, &used, "used");
	printf(_("in use     %s\n"), used ? _("yes") : _("no"));
	printf(_("reason     %s\n"), str_or(res, "reason", "-"));
}

static void print_prompt(const struct odict *res)
{
	const struct odict_entry *p = odict_lookup(res, "prompt");

	if (!p || p->type != ODICT_OBJECT) {
		printf(_("nothing is asked\n"));
		return;
	}

	printf(_("prompt     %s\n"), str_or(p->u.odict, "state", "?"));
	if (odict_string(p->u.odict, "disclaimer_text"))
		printf(_("disclaimer %s\n"),
		       odict_string(p->u.odict, "disclaimer_text"));
}

bool location_print_result(const char *cmd, const struct odict *res)
{
	if (0 == str_cmp(cmd, "location.list"))
		print_saved(res);
	else if (0 == str_cmp(cmd, "location.set") ||
		 0 == str_cmp(cmd, "location.save") ||
		 0 == str_cmp(cmd, "location.use") ||
		 0 == str_cmp(cmd, "location.delete") ||
		 0 == str_cmp(cmd, "location.forget-all"))
		print_choice(res);
	else if (0 == str_cmp(cmd, "location.dismiss") ||
		 0 == str_cmp(cmd, "location.acknowledge-disclaimer"))
		print_prompt(res);
	else
		return false;

	return true;
}
