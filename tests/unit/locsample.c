/* locsample: sample locations shared by the unit tests. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "locsample.h"

/* One shape of each kind, valid, with six decimals at most so that the
 * JSON round trip is exact. */
void locsample_shapes(struct geo *gv, size_t *n)
{
	static const struct geo_pos ring[] = {
		{38.89, -77.04, 10}, {38.90, -77.04, 10}, {38.90, -77.03, 12}};
	size_t i = 0, k;

	memset(gv, 0, *n * sizeof(*gv));

	gv[i].shape = GEO_POINT, gv[i].crs = GEO_CRS_2D;
	gv[i].pos = (struct geo_pos){-33.856784, 151.215297, 0};
	i++;
	gv[i].shape = GEO_POINT, gv[i].crs = GEO_CRS_3D;
	gv[i].pos = (struct geo_pos){47.3, -122.13, 12.5};
	i++;
	gv[i].shape = GEO_CIRCLE, gv[i].crs = GEO_CRS_2D;
	gv[i].pos = (struct geo_pos){42.5463, -73.2512, 0};
	gv[i].radius = 850.24, gv[i].confidence = 67;
	gv[i].pdf = GEO_PDF_NORMAL;
	i++;
	gv[i].shape = GEO_ELLIPSE, gv[i].crs = GEO_CRS_2D;
	gv[i].pos = (struct geo_pos){42.5463, -73.2512, 0};
	gv[i].semi_major = 1275, gv[i].semi_minor = 670;
	gv[i].orientation = 43.2;
	i++;
	gv[i].shape = GEO_ARCBAND, gv[i].crs = GEO_CRS_2D;
	gv[i].pos = (struct geo_pos){-43.5723, 153.21760, 0};
	gv[i].inner_radius = 3594, gv[i].outer_radius = 4148.5;
	gv[i].start_angle = 20, gv[i].opening_angle = 20.5;
	i++;
	gv[i].shape = GEO_SPHERE, gv[i].crs = GEO_CRS_3D;
	gv[i].pos = (struct geo_pos){42.5463, -73.2512, 26.3};
	gv[i].radius = 850.24;
	i++;
	gv[i].shape = GEO_ELLIPSOID, gv[i].crs = GEO_CRS_3D;
	gv[i].pos = (struct geo_pos){42.5463, -73.2512, 26.3};
	gv[i].semi_major = 7.7156, gv[i].semi_minor = 3.31;
	gv[i].vertical = 28.7, gv[i].orientation = 90;
	gv[i].confidence = 95, gv[i].pdf = GEO_PDF_RECTANGULAR;
	i++;
	gv[i].shape = GEO_POLYGON, gv[i].crs = GEO_CRS_2D;
	for (k = 0; k < ARRAY_SIZE(ring); k++) {
		gv[i].pointv[k] = ring[k];
		gv[i].pointv[k].alt = 0;
	}
	gv[i].pointc = ARRAY_SIZE(ring);
	i++;
	gv[i].shape = GEO_PRISM, gv[i].crs = GEO_CRS_3D;
	memcpy(gv[i].pointv, ring, sizeof(ring));
	gv[i].pointc = ARRAY_SIZE(ring);
	gv[i].height = 2.4;
	i++;

	*n = i;
}

/* A record with every member set. */
void locsample_record(struct location *loc, const struct geo *g)
{
	memset(loc, 0, sizeof(*loc));
	loc->source = LOCATION_SOURCE_LIS;
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_A1, "WA"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_A3, "Redmond"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_RD, "163rd"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_HNO, "3910"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_FLR, "2"));
	loc->geo = *g;
	assert_int_equal(0, location_set_method(loc, "Wiremap"));
	assert_int_equal(0, location_set_provided_by(loc, "lis.example.com"));
	assert_int_equal(0, location_set_elin(loc, "4255550100"));
	assert_int_equal(0, location_add_uri(loc,
					     "https://lis.example.com/"
					     "loc/7f3a",
					     T0 + 3600));
	assert_int_equal(0,
			 location_add_uri(loc, "sip:loc7f3a@example.com", 0));
	loc->obtained_at = T0;
	loc->expires = T0 + 4 * 3600;
	loc->validated = true;
}
