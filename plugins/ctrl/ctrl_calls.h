/* ctrl_calls: the account and call commands of the control protocol. */

/* ENOENT (with *errmsg unset) if cmd is not one of ours. */
int ctrl_calls_command(const char *cmd, const struct odict *args,
		       struct odict *result, const char **errmsg);

/* Start and stop turning baresip's user-agent events into bus events. */
int ctrl_calls_init(void);
void ctrl_calls_close(void);
