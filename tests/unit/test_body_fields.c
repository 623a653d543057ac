#include <string.h>

#include "test_suites.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_json.h"

static const testapi_field spec[] = {
    {"name", TESTAPI_FIELD_NAME}, {"mode", TESTAPI_FIELD_STRING}, {NULL, 0}};

static const char *check(const char *text, const char **out)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(
        testapi_json_parse(test_pool, text, strlen(text), &o, &why),
        TESTAPI_PARSE_OK);
    return testapi_fields_get(test_pool, o, spec, out);
}

START_TEST(values_and_defaults)
{
    const char *out[2];
    ck_assert_ptr_null(check("{\"name\": \"p\", \"extra\": 1}", out));
    ck_assert_str_eq(out[0], "p");
    ck_assert_str_eq(out[1], "");
    ck_assert_ptr_null(check("{\"name\": \"p\", \"mode\": null}", out));
    ck_assert_str_eq(out[1], "");
}
END_TEST

START_TEST(name_missing)
{
    const char *out[2];
    ck_assert_str_eq(check("{}", out), "name missing");
    ck_assert_str_eq(check("{\"name\": null}", out), "name missing");
    ck_assert_str_eq(check("{\"name\": \"\"}", out), "name missing");
}
END_TEST

START_TEST(wrong_types)
{
    const char *out[2];
    ck_assert_str_eq(check("{\"name\": 5}", out), "name must be a string");
    ck_assert_str_eq(check("{\"name\": \"a\", \"mode\": []}", out),
                     "mode must be a string");
    ck_assert_str_eq(check("[1]", out),
                     "Bad Json format [the body must be a JSON object]");
}
END_TEST

START_TEST(bad_names_and_nul)
{
    const char *out[2];
    ck_assert_ptr_nonnull(check("{\"name\": \"a/b\"}", out));
    ck_assert_ptr_nonnull(check("{\"name\": \"..\"}", out));
    ck_assert_ptr_nonnull(check("{\"name\": \"a\\u0000b\"}", out));
    ck_assert_ptr_nonnull(
        check("{\"name\": \"a\", \"mode\": \"\\u0000\"}", out));
}
END_TEST

Suite *fields_suite(void)
{
    Suite *s = suite_create("fields");
    TCase *tc = tcase_create("validation");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, values_and_defaults);
    tcase_add_test(tc, name_missing);
    tcase_add_test(tc, wrong_types);
    tcase_add_test(tc, bad_names_and_nul);
    suite_add_tcase(s, tc);
    return s;
}
