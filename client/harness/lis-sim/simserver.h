/* simserver: the LIS simulator's listeners, HELD exchange and control. */

enum simserver_role {
	SIMSERVER_HTTP = 0, /* HELD over HTTP */
	SIMSERVER_HTTPS,    /* HELD over HTTPS */
	SIMSERVER_CONTROL,  /* POST /control: switch modes */
	SIMSERVER_ROLE_COUNT
};

/* HTTP authentication the HELD listeners demand (--auth). */
enum simserver_auth {
	SIMSERVER_AUTH_NONE = 0,
	SIMSERVER_AUTH_BASIC,
	SIMSERVER_AUTH_DIGEST, /* RFC 7616 MD5, qop=auth */
};

struct simserver_conf {
	const char *cert;     /* PEM certificate chain + key, for HTTPS */
	const char *uri_base; /* location URIs start with this; NULL: auto */
	const char *provider; /* name in gp:provided-by */
	struct wiremap *wm;   /* NULL: nothing is located */
	struct simlog *log;   /* NULL: no log */
	struct simmode mode;  /* mode at start-up */
	enum simserver_auth auth;
	const char *auth_user; /* "USER:PASSWORD" the auth accepts */
	/* the PIDF-LO's usage rules: retransmission-allowed false, and the
	 * retention-expiry this far ahead (0: a day) */
	bool no_retransmission;
	unsigned retention_s;
};

struct simserver;

/* A server with no listeners yet.  It keeps references to conf->wm and
 * conf->log and copies of the strings; *srvp is owned by the caller. */
int simserver_alloc(struct simserver **srvp, const struct simserver_conf *conf);

/* Listen on laddr (port 0: any free port) in the given role.  HTTPS needs
 * conf->cert.  errno values from the socket or TLS set-up. */
int simserver_listen(struct simserver *srv, enum simserver_role role,
		     const struct sa *laddr);

/* Apply the start-up mode once every listener is up: "refuse" closes the
 * HELD listeners again (their ports stay recorded for reopening). */
int simserver_start(struct simserver *srv);

/* JSON object for the ready file: {"pid":..,"http":["ADDR:PORT",..],
 * "https":[..],"control":[..],"mode":".."} with the bound ports. */
int simserver_ready_print(struct re_printf *pf, const struct simserver *srv);
