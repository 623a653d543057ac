#include <math.h>
#include <string.h>

#include <apr_strings.h>

#include "test_suites.h"
#include "core/dashboard/testapi_dashboard_computation.h"
#include "core/testapi_json.h"

static json_object *json(const char *text)
{
    json_object *o = NULL;
    const char *why;
    testapi_json_parse(test_pool, text, strlen(text), &o, &why);
    return o;
}

/* A result from the JSON of a POST body. */
static testapi_dash_result *result(const char *text)
{
    static const char *const keys[TESTAPI_DASH_NFIELDS] = {
        "project_name", "case_name", "pod_name", "installer",  "version",
        "scenario",     "build_tag", "criteria", "start_date", "stop_date"};
    testapi_dash_result *res = apr_pcalloc(test_pool, sizeof(*res));
    json_object *body = json(text), *v;
    int i;

    ck_assert_ptr_nonnull(body);
    for (i = 0; i < TESTAPI_DASH_NFIELDS; i++) {
        if (json_object_object_get_ex(body, keys[i], &v) && v) {
            res->field[i] = json_object_get_string(v);
        }
    }
    json_object_object_get_ex(body, "details", &res->details);
    res->x = res->field[TESTAPI_DASH_F_START_DATE];
    if (json_object_object_get_ex(body, "t", &v)) {
        res->t = json_object_get_int64(v);
    }
    if (json_object_object_get_ex(body, "_id", &v)) {
        res->oid = json_object_get_string(v);
    }
    return res;
}

static testapi_dashdecl *declare(const char *text)
{
    testapi_dashdecl *decl;
    const char *err =
        testapi_dashdecl_parse(test_pool, text, strlen(text), &decl);
    ck_assert_msg(err == NULL, "%s", err);
    return decl;
}

/* The value of one series declared as 'value', for a result whose details
 * are 'details': "-" when missing, else its JSON text. */
static const char *ev(const char *value, const char *details)
{
    testapi_dashdecl *decl = declare(apr_psprintf(
        test_pool,
        "{\"projects\": {\"p\": {\"cases\": {\"c\": {\"graphs\": [{\"name\": "
        "\"g\", \"type\": \"graph\", \"series\": [{\"label\": \"l\", "
        "\"value\": %s}]}]}}}}}",
        value));
    const testapi_dash_result *res = result(apr_psprintf(
        test_pool, "{\"criteria\": \"PASS\", \"details\": %s}", details));
    double num = 0;
    json_object *j = NULL;

    switch (
        testapi_dash_eval(&decl->projects[0].cases[0].graphs[0].series[0].value,
                          res, test_pool, &num, &j)) {
    case 0:
        return "-";
    case 1:
        return testapi_dash_format_number(test_pool, num);
    default:
        return testapi_json_text(j, NULL);
    }
}

/* A condition, declared as a case's "pass", on a result. */
static int cond(const char *c, const char *result_json)
{
    testapi_dashdecl *decl = declare(apr_psprintf(
        test_pool,
        "{\"projects\": {\"p\": {\"cases\": {\"c\": {\"pass\": %s, "
        "\"graphs\": []}}}}}",
        c));
    return testapi_dash_test(decl->projects[0].cases[0].pass,
                             result(result_json), test_pool);
}

/* The whole answer for case c of project p, from the given results. */
static const char *answer(const char *decl_text, const char *p, const char *c,
                          const char *const *results)
{
    testapi_dashdecl *decl = declare(decl_text);
    const testapi_dash_project *project = testapi_dashdecl_project(decl, p);
    const testapi_dash_case *tc =
        strcmp(c, "status") ? testapi_dashdecl_case(project, c) : NULL;
    testapi_dash_run *run = testapi_dash_run_make(test_pool, project, tc, c);
    apr_size_t len;
    const char *out;
    int i;

    for (i = 0; results[i]; i++) {
        apr_pool_t *scratch;
        testapi_dash_result *res = result(results[i]);
        if (!res->oid) {
            /* in the order given, unless the result says otherwise */
            res->t = res->t ? res->t : i + 1;
            res->oid = apr_psprintf(test_pool, "%024d", i);
        }
        apr_pool_create(&scratch, test_pool);
        testapi_dash_run_feed(run, res, scratch);
        apr_pool_destroy(scratch);
    }
    out = testapi_dash_run_finish(run, &len);
    ck_assert_uint_eq(strlen(out), len);
    ck_assert_ptr_nonnull(json(out)); /* always valid JSON */
    return out;
}

