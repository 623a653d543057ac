#include <string.h>

#include <apr_hash.h>

#include "test_suites.h"
#include "core/testapi_id.h"

START_TEST(id_is_24_lowercase_hex)
{
    testapi_idgen gen;
    char id[TESTAPI_ID_LEN + 1];
    ck_assert_int_eq(testapi_idgen_init(&gen), APR_SUCCESS);
    testapi_id_make(&gen, apr_time_now(), id);
    ck_assert_uint_eq(strlen(id), 24);
    ck_assert(testapi_id_valid(id));
}
END_TEST

START_TEST(id_starts_with_seconds)
{
    testapi_idgen gen;
    char id[TESTAPI_ID_LEN + 1];
    testapi_idgen_init(&gen);
    /* 2016-05-23 07:16:09 UTC = 0x5742ae39 */
    testapi_id_make(&gen, apr_time_from_sec(1463987769), id);
    ck_assert(strncmp(id, "5742ae39", 8) == 0);
}
END_TEST

START_TEST(ids_are_unique_and_ordered_within_a_second)
{
    testapi_idgen gen;
    apr_hash_t *seen = apr_hash_make(test_pool);
    apr_time_t now = apr_time_now();
    int i;

    testapi_idgen_init(&gen);
    gen.counter = 0xfffff0; /* the 3-byte counter wraps inside this loop */
    for (i = 0; i < 100000; i++) {
        char *id = apr_palloc(test_pool, TESTAPI_ID_LEN + 1);
        testapi_id_make(&gen, now, id);
        ck_assert_ptr_null(apr_hash_get(seen, id, TESTAPI_ID_LEN));
        apr_hash_set(seen, id, TESTAPI_ID_LEN, id);
    }
}
END_TEST

START_TEST(two_processes_differ)
{
    testapi_idgen a, b;
    char ida[TESTAPI_ID_LEN + 1], idb[TESTAPI_ID_LEN + 1];
    apr_time_t now = apr_time_now();
    testapi_idgen_init(&a);
    testapi_idgen_init(&b);
    b.counter = a.counter; /* same counter: the random part must differ */
    testapi_id_make(&a, now, ida);
    testapi_id_make(&b, now, idb);
    ck_assert_str_ne(ida, idb);
}
END_TEST

START_TEST(valid_ids)
{
    ck_assert(testapi_id_valid("57e1c87a9377c5001e5c4ba5"));
    ck_assert(!testapi_id_valid("57E1C87A9377C5001E5C4BA5"));
    ck_assert(!testapi_id_valid("57e1c87a9377c5001e5c4ba"));
    ck_assert(!testapi_id_valid("57e1c87a9377c5001e5c4ba55"));
    ck_assert(!testapi_id_valid("57e1c87a9377c5001e5c4bag"));
    ck_assert(!testapi_id_valid(""));
}
END_TEST

Suite *id_suite(void)
{
    Suite *s = suite_create("id");
    TCase *tc = tcase_create("objectid");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, id_is_24_lowercase_hex);
    tcase_add_test(tc, id_starts_with_seconds);
    tcase_add_test(tc, ids_are_unique_and_ordered_within_a_second);
    tcase_add_test(tc, two_processes_differ);
    tcase_add_test(tc, valid_ids);
    suite_add_tcase(s, tc);
    return s;
}
