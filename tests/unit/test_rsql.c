#include <stdio.h>
#include <string.h>

#include "test_suites.h"
#include "testapi_rsql.h"

static int count(const char *s, const char *needle)
{
    int n = 0;
    for (s = strstr(s, needle); s; s = strstr(s + 1, needle)) {
        n++;
    }
    return n;
}

START_TEST(filters_choose_fragments_in_bit_order)
{
    const char *sql = testapi_rsql(test_pool,
                                   TESTAPI_Q_PROJECT | TESTAPI_Q_CASE |
                                       TESTAPI_Q_INSTALLER | TESTAPI_Q_TO,
                                   TESTAPI_RSQL_BATCH);
    const char *p = strstr(sql, "pr.name = %s");
    const char *c = strstr(sql, "tc.name = %s");
    const char *i = strstr(sql, "r.installer = %s");
    const char *t = strstr(sql, "r.t < %lld");
    ck_assert(p && c && i && t);
    ck_assert(p < c && c < i && i < t);
    ck_assert_ptr_null(strstr(sql, "pd.name = "));
    ck_assert(strstr(sql, "ORDER BY r.t DESC, r.oid DESC LIMIT %lld"));
}
END_TEST

START_TEST(values_are_never_in_the_text)
{
    unsigned all = TESTAPI_RSQL_FILTERS;
    const char *sql =
        testapi_rsql(test_pool, all, TESTAPI_RSQL_BATCH | TESTAPI_RSQL_CURSOR);
    /* 12 filters + cursor (3) + LIMIT */
    ck_assert_int_eq(count(sql, "%s") + count(sql, "%lld") + count(sql, "%lf"),
                     16);
    ck_assert_ptr_null(strchr(sql, '\''));
}
END_TEST

START_TEST(cursor_directions)
{
    const char *desc =
        testapi_rsql(test_pool, 0, TESTAPI_RSQL_BATCH | TESTAPI_RSQL_CURSOR);
    const char *asc_incl =
        testapi_rsql(test_pool, 0,
                     TESTAPI_RSQL_BATCH | TESTAPI_RSQL_CURSOR |
                         TESTAPI_RSQL_ASC | TESTAPI_RSQL_INCL);
    ck_assert(strstr(desc, "(r.t < %lld OR (r.t = %lld AND r.oid < %s))"));
    ck_assert(strstr(asc_incl, "(r.t > %lld OR (r.t = %lld AND r.oid >= %s))"));
    ck_assert(strstr(asc_incl, "ORDER BY r.t ASC, r.oid ASC"));
}
END_TEST

START_TEST(shapes)
{
    ck_assert(!strncmp(testapi_rsql(test_pool, 0, TESTAPI_RSQL_COUNT),
                       "SELECT COUNT(*)", 15));
    ck_assert(strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_PAGE),
                     "LIMIT %lld OFFSET %lld"));
    ck_assert(strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_NTH),
                     "LIMIT 1 OFFSET %lld"));
    ck_assert(
        strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_BY_ID), "r.oid = %s"));
}
END_TEST

START_TEST(labels_differ_per_statement)
{
    ck_assert_str_ne(
        testapi_rsql_label(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_BATCH),
        testapi_rsql_label(test_pool, TESTAPI_Q_POD, TESTAPI_RSQL_BATCH));
    ck_assert_str_ne(
        testapi_rsql_label(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_BATCH),
        testapi_rsql_label(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_PAGE));
    /* bits that are not filters do not make another statement */
    ck_assert_str_eq(
        testapi_rsql_label(test_pool, TESTAPI_Q_CASE | TESTAPI_Q_LAST,
                           TESTAPI_RSQL_BATCH),
        testapi_rsql_label(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_BATCH));
}
END_TEST

/* The index each filter set reads in order (see from_joins). */
START_TEST(filters_choose_the_index)
{
    static const struct {
        unsigned filters;
        const char *index;
        int straight;
    } cases[] = {
        {TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD, "testcase_time", 1},
        {TESTAPI_Q_PROJECT | TESTAPI_Q_PERIOD, "project_time", 1},
        {TESTAPI_Q_PROJECT | TESTAPI_Q_POD, "project_time", 1},
        {TESTAPI_Q_POD | TESTAPI_Q_INSTALLER, "pod_time", 1},
        {TESTAPI_Q_CASE | TESTAPI_Q_POD, NULL, 0},
        {TESTAPI_Q_INSTALLER | TESTAPI_Q_PERIOD, "time", 1},
        {0, "time", 1},
    };
    unsigned i, shape;
    char want[64];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (shape = TESTAPI_RSQL_COUNT; shape <= TESTAPI_RSQL_BATCH; shape++) {
            const char *sql = testapi_rsql(test_pool, cases[i].filters, shape);
            if (cases[i].index) {
                snprintf(want, sizeof(want), "results r FORCE INDEX (%s) ",
                         cases[i].index);
            }
            else {
                snprintf(want, sizeof(want), " FROM results r JOIN ");
            }
            ck_assert_msg(strstr(sql, want), "%u/%u: %s", cases[i].filters,
                          shape, sql);
            ck_assert_int_eq(count(sql, "STRAIGHT_JOIN"),
                             cases[i].straight ? 3 : 0);
            ck_assert_int_eq(count(sql, "JOIN "), 3);
        }
    }
    /* one result by id reads the oid key */
    ck_assert_ptr_null(strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_BY_ID),
                              "FORCE"));
}
END_TEST

Suite *rsql_suite(void)
{
    Suite *s = suite_create("rsql");
    TCase *tc = tcase_create("compose");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, filters_choose_fragments_in_bit_order);
    tcase_add_test(tc, values_are_never_in_the_text);
    tcase_add_test(tc, cursor_directions);
    tcase_add_test(tc, shapes);
    tcase_add_test(tc, labels_differ_per_statement);
    tcase_add_test(tc, filters_choose_the_index);
    suite_add_tcase(s, tc);
    return s;
}
