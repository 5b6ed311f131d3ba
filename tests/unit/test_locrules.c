/* Unit tests for locrules: the locator's decisions, as tables. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <re.h>
#include <errno.h>
#include <string.h>
#include "civic.h"
#include "location.h"
#include "held.h"
#include "locsource.h"
#include "locrules.h"

#define HELD_NS "urn:ietf:params:xml:ns:geopriv:held"

/* A locationResponse with a civic address (own text). */
static const char resp_found[] =
	"<locationResponse xmlns=\"" HELD_NS "\">"
	"<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" "
	"entity=\"pres:d@lis.example.com\"><tuple id=\"t\"><status>"
	"<geopriv xmlns=\"urn:ietf:params:xml:ns:pidf:geopriv10\">"
	"<location-info><civicAddress xmlns=\"urn:ietf:params:xml:ns:pidf:"
	"geopriv10:civicAddr\"><country>US</country><A1>WA</A1>"
	"<A3>Redmond</A3><RD>Main</RD><HNO>1</HNO></civicAddress>"
	"</location-info><usage-rules/><method>Wiremap</method></geopriv>"
	"</status></tuple></presence></locationResponse>";

static const char resp_empty[] =
	"<locationResponse xmlns=\"" HELD_NS "\">"
	"<locationUriSet expires=\"2030-01-01T00:00:00Z\">"
	"<locationURI>https://lis.example.com/l/1</locationURI>"
	"</locationUriSet></locationResponse>";

#define ERROR_DOC(code)                                                        \
	"<error xmlns=\"" HELD_NS "\" code=\"" code "\">"                      \
	"<message>said " code "</message></error>"

/* Every kind of answer a LIS can give, and what it means. */
static void answers(void **state)
{
	static const struct {
		const char *what;
		int err;
		uint16_t status;
		const char *body; /* NULL: none */
		const char *errtext;
		enum locsource_lis want;
		const char *detail; /* a prefix of it */
	} cases[] = {
		{"a location", 0, 200, resp_found, "", LOCSOURCE_LIS_FOUND, ""},
		{"a response without a location", 0, 200, resp_empty, "",
		 LOCSOURCE_LIS_UNKNOWN, "no location in its answer"},
		{"notLocatable", 0, 200, ERROR_DOC("notLocatable"), "",
		 LOCSOURCE_LIS_NOT_HERE, "said notLocatable"},
		{"locationUnknown", 0, 200, ERROR_DOC("locationUnknown"), "",
		 LOCSOURCE_LIS_UNKNOWN, "said locationUnknown"},
		{"another HELD error", 0, 200, ERROR_DOC("timeout"), "",
		 LOCSOURCE_LIS_FAILED, "HELD error timeout: said timeout"},
		{"an error in a 4xx", EPROTO, 400, ERROR_DOC("requestError"),
		 "HTTP 400", LOCSOURCE_LIS_FAILED, "HTTP 400"},
		{"not HELD", 0, 200, "<html>hello</html>", "",
		 LOCSOURCE_LIS_FAILED,
		 "https://lis.example/held answered HTTP 200 with a bad HELD "
		 "body"},
		{"no answer at all", ETIMEDOUT, 0, NULL,
		 "LIS https://lis.example/held timed out", LOCSOURCE_LIS_FAILED,
		 "LIS https://lis.example/held timed out"},
		{"no body, no words", ECONNREFUSED, 0, NULL, NULL,
		 LOCSOURCE_LIS_FAILED, "no answer"},
	};
	struct held_response resp;
	char detail[192];
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *b = cases[i].body;
		enum locsource_lis got;

		print_message("%s\n", cases[i].what);
		memset(&resp, 0, sizeof(resp));
		got = locrules_answer(&resp, cases[i].err, cases[i].status,
				      (const uint8_t *)b, b ? strlen(b) : 0,
				      "https://lis.example/held",
				      cases[i].errtext, detail, sizeof(detail));
		assert_int_equal(cases[i].want, got);
		assert_memory_equal(cases[i].detail, detail,
				    strlen(cases[i].detail));
		if (got == LOCSOURCE_LIS_FOUND)
			assert_string_equal(
				"Redmond",
				civic_get(&resp.loc.civic, CIVIC_A3));
		held_response_reset(&resp);
	}
}

