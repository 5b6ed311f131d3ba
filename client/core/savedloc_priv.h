/* savedloc_priv: checks shared by the store and its codec (private). */

#ifndef LOCPHONE_SAVEDLOC_PRIV_H
#define LOCPHONE_SAVEDLOC_PRIV_H

#include <stdbool.h>

#include "savedloc.h"

/* 1 to SAVEDLOC_NAME_MAX bytes, no control characters. */
bool savedloc_name_valid(const char *name);

/* Finite, latitude -90..90, longitude -180..180. */
bool savedloc_coord_valid(const struct savedloc_coord *c);

/* Round degrees to the 1e-7 the file keeps. */
double savedloc_degrees_round(double v);

#endif
