/* ctrl_audio: the audio devices of the control protocol: which sources and
 * players baresip has, which ones calls use, and switching them. */

#include <re.h>
#include <string.h>
#include "baresip-abi.h"
#include "ctrl_audio.h"
#include "ctrl_calls.h"

/*
 * The launcher gives baresip every device as "lpaudio,MODULE,DEVICE": the
 * e911 module's wrapper keeps an emergency call going with silence when the
 * device fails (issue 11).  A device chosen here is wrapped the same way,
 * while it fits the 127 bytes baresip keeps of a device name.  lpaudio
 * itself is no device a person chooses: it is not listed.
 */
#define AUDIO_WRAPPER "lpaudio"

enum {
	MOD_MAX = 16,  /* sizeof config_audio.src_mod */
	DEV_MAX = 128, /* sizeof config_audio.src_dev */
};

enum kind {
	KIND_SOURCE,
	KIND_PLAYER,
};

/* The device part of config_head_audio for kind. */
static void cfg_fields(struct config_head *cfg, enum kind kind, char **mod,
		       char **dev)
{
	if (kind == KIND_SOURCE) {
		*mod = cfg->audio.src_mod;
		*dev = cfg->audio.src_dev;
	} else {
		*mod = cfg->audio.play_mod;
		*dev = cfg->audio.play_dev;
	}
}

/*
 * The core configuration, when its beginning is laid out as baresip-abi.h
 * declares: what it says of the source and the player must be what the
 * loaded config file says (the launcher always writes both), checked once,
 * before anything is written to it.  NULL otherwise: then nothing is read
 * from it nor written to it.
 */
static struct config_head *config_checked(void)
{
	struct config_head *cfg = (struct config_head *)conf_config();
	static const char *const keys[] = {"audio_source", "audio_player"};
	static bool checked;
	size_t i;

	if (checked)
		return cfg;
	if (!cfg || !conf_cur())
		return NULL;

	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		char file[DEV_MAX + MOD_MAX + 1], mem[DEV_MAX + MOD_MAX + 1];
		char *mod, *dev;

		cfg_fields(cfg, i == 0 ? KIND_SOURCE : KIND_PLAYER, &mod, &dev);
		if (!memchr(mod, '\0', MOD_MAX) || !memchr(dev, '\0', DEV_MAX))
			return NULL;
		if (conf_get_str(conf_cur(), keys[i], file, sizeof(file)))
			return NULL;
		(void)re_snprintf(mem, sizeof(mem), "%s%s%s", mod,
				  dev[0] ? "," : "", dev);
		if (str_cmp(file, mem))
			return NULL;
	}

	checked = true;
	return cfg;
}

/* {module, device} of a config's (mod, dev), the wrapper taken off. */
static int device_add(struct odict *od, const char *key, const char *mod,
		      const char *dev)
{
	struct odict *o = NULL;
	char m[MOD_MAX];
	const char *d = dev;
	int err;

	str_ncpy(m, mod, sizeof(m));
	if (!str_cmp(mod, AUDIO_WRAPPER)) {
		const char *comma = strchr(dev, ',');
		size_t n = comma ? (size_t)(comma - dev) : strlen(dev);

		str_ncpy(m, dev, min(n + 1, sizeof(m)));
		d = comma ? comma + 1 : "";
	}

	err = odict_alloc(&o, 2);
	if (!err)
		err = odict_entry_add(o, "module", ODICT_STRING, m);
	if (!err)
		err = odict_entry_add(o, "device", ODICT_STRING, d);
	if (!err)
		err = odict_entry_add(od, key, ODICT_OBJECT, o);
	mem_deref(o);
	return err;
}

/* [{module, devices: [...]}] of a list of struct ausrc or struct auplay
 * (the two have the same beginning). */
