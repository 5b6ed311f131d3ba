/* policy_print: the effective policy as a kvconf file and as JSON. */

#include <re.h>
#include <string.h>
#include "policy.h"
#include "policy_value.h"

static int print_numbers(struct re_printf *pf, const char *key,
			 const struct policy_numbers *nums)
{
	size_t i;
	int err;

	if (!nums->n)
		return 0;

	err = re_hprintf(pf, "%s ", key);
	for (i = 0; i < nums->n && !err; i++)
		err = re_hprintf(pf, "%s%s", i ? "," : "", nums->v[i]);
	if (!err)
		err = re_hprintf(pf, "\n");

	return err;
}

static int print_masks(struct re_printf *pf, const struct policy *p)
{
	size_t i;
	int err;

	if (!p->dial_mask_count)
		return 0;

	err = re_hprintf(pf, "dial_masks ");
	for (i = 0; i < p->dial_mask_count && !err; i++)
		err = re_hprintf(pf, "%s%s:%s", i ? "," : "",
				 p->dial_masks[i].from, p->dial_masks[i].to);
	if (!err)
		err = re_hprintf(pf, "\n");

	return err;
}

static int print_notifications(struct re_printf *pf, const struct policy *p)
{
	size_t i;
	int err;

	if (!p->notification_uri_count)
		return 0;

	err = re_hprintf(pf, "notification_uris ");
	for (i = 0; i < p->notification_uri_count && !err; i++)
		err = re_hprintf(pf, "%s%s", i ? "," : "",
				 p->notification_uris[i]);
	if (!err)
		err = re_hprintf(pf, "\n");

	return err;
}

/* A duration in the largest unit that divides it: 4h, 30m, 90s. */
static char duration_unit(unsigned secs)
{
	return secs % 60 ? 's' : secs % 3600 ? 'm' : 'h';
}

static unsigned duration_value(unsigned secs)
{
	return secs % 60 ? secs : secs % 3600 ? secs / 60 : secs / 3600;
}

static int print_str(struct re_printf *pf, const char *key, const char *val)
{
	return val && val[0] ? re_hprintf(pf, "%s %s\n", key, val) : 0;
}

int policy_print(struct re_printf *pf, const struct policy *p)
{
	int err;

	if (!pf || !p)
		return EINVAL;

	err = re_hprintf(
		pf,
		"e911_enabled %s\n"
		"location_required %s\n"
		"location_for_emergency_only %s\n"
		"remember_locations %s\n"
		"send_location_uri %s\n"
		"signalling_profile %s\n"
		"elin_identity %s\n"
		"conference_mode %s\n"
		"callback_window %u\n"
		"failover_timeout_ms %u\n"
		"refresh_interval %u%c\n",
		policy_word(POLICY_WORDS_YES_NO, p->e911_enabled),
		policy_word(POLICY_WORDS_LOCATION, p->location_required),
		policy_word(POLICY_WORDS_YES_NO,
			    p->location_for_emergency_only),
		policy_word(POLICY_WORDS_YES_NO, p->remember_locations),
		policy_word(POLICY_WORDS_YES_NO, p->send_location_uri),
		policy_word(POLICY_WORDS_PROFILE, p->signalling_profile),
		policy_word(POLICY_WORDS_ELIN, p->elin_identity),
		policy_word(POLICY_WORDS_CONFERENCE, p->conference_mode),
		p->callback_window, p->failover_timeout_ms,
		duration_value(p->refresh_interval_s),
		duration_unit(p->refresh_interval_s));
	if (err)
		return err;

	err = print_numbers(pf, "dial_strings", &p->dial_strings);
	if (!err)
		err = print_masks(pf, p);
	if (!err)
		err = print_numbers(pf, "test_dial_strings",
				    &p->test_dial_strings);
	if (!err)
		err = print_str(pf, "outside_line_prefix",
				p->outside_line_prefix);
	if (!err)
		err = print_str(pf, "emergency_route", p->emergency_route);
	if (!err)
		err = print_str(pf, "emergency_proxy", p->emergency_proxy);
	if (!err)
		err = print_str(pf, "emergency_route_secondary",
				p->emergency_route_secondary);
	if (!err)
		err = print_str(pf, "emergency_proxy_secondary",
				p->emergency_proxy_secondary);
	if (!err)
		err = print_str(pf, "emergency_account", p->emergency_account);
	if (!err)
		err = print_notifications(pf, p);
	if (!err)
		err = print_str(pf, "conference_uri", p->conference_uri);
	if (!err)
		err = print_str(pf, "disclaimer_text", p->disclaimer_text);

	return err;
}

/* Add an array built by fill to o under key. */
static int add_array(struct odict *o, const char *key,
		     int (*fill)(struct odict *arr, const struct policy *p,
				 const void *what),
		     const struct policy *p, const void *what)
{
	struct odict *arr = NULL;
	int err;

	err = odict_alloc(&arr, 8);
	if (err)
		return err;

	err = fill(arr, p, what);
	if (!err)
		err = odict_entry_add(o, key, ODICT_ARRAY, arr);

	mem_deref(arr);
	return err;
}

