/* locwords: a location record (PROTOCOL.md "location") in words. */
#pragma once

#include <glib.h>

/*
 * A civic address (a{sv} of RFC 5139 element names) on one line, as a
 * person writes it: "1 Microsoft Way, Floor 3, Redmond, WA 98052, US".
 * Returns a new string, or NULL when civic holds none of the elements.
 */
gchar *locwords_civic(GVariant *civic);

/*
 * The record's place in words: its civic address, else its coordinates
 * ("47.640068, -122.129858"), else NULL.  Returns a new string.
 */
gchar *locwords_record(GVariant *record);