/* ---- numbers ----------------------------------------------------------- */

START_TEST(numbers_and_numbers_as_strings)
{
    static const struct {
        const char *json;
        int ok;
        double v;
    } cases[] = {
        {"12", 1, 12},
        {"-3.5", 1, -3.5},
        {"1e3", 1, 1000},
        {"\" 16.84\"", 1, 16.84},
        {"\"     16.84\"", 1, 16.84},
        {"\"00007\"", 1, 7},
        {"\"99.26\"", 1, 99.26},
        {"\"-.5\"", 1, -0.5},
        {"\"1.\"", 1, 1},
        {"\"2E-2\"", 1, 0.02},
        {"\" 7\\n\"", 1, 7},
        {"\"\"", 0, 0},
        {"\"  \"", 0, 0},
        {"\"612118.38k\"", 0, 0},
        {"\"9s\"", 0, 0},
        {"\"inf\"", 0, 0},
        {"\"nan\"", 0, 0},
        {"\"0x10\"", 0, 0},
        {"\"1.2.3\"", 0, 0},
        {"\"+\"", 0, 0},
        {"\"1e\"", 0, 0},
        {"\"1 2\"", 0, 0},
        {"true", 0, 0},
        {"[1]", 0, 0},
        {"{\"a\": 1}", 0, 0},
    };
    size_t i;
    double d;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        d = -12345;
        ck_assert_msg(testapi_dash_number(json(cases[i].json), &d) ==
                          cases[i].ok,
                      "%s", cases[i].json);
        if (cases[i].ok) {
            ck_assert_msg(fabs(d - cases[i].v) < 1e-12, "%s: %g", cases[i].json,
                          d);
        }
    }
    ck_assert_int_eq(testapi_dash_number(NULL, &d), 0);
}
END_TEST

START_TEST(seconds)
{
    static const struct {
        const char *json;
        int ok;
        double v;
    } cases[] = {
        {"\"0:00:11.384312\"", 1, 11},
        {"\"0:00:09.501877\"", 1, 10},
        {"\"1:02:03\"", 1, 3723},
        {"\"1:02:03.5\"", 1, 3724},
        {"\"2:30\"", 1, 150},
        {"\"42.4\"", 1, 42},
        {"42.6", 1, 43},
        {"\" 0:00:01\"", 1, 1},
        {"\"abc\"", 0, 0},
        {"\"1:-2:3\"", 0, 0},
        {"\"0:00:\"", 0, 0},
        {"\":12\"", 0, 0},
        {"\"1:2:3:4\"", 0, 0},
        {"\"0:00:-1\"", 0, 0},
        {"\"0:0x:10\"", 0, 0},
        {"null", 0, 0},
    };
    size_t i;
    double d;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_msg(testapi_dash_seconds(json(cases[i].json), &d) ==
                          cases[i].ok,
                      "%s", cases[i].json);
        if (cases[i].ok) {
            ck_assert_msg(d == cases[i].v, "%s: %g", cases[i].json, d);
        }
    }
}
END_TEST

START_TEST(number_text)
{
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 12), "12");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, -0.0), "0");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 0.1), "0.1");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 99.26), "99.26");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 1e300), "1e+300");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 1.0 / 3),
                     "0.3333333333333333");
    ck_assert_str_eq(testapi_dash_format_number(test_pool, 14515978),
                     "14515978");
}
END_TEST

/* ---- values ------------------------------------------------------------ */

START_TEST(paths_pass_values_as_sent)
{
    ck_assert_str_eq(ev("\"details.duration\"", "{\"duration\": 31.4}"),
                     "31.4");
    ck_assert_str_eq(ev("\"details.duration\"", "{\"duration\": \"9s\"}"),
                     "\"9s\"");
    ck_assert_str_eq(
        ev("\"details.duration\"", "{\"duration\": \"     16.84\"}"),
        "\"     16.84\"");
    ck_assert_str_eq(ev("\"details.a.b\"", "{\"a\": {\"b\": [1, 2]}}"),
                     "[1,2]");
    ck_assert_str_eq(ev("\"details[-1].summary[\\\"nb success\\\"]\"",
                        "[{\"x\": 1}, {\"summary\": {\"nb success\": "
                        "\"99.26\"}}]"),
                     "\"99.26\"");
    ck_assert_str_eq(ev("\"details[1]\"", "[\"a\", \"b\", \"c\"]"), "\"b\"");
    ck_assert_str_eq(ev("\"details[-3]\"", "[\"a\", \"b\", \"c\"]"), "\"a\"");
    ck_assert_str_eq(ev("\"details[\\\"64\\\"]\"", "{\"64\": \"10.5\"}"),
                     "\"10.5\"");
    ck_assert_str_eq(ev("\"criteria\"", "{}"), "\"PASS\"");
    /* the first of several */
    ck_assert_str_eq(ev("\"details[*].a\"", "[{\"b\": 1}, {\"a\": 2}, "
                                            "{\"a\": 3}]"),
                     "2");
}
END_TEST

