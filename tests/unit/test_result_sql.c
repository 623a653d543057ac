#include <stdio.h>
#include <string.h>

#include <apr_strings.h>

#include "test_suites.h"
#include "core/testapi_result_sql.h"

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
    const char *by_case = inner(testapi_rsql(
        test_pool, TESTAPI_Q_CASE | TESTAPI_Q_PERIOD, TESTAPI_RSQL_BATCH));
    const char *by_project_pod = testapi_rsql(
        test_pool, TESTAPI_Q_PROJECT | TESTAPI_Q_POD, TESTAPI_RSQL_BATCH);

    ck_assert(strstr(by_case, "FROM testcases tc STRAIGHT_JOIN results r"));
    ck_assert_ptr_null(strstr(by_case, "JOIN projects"));
    ck_assert_ptr_null(strstr(by_case, "JOIN pods"));
    ck_assert(strstr(by_project_pod,
                     "FROM projects pr STRAIGHT_JOIN pods pd STRAIGHT_JOIN "
                     "results r FORCE INDEX (project_time) ON "
                     "r.project_id = pr.id AND r.pod_id = pd.id"));
    ck_assert_int_eq(
        count(testapi_rsql(test_pool, TESTAPI_Q_PERIOD, TESTAPI_RSQL_NTH),
              "JOIN"),
        0);
    /* every filter fragment still finds its table */
    ck_assert(strstr(
        inner(testapi_rsql(test_pool, TESTAPI_RSQL_FILTERS & ~TESTAPI_Q_PROJECT,
                           TESTAPI_RSQL_BATCH)),
        "JOIN pods pd"));
    ck_assert_int_eq(
        count(testapi_rsql(test_pool, TESTAPI_Q_PROJECT, TESTAPI_RSQL_COUNT),
              "JOIN"),
        1); /* projects, then results by project_time: no testcases */
}
END_TEST

START_TEST(list_rows_are_read_by_id_after_ordering)
{
    const char *sql = testapi_rsql(test_pool, TESTAPI_Q_CASE,
                                   TESTAPI_RSQL_BATCH | TESTAPI_RSQL_ASC |
                                       TESTAPI_RSQL_CURSOR);
    const char *in = strstr(sql, "FROM (SELECT r.id, r.t, r.oid FROM");
    const char *lim = strstr(sql, "ORDER BY r.t ASC, r.oid ASC LIMIT %lld) k");
    const char *out = strstr(sql, "ORDER BY k.t ASC, k.oid ASC");

    ck_assert(!strncmp(sql, testapi_rsql_select, strlen(testapi_rsql_select)));
    ck_assert(in && lim && out && in < lim && lim < out);
    ck_assert(
        strstr(sql, "results r ON r.id = k.id STRAIGHT_JOIN testcases tc"));
    ck_assert(strstr(sql, "JOIN pods pd ON pd.id = r.pod_id ORDER BY k.t"));
    ck_assert(strstr(testapi_rsql(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_PAGE),
                     "r.oid DESC LIMIT %lld OFFSET %lld) k"));
    /* a page skips its OFFSET in the ids, whatever the filters */
    ck_assert(strstr(testapi_rsql(test_pool, TESTAPI_Q_PROJECT | TESTAPI_Q_CASE,
                                  TESTAPI_RSQL_PAGE),
                     "r.oid DESC LIMIT %lld OFFSET %lld) k"));
}
END_TEST

/* One testcase, one project, one pod or no reference: an index gives the
 * order, and the list is one plain select that stops at LIMIT. */