static int modules_add(struct odict *result, const char *key,
		       const struct list *l, enum kind kind)
{
	struct odict *arr = NULL;
	struct le *le;
	unsigned i = 0;
	int err;

	err = odict_alloc(&arr, 8);
	if (err)
		return err;

	for (le = list_head(l); le && !err; le = le->next) {
		const char *name;
		const struct list *devl;
		struct odict *m = NULL, *devs = NULL;
		struct le *dle;
		unsigned j = 0;
		char k[16];

		if (kind == KIND_SOURCE) {
			const struct ausrc *as = le->data;

			name = as->name;
			devl = &as->dev_list;
		} else {
			const struct auplay *ap = le->data;

			name = ap->name;
			devl = &ap->dev_list;
		}
		if (!str_cmp(name, AUDIO_WRAPPER))
			continue;

		err = odict_alloc(&m, 2);
		if (!err)
			err = odict_alloc(&devs, 8);
		for (dle = list_head(devl); dle && !err; dle = dle->next) {
			const struct mediadev *md = dle->data;

			(void)re_snprintf(k, sizeof(k), "%u", j++);
			err = odict_entry_add(devs, k, ODICT_STRING, md->name);
		}
		if (!err)
			err = odict_entry_add(m, "module", ODICT_STRING, name);
		if (!err)
			err = odict_entry_add(m, "devices", ODICT_ARRAY, devs);
		(void)re_snprintf(k, sizeof(k), "%u", i++);
		if (!err)
			err = odict_entry_add(arr, k, ODICT_OBJECT, m);
		mem_deref(m);
		mem_deref(devs);
	}

	if (!err)
		err = odict_entry_add(result, key, ODICT_ARRAY, arr);
	mem_deref(arr);
	return err;
}

static int defaults_add(struct odict *result)
{
	struct config_head *cfg = config_checked();
	int err;

	if (!cfg)
		return 0;

	err = device_add(result, "source", cfg->audio.src_mod,
			 cfg->audio.src_dev);
	if (!err)
		err = device_add(result, "player", cfg->audio.play_mod,
				 cfg->audio.play_dev);
	return err;
}

static int cmd_audio(const struct odict *args, struct odict *result,
		     const char **errmsg)
{
	int err;
	(void)args;
	(void)errmsg;

	err = modules_add(result, "sources", baresip_ausrcl(), KIND_SOURCE);
	if (!err)
		err = modules_add(result, "players", baresip_auplayl(),
				  KIND_PLAYER);
	if (!err)
		err = defaults_add(result);
	return err;
}

/* A wanted device: module (registered) and device, checked. */
struct choice {
	bool set;
	char mod[MOD_MAX];
	char dev[DEV_MAX];
};

static bool text_ok(const char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	}
	return true;
}

static int choice_parse(const struct odict *args, enum kind kind,
			struct choice *c, const char **errmsg)
{
	const char *key = kind == KIND_SOURCE ? "source" : "player";
	const struct odict_entry *e = odict_lookup(args, key);
	const char *mod, *dev;
	const struct list *devl;

	c->set = false;
	if (!e)
		return 0;

	if (e->type != ODICT_OBJECT) {
		*errmsg = "\"source\" and \"player\" must be objects "
			  "{\"module\", \"device\"}";
		return EINVAL;
	}
	mod = odict_string(e->u.odict, "module");
	dev = odict_string(e->u.odict, "device");
	if (!dev)
		dev = "";

	if (!mod || !mod[0] || strlen(mod) >= MOD_MAX || !text_ok(mod) ||
	    !str_cmp(mod, AUDIO_WRAPPER) || strchr(mod, ',')) {
		*errmsg = "\"module\" must name an audio module "
			  "(see the audio command)";
		return EINVAL;
	}
	if (kind == KIND_SOURCE) {
		const struct ausrc *as = ausrc_find(baresip_ausrcl(), mod);

		devl = as ? &as->dev_list : NULL;
	} else {
		const struct auplay *ap = auplay_find(baresip_auplayl(), mod);

		devl = ap ? &ap->dev_list : NULL;
	}
	if (!devl) {
		*errmsg = kind == KIND_SOURCE ? "no such audio source module"
					      : "no such audio player module";
		return ENOENT;
	}

