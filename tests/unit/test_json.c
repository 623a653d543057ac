#include <string.h>

#include <apr_strings.h>

#include "test_suites.h"
#include "core/testapi_json.h"

static testapi_parse_rc parse(const char *text, json_object **out,
                              const char **why)
{
    return testapi_json_parse(test_pool, text, strlen(text), out, why);
}

static char *nested(int depth)
{
    char *s = apr_palloc(test_pool, 2 * depth + 1);
    int i;
    for (i = 0; i < depth; i++) {
        s[i] = '[';
        s[depth + i] = ']';
    }
    s[2 * depth] = '\0';
    return s;
}

START_TEST(object_parses)
{
    json_object *o;
    const char *why = NULL;
    ck_assert_int_eq(parse(" {\"name\": \"a\"} \n", &o, &why),
                     TESTAPI_PARSE_OK);
    ck_assert(json_object_is_type(o, json_type_object));
}
END_TEST

START_TEST(empty_and_null_are_no_body)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(parse("", &o, &why), TESTAPI_PARSE_EMPTY);
    ck_assert_int_eq(parse("  \r\n", &o, &why), TESTAPI_PARSE_EMPTY);
    ck_assert_int_eq(parse("null", &o, &why), TESTAPI_PARSE_EMPTY);
    ck_assert_ptr_null(o);
}
END_TEST