START_TEST(missing_paths_are_skipped)
{
    ck_assert_str_eq(ev("\"details.duration\"", "{}"), "-");
    ck_assert_str_eq(ev("\"details.duration\"", "{\"duration\": null}"), "-");
    ck_assert_str_eq(ev("\"details.a.b\"", "{\"a\": \"x\"}"), "-");
    ck_assert_str_eq(ev("\"details.a\"", "[1, 2]"), "-");
    ck_assert_str_eq(ev("\"details[3]\"", "[1, 2]"), "-");
    ck_assert_str_eq(ev("\"details[-3]\"", "[1, 2]"), "-");
    ck_assert_str_eq(ev("\"details[0]\"", "{\"0\": 1}"), "-");
    ck_assert_str_eq(ev("\"details.x\"", "null"), "-");
    ck_assert_str_eq(ev("\"details.x\"", "\"\""), "-");
    ck_assert_str_eq(ev("\"stop_date\"", "{}"), "-");
}
END_TEST

START_TEST(conversions)
{
    ck_assert_str_eq(ev("{\"path\": \"details.d\", \"as\": \"number\"}",
                        "{\"d\": \" 16.84\"}"),
                     "16.84");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"as\": \"number\"}", "{\"d\": \"\"}"),
        "-");
    ck_assert_str_eq(ev("{\"path\": \"details.d\", \"as\": \"seconds\"}",
                        "{\"d\": \"0:00:11.384312\"}"),
                     "11");
    ck_assert_str_eq(ev("{\"path\": \"details.d\", \"as\": \"seconds\"}",
                        "{\"d\": \"garbage\"}"),
                     "-");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"int\": true}", "{\"d\": 1602.31}"),
        "1602");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"int\": true}", "{\"d\": -2.7}"), "-2");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"scale\": 1000}", "{\"d\": 0.312}"),
        "312");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"scale\": 2}", "{\"d\": \"x\"}"), "-");
    ck_assert_str_eq(
        ev("{\"path\": \"details.d\", \"as\": \"sent\"}", "{\"d\": \"x\"}"),
        "\"x\"");
}
END_TEST

START_TEST(aggregates_over_an_array)
{
    const char *rtt = "[{\"runner_id\": 1}, {\"benchmark\": {\"data\": "
                      "{\"rtt\": 0.5}}}, {\"benchmark\": {\"data\": {\"rtt\": "
                      "\"1.5\"}}}, {\"benchmark\": {\"data\": {\"rtt\": "
                      "\"x\"}}}, {\"benchmark\": {\"data\": {}}}, "
                      "{\"benchmark\": {\"data\": {\"rtt\": 4}}}]";

    ck_assert_str_eq(ev("{\"avg\": \"details[*].benchmark.data.rtt\"}", rtt),
                     "2");
    ck_assert_str_eq(ev("{\"min\": \"details[*].benchmark.data.rtt\"}", rtt),
                     "0.5");
    ck_assert_str_eq(ev("{\"max\": \"details[*].benchmark.data.rtt\"}", rtt),
                     "4");
    ck_assert_str_eq(ev("{\"sum\": \"details[*].benchmark.data.rtt\"}", rtt),
                     "6");
    /* no number at all: missing */
    ck_assert_str_eq(ev("{\"avg\": \"details[*].x\"}", "[{\"x\": \"a\"}]"),
                     "-");
    ck_assert_str_eq(ev("{\"sum\": \"details[*].x\"}", "[]"), "-");
    /* object members too, and nested wildcards */
    ck_assert_str_eq(ev("{\"avg\": \"details[*].rtt.*\"}",
                        "[{\"rtt\": {\"ares\": 1, \"zeus\": \"3\"}}]"),
                     "2");
    ck_assert_str_eq(ev("{\"max\": \"details[*].l[*].v\"}",
                        "[{\"l\": [{\"v\": 1}, {\"v\": 9}]}, {\"l\": [{\"v\": "
                        "5}]}]"),
                     "9");
}
END_TEST

