/* simlog: the LIS simulator's request log, one JSON object per line. */

#include <re.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "civic.h"
#include "simtext.h"
#include "heldreq.h"
#include "wiremap.h"
#include "simmode.h"
#include "simlog.h"

struct simlog {
	FILE *f;
};

static void simlog_destructor(void *arg)
{
	struct simlog *log = arg;

	if (log->f)
		fclose(log->f);
}

int simlog_open(struct simlog **logp, const char *path)
{
	struct simlog *log;

	if (!logp || !path)
		return EINVAL;

	log = mem_zalloc(sizeof(*log), simlog_destructor);
	if (!log)
		return ENOMEM;

	log->f = fopen(path, "a");
	if (!log->f) {
		int err = errno;

		mem_deref(log);
		return err;
	}

	*logp = log;
	return 0;
}

/* Wall-clock time in UTC with milliseconds. */
static int now_print(struct re_printf *pf, void *arg)
{
	struct timespec ts;
	struct tm tm;
	(void)arg;

	if (clock_gettime(CLOCK_REALTIME, &ts) || !gmtime_r(&ts.tv_sec, &tm))
		return EINVAL;

	return re_hprintf(pf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
			  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			  tm.tm_hour, tm.tm_min, tm.tm_sec,
			  (int)(ts.tv_nsec / 1000000));
}

static int pl_json_print(struct re_printf *pf, const struct pl *pl)
{
	char buf[256];

	if (!pl || !pl->p)
		return re_hprintf(pf, "null");

	(void)pl_strcpy(pl, buf, sizeof(buf));
	return sim_json_print(pf, buf);
}

static int lldp_id_json_print(struct re_printf *pf, const struct lldp_id *id)
{
	const struct sim_bytes b = {id->v, id->len};

	return re_hprintf(pf, "{\"type\":%u,\"hex\":\"%H\"}", id->type,
			  sim_hex_print, &b);
}

static int device_json_print(struct re_printf *pf, const struct heldreq *req)
{
	size_t i;
	int err;

	err = re_hprintf(pf, "\"device\":{\"ip\":[");
	for (i = 0; i < req->ipc && !err; i++)
		err = re_hprintf(pf, "%s\"%j\"", i ? "," : "", &req->ipv[i]);
	if (!err)
		err = re_hprintf(pf, "],\"mac\":[");
	for (i = 0; i < req->macc && !err; i++)
		err = re_hprintf(pf, "%s\"%H\"", i ? "," : "", sim_mac_print,
				 req->macv[i]);
	if (!err)
		err = re_hprintf(pf, "],\"uri\":[");
	for (i = 0; i < req->uric && !err; i++)
		err = re_hprintf(pf, "%s%H", i ? "," : "", sim_json_print,
				 req->uriv[i]);
	if (!err)
		err = re_hprintf(pf, "]}");

	return err;
}

static int measurements_json_print(struct re_printf *pf,
				   const struct heldreq *req)
{
	size_t i;
	int err;

	err = re_hprintf(pf, "\"lldp\":[");
	for (i = 0; i < req->lldpc && !err; i++)
		err = re_hprintf(pf, "%s{\"chassis\":%H,\"port\":%H}",
				 i ? "," : "", lldp_id_json_print,
				 &req->lldpv[i].chassis, lldp_id_json_print,
				 &req->lldpv[i].port);
	if (!err)
		err = re_hprintf(pf, "],\"wifi\":[");
	for (i = 0; i < req->bssidc && !err; i++)
		err = re_hprintf(pf, "%s\"%H\"", i ? "," : "", sim_mac_print,
				 req->bssidv[i]);
	if (!err)
		err = re_hprintf(pf, "]");

	return err;
}

static int request_json_print(struct re_printf *pf, const struct heldreq *req)
{
	static const char *const rtimes[] = {
		[HELDREQ_RT_NONE] = NULL,
		[HELDREQ_RT_ROUTING] = "emergencyRouting",
		[HELDREQ_RT_DISPATCH] = "emergencyDispatch",
		[HELDREQ_RT_MS] = NULL,
	};
	int err;

	if (!req)
		return re_hprintf(pf, "\"request\":null");

	err = re_hprintf(pf, "\"request\":{\"responseTime\":");
	if (!err && req->rtime == HELDREQ_RT_MS)
		err = re_hprintf(pf, "%u", req->rtime_ms);
	else if (!err)
		err = re_hprintf(pf, "%H", sim_json_print, rtimes[req->rtime]);
	if (!err)
		err = re_hprintf(pf, ",\"locationType\":\"%H\",\"exact\":%s,",
				 heldreq_loctypes_print, &req->loctypes,
				 req->exact ? "true" : "false");
	if (!err)
		err = device_json_print(pf, req);
	if (!err)
		err = re_hprintf(pf, ",");
	if (!err)
		err = measurements_json_print(pf, req);
	if (!err)
		err = re_hprintf(pf, "}");

	return err;
}

static int rule_json_print(struct re_printf *pf,
			   const struct wiremap_entry *ent)
{
	if (!ent)
		return re_hprintf(pf, "\"rule\":null");

	return re_hprintf(pf,
			  "\"rule\":{\"kind\":\"%s\",\"key\":%H,\"line\":%u}",
			  wiremap_kind_name(ent->kind), sim_json_print,
			  ent->key, ent->line);
}

static int rec_json_print(struct re_printf *pf, const struct simlog_rec *rec)
{
	int err;

	err = re_hprintf(pf,
			 "{\"time\":\"%H\",\"listener\":%H,\"peer\":\"%J\","
			 "\"method\":%H,\"path\":%H,\"mode\":\"%H\",",
			 now_print, NULL, sim_json_print, rec->listener,
			 rec->peer, pl_json_print, rec->method, pl_json_print,
			 rec->path, simmode_print, rec->mode);
	if (!err)
		err = request_json_print(pf, rec->req);
	if (!err)
		err = re_hprintf(pf, ",");
	if (!err)
		err = rule_json_print(pf, rec->ent);
	if (!err)
		err = re_hprintf(pf,
				 ",\"answer\":%H,\"code\":%H,\"status\":%u,"
				 "\"loc_id\":%H,\"delay_ms\":%u}\n",
				 sim_json_print, rec->answer, sim_json_print,
				 rec->code, rec->status, sim_json_print,
				 rec->loc_id, rec->delay_ms);

	return err;
}

int simlog_write(struct simlog *log, const struct simlog_rec *rec)
{
	struct mbuf *mb;
	int err;

	if (!log || !rec || !rec->peer || !rec->mode)
		return EINVAL;

	mb = mbuf_alloc(1024);
	if (!mb)
		return ENOMEM;

	err = mbuf_printf(mb, "%H", rec_json_print, rec);
	if (err)
		goto out;

	if (fwrite(mb->buf, 1, mb->end, log->f) != mb->end || fflush(log->f))
		err = EIO;

out:
	mem_deref(mb);
	return err;
}
