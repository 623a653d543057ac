#include <string.h>

#include "test_suites.h"
#include "core/testapi_name.h"

static const char *seg(apr_array_header_t *a, int i)
{
    return APR_ARRAY_IDX(a, i, const char *);
}

START_TEST(utf8_validation)
{
    ck_assert(testapi_utf8_valid("abc", 3));
    ck_assert(testapi_utf8_valid("\xc3\xa9t\xc3\xa9", 6)); /* été */
    ck_assert(testapi_utf8_valid("\xf0\x9f\x98\x80", 4));  /* emoji */
    ck_assert(!testapi_utf8_valid("\xc3", 1));             /* cut */
    ck_assert(!testapi_utf8_valid("\xc0\xaf", 2));         /* overlong */
    ck_assert(!testapi_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
    ck_assert(!testapi_utf8_valid("\xf4\x90\x80\x80", 4)); /* > 10FFFF */
    ck_assert(!testapi_utf8_valid("\xff", 1));
}
END_TEST

START_TEST(name_rules)
{
    char big[257];
    memset(big, 'a', sizeof(big));
    ck_assert_ptr_null(testapi_name_check("zte-pod1", 8));
    ck_assert_ptr_null(testapi_name_check("a ", 2));
    ck_assert_ptr_null(testapi_name_check("100%_sure;", 10));
    ck_assert_ptr_nonnull(testapi_name_check("", 0));
    ck_assert_ptr_nonnull(testapi_name_check(".", 1));
    ck_assert_ptr_nonnull(testapi_name_check("..", 2));
    ck_assert_ptr_null(testapi_name_check("...", 3));
    ck_assert_ptr_nonnull(testapi_name_check("a/b", 3));
    ck_assert_ptr_nonnull(testapi_name_check("a\0b", 3));
    ck_assert_ptr_null(testapi_name_check(big, 255));
    ck_assert_ptr_nonnull(testapi_name_check(big, 256));
    ck_assert_ptr_nonnull(testapi_name_check("\xff", 1));
}
END_TEST

START_TEST(path_decoded_once)
{
    apr_array_header_t *a;
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%2541+b", &a),
                     0);
    ck_assert_int_eq(a->nelts, 4);
    ck_assert_str_eq(seg(a, 0), "api");
    ck_assert_str_eq(seg(a, 3), "a%41+b");
}
END_TEST

START_TEST(path_encoded_slash_names_nothing)
{
    apr_array_header_t *a;
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%2Fb", &a),
                     -1);
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%2fb", &a),
                     -1);
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%00", &a),
                     -1);
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%zz", &a),
                     -1);
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/a%4", &a), -1);
}
END_TEST

START_TEST(percent_decode_tells_a_bad_escape_from_a_forbidden_byte)
{
    const char *out;

    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "a%41+b%c3%A9", 12, NULL, 1, &out),
        APR_SUCCESS);
    ck_assert_str_eq(out, "aA b\xc3\xa9");
    ck_assert_int_eq(testapi_percent_decode(test_pool, "a+b", 3, NULL, 0, &out),
                     APR_SUCCESS);
    ck_assert_str_eq(out, "a+b");
    ck_assert_int_eq(testapi_percent_decode(test_pool, "", 0, NULL, 1, &out),
                     APR_SUCCESS);
    ck_assert_str_eq(out, "");
    /* malformed: not hex, cut short, also where the bytes after len would
     * complete the escape */
    ck_assert_int_eq(testapi_percent_decode(test_pool, "%zz", 3, NULL, 0, &out),
                     APR_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_int_eq(testapi_percent_decode(test_pool, "%4", 2, NULL, 0, &out),
                     APR_EINVAL);
    ck_assert_int_eq(testapi_percent_decode(test_pool, "%", 1, NULL, 0, &out),
                     APR_EINVAL);
    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "a%41", 3, NULL, 0, &out),
        APR_EINVAL);
    /* forbidden: NUL always, the bytes of forbid when given */
    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "a%00b", 5, NULL, 0, &out),
        APR_BADCH);
    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "a%2Fb", 5, "/", 0, &out), APR_BADCH);
    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "a%2Fb", 5, NULL, 0, &out),
        APR_SUCCESS);
    ck_assert_str_eq(out, "a/b");
    /* a malformed escape is reported before a forbidden byte */
    ck_assert_int_eq(
        testapi_percent_decode(test_pool, "%00%zz", 6, NULL, 0, &out),
        APR_EINVAL);
}
END_TEST

START_TEST(path_normalised_like_apache)
{
    apr_array_header_t *a;
    ck_assert_int_eq(testapi_path_split(test_pool, "/api/v1/pods/", &a), 0);
    ck_assert_int_eq(a->nelts, 3);
    ck_assert_int_eq(testapi_path_split(test_pool, "//api/./v1/x/../pods", &a),
                     0);
    ck_assert_int_eq(a->nelts, 3);
    ck_assert_str_eq(seg(a, 2), "pods");
    ck_assert_int_eq(
        testapi_path_split(test_pool, "/api/v1/%2E%2E/v1/pods/x?q=1", &a), 0);
    ck_assert_int_eq(a->nelts, 4);
    ck_assert_str_eq(seg(a, 1), "v1");
    ck_assert_str_eq(seg(a, 3), "x");
}
END_TEST

START_TEST(segment_encoding)
{
    ck_assert_str_eq(testapi_segment_encode(test_pool, "zte-pod1_a.b~"),
                     "zte-pod1_a.b~");
    ck_assert_str_eq(testapi_segment_encode(test_pool, "a b/%+\xc3\xa9"),
                     "a%20b%2F%25%2B%C3%A9");
}
END_TEST

Suite *name_suite(void)
{
    Suite *s = suite_create("name");
    TCase *tc = tcase_create("names");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, utf8_validation);
    tcase_add_test(tc, name_rules);
    suite_add_tcase(s, tc);
    tc = tcase_create("paths");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, path_decoded_once);
    tcase_add_test(tc, path_encoded_slash_names_nothing);
    tcase_add_test(tc, percent_decode_tells_a_bad_escape_from_a_forbidden_byte);
    tcase_add_test(tc, path_normalised_like_apache);
    tcase_add_test(tc, segment_encoding);
    suite_add_tcase(s, tc);
    return s;
}