START_TEST(counts)
{
    const char *odl = "{\"details\": [{\"s\": {\"@status\": \"PASS\"}}, "
                      "{\"s\": {\"@status\": \"FAIL\"}}, {\"s\": "
                      "{\"@status\": \"FAIL\"}}, {\"t\": 1}]}";

    ck_assert_str_eq(ev("{\"count\": \"details.details[*]\"}", odl), "4");
    ck_assert_str_eq(ev("{\"count\": \"details.details[*].s[\\\"@status\\\"]\","
                        " \"in\": [\"FAIL\"]}",
                        odl),
                     "2");
    ck_assert_str_eq(ev("{\"count\": \"details.details[*].s[\\\"@status\\\"]\","
                        " \"in\": [\"FAIL\", \"PASS\"]}",
                        odl),
                     "3");
    ck_assert_str_eq(ev("{\"count\": \"details.details[*].s[\\\"@status\\\"]\","
                        " \"in\": [\"SKIP\"]}",
                        odl),
                     "0");
    /* an empty array counts 0; no array at all is missing */
    ck_assert_str_eq(
        ev("{\"count\": \"details.details[*]\"}", "{\"details\": []}"), "0");
    ck_assert_str_eq(ev("{\"count\": \"details.details[*]\"}", "{}"), "-");
    ck_assert_str_eq(
        ev("{\"count\": \"details.details[*].r\"}", "{\"details\": \"\"}"),
        "-");
    /* numbers, booleans: compared by type and value */
    ck_assert_str_eq(ev("{\"count\": \"details[*]\", \"in\": [0]}",
                        "[0, 0.0, \"0\", false, 1]"),
                     "2");
    ck_assert_str_eq(
        ev("{\"count\": \"details[*]\", \"in\": [false]}", "[0, false, true]"),
        "1");
    ck_assert_str_eq(
        ev("{\"count\": \"details.s\", \"in\": [\"OK\"]}", "{\"s\": \"NOK\"}"),
        "0");
}
END_TEST

START_TEST(combinations)
{
    const char *t = "{\"tests\": 211, \"failures\": 2}";

    ck_assert_str_eq(
        ev("{\"diff\": [\"details.tests\", \"details.failures\"]}", t), "209");
    ck_assert_str_eq(
        ev("{\"percent\": [{\"diff\": [\"details.tests\", "
           "\"details.failures\"]}, \"details.tests\"], \"int\": true}",
           t),
        "99");
    ck_assert_str_eq(
        ev("{\"percent\": [\"details.failures\", \"details.tests\"]}",
           "{\"tests\": 8, \"failures\": \"2\"}"),
        "25");
    ck_assert_str_eq(
        ev("{\"percent\": [\"details.failures\", \"details.tests\"]}",
           "{\"tests\": 0, \"failures\": 0}"),
        "-");
    ck_assert_str_eq(
        ev("{\"percent\": [\"details.failures\", \"details.tests\"]}",
           "{\"tests\": 3}"),
        "-");
    ck_assert_str_eq(
        ev("{\"first\": [\"details.a\", \"details.b\"]}", "{\"b\": \"B\"}"),
        "\"B\"");
    ck_assert_str_eq(ev("{\"first\": [{\"avg\": \"details.r\"}, {\"avg\": "
                        "\"details.r.*\"}]}",
                        "{\"r\": {\"ares\": 0.58}}"),
                     "0.58");
    ck_assert_str_eq(ev("{\"first\": [\"details.a\", \"details.b\"]}", "{}"),
                     "-");
}
END_TEST

