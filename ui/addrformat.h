/* addrformat: how each country writes an address, for the address form. */
#pragma once

#include <glib.h>

/* One entry of a list to pick from: what is stored, what is shown. */
typedef struct {
	const char *value;
	const char *name;
} AddrChoice;

/* One field of a country's form: the RFC 5139 element it fills (the
 * street field, "RD", also holds PRD, STS and POD), its label (untranslated:
 * shown through _()), and the list to pick from, when there is one. */
typedef struct {
	const char *element;
	const char *label;
	const AddrChoice *choices;
	gsize n_choices;
} AddrField;

typedef struct {
	const char *country; /* alpha-2; NULL for the generic form */
	const AddrField *fields;
	gsize n_fields;
	gboolean split_suffix; /* "Main St" is RD Main, STS St (US, CA) */
} AddrLayout;

/* The countries, by their names in the person's language (iso-codes'
 * translations) and sorted by them; *n gets their count. */
const AddrChoice *addrformat_countries(gsize *n);

/* The alpha-2 code of a country typed as its name (English or translated)
 * or its code, in any case; NULL when it is neither. */
const char *addrformat_country_code(const char *text);

/* The name of an alpha-2 code in the person's language, or NULL. */
const char *addrformat_country_name(const char *code);

/* The form of a country (alpha-2), or the generic form. */
const AddrLayout *addrformat_layout(const char *country);

/* A label (translated) for any element outside a country's form, or
 * NULL. */
const char *addrformat_element_label(const char *element);

/* The engine's cap on an element's length in characters (0: none). */
gint addrformat_element_max(const char *element);

/* The value stored for what was typed into a field with a list (a name
 * or a value, any case), or NULL when it is not on the list. */
const char *addrformat_choice_value(const AddrField *field, const char *text);

/* The name a stored value is shown as in a field with a list, or NULL. */
const char *addrformat_choice_name(const AddrField *field, const char *value);

/*
 * The street as typed into dict (a GVariantDict): RD, and for layouts
 * with split_suffix the street suffix (STS), a leading direction (PRD)
 * and a trailing one (POD) when they are written apart ("N Main St NW").
 */
void addrformat_street_split(const AddrLayout *layout, const char *text,
			     GVariantDict *dict);

/* The street of a civic address (a{sv}) as one line: PRD RD STS POD. */
gchar *addrformat_street_join(GVariant *civic);

/* One problem of a location.set refusal: the element it names (NULL when
 * it names none) and the engine's words after "ELEMENT: ". */
typedef struct {
	gchar *element;
	gchar *text;
} AddrProblem;

/* The problems of a refusal ("A3: city is required; HNO: ..."), as a
 * new array of AddrProblem (free with g_array_unref). */
GArray *addrformat_problems(const char *error);

/* The problem in words for a field labelled label: "City is required." */
gchar *addrformat_problem_words(const AddrProblem *p, const char *label);

/* The territory of a locale name ("en_US.UTF-8" -> "US"), if it is a
 * country code; NULL otherwise. */
const char *addrformat_locale_country(const char *locale);
