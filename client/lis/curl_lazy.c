/* curl_lazy: libcurl loaded on first use, its functions looked up once. */

#define CURL_DISABLE_TYPECHECK
#include <re.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <curl/curl.h>
#include "curl_lazy.h"

/* The soname of Debian's libcurl4 (OpenSSL), which we build against. */
#define CURL_SONAME "libcurl.so.4"

struct curl_fns curlf;

static bool loaded;

int curl_lazy_load(const struct ndlog *lg)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define SYM(field, name) {name, offsetof(struct curl_fns, field)}
		SYM(global_init, "curl_global_init"),
		SYM(global_cleanup, "curl_global_cleanup"),
		SYM(easy_init, "curl_easy_init"),
		SYM(easy_setopt, "curl_easy_setopt"),
		SYM(easy_getinfo, "curl_easy_getinfo"),
		SYM(easy_cleanup, "curl_easy_cleanup"),
		SYM(easy_strerror, "curl_easy_strerror"),
		SYM(multi_init, "curl_multi_init"),
		SYM(multi_setopt, "curl_multi_setopt"),
		SYM(multi_add_handle, "curl_multi_add_handle"),
		SYM(multi_remove_handle, "curl_multi_remove_handle"),
		SYM(multi_socket_action, "curl_multi_socket_action"),
		SYM(multi_info_read, "curl_multi_info_read"),
		SYM(multi_assign, "curl_multi_assign"),
		SYM(multi_cleanup, "curl_multi_cleanup"),
		SYM(slist_append, "curl_slist_append"),
		SYM(slist_free_all, "curl_slist_free_all"),
#undef SYM
	};
	struct curl_fns fns;
	void *h;
	size_t i;

	if (loaded)
		return 0;

	h = dlopen(CURL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		ndlog_printf(lg, NDLOG_WARNING, "lis: cannot load %s: %s\n",
			     CURL_SONAME, dlerror());
		return ENOSYS;
	}

	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			ndlog_printf(lg, NDLOG_WARNING, "lis: %s lacks %s\n",
				     CURL_SONAME, syms[i].name);
			return ENOSYS; /* h stays open: harmless */
		}
		memcpy((char *)&fns + syms[i].off, &f, sizeof(f));
	}

	curlf = fns;
	loaded = true;
	return 0;
}
