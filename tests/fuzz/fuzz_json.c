/*
 * libFuzzer target: the request-body path of POST/PUT.  The body is fed
 * to the incremental parser in pieces of random sizes (as brigades
 * arrive), then validated as a pod, a project, a testcase update and a
 * result, and the verbatim 'details' is cut out of the text.
 *
 * Properties:
 *   - the pieces do not matter: the same outcome, and an equal value, as
 *     parsing the body in one go;
 *   - the parser accepts exactly the JSON texts of RFC 8259 with at most
 *     TESTAPI_JSON_MAX_DEPTH nested containers and no lone surrogate
 *     escapes: an independent strict checker below is the reference;
 *   - accepted fields are what the storage layer needs (names pass
 *     testapi_name_check, strings hold no NUL and fit a TEXT column);
 *   - the verbatim text of 'details' parses to the same value as json-c's.
 * The first input byte seeds the piece sizes; the rest is the body.
 */
#include <string.h>

#include "fuzz_util.h"
#include "core/testapi_date.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_json.h"
#include "core/testapi_name.h"

/* ---- the reference: a strict RFC 8259 checker -------------------------- */

typedef struct {
    const unsigned char *s;
    size_t n, i;
    int depth;
} ref_in;

static void ref_ws(ref_in *in)
{
    while (in->i < in->n && (in->s[in->i] == ' ' || in->s[in->i] == '\t' ||
                             in->s[in->i] == '\n' || in->s[in->i] == '\r')) {
        in->i++;
    }
}

static int ref_lit(ref_in *in, const char *word)
{
    size_t len = strlen(word);
    if (in->n - in->i < len || memcmp(in->s + in->i, word, len)) {
        return 0;
    }
    in->i += len;
    return 1;
}

static int ref_digits(ref_in *in)
{
    size_t start = in->i;
    while (in->i < in->n && in->s[in->i] >= '0' && in->s[in->i] <= '9') {
        in->i++;
    }
    return in->i > start;
}

static int ref_number(ref_in *in)
{
    if (in->i < in->n && in->s[in->i] == '-') {
        in->i++;
    }
    if (in->i < in->n && in->s[in->i] == '0') {
        in->i++;
    } else if (!(in->i < in->n && in->s[in->i] >= '1' && in->s[in->i] <= '9') ||
               !ref_digits(in)) {
        return 0;
    }
    if (in->i < in->n && in->s[in->i] == '.') {
        in->i++;
        if (!ref_digits(in)) {
            return 0;
        }
    }
    if (in->i < in->n && (in->s[in->i] == 'e' || in->s[in->i] == 'E')) {
        in->i++;
        if (in->i < in->n && (in->s[in->i] == '+' || in->s[in->i] == '-')) {
            in->i++;
        }
        if (!ref_digits(in)) {
            return 0;
        }
    }
    return 1;
}

static long ref_hex4(ref_in *in)
{
    long v = 0;
    int k;
    if (in->n - in->i < 4) {
        return -1;
    }
    for (k = 0; k < 4; k++) {
        unsigned char c = in->s[in->i++];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= c - '0';
        } else if (c >= 'a' && c <= 'f') {
            v |= c - 'a' + 10;
        } else if (c >= 'A' && c <= 'F') {
            v |= c - 'A' + 10;
        } else {
            return -1;
        }
    }
    return v;
}

