#include <stdio.h>
#include <string.h>

#include "test_suites.h"
#include "core/testapi_date.h"
#include "core/testapi_query.h"

#define DAY_USEC (APR_INT64_C(86400) * APR_USEC_PER_SEC)
/* 2016-09-30T10:11:12.123456Z */
#define NOW APR_INT64_C(1475230272123456)

static testapi_query q;

static const char *results(const char *args)
{
    return testapi_query_parse(test_pool, args, TESTAPI_Q_RESULTS, NOW, &q);
}

static const char *dashboard(const char *args)
{
    return testapi_query_parse(test_pool, args, TESTAPI_Q_DASHBOARD, NOW, &q);
}

static void assert_msg(const char *got, const char *want, const char *args)
{
    ck_assert_msg(got && !strcmp(got, want), "%s: got \"%s\", want \"%s\"",
                  args, got ? got : "(null)", want);
}

#define ASSERT_OK(args)                                                        \
    do {                                                                       \
        const char *why_ = results(args);                                      \
        ck_assert_msg(why_ == NULL, "%s: %s", args, why_);                     \
    } while (0)

START_TEST(empty_args_give_defaults)
{
    const char *none[] = {NULL, "", "&", "&&&"};
    for (int i = 0; i < 4; i++) {
        memset(&q, 0xa5, sizeof(q));
        ck_assert_ptr_null(results(none[i]));
        ck_assert_uint_eq(q.present, 0);
        ck_assert_ptr_null(q.project);
        ck_assert_ptr_null(q.case_name);
        ck_assert_ptr_null(q.criteria);
        ck_assert_int_eq(q.descend, 1);
        ck_assert(q.page == 1);
        ck_assert(q.last == 0);
        ck_assert(q.since == 0);
    }
}
END_TEST

START_TEST(all_results_parameters_parsed)
{
    ASSERT_OK("project=functest&case=vping_ssh&pod=zte-pod1&installer=fuel"
              "&version=colorado&scenario=os-odl_l2-nofeature-ha"
              "&build_tag=jenkins-1&criteria=PASS&trust_indicator=0.7"
              "&period=30&last=10&from=2016-09-01&to=2016-09-30+10:11:12"
              "&descend=false&page=3");
    ck_assert_uint_eq(q.present, TESTAPI_Q_RESULTS);
    ck_assert_str_eq(q.project, "functest");
    ck_assert_str_eq(q.case_name, "vping_ssh");
    ck_assert_str_eq(q.pod, "zte-pod1");
    ck_assert_str_eq(q.installer, "fuel");
    ck_assert_str_eq(q.version, "colorado");
    ck_assert_str_eq(q.scenario, "os-odl_l2-nofeature-ha");
    ck_assert_str_eq(q.build_tag, "jenkins-1");
    ck_assert_str_eq(q.criteria, "PASS");
    ck_assert(q.trust == 0.7);
    ck_assert(q.since == NOW - 30 * DAY_USEC);
    ck_assert(q.last == 10);
    ck_assert(q.from == 1472688000000000);
    ck_assert(q.to == 1475230272000000);
    ck_assert_int_eq(q.descend, 0);
    ck_assert(q.page == 3);
}
END_TEST

START_TEST(dashboard_parameters_parsed)
{
    ck_assert_ptr_null(dashboard("project=functest&case=vping_ssh&pod=p"
                                 "&installer=fuel&version=v&scenario=s"
                                 "&period=7&from=2016-09-01&to=2016-09-30"));
    ck_assert_uint_eq(q.present, TESTAPI_Q_DASHBOARD);
    ck_assert(q.since == NOW - 7 * DAY_USEC);
    ck_assert(q.to == 1475193600000000);
}
END_TEST

START_TEST(form_decoding_once)
{
    ASSERT_OK("project=a+b%20c&pod=a%2541&case=%C3%A9t%c3%a9");
    ck_assert_str_eq(q.project, "a b c");
    ck_assert_str_eq(q.pod, "a%41");
    ck_assert_str_eq(q.case_name, "\xc3\xa9t\xc3\xa9");
    /* The name is decoded too, and the value runs past later '='. */
    ASSERT_OK("pro%6Aect=x&build%5Ftag=a%3Db%26c=d");
    ck_assert_str_eq(q.project, "x");
    ck_assert_str_eq(q.build_tag, "a=b&c=d");
    /* Raw UTF-8 is fine too. */
    ASSERT_OK("pod=\xc3\xa9");
    ck_assert_str_eq(q.pod, "\xc3\xa9");
}
END_TEST

