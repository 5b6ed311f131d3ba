/*
 * lldpctl_lazy: liblldpctl, loaded when the lldpd backend starts rather
 * than with the location module.  An engine that may open raw sockets
 * never maps liblldpctl and what it pulls in (libbsd, libmd: 200-500 KiB
 * of resident memory).  <lldpctl.h> gives the types and
 * constants, never the functions.
 */

#ifndef LOCPHONE_LLDPCTL_LAZY_H
#define LOCPHONE_LLDPCTL_LAZY_H

#include <stddef.h>
#include <stdint.h>
#include <lldpctl.h>

#include "ndlog.h"

/* The liblldpctl functions lldpd_backend calls, as liblldpctl declares. */
struct lldpctl_fns {
	lldpctl_conn_t *(*new_name)(const char *ctlname,
				    lldpctl_send_callback send,
				    lldpctl_recv_callback recv,
				    void *user_data);
	int (*release)(lldpctl_conn_t *conn);
	int (*watch_callback2)(lldpctl_conn_t *conn,
			       lldpctl_change_callback2 cb, void *data);
	int (*watch)(lldpctl_conn_t *conn);
	lldpctl_atom_t *(*get_interfaces)(lldpctl_conn_t *conn);
	lldpctl_atom_t *(*get_port)(lldpctl_atom_t *port);
	lldpctl_atom_t *(*atom_get)(lldpctl_atom_t *atom, lldpctl_key_t key);
	const char *(*atom_get_str)(lldpctl_atom_t *atom, lldpctl_key_t key);
	const uint8_t *(*atom_get_buffer)(lldpctl_atom_t *atom,
					  lldpctl_key_t key, size_t *length);
	long int (*atom_get_int)(lldpctl_atom_t *atom, lldpctl_key_t key);
	void (*atom_dec_ref)(lldpctl_atom_t *atom);
	lldpctl_atom_iter_t *(*atom_iter)(lldpctl_atom_t *atom);
	lldpctl_atom_iter_t *(*atom_iter_next)(lldpctl_atom_t *atom,
					       lldpctl_atom_iter_t *iter);
	lldpctl_atom_t *(*atom_iter_value)(lldpctl_atom_t *atom,
					   lldpctl_atom_iter_t *iter);
};

/* Filled by lldpctl_lazy_load(); valid once it returned 0. */
extern struct lldpctl_fns lldpctlf;

/*
 * Load liblldpctl (once; it stays loaded).  0, or ENOSYS (with a warning
 * to lg saying why) if it cannot be loaded or lacks a function.
 */
int lldpctl_lazy_load(const struct ndlog *lg);

/*
 * Walking a list atom (what <lldpctl.h>'s lldpctl_atom_foreach does, over
 * our function pointers):
 *
 *	for (v = lldpctl_lazy_first(list, &it); v;
 *	     v = lldpctl_lazy_next(list, &it, v))
 *
 * Each returns the element's atom, a reference the caller holds until it
 * passes the atom back to lldpctl_lazy_next(), or NULL after the last one
 * (list may be NULL: no elements).  Leaving the loop early, the caller
 * drops the element itself with lldpctlf.atom_dec_ref().
 */
lldpctl_atom_t *lldpctl_lazy_first(lldpctl_atom_t *list,
				   lldpctl_atom_iter_t **itp);
lldpctl_atom_t *lldpctl_lazy_next(lldpctl_atom_t *list,
				  lldpctl_atom_iter_t **itp,
				  lldpctl_atom_t *value);

#endif
