/*
 * curl_lazy: libcurl, loaded when the first LIS client is made rather than
 * at engine start.  A phone with no LIS configured never maps libcurl and
 * its dependency tree (TLS, Kerberos, LDAP, SSH libraries: about 4 MB of
 * the engine's resident memory).
 */

#ifndef LOCPHONE_CURL_LAZY_H
#define LOCPHONE_CURL_LAZY_H

#include <curl/curl.h>

#include "ndlog.h"

/* The libcurl functions lis_client calls, as libcurl declares them. */
struct curl_fns {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *curl);
	const char *(*easy_strerror)(CURLcode code);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *multi, CURLMoption option, ...);
	CURLMcode (*multi_add_handle)(CURLM *multi, CURL *curl);
	CURLMcode (*multi_remove_handle)(CURLM *multi, CURL *curl);
	CURLMcode (*multi_socket_action)(CURLM *multi, curl_socket_t s,
					 int ev_bitmask, int *running);
	CURLMsg *(*multi_info_read)(CURLM *multi, int *msgs_in_queue);
	CURLMcode (*multi_assign)(CURLM *multi, curl_socket_t s, void *p);
	CURLMcode (*multi_cleanup)(CURLM *multi);
	struct curl_slist *(*slist_append)(struct curl_slist *list,
					   const char *s);
	void (*slist_free_all)(struct curl_slist *list);
};

/* Filled by curl_lazy_load(); valid once it returned 0. */
extern struct curl_fns curlf;

/* Load libcurl (once; it stays loaded).  ENOSYS if it cannot be, with
 * why on lg (NULL: nowhere). */
int curl_lazy_load(const struct ndlog *lg);

#endif