/* One UTF-8 character at in->i (first byte >= 0x80): RFC 3629. */
static int ref_utf8(ref_in *in)
{
    unsigned char c = in->s[in->i];
    unsigned long cp, min;
    int more, k;

    if (c >= 0xc0 && c < 0xe0) {
        more = 1, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c < 0xf0) {
        more = 2, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c < 0xf8) {
        more = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (in->n - in->i <= (size_t)more) {
        return 0;
    }
    for (k = 1; k <= more; k++) {
        unsigned char d = in->s[in->i + k];
        if ((d & 0xc0) != 0x80) {
            return 0;
        }
        cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        return 0;
    }
    in->i += more + 1;
    return 1;
}

static int ref_string(ref_in *in)
{
    in->i++; /* the opening quote */
    while (in->i < in->n) {
        unsigned char c = in->s[in->i];
        if (c == '"') {
            in->i++;
            return 1;
        }
        if (c < 0x20) {
            return 0;
        }
        if (c >= 0x80) {
            if (!ref_utf8(in)) {
                return 0;
            }
            continue;
        }
        in->i++;
        if (c != '\\') {
            continue;
        }
        if (in->i >= in->n) {
            return 0;
        }
        c = in->s[in->i++];
        if (c == 'u') {
            long u = ref_hex4(in);
            if (u < 0 || (u >= 0xdc00 && u <= 0xdfff)) {
                return 0; /* bad hex, or a low surrogate first */
            }
            if (u >= 0xd800 && u <= 0xdbff) {
                long lo;
                if (!ref_lit(in, "\\u") || (lo = ref_hex4(in)) < 0xdc00 ||
                    lo > 0xdfff) {
                    return 0;
                }
            }
        } else if (!strchr("\"\\/bfnrt", c) || c == '\0') {
            return 0;
        }
    }
    return 0;
}

static int ref_value(ref_in *in);

static int ref_container(ref_in *in, char close)
{
    if (++in->depth > TESTAPI_JSON_MAX_DEPTH) {
        return 0;
    }
    in->i++;
    ref_ws(in);
    if (in->i < in->n && in->s[in->i] == (unsigned char)close) {
        in->i++;
        in->depth--;
        return 1;
    }
    for (;;) {
        if (close == '}') {
            if (in->i >= in->n || in->s[in->i] != '"' || !ref_string(in)) {
                return 0;
            }
            ref_ws(in);
            if (in->i >= in->n || in->s[in->i] != ':') {
                return 0;
            }
            in->i++;
            ref_ws(in);
        }
        if (!ref_value(in)) {
            return 0;
        }
        ref_ws(in);
        if (in->i >= in->n) {
            return 0;
        }
        if (in->s[in->i] == (unsigned char)close) {
            in->i++;
            in->depth--;
            return 1;
        }
        if (in->s[in->i] != ',') {
            return 0;
        }
        in->i++;
        ref_ws(in);
    }
}

static int ref_value(ref_in *in)
{
    if (in->i >= in->n) {
        return 0;
    }
    switch (in->s[in->i]) {
    case '{':
        return ref_container(in, '}');
    case '[':
        return ref_container(in, ']');
    case '"':
        return ref_string(in);
    case 't':
        return ref_lit(in, "true");
    case 'f':
        return ref_lit(in, "false");
    case 'n':
        return ref_lit(in, "null");
    default:
        return ref_number(in);
    }
}

/* The expected outcome of testapi_json_parse for this text. */
static testapi_parse_rc reference(const unsigned char *s, size_t n)
{
    ref_in in = {s, n, 0, 0};

    ref_ws(&in);
    if (in.i == n) {
        return TESTAPI_PARSE_EMPTY;
    }
    if (!ref_value(&in)) {
        return TESTAPI_PARSE_INVALID;
    }
    ref_ws(&in);
    if (in.i != n) {
        return TESTAPI_PARSE_INVALID;
    }
    in.i = 0;
    ref_ws(&in);
    return ref_lit(&in, "null") ? TESTAPI_PARSE_EMPTY : TESTAPI_PARSE_OK;
}

/* ---- the module's body validation -------------------------------------- */

static void check_fields(apr_pool_t *pool, json_object *body,
                         const testapi_field *spec, int update)
{
    const char *out[8];
    const char *err = update ? testapi_fields_update(pool, body, spec, out)
                             : testapi_fields_get(pool, body, spec, out);
    int i;

    if (err) {
        FUZZ_CHECK(*err != '\0');
        return;
    }
    for (i = 0; spec[i].key; i++) {
        json_object *v;
        size_t len;
        if (!out[i]) {
            FUZZ_CHECK(update || spec[i].kind == TESTAPI_FIELD_NULLABLE);
            continue;
        }
        len = strlen(out[i]);
        if (testapi_json_member(body, spec[i].key, json_type_string, &v) ==
            TESTAPI_FIELD_OK) {
            /* what is stored is the whole string: no NUL cut it short */
            FUZZ_CHECK((size_t)json_object_get_string_len(v) == len);
        }
        if (spec[i].kind == TESTAPI_FIELD_NAME) {
            FUZZ_CHECK(testapi_name_check(out[i], len) == NULL);
        } else {
            FUZZ_CHECK(len <= TESTAPI_FIELD_TEXT_MAX);
        }
    }
    if (spec == testapi_result_fields && out[5]) {
        apr_time_t t;
        (void)testapi_date_parse(out[5], strlen(out[5]), &t);
    }
}

/* 'details' as results store it: cut verbatim out of the body's text. */
static void check_details(apr_pool_t *pool, json_object *body, const char *text,
                          size_t len)
{
    json_object *details, *again;
    apr_size_t off, vlen;
    const char *why;
    testapi_parse_rc rc;

    if (!json_object_object_get_ex(body, "details", &details)) {
        return;
    }
    FUZZ_CHECK(testapi_json_member_text(text, len, "details", &off, &vlen));
    FUZZ_CHECK(off + vlen <= len);
    rc = testapi_json_parse(pool, text + off, vlen, &again, &why);
    if (details == NULL) {
        FUZZ_CHECK(rc == TESTAPI_PARSE_EMPTY);
    } else {
        FUZZ_CHECK(rc == TESTAPI_PARSE_OK);
        FUZZ_CHECK(json_object_equal(details, again));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    testapi_json_parser *ps;
    json_object *whole, *pieces;
    const char *why, *text;
    testapi_parse_rc rc, rc2;
    apr_uint32_t x;
    size_t off;

    if (size < 1) {
        return 0;
    }
    x = data[0] * 2654435761u + 1;
    text = (const char *)data + 1;
    size--;
    apr_pool_create(&pool, fuzz_root);

    rc = testapi_json_parse(pool, text, size, &whole, &why);
    FUZZ_CHECK(rc == reference((const unsigned char *)text, size));
    FUZZ_CHECK((rc == TESTAPI_PARSE_OK) == (whole != NULL));

    ps = testapi_json_parser_make(pool, TESTAPI_JSON_MAX_DEPTH);
    FUZZ_CHECK(ps != NULL);
    for (off = 0; off < size;) {
        size_t piece;
        x = x * 1103515245u + 12345u;
        /* mostly tiny pieces, sometimes large ones */
        piece = (x >> 16) & 0x100 ? 1 + (x >> 8) % 4096 : 1 + (x >> 8) % 7;
        if (piece > size - off) {
            piece = size - off;
        }
        testapi_json_parser_feed(ps, text + off, piece);
        off += piece;
    }
    rc2 = testapi_json_parser_finish(ps, &pieces, &why);
    FUZZ_CHECK(rc2 == rc);
    if (rc == TESTAPI_PARSE_OK) {
        FUZZ_CHECK(json_object_equal(whole, pieces));
        check_fields(pool, whole, testapi_pod_fields, 0);
        check_fields(pool, whole, testapi_project_fields, 0);
        check_fields(pool, whole, testapi_project_fields, 1);
        check_fields(pool, whole, testapi_case_put_fields, 1);
        check_fields(pool, whole, testapi_result_ref_fields, 0);
        check_fields(pool, whole, testapi_result_fields, 0);
        if (json_object_is_type(whole, json_type_object)) {
            check_details(pool, whole, text, size);
        }
    }
    apr_pool_destroy(pool);
    return 0;
}
