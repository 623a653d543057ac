#ifndef TEST_SUITES_H
#define TEST_SUITES_H

#include <check.h>
#include <apr_pools.h>

/* Every tcase gets a fresh pool, destroyed after the test. */
extern apr_pool_t *test_pool;
void test_pool_setup(void);
void test_pool_teardown(void);

Suite *json_suite(void);
Suite *id_suite(void);
Suite *name_suite(void);
Suite *route_suite(void);
Suite *fields_suite(void);
Suite *rsql_suite(void);
Suite *date_suite(void);
Suite *query_suite(void);
Suite *authcache_suite(void);
Suite *dashdecl_suite(void);
Suite *dashcalc_suite(void);
Suite *schema_suite(void);

#endif
