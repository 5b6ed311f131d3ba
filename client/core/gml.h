/* gml: geodetic shapes as GML / GeoShape elements (RFC 5491).
 * Internal to client/core; include the libxml2 headers, civic.h,
 * location.h and xmlutil.h first. */

#ifndef LOCPHONE_GML_H
#define LOCPHONE_GML_H

#include <stdbool.h>
#include <stddef.h>

#include "location.h"
#include "xmlutil.h"

/* Longest decimal number gml_num_format() writes, with its NUL. */
#define GML_NUM_LEN 32

/*
 * Write v as location_num_format() does (the digits it was given, 15
 * significant at most, no trailing zeros: "38.89773", "-77.0365", "15"),
 * independent of the C locale.  Returns 0, or EINVAL for values that are
 * not finite or beyond +-1e9.
 */
int gml_num_format(char *buf, size_t size, double v);

/*
 * Read one xs:double at *sp (sign, digits, '.', digits, exponent; no INF
 * or NaN), independent of the C locale, and advance *sp past it.  Values
 * of up to 15 significant digits come back as the nearest double.
 * Returns 0 or EINVAL.
 */
int gml_num_parse(double *vp, const char **sp);

/* Write the shape element for g (gml:Point, gs:Circle, ...) with its
 * srsName; the writer fails with EINVAL if geo_validate() refuses g. */
void gml_write(struct xmlw *x, const struct geo *g);

/* Write the RFC 7459 con:confidence element if g carries a confidence. */
void gml_write_confidence(struct xmlw *x, const struct geo *g);

/* True if n is one of the shape elements gml_read() understands. */
bool gml_is_shape(const xmlNode *n);

/*
 * Read shape element n into *g (replacing it only on success).  Lengths
 * must be in metres (EPSG::9001) and angles in degrees (EPSG::9102) or
 * radians (EPSG::9101, converted); the result passes geo_validate().
 * Returns 0, EBADMSG with *errmsg saying what was wrong, or ENOMEM.
 */
int gml_read(struct geo *g, const xmlNode *n, const char **errmsg);

/* Read an RFC 7459 con:confidence element into g->confidence and g->pdf.
 * Returns 0, EBADMSG with *errmsg set, or ENOMEM. */
int gml_read_confidence(struct geo *g, const xmlNode *n, const char **errmsg);

#endif