/* A failing LIS is asked again soon, then less often; an answer resets. */
static void retries(void **state)
{
	static const struct {
		bool failed;
		uint32_t refresh_s;
		uint32_t delay; /* returned */
		uint32_t next;	/* *retry_s after */
	} steps[] = {
		{true, 3600, 15, 30},  {true, 3600, 30, 60},
		{true, 3600, 60, 120}, {false, 3600, 0, 0},
		{true, 3600, 15, 30},  {true, 40, 30, 40},
		{true, 40, 40, 40},    {true, 40, 40, 40},
		{false, 40, 0, 0},     {true, 10, 10, 10},
		{true, 10, 10, 10},    {false, 10, 0, 0},
	};
	uint32_t retry = 0;
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(steps); i++) {
		print_message("step %zu\n", i);
		assert_int_equal(steps[i].delay,
				 locrules_retry(&retry, steps[i].refresh_s,
						steps[i].failed));
		assert_int_equal(steps[i].next, retry);
	}

	/* doubling never wraps */
	retry = UINT32_MAX - 1;
	assert_int_equal(UINT32_MAX - 1,
			 locrules_retry(&retry, UINT32_MAX, true));
	assert_int_equal(UINT32_MAX, retry);
	assert_int_equal(0, locrules_retry(NULL, 10, true));
}

static void expiry(void **state)
{
	struct location loc;
	(void)state;

	memset(&loc, 0, sizeof(loc));
	assert_int_equal(1000 + 3600, locrules_expires(&loc, 1000, 3600));
	assert_int_equal(1000 + 3600, locrules_expires(NULL, 1000, 3600));

	/* a location URI that ends sooner ends the answer */
	loc.uric = 2;
	loc.uriv[0].expires = 0; /* none */
	loc.uriv[1].expires = 1500;
	assert_int_equal(1500, locrules_expires(&loc, 1000, 3600));
	/* ... later: refresh_interval still rules */
	loc.uriv[1].expires = 9000;
	assert_int_equal(4600, locrules_expires(&loc, 1000, 3600));
}

/* notLocatable (RFC 5985): primary, then the secondary. */
static void may_ask(void **state)
{
	static const struct {
		bool p_not, has_s, s_not, want;
	} cases[] = {
		{false, false, false, true}, {true, false, false, false},
		{true, true, false, true},   {true, true, true, false},
		{false, true, true, true},   {false, true, false, true},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(cases[i].want,
				 locrules_may_ask(cases[i].p_not,
						  cases[i].has_s,
						  cases[i].s_not));
}

static void while_asking(void **state)
{
	static const struct {
		enum locsource_lis lis;
		bool kept;
		enum locsource_lis want;
	} cases[] = {
		{LOCSOURCE_LIS_NONE, false, LOCSOURCE_LIS_PENDING},
		{LOCSOURCE_LIS_FOUND, false, LOCSOURCE_LIS_FOUND},
		{LOCSOURCE_LIS_FOUND, true, LOCSOURCE_LIS_FOUND},
		{LOCSOURCE_LIS_FAILED, true, LOCSOURCE_LIS_FAILED},
		{LOCSOURCE_LIS_FAILED, false, LOCSOURCE_LIS_PENDING},
		{LOCSOURCE_LIS_UNKNOWN, true, LOCSOURCE_LIS_PENDING},
		{LOCSOURCE_LIS_NOT_HERE, false, LOCSOURCE_LIS_PENDING},
		{LOCSOURCE_LIS_PENDING, false, LOCSOURCE_LIS_PENDING},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(
			cases[i].want,
			locrules_while_asking(cases[i].lis, cases[i].kept));
}

/* What a network change does with the answer in hand and the cache. */
static void network_changes(void **state)
{
	static const struct {
		const char *what;
		struct locrules_net_in in;
		enum locrules_net want;
	} cases[] = {
		{"the same request again",
		 {false, true, true, false, true},
		 LOCRULES_NET_SAME},
		{"the same, not yet named",
		 {false, true, false, false, false},
		 LOCRULES_NET_SAME},
		{"on VPN, even with the same request",
		 {true, true, true, false, true},
		 LOCRULES_NET_VPN},
		{"on VPN",
		 {true, false, false, false, false},
		 LOCRULES_NET_VPN},
		{"back where the cache has it",
		 {false, false, true, false, false},
		 LOCRULES_NET_CACHE},
		{"cached, but the LIS failed here: ask it",
		 {false, false, true, true, true},
		 LOCRULES_NET_ASK},
		{"new evidence on the same network",
		 {false, false, false, false, true},
		 LOCRULES_NET_ASK},
		{"another network",
		 {false, false, false, false, false},
		 LOCRULES_NET_ASK_AFRESH},
		{"another network after a failure",
		 {false, false, true, true, false},
		 LOCRULES_NET_ASK_AFRESH},
	};
	size_t i;
	(void)state;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("%s\n", cases[i].what);
		assert_int_equal(cases[i].want, locrules_network(&cases[i].in));
	}
	assert_int_equal(LOCRULES_NET_ASK_AFRESH, locrules_network(NULL));
}

static void civic_loc(struct location *loc, const char *city)
{
	memset(loc, 0, sizeof(*loc));
	loc->source = LOCATION_SOURCE_LIS;
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_COUNTRY, "US"));
	assert_int_equal(0, civic_set_str(&loc->civic, CIVIC_A3, city));
}