START_TEST(malformed_escape_refused)
{
    const char *bad[] = {"project=%zz",  "project=%4",  "project=%",
                         "project=a%g1", "%zz=1",       "pro%6=x",
                         "page=%",       "project=%%41"};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_msg(results(bad[i]), "malformed %-escape in query string",
                   bad[i]);
    }
}
END_TEST

START_TEST(empty_pieces_skipped)
{
    ASSERT_OK("&&project=a&&&pod=b&");
    ck_assert_uint_eq(q.present, TESTAPI_Q_PROJECT | TESTAPI_Q_POD);
    ck_assert_str_eq(q.project, "a");
    ck_assert_str_eq(q.pod, "b");
}
END_TEST

START_TEST(duplicate_parameter_refused)
{
    assert_msg(results("project=a&project=b"),
               "duplicate query parameter [project]", "different");
    assert_msg(results("pod=a&pod=a"), "duplicate query parameter [pod]",
               "same value");
    assert_msg(results("project=&project=a"),
               "duplicate query parameter [project]", "empty first");
    assert_msg(results("project=a&project="),
               "duplicate query parameter [project]", "empty second");
    assert_msg(results("case&case"), "duplicate query parameter [case]",
               "no '='");
    assert_msg(results("period=0&period=1"),
               "duplicate query parameter [period]", "period 0");
    assert_msg(results("page=1&pa%67e=1"), "duplicate query parameter [page]",
               "encoded name");
    assert_msg(dashboard("from=2016-01-01&from=2016-01-01"),
               "duplicate query parameter [from]", "dashboard");
}
END_TEST

START_TEST(unknown_parameter_refused)
{
    assert_msg(results("foo=1"), "unknown query parameter [foo]", "foo");
    assert_msg(results("Project=a"), "unknown query parameter [Project]",
               "case sensitive");
    assert_msg(results("case_name=a"), "unknown query parameter [case_name]",
               "struct name");
    assert_msg(results("=a"), "unknown query parameter []", "empty name");
    assert_msg(results("a+b=1"), "unknown query parameter [a b]", "decoded");
    assert_msg(results("project=a&x"), "unknown query parameter [x]",
               "bare name");
    /* Known names the dashboard does not take. */
    assert_msg(dashboard("last=1"), "unknown query parameter [last]", "last");
    assert_msg(dashboard("page=1"), "unknown query parameter [page]", "page");
    assert_msg(dashboard("descend=true"), "unknown query parameter [descend]",
               "descend");
    assert_msg(dashboard("trust_indicator=1"),
               "unknown query parameter [trust_indicator]", "trust");
    assert_msg(dashboard("build_tag=x"), "unknown query parameter [build_tag]",
               "build_tag");
    assert_msg(dashboard("criteria=x"), "unknown query parameter [criteria]",
               "criteria");
    assert_msg(
        testapi_query_parse(test_pool, "pod=x", TESTAPI_Q_PROJECT, NOW, &q),
        "unknown query parameter [pod]", "allowed mask");
}
END_TEST

START_TEST(value_must_be_utf8_without_nul)
{
    assert_msg(results("project=a%00b"),
               "project must be valid UTF-8 without NUL", "NUL");
    assert_msg(results("pod=%ff"), "pod must be valid UTF-8 without NUL",
               "escaped byte");
    assert_msg(results("scenario=\xc3"),
               "scenario must be valid UTF-8 without NUL", "raw byte");
    assert_msg(results("case=%C0%AF"), "case must be valid UTF-8 without NUL",
               "overlong");
    assert_msg(results("page=%00"), "page must be valid UTF-8 without NUL",
               "numeric");
    assert_msg(results("from=%ff"), "from must be valid UTF-8 without NUL",
               "date");
}
END_TEST

START_TEST(name_must_be_utf8_without_nul)
{
    const char *why = "query parameter names must be valid UTF-8 without NUL";
    assert_msg(results("%ff=1"), why, "escaped byte");
    assert_msg(results("pod%00=1"), why, "NUL");
    assert_msg(results("\xff=1"), why, "raw byte");
}
END_TEST

