/* ctrl_incall: in-call controls of the control protocol (DTMF, mute). */

#ifndef LOCPHONE_CTRL_INCALL_H
#define LOCPHONE_CTRL_INCALL_H

#include <re.h>

struct odict;

/* ENOENT (with *errmsg unset) if cmd is not one of ours. */
int ctrl_incall_command(const char *cmd, const struct odict *args,
			struct odict *result, const char **errmsg);

/* Drops the digits still queued (module close). */
void ctrl_incall_close(void);

#endif
