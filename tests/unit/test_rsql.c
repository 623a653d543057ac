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

START_TEST(ordered_shapes_read_results_in_index_order)
{
    const unsigned one_case = TESTAPI_Q_PROJECT | TESTAPI_Q_CASE;
    const unsigned shapes[] = {TESTAPI_RSQL_PAGE, TESTAPI_RSQL_NTH,
                               TESTAPI_RSQL_BATCH,
                               TESTAPI_RSQL_BATCH | TESTAPI_RSQL_CURSOR};
    size_t i;

    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        unsigned sh = shapes[i];
        const char *sql;

        /* One known testcase: its results, then pods. */
        sql = testapi_rsql(test_pool, one_case | TESTAPI_Q_POD, sh);
        ck_assert(!strncmp(sql, "SELECT r.", 9));
        ck_assert(strstr(sql, " FROM results r JOIN"));
        ck_assert(strstr(sql, " STRAIGHT_JOIN pods pd "));
        /* A pod: the pod, then its results. */
        sql = testapi_rsql(test_pool, TESTAPI_Q_POD | TESTAPI_Q_PROJECT, sh);
        ck_assert(!strncmp(sql, "SELECT STRAIGHT_JOIN r.", 23));
        ck_assert(strstr(sql, " FROM pods pd JOIN results r ON"));
        /* No name: results first. */
        sql = testapi_rsql(test_pool, TESTAPI_Q_INSTALLER | TESTAPI_Q_PERIOD,
                           sh);
        ck_assert(!strncmp(sql, "SELECT STRAIGHT_JOIN r.", 23));
        ck_assert(strstr(sql, " FROM results r JOIN"));
        /* Project or case alone: the optimizer's choice. */
        sql = testapi_rsql(test_pool, TESTAPI_Q_CASE, sh);
        ck_assert(!strncmp(sql, "SELECT r.", 9));
        ck_assert(!strstr(sql, "STRAIGHT_JOIN"));
    }
    /* Counting and one result by id: the optimizer's choice. */
    ck_assert(!strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_COUNT),
                      "STRAIGHT_JOIN"));
    ck_assert(!strstr(testapi_rsql(test_pool, one_case, TESTAPI_RSQL_COUNT),
                      "STRAIGHT_JOIN"));
    ck_assert(!strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_BY_ID),
                      "STRAIGHT_JOIN"));
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

Suite *rsql_suite(void)
{
    Suite *s = suite_create("rsql");
    TCase *tc = tcase_create("compose");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, filters_choose_fragments_in_bit_order);
    tcase_add_test(tc, values_are_never_in_the_text);
    tcase_add_test(tc, cursor_directions);
    tcase_add_test(tc, shapes);
    tcase_add_test(tc, ordered_shapes_read_results_in_index_order);
    tcase_add_test(tc, labels_differ_per_statement);
    suite_add_tcase(s, tc);
    return s;
}
