/* pidf_int: the PIDF-LO reader for documents already parsed (HELD). */

#ifndef LOCPHONE_PIDF_INT_H
#define LOCPHONE_PIDF_INT_H

#include <libxml/tree.h>

#include "location.h"

/*
 * Read the location out of the pidf:presence element presence, as
 * pidf_parse() does, into *loc (reset first; left empty on failure).
 * Returns 0, EPROTO if presence is not a pidf:presence element, ENOENT
 * if it carries no location, EBADMSG for a malformed one, ENOMEM; on
 * failure *errmsg (if given) is a static string saying why.
 */
int pidf_parse_presence(struct location *loc, const xmlNode *presence,
			const char **errmsg);

#endif
