/* civic: a civic address as RFC 4776 / RFC 5139 elements. */

#ifndef LOCPHONE_CIVIC_H
#define LOCPHONE_CIVIC_H

#include <stdbool.h>
#include <stddef.h>

#include <re.h>

/*
 * Element names are the RFC 5139 XML names, which the JSON keys, the
 * PIDF-LO and the command line all use.  The numbers in the comments are
 * the RFC 4776 CAtypes, which LLDP-MED and DHCP option 99 carry.
 */
enum civic_field {
	CIVIC_COUNTRY = 0, /* ISO 3166 alpha-2, the What/country header */
	CIVIC_A1,	   /* 1: national subdivision (state) */
	CIVIC_A2,	   /* 2: county */
	CIVIC_A3,	   /* 3: city */
	CIVIC_A4,	   /* 4: city division */
	CIVIC_A5,	   /* 5: neighbourhood */
	CIVIC_A6,	   /* 6: street group (RFC 5139: not RD) */
	CIVIC_PRD,	   /* 16: leading street direction */
	CIVIC_POD,	   /* 17: trailing street suffix */
	CIVIC_STS,	   /* 18: street suffix */
	CIVIC_HNO,	   /* 19: house number */
	CIVIC_HNS,	   /* 20: house number suffix */
	CIVIC_LMK,	   /* 21: landmark */
	CIVIC_LOC,	   /* 22: additional location information */
	CIVIC_NAM,	   /* 23: name (resident, business) */
	CIVIC_PC,	   /* 24: postal code */
	CIVIC_BLD,	   /* 25: building */
	CIVIC_UNIT,	   /* 26: unit */
	CIVIC_FLR,	   /* 27: floor */
	CIVIC_ROOM,	   /* 28: room */
	CIVIC_PLC,	   /* 29: place type */
	CIVIC_PCN,	   /* 30: postal community name */
	CIVIC_POBOX,	   /* 31: post office box */
	CIVIC_ADDCODE,	   /* 32: additional code */
	CIVIC_SEAT,	   /* 33: seat */
	CIVIC_RD,	   /* 34: primary road name */
	CIVIC_RDSEC,	   /* 35: road section */
	CIVIC_RDBR,	   /* 36: road branch */
	CIVIC_RDSUBBR,	   /* 37: road sub-branch */
	CIVIC_PRM,	   /* 38: road pre-modifier */
	CIVIC_POM,	   /* 39: road post-modifier */
	CIVIC_FIELD_COUNT
};

/* Longest value we keep for one element (RFC 4776 caps CAvalue at 255). */
#define CIVIC_VALUE_MAX 255

/* Unset fields are NULL; set ones are NUL-terminated strings we own. */
struct civic {
	char *v[CIVIC_FIELD_COUNT];
};

/*
 * The fields in the order of RFC 5139's civicAddress schema sequence, as
 * XML must list them [U: written from memory of the schema; the MS-SIPRE
 * example agrees for the elements it uses].
 */
extern const enum civic_field civic_schema_order[CIVIC_FIELD_COUNT];

/* RFC 5139 element name of a field ("country", "A1", "HNO", ...). */
const char *civic_field_name(enum civic_field f);

/* Field for an RFC 5139 name (case-sensitive); -1 if unknown. */
int civic_field_by_name(const char *name);

/* Field for an RFC 4776 CAtype; -1 if the CAtype has no RFC 5139 element
 * (0 language, 128 script and 255 are handled by the caller). */
int civic_field_by_catype(unsigned catype);

/* RFC 4776 CAtype of a field; 0 for country (carried in the header). */
unsigned civic_catype(enum civic_field f);

/* Set a field to a copy of len bytes of val; an empty value clears it.
 * EINVAL for values over CIVIC_VALUE_MAX or containing NUL/control bytes. */
int civic_set(struct civic *c, enum civic_field f, const char *val, size_t len);
int civic_set_str(struct civic *c, enum civic_field f, const char *val);

const char *civic_get(const struct civic *c, enum civic_field f);

/* The country as RFC 5139 sends it ([A-Z]{2}) in out: s if it is two ASCII
 * letters of either case, upper-cased; false (out empty) otherwise. */
bool civic_country_wire(char out[3], const char *s);

/* True if no field is set. */
bool civic_is_empty(const struct civic *c);

/* Deep copy; dst is reset first. */
int civic_copy(struct civic *dst, const struct civic *src);

/* True if both hold the same fields with the same values. */
bool civic_equal(const struct civic *a, const struct civic *b);

/* Free every field and leave c empty. */
void civic_reset(struct civic *c);

/* One line for people: "1 Microsoft Way, Redmond, WA, US, floor 3". */
int civic_print(struct re_printf *pf, const struct civic *c);

#endif