START_TEST(conditions)
{
    const char *ok = "{\"details\": {\"status\": \"OK\"}}";
    const char *pass = "{\"details\": {\"status\": \"PASS\"}}";
    const char *nok = "{\"details\": {\"status\": \"NOK\"}}";
    const char *none = "{\"details\": {}}";
    const char *any = "{\"any\": \"details.status\", \"in\": [\"OK\", "
                      "\"PASS\"]}";
    const char *yard = "{\"details\": [{\"runner_id\": 1}, {\"benchmark\": "
                       "{\"errors\": \"\"}}, {\"benchmark\": {\"errors\": "
                       "[\"rtt > sla\"]}}]}";
    const char *all = "{\"all\": \"details[*].benchmark.errors\", \"in\": "
                      "[\"\"]}";

    ck_assert(cond(any, ok));
    ck_assert(cond(any, pass));
    ck_assert(!cond(any, nok));
    ck_assert(!cond(any, none));
    ck_assert(!cond(all, yard));
    ck_assert(cond(all, "{\"details\": [{\"benchmark\": {\"errors\": "
                        "\"\"}}]}"));
    /* no value at all: every one of them is in the set */
    ck_assert(cond(all, "{\"details\": [{\"runner_id\": 1}]}"));
    ck_assert(cond(apr_psprintf(test_pool, "{\"not\": %s}", any), nok));
    ck_assert(!cond(apr_psprintf(test_pool, "{\"not\": %s}", any), ok));
    ck_assert(cond(apr_psprintf(test_pool,
                                "{\"and\": [%s, {\"any\": \"criteria\", "
                                "\"in\": [\"PASS\"]}]}",
                                any),
                   "{\"criteria\": \"PASS\", \"details\": {\"status\": "
                   "\"OK\"}}"));
    ck_assert(!cond(apr_psprintf(test_pool,
                                 "{\"and\": [%s, {\"any\": \"criteria\", "
                                 "\"in\": [\"PASS\"]}]}",
                                 any),
                    ok));
    ck_assert(cond(apr_psprintf(test_pool,
                                "{\"or\": [%s, {\"any\": \"criteria\", "
                                "\"in\": [\"passed\"]}]}",
                                any),
                   "{\"criteria\": \"passed\"}"));
}
END_TEST

/* ---- whole answers ----------------------------------------------------- */

static const char vping_decl[] =
    "{\"projects\": {\"functest\": {\"status\": \"Functest status\", "
    "\"cases\": {"
    "\"vPing\": {\"aliases\": [\"vping_ssh\"],"
    " \"pass\": {\"any\": \"details.status\", \"in\": [\"OK\", \"PASS\"]},"
    " \"graphs\": ["
    "  {\"name\": \"vPing duration\", \"type\": \"graph\","
    "   \"series\": [{\"label\": \"duration (s)\", \"value\": "
    "\"details.duration\"}]},"
    "  {\"name\": \"vPing status\", \"type\": \"bar\", \"bars\": ["
    "   {\"label\": \"Nb tests\", \"value\": {\"count\": true}},"
    "   {\"label\": \"Nb Success\", \"value\": {\"count\": true, \"where\": "
    "{\"any\": \"details.status\", \"in\": [\"OK\", \"PASS\"]}}}]}]},"
    "\"Tempest\": {\"pass\": {\"any\": \"criteria\", \"in\": [\"PASS\"]},"
    " \"graphs\": ["
    "  {\"name\": \"t\", \"type\": \"graph\", \"xlabel\": \"when\","
    "   \"series\": [{\"label\": \"tests\", \"value\": \"details.tests\"},"
    "                {\"label\": \"failures\", \"value\": "
    "\"details.failures\"}]},"
    "  {\"name\": \"totals\", \"type\": \"bar\", \"bars\": ["
    "   {\"label\": \"Run\", \"value\": {\"sum\": \"details.tests\"}},"
    "   {\"label\": \"Failed\", \"value\": {\"sum\": \"details.failures\"}},"
    "   {\"label\": \"avg\", \"value\": {\"avg\": \"details.tests\"}},"
    "   {\"label\": \"min\", \"value\": {\"min\": \"details.tests\"}},"
    "   {\"label\": \"max\", \"value\": {\"max\": \"details.tests\"}},"
    "   {\"label\": \"rate\", \"value\": {\"percent\": [{\"sum\": "
    "\"details.failures\"}, {\"sum\": \"details.tests\"}]}},"
    "   {\"label\": \"passed\", \"value\": {\"percent\": [{\"count\": true, "
    "\"where\": {\"any\": \"criteria\", \"in\": [\"PASS\"]}}, {\"count\": "
    "true}]}}]}]}}}}}";

