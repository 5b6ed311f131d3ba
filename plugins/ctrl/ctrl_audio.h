/* ctrl_audio: audio devices of the control protocol (list, choose). */

#ifndef LOCPHONE_CTRL_AUDIO_H
#define LOCPHONE_CTRL_AUDIO_H

#include <re.h>

struct odict;

/* ENOENT (with *errmsg unset) if cmd is not one of ours. */
int ctrl_audio_command(const char *cmd, const struct odict *args,
		       struct odict *result, const char **errmsg);

#endif
