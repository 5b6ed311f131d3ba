/* ctrl_calls: the account and call commands of the control protocol. */

#ifndef LOCPHONE_CTRL_CALLS_H
#define LOCPHONE_CTRL_CALLS_H

#include <re.h>

struct odict;
struct call;
struct ua;

/* ENOENT (with *errmsg unset) if cmd is not one of ours. */
int ctrl_calls_command(const char *cmd, const struct odict *args,
		       struct odict *result, const char **errmsg);

/* The call with this Call-ID, or with id NULL the current call; its user
 * agent in *uap.  NULL if there is none. */
struct call *ctrl_call_lookup(const char *id, struct ua **uap);

/* Adds the protocol's "call" object for call under key. */
int ctrl_call_add(struct odict *od, const char *key, const struct call *call);

/* Start and stop turning baresip's user-agent events into bus events. */
int ctrl_calls_init(void);
void ctrl_calls_close(void);

#endif