START_TEST(per_result_graph_and_bar)
{
    const char *const results[] = {
        "{\"start_date\": \"2016-01-01 00:00:00\", \"details\": {\"duration\": "
        "31.4, \"status\": \"OK\"}}",
        "{\"start_date\": \"2016-01-02\", \"details\": {\"duration\": \"9s\", "
        "\"status\": \"NOK\"}}",
        "{\"details\": {\"status\": \"PASS\"}}",
        "{\"start_date\": \"2016-09-30 05:11:58\", \"details\": null}", NULL};

    ck_assert_str_eq(
        answer(vping_decl, "functest", "vping_ssh", results),
        "[{\"description\":\"vping_ssh results for Dashboard\"},"
        "{\"name\":\"vPing duration\",\"info\":{\"type\":\"graph\",\"xlabel\":"
        "\"time\",\"ylabel\":\"duration (s)\"},\"data_set\":["
        "{\"x\":\"2016-01-01 00:00:00\",\"y\":31.4},"
        "{\"x\":\"2016-01-02\",\"y\":\"9s\"}]},"
        "{\"name\":\"vPing status\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"Nb tests\":4,\"Nb Success\":2}]}]");
}
END_TEST

START_TEST(several_series_and_every_aggregate)
{
    const char *const results[] = {
        "{\"criteria\": \"PASS\", \"start_date\": \"a\", \"details\": "
        "{\"tests\": 200, \"failures\": 0}}",
        "{\"criteria\": \"FAIL\", \"start_date\": \"b\", \"details\": "
        "{\"tests\": \"100\", \"failures\": \"10\"}}",
        "{\"criteria\": \"FAIL\", \"start_date\": \"c\", \"details\": "
        "{\"failures\": 5}}",
        "{\"criteria\": \"FAIL\", \"start_date\": \"d\", \"details\": "
        "{\"tests\": \"many\"}}",
        NULL};

    ck_assert_str_eq(
        answer(vping_decl, "functest", "Tempest", results),
        "[{\"description\":\"Tempest results for Dashboard\"},"
        "{\"name\":\"t\",\"info\":{\"type\":\"graph\",\"xlabel\":\"when\","
        "\"y1label\":\"tests\",\"y2label\":\"failures\"},\"data_set\":["
        "{\"x\":\"a\",\"y1\":200,\"y2\":0},"
        "{\"x\":\"b\",\"y1\":\"100\",\"y2\":\"10\"},"
        "{\"x\":\"c\",\"y2\":5},"
        "{\"x\":\"d\",\"y1\":\"many\"}]},"
        "{\"name\":\"totals\",\"info\":{\"type\":\"bar\"},\"data_set\":[{"
        "\"Run\":300,\"Failed\":15,\"avg\":150,\"min\":100,\"max\":200,"
        "\"rate\":5,\"passed\":25}]}]");
}
END_TEST

START_TEST(empty_selection)
{
    const char *const none[] = {NULL};

    ck_assert_str_eq(
        answer(vping_decl, "functest", "Tempest", none),
        "[{\"description\":\"Tempest results for Dashboard\"},"
        "{\"name\":\"t\",\"info\":{\"type\":\"graph\",\"xlabel\":\"when\","
        "\"y1label\":\"tests\",\"y2label\":\"failures\"},\"data_set\":[]},"
        "{\"name\":\"totals\",\"info\":{\"type\":\"bar\"},\"data_set\":[{"
        "\"Run\":0,\"Failed\":0,\"avg\":0,\"min\":0,\"max\":0,\"rate\":0,"
        "\"passed\":0}]}]");
    ck_assert_str_eq(
        answer(vping_decl, "functest", "status", none),
        "[{\"description\":\"Functest status\"},"
        "{\"name\":\"pass rate (%)\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":0,\"Tempest\":0}]},"
        "{\"name\":\"Nb tests\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":0,\"Tempest\":0}]},"
        "{\"name\":\"Nb Success\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":0,\"Tempest\":0}]}]");
}
END_TEST

