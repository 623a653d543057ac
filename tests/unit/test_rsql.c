#include <string.h>

#include <apr_strings.h>

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

/* The inner select of a list joins only what its filters name. */
static const char *inner(const char *sql)
{
    const char *k = strstr(sql, ") k ");
    ck_assert_ptr_nonnull(k);
    return apr_pstrndup(test_pool, sql, (apr_size_t)(k - sql));
}

START_TEST(lists_join_only_what_filters_need)
{
    const char *by_case = inner(
        testapi_rsql(test_pool, TESTAPI_Q_CASE | TESTAPI_Q_PERIOD,
                     TESTAPI_RSQL_BATCH));
    const char *by_pod = inner(
        testapi_rsql(test_pool, TESTAPI_Q_POD, TESTAPI_RSQL_BATCH));
    const char *none = inner(testapi_rsql(test_pool, 0, TESTAPI_RSQL_PAGE));

    ck_assert(strstr(by_case, "JOIN testcases tc"));
    ck_assert_ptr_null(strstr(by_case, "JOIN projects"));
    ck_assert_ptr_null(strstr(by_case, "JOIN pods"));
    ck_assert(strstr(by_pod, "JOIN pods pd"));
    ck_assert_ptr_null(strstr(by_pod, "JOIN testcases"));
    ck_assert_ptr_null(strstr(none, "JOIN"));
    /* every filter fragment still finds its table */
    ck_assert(strstr(inner(testapi_rsql(test_pool, TESTAPI_RSQL_FILTERS,
                                        TESTAPI_RSQL_BATCH)),
                     "JOIN projects pr"));
    ck_assert_int_eq(count(testapi_rsql(test_pool, TESTAPI_Q_PROJECT,
                                        TESTAPI_RSQL_COUNT),
                           "JOIN"),
                     2);
}
END_TEST

START_TEST(list_rows_are_read_by_id_after_ordering)
{
    const char *sql =
        testapi_rsql(test_pool, TESTAPI_Q_PROJECT,
                     TESTAPI_RSQL_BATCH | TESTAPI_RSQL_ASC |
                         TESTAPI_RSQL_CURSOR);
    const char *in = strstr(sql, "FROM (SELECT r.id, r.t, r.oid FROM");
    const char *lim = strstr(sql, "ORDER BY r.t ASC, r.oid ASC LIMIT %lld) k");
    const char *out = strstr(sql, "ORDER BY k.t ASC, k.oid ASC");

    ck_assert(!strncmp(sql, testapi_rsql_select, strlen(testapi_rsql_select)));
    ck_assert(in && lim && out && in < lim && lim < out);
    ck_assert(strstr(sql, "results r ON r.id = k.id JOIN testcases tc"));
    ck_assert(strstr(sql, "JOIN pods pd ON pd.id = r.pod_id ORDER BY k.t"));
    ck_assert(strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_PAGE),
                     "r.oid DESC LIMIT %lld OFFSET %lld) k"));
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
    tcase_add_test(tc, lists_join_only_what_filters_need);
    tcase_add_test(tc, list_rows_are_read_by_id_after_ordering);
    tcase_add_test(tc, labels_differ_per_statement);
    suite_add_tcase(s, tc);
    return s;
}
