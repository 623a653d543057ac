#include <string.h>

#include "test_suites.h"
#include "core/testapi_name.h"
#include "core/testapi_route_match.h"

static int list(struct request_rec *r, const testapi_match *m)
{
    (void)r;
    (void)m;
    return 1;
}

static int one(struct request_rec *r, const testapi_match *m)
{
    (void)r;
    (void)m;
    return 2;
}

static int change(struct request_rec *r, const testapi_match *m)
{
    (void)r;
    (void)m;
    return 3;
}

static const testapi_route table[] = {
    {"/api/v1/pods",
     {[TESTAPI_M_GET] = {list, TESTAPI_NEEDS_ADMIN},
      [TESTAPI_M_POST] = {change, TESTAPI_NEEDS_ADMIN}}},
    {"/api/v1/pods/{pod}",
     {[TESTAPI_M_GET] = {one, TESTAPI_NEEDS_ADMIN},
      [TESTAPI_M_DELETE] = {change, TESTAPI_NEEDS_ADMIN}}},
    {"/api/v1/projects/{project}/cases/{case}",
     {[TESTAPI_M_GET] = {one, TESTAPI_NEEDS_ADMIN},
      [TESTAPI_M_PUT] = {change, TESTAPI_NEEDS_PROJECT},
      [TESTAPI_M_DELETE] = {change, TESTAPI_NEEDS_PROJECT}}},
    {"/api/v1/results/{id}",
     {[TESTAPI_M_GET] = {one, TESTAPI_NEEDS_ADMIN},
      [TESTAPI_M_PUT] = {change, TESTAPI_NEEDS_ANY_GRANT}}},
    {0}};

static testapi_route_rc find(const char *path, const char *method,
                             testapi_match *m)
{
    apr_array_header_t *segs;
    ck_assert_int_eq(testapi_path_split(test_pool, path, &segs), 0);
    return testapi_route_find(table, segs, testapi_method_slot(method), m);
}

START_TEST(method_slots)
{
    ck_assert_int_eq(testapi_method_slot("GET"), TESTAPI_M_GET);
    ck_assert_int_eq(testapi_method_slot("HEAD"), TESTAPI_M_GET);
    ck_assert_int_eq(testapi_method_slot("DELETE"), TESTAPI_M_DELETE);
    ck_assert_int_eq(testapi_method_slot("PATCH"), -1);
    ck_assert_int_eq(testapi_method_slot("get"), -1);
}
END_TEST

START_TEST(collection_and_item)
{
    testapi_match m;
    ck_assert_int_eq(find("/api/v1/pods", "POST", &m), TESTAPI_ROUTE_FOUND);
    ck_assert_ptr_eq(m.route, &table[0]);
    ck_assert_int_eq(find("/api/v1/pods/zte%20pod", "GET", &m),
                     TESTAPI_ROUTE_FOUND);
    ck_assert_ptr_eq(m.route, &table[1]);
    ck_assert_int_eq(m.nparams, 1);
    ck_assert_str_eq(m.param[0], "zte pod");
}
END_TEST

START_TEST(two_parameters)
{
    testapi_match m;
    ck_assert_int_eq(find("/api/v1/projects/functest/cases/vPing", "PUT", &m),
                     TESTAPI_ROUTE_FOUND);
    ck_assert_int_eq(m.nparams, 2);
    ck_assert_str_eq(m.param[0], "functest");
    ck_assert_str_eq(m.param[1], "vPing");
}
END_TEST

START_TEST(unknown_paths)
{
    testapi_match m;
    ck_assert_int_eq(find("/api/v1/pod", "GET", &m), TESTAPI_ROUTE_NO_PATH);
    ck_assert_int_eq(find("/api/v1/pods/a/b", "GET", &m),
                     TESTAPI_ROUTE_NO_PATH);
    ck_assert_int_eq(find("/api/v1", "GET", &m), TESTAPI_ROUTE_NO_PATH);
    ck_assert_ptr_null(m.route);
}
END_TEST