START_TEST(index_ordered_lists_are_plain_selects)
{
    unsigned plain[] = {TESTAPI_Q_PROJECT | TESTAPI_Q_CASE,
                        TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD |
                            TESTAPI_Q_INSTALLER,
                        TESTAPI_Q_POD | TESTAPI_Q_PERIOD,
                        TESTAPI_Q_PROJECT,
                        TESTAPI_Q_PROJECT | TESTAPI_Q_POD,
                        0};
    unsigned sorted[] = {TESTAPI_Q_CASE, TESTAPI_Q_CASE | TESTAPI_Q_POD};
    unsigned i;

    for (i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
        const char *sql = testapi_rsql(test_pool, plain[i], TESTAPI_RSQL_BATCH);
        ck_assert(!testapi_rsql_sorts(plain[i]));
        ck_assert_ptr_null(strstr(sql, ") k "));
        ck_assert(strstr(sql, "ORDER BY r.t DESC, r.oid DESC LIMIT %lld"));
        /* the filtered references first, then the results */
        ck_assert(strstr(sql, "STRAIGHT_JOIN results r FORCE INDEX") ||
                  !strncmp(strstr(sql, " FROM "), " FROM results r", 15));
        ck_assert(strstr(sql, "pods pd"));
    }
    for (i = 0; i < sizeof(sorted) / sizeof(sorted[0]); i++) {
        ck_assert(testapi_rsql_sorts(sorted[i]));
        ck_assert(strstr(testapi_rsql(test_pool, sorted[i], TESTAPI_RSQL_PAGE),
                         ") k STRAIGHT_JOIN results r"));
    }
}
END_TEST

/* The index walked is the one the filters fix the head of. */
START_TEST(lists_name_their_index)
{
    ck_assert(strstr(testapi_rsql(test_pool, TESTAPI_Q_PROJECT | TESTAPI_Q_CASE,
                                  TESTAPI_RSQL_BATCH),
                     "results r FORCE INDEX (testcase_time)"));
    ck_assert(strstr(testapi_rsql(test_pool, TESTAPI_Q_POD | TESTAPI_Q_PERIOD,
                                  TESTAPI_RSQL_BATCH),
                     "FROM pods pd STRAIGHT_JOIN results r FORCE INDEX "
                     "(pod_time) ON r.pod_id = pd.id"));
    ck_assert(
        strstr(testapi_rsql(test_pool, TESTAPI_Q_INSTALLER, TESTAPI_RSQL_BATCH),
               "FROM results r FORCE INDEX (time) STRAIGHT_JOIN"));
    ck_assert(strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_COUNT),
                     "FROM results r FORCE INDEX (time) WHERE"));
    /* one result, and the rows of a page of ids, by their keys */
    ck_assert_ptr_null(
        strstr(testapi_rsql(test_pool, 0, TESTAPI_RSQL_BY_ID), "FORCE"));
    ck_assert(strstr(testapi_rsql(test_pool, TESTAPI_Q_CASE, TESTAPI_RSQL_PAGE),
                     ") k STRAIGHT_JOIN results r ON r.id = k.id"));
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

/* The index each filter set walks (see results_index). */
START_TEST(filters_choose_the_index)
{
    static const struct {
        unsigned filters;
        const char *index;
    } cases[] = {
        {TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD, "testcase_time"},
        {TESTAPI_Q_CASE | TESTAPI_Q_INSTALLER, "testcase_time"},
        {TESTAPI_Q_PROJECT | TESTAPI_Q_PERIOD, "project_time"},
        {TESTAPI_Q_PROJECT | TESTAPI_Q_POD, "project_time"},
        {TESTAPI_Q_POD | TESTAPI_Q_INSTALLER, "pod_time"},
        {TESTAPI_Q_INSTALLER | TESTAPI_Q_PERIOD, "time"},
        {0, "time"},
    };
    unsigned i, shape;
    char want[64];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(want, sizeof(want), "results r FORCE INDEX (%s)",
                 cases[i].index);
        for (shape = TESTAPI_RSQL_COUNT; shape <= TESTAPI_RSQL_BATCH; shape++) {
            const char *sql = testapi_rsql(test_pool, cases[i].filters, shape);
            ck_assert_msg(strstr(sql, want), "%u/%u: %s", cases[i].filters,
                          shape, sql);
        }
    }
    /* a project alone has its own index: no sort */
    ck_assert(!testapi_rsql_sorts(TESTAPI_Q_PROJECT));
    ck_assert(testapi_rsql_sorts(TESTAPI_Q_CASE));
    ck_assert(!testapi_rsql_sorts(TESTAPI_Q_PROJECT | TESTAPI_Q_CASE));
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
    tcase_add_test(tc, index_ordered_lists_are_plain_selects);
    tcase_add_test(tc, lists_name_their_index);
    tcase_add_test(tc, labels_differ_per_statement);
    tcase_add_test(tc, filters_choose_the_index);
    suite_add_tcase(s, tc);
    return s;
}
