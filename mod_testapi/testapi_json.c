#include <string.h>

#include <apr_strings.h>

#include "testapi_json.h"

struct testapi_json_parser {
    apr_pool_t *pool;
    json_tokener *tok;
    json_object *value;
    const char *why;
    int done; /* a complete value has been read */
    int seen; /* a non-space byte has been read */
    int failed;
    /* What json-c's strict mode lets through is refused by scan_strict. */
    int in_string;
    int escaped;
    char prev;
};

static apr_status_t json_put_cleanup(void *data)
{
    json_object_put(data);
    return APR_SUCCESS;
}

json_object *testapi_json_own(apr_pool_t *pool, json_object *obj)
{
    if (obj) {
        apr_pool_cleanup_register(pool, obj, json_put_cleanup,
                                  apr_pool_cleanup_null);
    }
    return obj;
}

json_object *testapi_json_object(apr_pool_t *pool)
{
    return testapi_json_own(pool, json_object_new_object());
}

json_object *testapi_json_array(apr_pool_t *pool)
{
    return testapi_json_own(pool, json_object_new_array());
}

void testapi_json_add_strn(json_object *obj, const char *key, const char *val,
                           apr_size_t len)
{
    json_object_object_add(obj, key, json_object_new_string_len(val, (int)len));
}

void testapi_json_add_str(json_object *obj, const char *key, const char *val)
{
    testapi_json_add_strn(obj, key, val ? val : "", val ? strlen(val) : 0);
}