START_TEST(method_not_allowed_gives_route)
{
    testapi_match m;
    ck_assert_int_eq(find("/api/v1/pods", "DELETE", &m),
                     TESTAPI_ROUTE_NO_METHOD);
    ck_assert_str_eq(testapi_route_allow(test_pool, m.route),
                     "GET, HEAD, POST, OPTIONS");
    ck_assert_int_eq(find("/api/v1/pods/x", "PATCH", &m),
                     TESTAPI_ROUTE_NO_METHOD);
    ck_assert_str_eq(testapi_route_allow(test_pool, m.route),
                     "GET, HEAD, DELETE, OPTIONS");
}
END_TEST

/* Matching path with method finds rc, and in the match handler and needs. */
static void expect(const char *path, const char *method, testapi_route_rc rc,
                   testapi_handler_fn *handler, testapi_needs needs)
{
    testapi_match m;
    ck_assert_int_eq(find(path, method, &m), rc);
    ck_assert_ptr_eq(m.handler, handler);
    ck_assert_int_eq(m.needs, needs);
}

START_TEST(the_match_carries_the_methods_handler_and_needs)
{
    expect("/api/v1/pods", "GET", TESTAPI_ROUTE_FOUND, list,
           TESTAPI_NEEDS_ADMIN);
    expect("/api/v1/pods", "POST", TESTAPI_ROUTE_FOUND, change,
           TESTAPI_NEEDS_ADMIN);
    expect("/api/v1/projects/functest/cases/vPing", "DELETE",
           TESTAPI_ROUTE_FOUND, change, TESTAPI_NEEDS_PROJECT);
    expect("/api/v1/results/0123", "PUT", TESTAPI_ROUTE_FOUND, change,
           TESTAPI_NEEDS_ANY_GRANT);
}
END_TEST

START_TEST(unserved_methods_and_unknown_paths_have_no_handler)
{
    /* The route is found (for Allow); the needs of its other methods are
     * not taken. */
    expect("/api/v1/projects/functest/cases/vPing", "POST",
           TESTAPI_ROUTE_NO_METHOD, NULL, TESTAPI_NEEDS_ADMIN);
    expect("/api/v1/results/0123", "PATCH", TESTAPI_ROUTE_NO_METHOD, NULL,
           TESTAPI_NEEDS_ADMIN);
    expect("/api/v1/results", "POST", TESTAPI_ROUTE_NO_PATH, NULL,
           TESTAPI_NEEDS_ADMIN);
}
END_TEST

START_TEST(a_bad_name_keeps_the_needs_of_its_route)
{
    /* "Require testapi-project" runs before the handler's 400. */
    expect("/api/v1/projects/%FF/cases/vPing", "PUT", TESTAPI_ROUTE_BAD_NAME,
           change, TESTAPI_NEEDS_PROJECT);
}
END_TEST

START_TEST(bad_names_are_400_but_ids_are_not_checked)
{
    testapi_match m;
    char path[400];
    strcpy(path, "/api/v1/pods/");
    memset(path + 13, 'a', 256);
    path[13 + 256] = '\0';
    ck_assert_int_eq(find(path, "GET", &m), TESTAPI_ROUTE_BAD_NAME);
    ck_assert_ptr_nonnull(m.bad_name);
    ck_assert_int_eq(find("/api/v1/pods/%FF", "GET", &m),
                     TESTAPI_ROUTE_BAD_NAME);
    ck_assert_int_eq(find("/api/v1/results/%FF", "GET", &m),
                     TESTAPI_ROUTE_FOUND);
}
END_TEST

Suite *route_suite(void)
{
    Suite *s = suite_create("route");
    TCase *tc = tcase_create("match");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, method_slots);
    tcase_add_test(tc, collection_and_item);
    tcase_add_test(tc, two_parameters);
    tcase_add_test(tc, unknown_paths);
    tcase_add_test(tc, method_not_allowed_gives_route);
    tcase_add_test(tc, bad_names_are_400_but_ids_are_not_checked);
    tcase_add_test(tc, the_match_carries_the_methods_handler_and_needs);
    tcase_add_test(tc, unserved_methods_and_unknown_paths_have_no_handler);
    tcase_add_test(tc, a_bad_name_keeps_the_needs_of_its_route);
    suite_add_tcase(s, tc);
    return s;
}
