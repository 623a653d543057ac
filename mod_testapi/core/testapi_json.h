/*
 * JSON helpers on json-c and APR pools.  This is the only file that talks
 * to json-c's tokener and ownership rules directly; it has no httpd headers
 * so the unit tests can link it without Apache.
 */
#ifndef TESTAPI_JSON_H
#define TESTAPI_JSON_H

#include <apr_pools.h>
#include <json.h>

/* Nesting accepted in request bodies: the body object is level 1. */
#define TESTAPI_JSON_MAX_DEPTH 100

/*
 * Hand the reference of 'obj' to 'pool': clearing the pool drops it.
 * Returns obj so that a constructor call can be wrapped directly.
 */
json_object *testapi_json_own(apr_pool_t *pool, json_object *obj);

/* Pool-owned constructors for response roots. */
json_object *testapi_json_object(apr_pool_t *pool);
json_object *testapi_json_array(apr_pool_t *pool);

/* Add a string member of known length (may hold any bytes json-c accepts). */
void testapi_json_add_str(json_object *obj, const char *key, const char *val);
void testapi_json_add_strn(json_object *obj, const char *key, const char *val,
                           apr_size_t len);

/* Serialise without pretty printing and without escaping '/'. */
const char *testapi_json_text(json_object *obj, apr_size_t *len);

/*
 * JSON text written directly, for answers made of many rows (results):
 * no json-c object per value.  A buffer from a pool that grows by
 * doubling; testapi_buf_jstr writes a string exactly as testapi_json_text
 * writes a json-c string (the same escapes), so either way gives the same
 * bytes.
 */
typedef struct testapi_buf {
    apr_pool_t *pool;
    char *data; /* NUL-terminated */
    apr_size_t len, cap;
} testapi_buf;

void testapi_buf_init(testapi_buf *b, apr_pool_t *pool, apr_size_t cap);
void testapi_buf_add(testapi_buf *b, const char *s, apr_size_t n);
#define testapi_buf_lit(b, s) testapi_buf_add((b), (s), sizeof(s) - 1)
/* s[0..n) as a quoted, escaped JSON string. */
void testapi_buf_jstr(testapi_buf *b, const char *s, apr_size_t n);

/* Incremental request-body parser. */
typedef enum {
    TESTAPI_PARSE_OK = 0, /* *out is an owned value (never JSON null) */
    TESTAPI_PARSE_EMPTY,  /* nothing but white space, or JSON null */
    TESTAPI_PARSE_INVALID /* *why says what is wrong */
} testapi_parse_rc;

typedef struct testapi_json_parser testapi_json_parser;

/* The tokener is freed with 'pool'; the parsed value is owned by it too.
 * Returns NULL when json-c cannot allocate a tokener. */
testapi_json_parser *testapi_json_parser_make(apr_pool_t *pool, int depth);

/* Feed bytes as they arrive; returns non-zero once the input is invalid. */
int testapi_json_parser_feed(testapi_json_parser *ps, const char *buf,
                             apr_size_t len);

testapi_parse_rc testapi_json_parser_finish(testapi_json_parser *ps,
                                            json_object **out,
                                            const char **why);

/* Parse one complete buffer (tests, fuzzers, small inputs). */
testapi_parse_rc testapi_json_parse(apr_pool_t *pool, const char *buf,
                                    apr_size_t len, json_object **out,
                                    const char **why);

/*
 * Typed member lookup: the one place request validation asks "is this key
 * there, and of this type".  A member that is JSON null counts as absent.
 * *val is borrowed from 'obj'.
 */
typedef enum {
    TESTAPI_FIELD_ABSENT = 0,
    TESTAPI_FIELD_OK,
    TESTAPI_FIELD_WRONG_TYPE
} testapi_field_rc;

testapi_field_rc testapi_json_member(json_object *obj, const char *key,
                                     json_type type, json_object **val);

/* The string member 'key' of obj: "" when it is missing or not a string. */
const char *testapi_json_member_str(json_object *obj, const char *key);

/* The JSON type name used in "<field> must be a <type>" messages. */
const char *testapi_json_type_word(json_type type);

/*
 * In the text of a JSON object that has already been validated, find the
 * value of the top-level member 'key' (the last one, as json-c keeps it).
 * Returns 1 with its byte span, 0 when the object has no such member.
 * This is how 'details' is stored exactly as it was sent.
 */
int testapi_json_member_text(const char *text, apr_size_t len, const char *key,
                             apr_size_t *off, apr_size_t *vlen);

/* A string as JSON text, quoted and escaped as testapi_buf_jstr does. */
const char *testapi_json_quote(apr_pool_t *pool, const char *s);

#endif