	if (!text_ok(dev) || strlen(dev) >= DEV_MAX) {
		*errmsg = "\"device\" must be at most 127 bytes of text";
		return EINVAL;
	}
	if (dev[0] && !list_isempty(devl) && !mediadev_find(devl, dev)) {
		*errmsg = "the module has no such device (see the audio "
			  "command)";
		return ENOENT;
	}

	c->set = true;
	/* wrapped while it fits, as the launcher does */
	if (strlen(mod) + 1 + strlen(dev) < DEV_MAX) {
		str_ncpy(c->mod, AUDIO_WRAPPER, sizeof(c->mod));
		(void)re_snprintf(c->dev, sizeof(c->dev), "%s,%s", mod, dev);
	} else {
		str_ncpy(c->mod, mod, sizeof(c->mod));
		str_ncpy(c->dev, dev, sizeof(c->dev));
	}
	return 0;
}

/* The established call args name, else the current one; NULL when no call
 * is up (then only the default changes). */
static int target_call(const struct odict *args, struct call **callp,
		       const char **errmsg)
{
	const struct odict_entry *e = odict_lookup(args, "call");
	struct ua *ua = NULL;
	struct call *call;

	if (e && e->type != ODICT_STRING) {
		*errmsg = "\"call\" must be a call id";
		return EINVAL;
	}

	call = ctrl_call_lookup(e ? e->u.str : NULL, &ua);
	if (call && call_state(call) != CALL_STATE_ESTABLISHED)
		call = NULL;
	if (e && !call) {
		*errmsg = "no established call";
		return ENOENT;
	}

	*callp = call;
	return 0;
}

static int cmd_audio_set(const struct odict *args, struct odict *result,
			 const char **errmsg)
{
	struct choice src, play;
	struct config_head *cfg;
	struct call *call;
	char *mod, *dev;
	int err;

	err = choice_parse(args, KIND_SOURCE, &src, errmsg);
	if (!err)
		err = choice_parse(args, KIND_PLAYER, &play, errmsg);
	if (err)
		return err;
	if (!src.set && !play.set) {
		*errmsg = "give \"source\" or \"player\" (or both)";
		return EINVAL;
	}

	err = target_call(args, &call, errmsg);
	if (err)
		return err;

	cfg = config_checked();
	if (!cfg) {
		*errmsg = "baresip's audio configuration is not the one "
			  "expected; the devices cannot be changed";
		return ENOTSUP;
	}

	/* the default first: a call that starts later gets it in any case */
	if (src.set) {
		cfg_fields(cfg, KIND_SOURCE, &mod, &dev);
		str_ncpy(mod, src.mod, MOD_MAX);
		str_ncpy(dev, src.dev, DEV_MAX);
	}
	if (play.set) {
		cfg_fields(cfg, KIND_PLAYER, &mod, &dev);
		str_ncpy(mod, play.mod, MOD_MAX);
		str_ncpy(dev, play.dev, DEV_MAX);
	}

	err = defaults_add(result);
	if (err)
		return err;

	if (call) {
		struct audio *au = call_audio(call);

		if (!au) {
			*errmsg = "the call has no audio";
			return ENOENT;
		}
		if (src.set)
			err = audio_set_source(au, src.mod, src.dev);
		if (!err && play.set)
			err = audio_set_player(au, play.mod, play.dev);
		if (err) {
			*errmsg = "the call's audio device could not be opened "
				  "(the default for new calls was changed)";
			return err;
		}
		err = ctrl_call_add(result, "call", call);
	}

	return err;
}

static const struct {
	const char *name;
	int (*h)(const struct odict *args, struct odict *result,
		 const char **errmsg);
} commands[] = {
	{"audio", cmd_audio},
	{"audio.set", cmd_audio_set},
};

int ctrl_audio_command(const char *cmd, const struct odict *args,
		       struct odict *result, const char **errmsg)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (0 == str_cmp(cmd, commands[i].name))
			return commands[i].h(args, result, errmsg);
	}

	return ENOENT;
}
