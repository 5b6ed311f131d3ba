/* lldpctl_lazy: liblldpctl loaded on first use, its functions looked up once. */

#include <re.h>
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>
#include <lldpctl.h>
#include "ndlog.h"
#include "lldpctl_lazy.h"

/* The soname of Debian 12's liblldpctl (package liblldpctl4), as built on. */
#define LLDPCTL_SONAME "liblldpctl.so.4"

struct lldpctl_fns lldpctlf;

static bool loaded;

int lldpctl_lazy_load(const struct ndlog *lg)
{
	static const struct {
		const char *name;
		size_t off;
	} syms[] = {
#define SYM(field, name) {name, offsetof(struct lldpctl_fns, field)}
		SYM(new_name, "lldpctl_new_name"),
		SYM(release, "lldpctl_release"),
		SYM(watch_callback2, "lldpctl_watch_callback2"),
		SYM(watch, "lldpctl_watch"),
		SYM(get_interfaces, "lldpctl_get_interfaces"),
		SYM(get_port, "lldpctl_get_port"),
		SYM(atom_get, "lldpctl_atom_get"),
		SYM(atom_get_str, "lldpctl_atom_get_str"),
		SYM(atom_get_buffer, "lldpctl_atom_get_buffer"),
		SYM(atom_get_int, "lldpctl_atom_get_int"),
		SYM(atom_dec_ref, "lldpctl_atom_dec_ref"),
		SYM(atom_iter, "lldpctl_atom_iter"),
		SYM(atom_iter_next, "lldpctl_atom_iter_next"),
		SYM(atom_iter_value, "lldpctl_atom_iter_value"),
#undef SYM
	};
	struct lldpctl_fns fns;
	void *h;
	size_t i;

	if (loaded)
		return 0;

	h = dlopen(LLDPCTL_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		ndlog_printf(lg, NDLOG_WARNING, "lldp: cannot load %s: %s\n",
			     LLDPCTL_SONAME, dlerror());
		return ENOSYS;
	}

	for (i = 0; i < ARRAY_SIZE(syms); i++) {
		void *f = dlsym(h, syms[i].name);

		if (!f) {
			ndlog_printf(lg, NDLOG_WARNING, "lldp: %s lacks %s\n",
				     LLDPCTL_SONAME, syms[i].name);
			return ENOSYS; /* h stays open: harmless */
		}
		memcpy((char *)&fns + syms[i].off, &f, sizeof(f));
	}

	lldpctlf = fns;
	loaded = true;
	return 0;
}

lldpctl_atom_t *lldpctl_lazy_first(lldpctl_atom_t *list,
				   lldpctl_atom_iter_t **itp)
{
	*itp = lldpctlf.atom_iter(list);

	return *itp ? lldpctlf.atom_iter_value(list, *itp) : NULL;
}

lldpctl_atom_t *lldpctl_lazy_next(lldpctl_atom_t *list,
				  lldpctl_atom_iter_t **itp,
				  lldpctl_atom_t *value)
{
	/* the order of lldpctl_atom_foreach: step, then drop the element */
	*itp = lldpctlf.atom_iter_next(list, *itp);
	lldpctlf.atom_dec_ref(value);

	return *itp ? lldpctlf.atom_iter_value(list, *itp) : NULL;
}