START_TEST(int_parameters_must_be_int)
{
    const char *names[] = {"period", "last", "page"};
    const char *bad[] = {"x",
                         "1.5",
                         "+1",
                         "%2B1",
                         "1+",
                         "-+1",
                         "1-",
                         "",
                         "-",
                         "--1",
                         "1e3",
                         "0x10",
                         "1_0",
                         "99999999999999999999",
                         "9223372036854775808",
                         "-9223372036854775809"};
    char args[64], want[32];

    for (int n = 0; n < 3; n++) {
        for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            snprintf(args, sizeof(args), "%s=%s", names[n], bad[i]);
            snprintf(want, sizeof(want), "%s must be int", names[n]);
            assert_msg(results(args), want, args);
        }
        snprintf(args, sizeof(args), "%s", names[n]);
        snprintf(want, sizeof(want), "%s must be int", names[n]);
        assert_msg(results(args), want, args);
    }
    assert_msg(dashboard("period=abc"), "period must be int", "dashboard");
}
END_TEST

START_TEST(int_limits)
{
    ASSERT_OK("last=9223372036854775807&page=9223372036854775807");
    ck_assert(q.last == APR_INT64_MAX);
    ck_assert(q.page == APR_INT64_MAX);
    ASSERT_OK("last=0007&page=01");
    ck_assert(q.last == 7);
    ck_assert(q.page == 1);
    ASSERT_OK("last=-0");
    ck_assert(q.last == 0);
    ck_assert_uint_eq(q.present, TESTAPI_Q_LAST);
    assert_msg(results("page=-9223372036854775808"), "page must be >= 1",
               "int64 min");
}
END_TEST

START_TEST(page_must_be_positive)
{
    assert_msg(results("page=0"), "page must be >= 1", "0");
    assert_msg(results("page=-1"), "page must be >= 1", "-1");
    ASSERT_OK("page=1");
    ck_assert_uint_eq(q.present, TESTAPI_Q_PAGE);
    ck_assert(q.page == 1);
}
END_TEST

START_TEST(last_must_not_be_negative)
{
    assert_msg(results("last=-1"), "last must be >= 0", "-1");
    assert_msg(results("last=-9223372036854775808"), "last must be >= 0",
               "int64 min");
    ASSERT_OK("last=0");
    ck_assert_uint_eq(q.present, TESTAPI_Q_LAST);
    ck_assert(q.last == 0);
}
END_TEST

START_TEST(period_limits_time)
{
    ASSERT_OK("period=30");
    ck_assert_uint_eq(q.present, TESTAPI_Q_PERIOD);
    ck_assert(q.since == NOW - 30 * DAY_USEC);
    ASSERT_OK("period=1");
    ck_assert(q.since == NOW - DAY_USEC);
}
END_TEST

START_TEST(period_not_positive_means_no_limit)
{
    ASSERT_OK("period=0");
    ck_assert_uint_eq(q.present, 0);
    ck_assert(q.since == 0);
    ASSERT_OK("period=-5");
    ck_assert_uint_eq(q.present, 0);
    ASSERT_OK("period=-9223372036854775808");
    ck_assert_uint_eq(q.present, 0);
}
END_TEST

START_TEST(huge_period_clamped)
{
    ASSERT_OK("period=9223372036854775807");
    ck_assert_uint_eq(q.present, TESTAPI_Q_PERIOD);
    ck_assert(q.since == TESTAPI_DATE_MIN);
    /* 2016-09-30 is 736236 days after 0001-01-01. */
    ASSERT_OK("period=736236");
    ck_assert(q.since == NOW - 736236 * DAY_USEC);
    ck_assert(q.since > TESTAPI_DATE_MIN);
    ASSERT_OK("period=736237");
    ck_assert(q.since == TESTAPI_DATE_MIN);
}
END_TEST

START_TEST(descend_true_or_false)
{
    ASSERT_OK("descend=true");
    ck_assert_int_eq(q.descend, 1);
    ck_assert_uint_eq(q.present, TESTAPI_Q_DESCEND);
    ASSERT_OK("descend=false");
    ck_assert_int_eq(q.descend, 0);
    const char *bad[] = {"descend=TRUE",  "descend=1",    "descend=0",
                         "descend=",      "descend",      "descend=yes",
                         "descend=true+", "descend=False"};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_msg(results(bad[i]), "descend must be true or false", bad[i]);
    }
}
END_TEST

START_TEST(from_and_to_are_dates)
{
    ASSERT_OK("from=2016-05-28T14:41:58.384Z&to=2016-09-30+10%3A11%3A12%2B02"
              "%3A00");
    ck_assert_uint_eq(q.present, TESTAPI_Q_FROM | TESTAPI_Q_TO);
    ck_assert(q.from == 1464446518384000);
    ck_assert(q.to == 1475223072000000);
    ASSERT_OK("from=2016-05-23%2007:16:09.477097");
    ck_assert(q.from == 1463987769477097);
    assert_msg(results("from=2016-5-3"), "from must be a date", "from");
    assert_msg(results("to=yesterday"), "to must be a date", "to");
    assert_msg(results("to="), "to must be a date", "empty");
    assert_msg(results("from"), "from must be a date", "bare");
    /* An unencoded '+' in the zone is a space. */
    assert_msg(results("from=2016-09-30T10:11:12+02:00"), "from must be a date",
               "plus");
    assert_msg(dashboard("to=2015-02-29"), "to must be a date", "dashboard");
}
END_TEST