/* The last run's answer: only for its network; expired only as a last
 * resort. */
static void remembered(void **state)
{
	static const struct {
		const char *fp;
		bool use_expired;
		time_t expires;
		bool want;
	} cases[] = {
		{"ab12", false, 0, true},     {"ab12", false, 2000, true},
		{"ab12", false, 500, false},  {"ab12", true, 500, true},
		{"ab12", false, 1000, false}, {"cd34", false, 2000, false},
		{"cd34", true, 500, false},   {"", true, 2000, false},
		{NULL, true, 2000, false},
	};
	struct location loc, empty;
	size_t i;
	(void)state;

	civic_loc(&loc, "Redmond");
	memset(&empty, 0, sizeof(empty));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		print_message("case %zu\n", i);
		loc.expires = cases[i].expires;
		assert_int_equal(cases[i].want,
				 locrules_remembered(&loc, "ab12", cases[i].fp,
						     cases[i].use_expired,
						     1000));
	}
	assert_false(locrules_remembered(&empty, "ab12", "ab12", true, 1000));
	assert_false(locrules_remembered(NULL, "ab12", "ab12", true, 1000));
	location_reset(&loc);
}

/* The state file: what is written reads back; anything else is refused. */
static void state_file(void **state)
{
	static const char *const bad[] = {
		"",
		"not json",
		"[1,2]",
		"{\"fingerprint\":\"ab12\"}",
		"{\"location\":{\"source\":\"lis\"}}",
		"{\"fingerprint\":\"0123456789abcdef0\",\"location\":{}}",
		"{\"fingerprint\":7,\"location\":{}}",
		"{\"fingerprint\":\"ab12\",\"location\":\"x\"}",
		"{\"fingerprint\":\"ab12\",\"location\":{\"source\":\"mars\"}}",
	};
	struct location loc, back;
	char fp[LOCRULES_FP_SIZE];
	struct mbuf *mb;
	char *big;
	size_t i;
	(void)state;

	civic_loc(&loc, "Redmond");
	loc.validated = true;
	loc.obtained_at = 1700000000;
	loc.expires = 1700003600;
	memset(&back, 0, sizeof(back));

	mb = mbuf_alloc(256);
	assert_non_null(mb);
	assert_int_equal(0, locrules_state_encode(mb, "ab12", &loc));
	assert_int_equal('\n', mb->buf[mb->end - 1]);
	assert_int_equal(0, locrules_state_decode(
				    &back, fp, (const char *)mb->buf, mb->end));
	assert_string_equal("ab12", fp);
	assert_true(location_equal(&loc, &back));
	assert_int_equal(1700003600, back.expires);

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		print_message("bad %zu: %s\n", i, bad[i]);
		str_ncpy(fp, "kept", sizeof(fp));
		assert_int_equal(EBADMSG,
				 locrules_state_decode(&back, fp, bad[i],
						       strlen(bad[i])));
		assert_false(location_has_value(&back));
		assert_string_equal("kept", fp);
	}

	/* over the size read */
	big = mem_zalloc(LOCRULES_STATE_MAX + 2, NULL);
	assert_non_null(big);
	memcpy(big, mb->buf, mb->end);
	memset(big + mb->end, ' ', LOCRULES_STATE_MAX + 1 - mb->end);
	assert_int_equal(
		EBADMSG,
		locrules_state_decode(&back, fp, big, LOCRULES_STATE_MAX + 1));
	assert_int_equal(
		0, locrules_state_decode(&back, fp, big, LOCRULES_STATE_MAX));

	assert_int_equal(EINVAL, locrules_state_encode(NULL, "ab12", &loc));
	assert_int_equal(EINVAL, locrules_state_decode(NULL, fp, "{}", 2));

	mem_deref(big);
	mem_deref(mb);
	location_reset(&back);
	location_reset(&loc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(answers),
		cmocka_unit_test(retries),
		cmocka_unit_test(expiry),
		cmocka_unit_test(may_ask),
		cmocka_unit_test(while_asking),
		cmocka_unit_test(network_changes),
		cmocka_unit_test(remembered),
		cmocka_unit_test(state_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