START_TEST(status_is_the_pass_rate_per_case)
{
    const char *const results[] = {
        "{\"case_name\": \"vPing\", \"details\": {\"status\": \"OK\"}}",
        "{\"case_name\": \"vping_ssh\", \"details\": {\"status\": \"PASS\"}}",
        "{\"case_name\": \"vping_ssh\", \"details\": {\"status\": \"FAIL\"}}",
        "{\"case_name\": \"Tempest\", \"criteria\": \"FAIL\"}",
        "{\"case_name\": \"Tempest\", \"criteria\": \"PASS\"}",
        "{\"case_name\": \"Tempest\", \"criteria\": \"PASS\"}",
        "{\"case_name\": \"other\", \"criteria\": \"PASS\"}",
        NULL};

    ck_assert_str_eq(
        answer(vping_decl, "functest", "status", results),
        "[{\"description\":\"Functest status\"},"
        "{\"name\":\"pass rate (%)\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":66.67,\"Tempest\":66.67}]},"
        "{\"name\":\"Nb tests\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":3,\"Tempest\":3}]},"
        "{\"name\":\"Nb Success\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"vPing\":2,\"Tempest\":2}]}]");
}
END_TEST

static const char last_decl[] =
    "{\"projects\": {\"b\": {\"cases\": {"
    "\"rubbos\": {\"graphs\": [{\"name\": \"r\", \"type\": \"graph\", "
    "\"from\": \"last\", \"each\": \"details[*]\", \"xlabel\": \"clients\", "
    "\"x\": {\"path\": \"item.client\", \"as\": \"number\"}, "
    "\"series\": [{\"label\": \"tp\", \"value\": \"item.throughput\"}]}]},"
    "\"tu1\": {\"graphs\": ["
    " {\"name\": \"g\", \"type\": \"graph\", \"from\": \"last\", \"each\": "
    "\"details.*\", \"sort\": true, \"xlabel\": \"pktsize\", \"x\": "
    "{\"path\": \"key\", \"as\": \"number\"}, \"series\": [{\"label\": "
    "\"kpps\", \"value\": {\"path\": \"item.Bandwidth\", \"scale\": 1000}}]},"
    " {\"name\": \"b\", \"type\": \"bar\", \"from\": \"last\", \"each\": "
    "\"details.*\", \"label\": \"key\", \"value\": {\"path\": "
    "\"item.Bandwidth\", \"scale\": 1000}}]}}}}}";

START_TEST(points_of_the_newest_result)
{
    const char *const results[] = {
        "{\"details\": [{\"client\": 1, \"throughput\": 10}]}",
        "{\"details\": [{\"client\": \"500\", \"throughput\": 71}, "
        "{\"client\": 1000}, {\"throughput\": 5}, {\"client\": 1500, "
        "\"throughput\": 204}]}",
        /* newer, but without points: the ones before stay */
        "{\"details\": \"\"}", "{\"details\": []}", NULL};

    ck_assert_str_eq(
        answer(last_decl, "b", "rubbos", results),
        "[{\"description\":\"rubbos results for Dashboard\"},"
        "{\"name\":\"r\",\"info\":{\"type\":\"graph\",\"xlabel\":\"clients\","
        "\"ylabel\":\"tp\"},\"data_set\":[{\"x\":500,\"y\":71},"
        "{\"x\":1500,\"y\":204}]}]");
}
END_TEST

START_TEST(points_of_object_members_sorted)
{
    const char *const results[] = {
        "{\"details\": {\"64\": {\"Bandwidth\": 0.1}}}",
        "{\"details\": {\"64\": {\"Bandwidth\": 0.312}, \"1024\": "
        "{\"Bandwidth\": 0.154}, \"128\": {\"Bandwidth\": \"0.296\"}, "
        "\"jumbo\": {\"Bandwidth\": 0.001}, \"256\": {}}}",
        NULL};
    const char *const none[] = {NULL};

    ck_assert_str_eq(
        answer(last_decl, "b", "tu1", results),
        "[{\"description\":\"tu1 results for Dashboard\"},"
        "{\"name\":\"g\",\"info\":{\"type\":\"graph\",\"xlabel\":\"pktsize\","
        "\"ylabel\":\"kpps\"},\"data_set\":[{\"x\":64,\"y\":312},"
        "{\"x\":128,\"y\":296},{\"x\":1024,\"y\":154}]},"
        "{\"name\":\"b\",\"info\":{\"type\":\"bar\"},\"data_set\":[{"
        "\"64\":312,\"1024\":154,\"128\":296,\"jumbo\":1}]}]");
    ck_assert_str_eq(
        answer(last_decl, "b", "tu1", none),
        "[{\"description\":\"tu1 results for Dashboard\"},"
        "{\"name\":\"g\",\"info\":{\"type\":\"graph\",\"xlabel\":\"pktsize\","
        "\"ylabel\":\"kpps\"},\"data_set\":[]},"
        "{\"name\":\"b\",\"info\":{\"type\":\"bar\"},\"data_set\":[{}]}]");
}
END_TEST