START_TEST(invalid_json_says_why)
{
    json_object *o;
    const char *why = NULL;
    ck_assert_int_eq(parse("{\"name\": ", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_ptr_nonnull(why);
    ck_assert_int_eq(parse("{'a': 1}", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("{\"a\": 1} x", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("{} {}", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("[NaN]", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("[-Infinity]", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("[1.]", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("[\"a\tb\"]", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse("[1, 2,]", &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_ptr_null(o);
}
END_TEST

START_TEST(strings_may_hold_anything_escaped)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(
        parse("{\"k.$\": \"it's NaN \\\" Infinity 1.\\t\"}", &o, &why),
        TESTAPI_PARSE_OK);
    ck_assert_int_eq(parse("[1.5, -0.25e3, true, false, null]", &o, &why),
                     TESTAPI_PARSE_OK);
}
END_TEST

START_TEST(invalid_utf8_is_refused)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(parse("{\"a\": \"\xff\xfe\"}", &o, &why),
                     TESTAPI_PARSE_INVALID);
}
END_TEST

START_TEST(scalars_at_end_of_input)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(parse("5", &o, &why), TESTAPI_PARSE_OK);
    ck_assert_int_eq(json_object_get_int(o), 5);
    ck_assert_int_eq(parse("5 ", &o, &why), TESTAPI_PARSE_OK);
}
END_TEST

START_TEST(depth_100_accepted_101_refused)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(parse(nested(100), &o, &why), TESTAPI_PARSE_OK);
    ck_assert_int_eq(parse(nested(101), &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_int_eq(parse(nested(10000), &o, &why), TESTAPI_PARSE_INVALID);
}
END_TEST

START_TEST(fed_in_pieces)
{
    const char *text = "{\"name\": \"pod-1\", \"n\": [1, 2, 3]}";
    testapi_json_parser *ps = testapi_json_parser_make(test_pool, 100);
    json_object *o, *v;
    const char *why;
    size_t i;

    for (i = 0; i < strlen(text); i++) {
        ck_assert_int_eq(testapi_json_parser_feed(ps, text + i, 1), 0);
    }
    ck_assert_int_eq(testapi_json_parser_finish(ps, &o, &why),
                     TESTAPI_PARSE_OK);
    ck_assert(json_object_object_get_ex(o, "name", &v));
    ck_assert_str_eq(json_object_get_string(v), "pod-1");
}
END_TEST

START_TEST(utf8_split_across_pieces)
{
    const char *text = "{\"a\": \"\xc3\xa9\xe6\xb5\x8b\xf0\x9f\x98\x80\"}";
    size_t i, n = strlen(text);

    for (i = 1; i < n; i++) {
        testapi_json_parser *ps = testapi_json_parser_make(test_pool, 100);
        json_object *o;
        const char *why;
        testapi_json_parser_feed(ps, text, i);
        testapi_json_parser_feed(ps, text + i, n - i);
        ck_assert_int_eq(testapi_json_parser_finish(ps, &o, &why),
                         TESTAPI_PARSE_OK);
    }
}
END_TEST

START_TEST(depth_counts_containers_not_scalars)
{
    char *s = apr_pstrcat(test_pool, "{\"d\":", nested(99), "}", NULL);
    json_object *o;
    const char *why;
    /* 100 containers, with a scalar inside the innermost one */
    s = apr_pstrcat(test_pool,
                    "{\"d\":", apr_pstrndup(test_pool, nested(99), 99), "0",
                    nested(99) + 99, "}", NULL);
    ck_assert_int_eq(parse(s, &o, &why), TESTAPI_PARSE_OK);
    s = apr_pstrcat(test_pool,
                    "{\"d\":", apr_pstrndup(test_pool, nested(100), 100), "0",
                    nested(100) + 100, "}", NULL);
    ck_assert_int_eq(parse(s, &o, &why), TESTAPI_PARSE_INVALID);
    ck_assert_str_eq(why, "nesting too deep");
}
END_TEST

START_TEST(nul_byte_refused)
{
    testapi_json_parser *ps = testapi_json_parser_make(test_pool, 100);
    json_object *o;
    const char *why;
    ck_assert_int_ne(testapi_json_parser_feed(ps, "{\"a\":\0}", 7), 0);
    ck_assert_int_eq(testapi_json_parser_finish(ps, &o, &why),
                     TESTAPI_PARSE_INVALID);
}
END_TEST

/* Found by fuzzing: json-c's strict mode takes these, and 'details' would
 * be stored (and served) as invalid JSON text. */
START_TEST(malformed_numbers_refused)
{
    static const char *const bad[] = {"1.",   "-0.",   "-01",    "[06.5]",
                                      "[00]", "[-00]", "1e",     "1e+",
                                      "-",    "[1-2]", "[1.e5]", NULL};
    json_object *o;
    const char *why;
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(parse(bad[i], &o, &why) == TESTAPI_PARSE_INVALID, "%s",
                      bad[i]);
        ck_assert_str_eq(why, "malformed number");
    }
    ck_assert_int_eq(parse("[0, -0, -0.0e-0, 10, 1E+2, 2.5e7]", &o, &why),
                     TESTAPI_PARSE_OK);
}
END_TEST

/* Found by fuzzing: fed "[99" then "-0]", json-c answers [99]. */
START_TEST(number_split_across_pieces)
{
    testapi_json_parser *ps = testapi_json_parser_make(test_pool, 100);
    json_object *o;
    const char *why;

    testapi_json_parser_feed(ps, "[99", 3);
    testapi_json_parser_feed(ps, "-0]", 3);
    ck_assert_int_eq(testapi_json_parser_finish(ps, &o, &why),
                     TESTAPI_PARSE_INVALID);
    ps = testapi_json_parser_make(test_pool, 100);
    testapi_json_parser_feed(ps, "[9", 2);
    testapi_json_parser_feed(ps, "9]", 2);
    ck_assert_int_eq(testapi_json_parser_finish(ps, &o, &why),
                     TESTAPI_PARSE_OK);
    ck_assert_int_eq(json_object_get_int(json_object_array_get_idx(o, 0)), 99);
}
END_TEST

/* json-c would store U+FFFD instead of what was sent. */
START_TEST(lone_surrogates_refused)
{
    static const char *const bad[] = {"\"\\ud800\"",
                                      "\"\\udc00\"",
                                      "\"\\ud83dx\"",
                                      "\"\\ud83d\\n\"",
                                      "\"\\ud83d\\u0041\"",
                                      "\"\\ud83d\\ud83d\"",
                                      NULL};
    json_object *o;
    const char *why;
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(parse(bad[i], &o, &why) == TESTAPI_PARSE_INVALID, "%s",
                      bad[i]);
    }
    ck_assert_int_eq(parse("\"\\ud83d\\ude00\"", &o, &why), TESTAPI_PARSE_OK);
    ck_assert_str_eq(json_object_get_string(o), "\xf0\x9f\x98\x80");
}
END_TEST

/* Found by fuzzing: json-c's UTF-8 check takes overlong forms, encoded
 * surrogates and code points above U+10FFFF; MariaDB then refuses them. */
START_TEST(invalid_utf8_forms_refused)
{
    static const char *const bad[] = {"\"\xe0\x99\x8a\"",
                                      "\"\xc0\xaf\"",
                                      "\"\xed\xa0\x80\"",
                                      "\"\xf4\x90\x80\x80\"",
                                      "\"\xf8\x88\x80\x80\x80\"",
                                      "\"\xc3x\"",
                                      NULL};
    json_object *o;
    const char *why;
    int i;

    for (i = 0; bad[i]; i++) {
        ck_assert_msg(parse(bad[i], &o, &why) == TESTAPI_PARSE_INVALID, "%d",
                      i);
    }
    ck_assert_int_eq(parse("\"\xc3\xa9\xe6\xb5\x8b\xf0\x9f\x98\x80\xf4\x8f\xbf"
                           "\xbf\xed\x9f\xbf\"",
                           &o, &why),
                     TESTAPI_PARSE_OK);
}
END_TEST

START_TEST(member_types)
{
    json_object *o, *v;
    const char *why;
    ck_assert_int_eq(
        parse("{\"s\": \"x\", \"n\": null, \"i\": 5, \"d\": 0.5}", &o, &why),
        TESTAPI_PARSE_OK);
    ck_assert_int_eq(testapi_json_member(o, "s", json_type_string, &v),
                     TESTAPI_FIELD_OK);
    ck_assert_int_eq(testapi_json_member(o, "n", json_type_string, &v),
                     TESTAPI_FIELD_ABSENT);
    ck_assert_int_eq(testapi_json_member(o, "zz", json_type_string, &v),
                     TESTAPI_FIELD_ABSENT);
    ck_assert_int_eq(testapi_json_member(o, "i", json_type_string, &v),
                     TESTAPI_FIELD_WRONG_TYPE);
    ck_assert_int_eq(testapi_json_member(o, "i", json_type_double, &v),
                     TESTAPI_FIELD_OK);
    ck_assert_int_eq(testapi_json_member(o, "d", json_type_double, &v),
                     TESTAPI_FIELD_OK);
}
END_TEST

/* Clearing the pool drops the reference it was given: a second owner
 * (json_object_get) keeps the object alive with exactly one reference. */
START_TEST(pool_owns_object)
{
    apr_pool_t *p;
    json_object *o;

    apr_pool_create(&p, test_pool);
    o = testapi_json_object(p);
    json_object_get(o);
    apr_pool_destroy(p);
    ck_assert_int_eq(json_object_put(o), 1); /* 1: the object was freed */
}
END_TEST

START_TEST(text_keeps_slashes)
{
    json_object *o = testapi_json_object(test_pool);
    testapi_json_add_str(o, "href", "http://h/a/b");
    ck_assert_str_eq(testapi_json_text(o, NULL), "{\"href\":\"http://h/a/b\"}");
}
END_TEST

static const char *member(const char *text, const char *key)
{
    apr_size_t off, len;
    if (!testapi_json_member_text(text, strlen(text), key, &off, &len)) {
        return NULL;
    }
    return apr_pstrndup(test_pool, text + off, len);
}

START_TEST(member_text_is_exact)
{
    const char *doc = "{ \"a\" : 1 , \"details\" : { \"x\" : [1, \"}]\\\"\"],"
                      " \"y\": 1.50 } , \"z\": null }";
    ck_assert_str_eq(member(doc, "details"),
                     "{ \"x\" : [1, \"}]\\\"\"], \"y\": 1.50 }");
    ck_assert_str_eq(member(doc, "a"), "1");
    ck_assert_str_eq(member(doc, "z"), "null");
    ck_assert_ptr_null(member(doc, "b"));
    ck_assert_ptr_null(member("[1]", "a"));
}
END_TEST

START_TEST(member_text_last_duplicate_wins)
{
    ck_assert_str_eq(member("{\"d\": 1, \"d\": \"two\"}", "d"), "\"two\"");
    ck_assert_str_eq(member("{\"d\\u0065\": true}", "de"), "true");
    ck_assert_str_eq(member("{\"d\":[],\"e\":-1e5}", "e"), "-1e5");
}
END_TEST

/* json-c's own text of a string, as testapi_json_text writes it. */
static const char *jsonc_text(const char *s, apr_size_t n)
{
    json_object *o =
        testapi_json_own(test_pool, json_object_new_string_len(s, (int)n));
    return testapi_json_text(o, NULL);
}

START_TEST(member_str_of_a_built_object)
{
    json_object *o;
    const char *why;
    ck_assert_int_eq(parse("{\"a\": \"x\", \"n\": 1, \"z\": null}", &o, &why),
                     TESTAPI_PARSE_OK);
    ck_assert_str_eq(testapi_json_member_str(o, "a"), "x");
    ck_assert_str_eq(testapi_json_member_str(o, "n"), "");
    ck_assert_str_eq(testapi_json_member_str(o, "z"), "");
    ck_assert_str_eq(testapi_json_member_str(o, "missing"), "");
}
END_TEST

START_TEST(buf_string_escapes_like_json_c)
{
    testapi_buf b;
    char one[3];
    int c;

    /* every byte alone, between two letters */
    for (c = 1; c < 256; c++) {
        one[0] = 'a';
        one[1] = (char)c;
        one[2] = 'z';
        testapi_buf_init(&b, test_pool, 0);
        testapi_buf_jstr(&b, one, 3);
        ck_assert_str_eq(b.data, jsonc_text(one, 3));
        ck_assert_uint_eq(b.len, strlen(b.data));
    }
    {
        const char *mixed = "\"q\" \\ / \xc3\xa9\xe2\x82\xac\n\x01\x1f\x7f end";
        testapi_buf_init(&b, test_pool, 0);
        testapi_buf_jstr(&b, mixed, strlen(mixed));
        ck_assert_str_eq(b.data, jsonc_text(mixed, strlen(mixed)));
    }
    testapi_buf_init(&b, test_pool, 0);
    testapi_buf_jstr(&b, "", 0);
    ck_assert_str_eq(b.data, "\"\"");
}
END_TEST

START_TEST(buf_grows_and_keeps_its_text)
{
    testapi_buf b;
    int i;

    testapi_buf_init(&b, test_pool, 1);
    for (i = 0; i < 1000; i++) {
        testapi_buf_lit(&b, "0123456789");
        testapi_buf_jstr(&b, "x\ty", 3);
    }
    ck_assert_uint_eq(b.len, 1000 * (10 + 6));
    ck_assert_uint_eq(strlen(b.data), b.len);
    ck_assert(!strncmp(b.data, "0123456789\"x\\ty\"0123", 20));
    ck_assert(!strcmp(b.data + b.len - 6, "\"x\\ty\""));
}
END_TEST

Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, object_parses);
    tcase_add_test(tc, empty_and_null_are_no_body);
    tcase_add_test(tc, invalid_json_says_why);
    tcase_add_test(tc, strings_may_hold_anything_escaped);
    tcase_add_test(tc, invalid_utf8_is_refused);
    tcase_add_test(tc, scalars_at_end_of_input);
    tcase_add_test(tc, depth_100_accepted_101_refused);
    tcase_add_test(tc, fed_in_pieces);
    tcase_add_test(tc, nul_byte_refused);
    tcase_add_test(tc, utf8_split_across_pieces);
    tcase_add_test(tc, depth_counts_containers_not_scalars);
    tcase_add_test(tc, malformed_numbers_refused);
    tcase_add_test(tc, number_split_across_pieces);
    tcase_add_test(tc, lone_surrogates_refused);
    tcase_add_test(tc, invalid_utf8_forms_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("objects");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, member_types);
    tcase_add_test(tc, pool_owns_object);
    tcase_add_test(tc, text_keeps_slashes);
    tcase_add_test(tc, member_text_is_exact);
    tcase_add_test(tc, member_text_last_duplicate_wins);
    tcase_add_test(tc, member_str_of_a_built_object);
    tcase_add_test(tc, buf_string_escapes_like_json_c);
    tcase_add_test(tc, buf_grows_and_keeps_its_text);
    suite_add_tcase(s, tc);
    return s;
}