START_TEST(trust_indicator_is_a_number)
{
    ASSERT_OK("trust_indicator=0.7");
    ck_assert_uint_eq(q.present, TESTAPI_Q_TRUST);
    ck_assert(q.trust == 0.7);
    ASSERT_OK("trust_indicator=1e-2");
    ck_assert(q.trust == 0.01);
    ASSERT_OK("trust_indicator=-3");
    ck_assert(q.trust == -3.0);
    ASSERT_OK("trust_indicator=1");
    ck_assert(q.trust == 1.0);
    /* strtod takes leading white space, so an unencoded '+' sign works. */
    ASSERT_OK("trust_indicator=+0.5");
    ck_assert(q.trust == 0.5);
    const char *bad[] = {"trust_indicator=",      "trust_indicator",
                         "trust_indicator=abc",   "trust_indicator=0.5x",
                         "trust_indicator=1e999", "trust_indicator=inf",
                         "trust_indicator=nan",   "trust_indicator=-infinity",
                         "trust_indicator=1+"};
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_msg(results(bad[i]), "trust_indicator must be a number", bad[i]);
    }
}
END_TEST

START_TEST(empty_string_filter_ignored)
{
    ASSERT_OK("project=&case&pod=&installer=&version=&scenario=&build_tag="
              "&criteria=");
    ck_assert_uint_eq(q.present, 0);
    ck_assert_ptr_null(q.project);
    ck_assert_ptr_null(q.case_name);
    ck_assert_ptr_null(q.criteria);
    ASSERT_OK("project=&pod=x");
    ck_assert_uint_eq(q.present, TESTAPI_Q_POD);
}
END_TEST

START_TEST(string_values_literal)
{
    ASSERT_OK("project=%25_a*&pod=100%25_sure&criteria=+");
    ck_assert_str_eq(q.project, "%_a*");
    ck_assert_str_eq(q.pod, "100%_sure");
    /* A lone space is not empty. */
    ck_assert_str_eq(q.criteria, " ");
    ck_assert_uint_eq(q.present,
                      TESTAPI_Q_PROJECT | TESTAPI_Q_POD | TESTAPI_Q_CRITERIA);
}
END_TEST

START_TEST(first_problem_reported)
{
    assert_msg(results("foo=1&page=0"), "unknown query parameter [foo]",
               "unknown first");
    assert_msg(results("page=0&foo=1"), "page must be >= 1", "page first");
    assert_msg(results("page=x&page=1"), "page must be int", "bad then dup");
    assert_msg(results("foo=%zz"), "unknown query parameter [foo]",
               "name before value");
}
END_TEST

Suite *query_suite(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("decoding");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, empty_args_give_defaults);
    tcase_add_test(tc, all_results_parameters_parsed);
    tcase_add_test(tc, dashboard_parameters_parsed);
    tcase_add_test(tc, form_decoding_once);
    tcase_add_test(tc, malformed_escape_refused);
    tcase_add_test(tc, empty_pieces_skipped);
    tcase_add_test(tc, duplicate_parameter_refused);
    tcase_add_test(tc, unknown_parameter_refused);
    tcase_add_test(tc, value_must_be_utf8_without_nul);
    tcase_add_test(tc, name_must_be_utf8_without_nul);
    tcase_add_test(tc, first_problem_reported);
    suite_add_tcase(s, tc);
    tc = tcase_create("values");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, int_parameters_must_be_int);
    tcase_add_test(tc, int_limits);
    tcase_add_test(tc, page_must_be_positive);
    tcase_add_test(tc, last_must_not_be_negative);
    tcase_add_test(tc, period_limits_time);
    tcase_add_test(tc, period_not_positive_means_no_limit);
    tcase_add_test(tc, huge_period_clamped);
    tcase_add_test(tc, descend_true_or_false);
    tcase_add_test(tc, from_and_to_are_dates);
    tcase_add_test(tc, trust_indicator_is_a_number);
    tcase_add_test(tc, empty_string_filter_ignored);
    tcase_add_test(tc, string_values_literal);
    suite_add_tcase(s, tc);
    return s;
}