START_TEST(results_in_any_order)
{
    /* as when each name of a case is read in turn */
    const char *const results[] = {
        "{\"t\": 30, \"_id\": \"b\", \"start_date\": \"3\", \"details\": "
        "{\"duration\": 3, \"status\": \"OK\"}}",
        "{\"t\": 10, \"_id\": \"a\", \"start_date\": \"1\", \"details\": "
        "{\"duration\": 1, \"status\": \"OK\"}}",
        "{\"t\": 30, \"_id\": \"a\", \"start_date\": \"2\", \"details\": "
        "{\"duration\": 2, \"status\": \"NOK\"}}",
        "{\"t\": 40, \"_id\": \"a\", \"start_date\": \"4\", \"details\": "
        "{\"duration\": 4}}",
        NULL};
    const char *const last[] = {
        "{\"t\": 5, \"_id\": \"x\", \"details\": [{\"client\": 1, "
        "\"throughput\": 1}]}",
        "{\"t\": 9, \"_id\": \"x\", \"details\": [{\"client\": 9, "
        "\"throughput\": 9}]}",
        "{\"t\": 12, \"_id\": \"x\", \"details\": []}",
        "{\"t\": 7, \"_id\": \"x\", \"details\": [{\"client\": 7, "
        "\"throughput\": 7}]}",
        NULL};

    ck_assert_str_eq(
        answer(vping_decl, "functest", "vPing", results),
        "[{\"description\":\"vPing results for Dashboard\"},"
        "{\"name\":\"vPing duration\",\"info\":{\"type\":\"graph\",\"xlabel\":"
        "\"time\",\"ylabel\":\"duration (s)\"},\"data_set\":["
        "{\"x\":\"1\",\"y\":1},{\"x\":\"2\",\"y\":2},{\"x\":\"3\",\"y\":3},"
        "{\"x\":\"4\",\"y\":4}]},"
        "{\"name\":\"vPing status\",\"info\":{\"type\":\"bar\"},\"data_set\":"
        "[{\"Nb tests\":4,\"Nb Success\":2}]}]");
    /* the newest result with points, whatever came after it */
    ck_assert(strstr(answer(last_decl, "b", "rubbos", last),
                     "\"data_set\":[{\"x\":9,\"y\":9}]"));
}
END_TEST

START_TEST(names_to_select)
{
    testapi_dashdecl *decl = declare(vping_decl);
    const testapi_dash_project *p = testapi_dashdecl_project(decl, "functest");
    const char **names;

    ck_assert_int_eq(testapi_dash_names(test_pool, p, &p->cases[0], &names), 2);
    ck_assert_str_eq(names[0], "vPing");
    ck_assert_str_eq(names[1], "vping_ssh");
    ck_assert_int_eq(testapi_dash_names(test_pool, p, NULL, &names), 3);
    ck_assert_str_eq(names[2], "Tempest");
}
END_TEST

Suite *dashcalc_suite(void)
{
    Suite *s = suite_create("dashcalc");
    TCase *tc = tcase_create("values");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, numbers_and_numbers_as_strings);
    tcase_add_test(tc, seconds);
    tcase_add_test(tc, number_text);
    tcase_add_test(tc, paths_pass_values_as_sent);
    tcase_add_test(tc, missing_paths_are_skipped);
    tcase_add_test(tc, conversions);
    tcase_add_test(tc, aggregates_over_an_array);
    tcase_add_test(tc, counts);
    tcase_add_test(tc, combinations);
    tcase_add_test(tc, conditions);
    suite_add_tcase(s, tc);
    tc = tcase_create("answers");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, per_result_graph_and_bar);
    tcase_add_test(tc, several_series_and_every_aggregate);
    tcase_add_test(tc, empty_selection);
    tcase_add_test(tc, status_is_the_pass_rate_per_case);
    tcase_add_test(tc, points_of_the_newest_result);
    tcase_add_test(tc, points_of_object_members_sorted);
    tcase_add_test(tc, results_in_any_order);
    tcase_add_test(tc, names_to_select);
    suite_add_tcase(s, tc);
    return s;
}
