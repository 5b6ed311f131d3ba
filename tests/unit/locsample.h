/* locsample: sample locations shared by the unit tests.
 * Include civic.h and location.h first. */

/* 2023-11-14T22:13:20Z */
#define T0 ((time_t)1700000000)

/* How many shapes locsample_shapes() writes. */
#define LOCSAMPLE_SHAPES 9

/* Fill gv (*n entries, at least LOCSAMPLE_SHAPES) with one valid shape of
 * each kind: Point 2D, Point 3D, Circle, Ellipse, ArcBand, Sphere,
 * Ellipsoid, Polygon (2D), Prism; each number with at most six decimals.
 * *n becomes the count. */
void locsample_shapes(struct geo *gv, size_t *n);

/* A record with every member set and g as its shape; asserts on
 * failure.  Release with location_reset(). */
void locsample_record(struct location *loc, const struct geo *g);