static int fill_numbers(struct odict *arr, const struct policy *p,
			const void *what)
{
	const struct policy_numbers *nums = what;
	char idx[16];
	size_t i;
	int err = 0;
	(void)p;

	for (i = 0; i < nums->n && !err; i++) {
		re_snprintf(idx, sizeof(idx), "%zu", i);
		err = odict_entry_add(arr, idx, ODICT_STRING, nums->v[i]);
	}

	return err;
}

static int fill_masks(struct odict *arr, const struct policy *p,
		      const void *what)
{
	char idx[16];
	size_t i;
	int err = 0;
	(void)what;

	for (i = 0; i < p->dial_mask_count && !err; i++) {
		struct odict *m = NULL;

		err = odict_alloc(&m, 2);
		if (err)
			break;
		re_snprintf(idx, sizeof(idx), "%zu", i);
		err = odict_entry_add(m, "from", ODICT_STRING,
				      p->dial_masks[i].from);
		if (!err)
			err = odict_entry_add(m, "to", ODICT_STRING,
					      p->dial_masks[i].to);
		if (!err)
			err = odict_entry_add(arr, idx, ODICT_OBJECT, m);
		mem_deref(m);
	}

	return err;
}

static int fill_notifications(struct odict *arr, const struct policy *p,
			      const void *what)
{
	char idx[16];
	size_t i;
	int err = 0;
	(void)what;

	for (i = 0; i < p->notification_uri_count && !err; i++) {
		re_snprintf(idx, sizeof(idx), "%zu", i);
		err = odict_entry_add(arr, idx, ODICT_STRING,
				      p->notification_uris[i]);
	}

	return err;
}

/* A string, or null when unset. */
static int add_str(struct odict *o, const char *key, const char *val)
{
	if (!val || !val[0])
		return odict_entry_add(o, key, ODICT_NULL);

	return odict_entry_add(o, key, ODICT_STRING, val);
}

static int encode_scalars(struct odict *o, const struct policy *p)
{
	int err;

	err = odict_entry_add(o, "e911_enabled", ODICT_BOOL,
			      (int)p->e911_enabled);
	if (!err)
		err = odict_entry_add(o, "location_required", ODICT_STRING,
				      policy_word(POLICY_WORDS_LOCATION,
						  p->location_required));
	if (!err)
		err = odict_entry_add(o, "location_for_emergency_only",
				      ODICT_BOOL,
				      (int)p->location_for_emergency_only);
	if (!err)
		err = odict_entry_add(o, "remember_locations", ODICT_BOOL,
				      (int)p->remember_locations);
	if (!err)
		err = odict_entry_add(o, "send_location_uri", ODICT_BOOL,
				      (int)p->send_location_uri);
	if (!err)
		err = odict_entry_add(o, "signalling_profile", ODICT_STRING,
				      policy_word(POLICY_WORDS_PROFILE,
						  p->signalling_profile));
	if (!err)
		err = odict_entry_add(
			o, "elin_identity", ODICT_STRING,
			policy_word(POLICY_WORDS_ELIN, p->elin_identity));
	if (!err)
		err = odict_entry_add(o, "conference_mode", ODICT_STRING,
				      policy_word(POLICY_WORDS_CONFERENCE,
						  p->conference_mode));
	if (!err)
		err = odict_entry_add(o, "callback_window", ODICT_INT,
				      (int64_t)p->callback_window);
	if (!err)
		err = odict_entry_add(o, "failover_timeout_ms", ODICT_INT,
				      (int64_t)p->failover_timeout_ms);
	if (!err)
		err = odict_entry_add(o, "refresh_interval_s", ODICT_INT,
				      (int64_t)p->refresh_interval_s);

	return err;
}

static int encode_lists_and_strings(struct odict *o, const struct policy *p)
{
	int err;

	err = add_array(o, "dial_strings", fill_numbers, p, &p->dial_strings);
	if (!err)
		err = add_array(o, "dial_masks", fill_masks, p, NULL);
	if (!err)
		err = add_array(o, "test_dial_strings", fill_numbers, p,
				&p->test_dial_strings);
	if (!err)
		err = add_str(o, "outside_line_prefix", p->outside_line_prefix);
	if (!err)
		err = add_str(o, "emergency_route", p->emergency_route);
	if (!err)
		err = add_str(o, "emergency_proxy", p->emergency_proxy);
	if (!err)
		err = add_str(o, "emergency_route_secondary",
			      p->emergency_route_secondary);
	if (!err)
		err = add_str(o, "emergency_proxy_secondary",
			      p->emergency_proxy_secondary);
	if (!err)
		err = add_str(o, "emergency_account", p->emergency_account);
	if (!err)
		err = add_array(o, "notification_uris", fill_notifications, p,
				NULL);
	if (!err)
		err = add_str(o, "conference_uri", p->conference_uri);
	if (!err)
		err = add_str(o, "disclaimer_text", p->disclaimer_text);

	return err;
}

int policy_encode(struct odict **odp, const struct policy *p)
{
	struct odict *o = NULL;
	int err;

	if (!odp || !p)
		return EINVAL;

	err = odict_alloc(&o, 32);
	if (err)
		return err;

	err = encode_scalars(o, p);
	if (!err)
		err = encode_lists_and_strings(o, p);

	if (err)
		mem_deref(o);
	else
		*odp = o;

	return err;
}
