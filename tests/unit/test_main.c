#include <stdlib.h>

#include <apr_general.h>

#include "test_suites.h"

apr_pool_t *test_pool;

void test_pool_setup(void)
{
    ck_assert_int_eq(apr_pool_create(&test_pool, NULL), APR_SUCCESS);
}

void test_pool_teardown(void)
{
    apr_pool_destroy(test_pool);
    test_pool = NULL;
}

int main(void)
{
    SRunner *sr;
    int failed;

    apr_initialize();
    atexit(apr_terminate);
    sr = srunner_create(json_suite());
    srunner_add_suite(sr, id_suite());
    srunner_add_suite(sr, name_suite());
    srunner_add_suite(sr, route_suite());
    srunner_add_suite(sr, fields_suite());
    srunner_add_suite(sr, rsql_suite());
    srunner_add_suite(sr, date_suite());
    srunner_add_suite(sr, query_suite());
    srunner_add_suite(sr, authcache_suite());
    srunner_add_suite(sr, dashdecl_suite());
    srunner_add_suite(sr, dashcalc_suite());
    srunner_add_suite(sr, schema_suite());
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
