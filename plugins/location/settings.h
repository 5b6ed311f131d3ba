/* settings: the location module's keys in locphone.conf. */

/* Everything the module is configured with; strings live here. */
struct location_settings {
	struct netdisc_config disc;
	struct locator_config loc;
	char lis_url[512];
	char lis_url_secondary[512];
	char lis_ca_file[512];
	bool lis_discovery;   /* RFC 5986 when no lis_url is set */
	char lis_domain[256]; /* access network domain; "" resolv.conf's */
};

/*
 * Fill s with defaults, then with locphone.conf from the engine's config
 * dir.  A bad value is reported with file and line and the default kept:
 * the phone always starts.
 */
void location_settings_read(struct location_settings *s);
