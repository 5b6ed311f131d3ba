/* xsd_sim: the LIS simulator's answers, for test_xsd (kept apart: the
 * simulator's headers and client/core's lldp.h both define lldp_id). */

#ifndef LOCPHONE_XSD_SIM_H
#define LOCPHONE_XSD_SIM_H

/* One document the simulator sends; pidf says whether it is a bare
 * PIDF-LO (a dereferenced location URI) or a HELD response. */
typedef void(xsd_sim_doc_h)(const uint8_t *buf, size_t len, bool pidf,
			    const char *what, void *arg);

/*
 * Build every kind of answer the simulator gives (locationResponses for
 * civic, geodetic 2D/3D with and without a radius, both, each location
 * type subset, with and without a URI, with an ELIN; the full PIDF-LO
 * behind a URI; each HELD error it sends) and hand each to h.
 */
void xsd_sim_answers(xsd_sim_doc_h *h, void *arg);

/* The namespace of the simulator's gp:provided-by element. */
extern const char xsd_sim_ns[];

#endif