const char *testapi_json_text(json_object *obj, apr_size_t *len)
{
    size_t n = 0;
    const char *s = json_object_to_json_string_length(
        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
    if (len) {
        *len = n;
    }
    return s;
}

static apr_status_t tokener_cleanup(void *data)
{
    json_tokener_free(data);
    return APR_SUCCESS;
}

testapi_json_parser *testapi_json_parser_make(apr_pool_t *pool, int depth)
{
    testapi_json_parser *ps = apr_pcalloc(pool, sizeof(*ps));
    ps->tok = json_tokener_new_ex(depth);
    if (!ps->tok) {
        return NULL;
    }
    apr_pool_cleanup_register(pool, ps->tok, tokener_cleanup,
                              apr_pool_cleanup_null);
    json_tokener_set_flags(ps->tok,
                           JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    ps->pool = pool;
    return ps;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int only_space(const char *buf, apr_size_t len)
{
    apr_size_t i;
    for (i = 0; i < len; i++) {
        if (!is_space(buf[i])) {
            return 0;
        }
    }
    return 1;
}

static void parser_fail(testapi_json_parser *ps, const char *why)
{
    ps->failed = 1;
    ps->why = why;
}

/* Runs the tokener over one piece; a NUL piece of length 1 marks the end. */
static void parser_step(testapi_json_parser *ps, const char *buf,
                        apr_size_t len)
{
    enum json_tokener_error err;
    json_object *obj = json_tokener_parse_ex(ps->tok, buf, (int)len);

    err = json_tokener_get_error(ps->tok);
    if (err == json_tokener_continue) {
        return;
    }
    if (err != json_tokener_success) {
        parser_fail(ps, json_tokener_error_desc(err));
        return;
    }
    ps->done = 1;
    ps->value = obj;
    /* Strict mode already refuses trailing garbage in the same piece. */
    if (json_tokener_get_parse_end(ps->tok) < len &&
        !(len == 1 && buf[0] == '\0') &&
        !only_space(buf + json_tokener_get_parse_end(ps->tok),
                    len - json_tokener_get_parse_end(ps->tok))) {
        parser_fail(ps, "unexpected data after the JSON value");
    }
}

/*
 * json-c's strict mode still accepts single-quoted keys, NaN, Infinity, a
 * number ending in '.' and raw control characters inside strings.  None of
 * them is JSON: refuse them with a scan that carries its state across
 * pieces.  Returns non-zero on the first such character.
 */
static int scan_strict(testapi_json_parser *ps, const char *buf, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        char c = buf[i];
        if (ps->in_string) {
            if ((unsigned char)c < 0x20) {
                return 1;
            }
            if (ps->escaped) {
                ps->escaped = 0;
            } else if (c == '\\') {
                ps->escaped = 1;
            } else if (c == '"') {
                ps->in_string = 0;
            }
            ps->prev = 0;
            continue;
        }
        if (c == '\'' || c == 'N' || c == 'I' ||
            (ps->prev == '.' && !(c >= '0' && c <= '9'))) {
            return 1;
        }
        ps->in_string = (c == '"');
        ps->prev = c;
    }
    return 0;
}

int testapi_json_parser_feed(testapi_json_parser *ps, const char *buf,
                             apr_size_t len)
{
    if (ps->failed || len == 0) {
        return ps->failed;
    }
    if (memchr(buf, '\0', len)) {
        parser_fail(ps, "NUL byte in the body");
        return 1;
    }
    if (scan_strict(ps, buf, len)) {
        parser_fail(ps, "not strict JSON");
        return 1;
    }
    if (ps->done) {
        if (!only_space(buf, len)) {
            parser_fail(ps, "unexpected data after the JSON value");
        }
        return ps->failed;
    }
    if (!ps->seen) {
        ps->seen = !only_space(buf, len);
    }
    parser_step(ps, buf, len);
    return ps->failed;
}

testapi_parse_rc testapi_json_parser_finish(testapi_json_parser *ps,
                                            json_object **out, const char **why)
{
    *out = NULL;
    if (!ps->failed && !ps->done && ps->seen) {
        /* Numbers and literals at the very end need an end-of-input mark. */
        parser_step(ps, "", 1);
        if (!ps->failed && !ps->done) {
            parser_fail(ps, "unexpected end of data");
        }
    }
    if (ps->value) {
        /* The value goes to the pool exactly once, whatever the outcome. */
        json_object *v = ps->value;
        ps->value = NULL;
        if (ps->failed) {
            json_object_put(v);
        } else {
            *out = testapi_json_own(ps->pool, v);
        }
    }
    if (ps->failed) {
        *why = ps->why;
        return TESTAPI_PARSE_INVALID;
    }
    return *out ? TESTAPI_PARSE_OK : TESTAPI_PARSE_EMPTY;
}

testapi_parse_rc testapi_json_parse(apr_pool_t *pool, const char *buf,
                                    apr_size_t len, json_object **out,
                                    const char **why)
{
    testapi_json_parser *ps =
        testapi_json_parser_make(pool, TESTAPI_JSON_MAX_DEPTH);
    if (!ps) {
        *out = NULL;
        *why = "out of memory";
        return TESTAPI_PARSE_INVALID;
    }
    testapi_json_parser_feed(ps, buf, len);
    return testapi_json_parser_finish(ps, out, why);
}

testapi_field_rc testapi_json_member(json_object *obj, const char *key,
                                     json_type type, json_object **val)
{
    json_object *v = NULL;

    *val = NULL;
    if (!obj || !json_object_is_type(obj, json_type_object) ||
        !json_object_object_get_ex(obj, key, &v) || v == NULL) {
        return TESTAPI_FIELD_ABSENT;
    }
    if (type == json_type_double) {
        /* Numbers: clients send 1 and 1.0 alike. */
        if (!json_object_is_type(v, json_type_double) &&
            !json_object_is_type(v, json_type_int)) {
            return TESTAPI_FIELD_WRONG_TYPE;
        }
    } else if (!json_object_is_type(v, type)) {
        return TESTAPI_FIELD_WRONG_TYPE;
    }
    *val = v;
    return TESTAPI_FIELD_OK;
}

const char *testapi_json_type_word(json_type type)
{
    switch (type) {
    case json_type_string:
        return "string";
    case json_type_int:
        return "integer";
    case json_type_double:
        return "number";
    case json_type_boolean:
        return "boolean";
    case json_type_object:
        return "object";
    case json_type_array:
        return "array";
    default:
        return "value";
    }
}
