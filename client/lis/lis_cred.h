/*
 * lis_cred: the LIS credentials file (locphone.conf's lis_credentials) and
 * the checks on the TLS client key.  The file is "key value" lines:
 *
 *   user NAME                 HTTP user for the primary LIS (lis_url)
 *   password SECRET           its password (the rest of the line)
 *   auth any|basic|digest     which schemes may answer; default any
 *   secondary_user NAME       the same for lis_url_secondary; without
 *   secondary_password SECRET   them the secondary gets the primary's
 *   secondary_auth any|basic|digest
 *
 * It must be a regular file that only its owner may read (mode 0600 or
 * 0400): otherwise it is refused whole.  A line that is not one of these
 * refuses it whole too: no credentials rather than half of them.  Errors
 * name the file, the line and the key, never a value.
 */

#ifndef LOCPHONE_LIS_CRED_H
#define LOCPHONE_LIS_CRED_H

#include <stdbool.h>

#include "lis_client.h"

enum {
	LIS_CRED_USER_MAX = 256,
	LIS_CRED_PASSWORD_MAX = 512,
	LIS_CRED_ERR_MAX = 640,
};

struct lis_cred_file {
	struct {
		bool set; /* a user was given for this server */
		char user[LIS_CRED_USER_MAX];
		char password[LIS_CRED_PASSWORD_MAX];
		enum lis_http_auth method;
	} server[2]; /* enum lis_server */
};

/*
 * Reads path into c (zeroed first).  Returns 0; EACCES when others may
 * read the file (or it is not a regular file); EBADMSG for a bad line;
 * errno of open/read (ENOENT...).  On error c is wiped and why (if given)
 * says what is wrong: "PATH: mode 0644 lets others read it ...",
 * "PATH:3: auth: must be any, basic or digest".
 */
int lis_cred_load(struct lis_cred_file *c, const char *path, char *why,
		  size_t whysz);

/* Overwrites the secrets. */
void lis_cred_wipe(struct lis_cred_file *c);

/*
 * A TLS client key: a regular file its group and others may not read.
 * Returns 0, EACCES (why says so) or the errno of stat.
 */
int lis_cred_key_check(const char *path, char *why, size_t whysz);

/* Fills auth[server] from c (user, password, method; pointers into c). */
void lis_cred_apply(struct lis_auth auth[2], const struct lis_cred_file *c);

#endif
