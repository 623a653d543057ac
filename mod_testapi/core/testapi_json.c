#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "core/testapi_json.h"
#include "core/testapi_name.h"

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
    int number;    /* where in a number token (NUM_*), NUM_NONE outside */
    int hex;       /* hex digits still due in a \uXXXX escape */
    unsigned code; /* the code unit of that escape so far */
    int high;      /* a high surrogate escape waits for its low half */
    int utf8_need; /* continuation bytes due in a UTF-8 character */
    unsigned char utf8_lo, utf8_hi; /* the range of the next one */
    int depth, max_depth;           /* containers open, and how many may be */
    /* A UTF-8 sequence cut at the end of a piece waits for the next one:
     * json-c's UTF-8 check refuses a character split across pieces. */
    char pending[4];
    apr_size_t npending;
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

void testapi_buf_init(testapi_buf *b, apr_pool_t *pool, apr_size_t cap)
{
    b->pool = pool;
    b->cap = cap < 64 ? 64 : cap;
    b->data = apr_palloc(pool, b->cap);
    b->len = 0;
    b->data[0] = '\0';
}

/* Room for n more bytes and the NUL. */
static void buf_reserve(testapi_buf *b, apr_size_t n)
{
    if (b->len + n + 1 > b->cap) {
        apr_size_t cap = b->cap * 2;
        char *data;

        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        data = apr_palloc(b->pool, cap);
        memcpy(data, b->data, b->len + 1);
        b->data = data;
        b->cap = cap;
    }
}

void testapi_buf_add(testapi_buf *b, const char *s, apr_size_t n)
{
    buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void testapi_buf_jstr(testapi_buf *b, const char *s, apr_size_t n)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t i, start = 0;
    char esc[6];

    /* At most 6 bytes per input byte, plus the quotes. */
    buf_reserve(b, 6 * n + 2);
    b->data[b->len++] = '"';
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *e;
        apr_size_t elen = 2;

        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        /* The escapes of json-c's json_escape_str, without "\/". */
        switch (c) {
        case '\b':
            e = "\\b";
            break;
        case '\n':
            e = "\\n";
            break;
        case '\r':
            e = "\\r";
            break;
        case '\t':
            e = "\\t";
            break;
        case '\f':
            e = "\\f";
            break;
        case '"':
            e = "\\\"";
            break;
        case '\\':
            e = "\\\\";
            break;
        default:
            memcpy(esc, "\\u00", 4);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            e = esc;
            elen = 6;
            break;
        }
        memcpy(b->data + b->len, s + start, i - start);
        b->len += i - start;
        memcpy(b->data + b->len, e, elen);
        b->len += elen;
        start = i + 1;
    }
    memcpy(b->data + b->len, s + start, n - start);
    b->len += n - start;
    b->data[b->len++] = '"';
    b->data[b->len] = '\0';
}

static apr_status_t tokener_cleanup(void *data)
{
    json_tokener_free(data);
    return APR_SUCCESS;
}

testapi_json_parser *testapi_json_parser_make(apr_pool_t *pool, int depth)
{
    testapi_json_parser *ps = apr_pcalloc(pool, sizeof(*ps));
    /* json-c counts a scalar inside the innermost container as one more
     * level; containers themselves are counted by scan_strict. */
    ps->tok = json_tokener_new_ex(depth + 1);
    ps->max_depth = depth;
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

/* States of a number token (RFC 8259: -?(0|[1-9][0-9]*)(.[0-9]+)?
 * ([eE][+-]?[0-9]+)?); the _OK ones may end the number. */
enum {
    NUM_NONE = 0,
    NUM_MINUS,
    NUM_ZERO_OK,
    NUM_INT_OK,
    NUM_DOT,
    NUM_FRAC_OK,
    NUM_EXP,
    NUM_EXP_SIGN,
    NUM_EXP_OK
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Steps the number state over c; returns 0 when c does not continue the
 * number (which then ended, or was never one), -1 when the number is
 * malformed, 1 when c was taken. */
static int number_step(testapi_json_parser *ps, char c)
{
    switch (ps->number) {
    case NUM_NONE:
        if (c == '-') {
            ps->number = NUM_MINUS;
        } else if (c == '0') {
            ps->number = NUM_ZERO_OK;
        } else if (is_digit(c)) {
            ps->number = NUM_INT_OK;
        } else {
            return 0;
        }
        return 1;
    case NUM_MINUS:
        if (!is_digit(c)) {
            return -1;
        }
        ps->number = c == '0' ? NUM_ZERO_OK : NUM_INT_OK;
        return 1;
    case NUM_ZERO_OK:
    case NUM_INT_OK:
        if (is_digit(c)) {
            /* "01" is not JSON (json-c takes "-01" and "[00]") */
            return ps->number == NUM_ZERO_OK ? -1 : 1;
        }
        if (c == '.') {
            ps->number = NUM_DOT;
            return 1;
        }
        /* an exponent, or the end: as after a fraction */
        /* fall through */
    case NUM_FRAC_OK:
        if (is_digit(c)) {
            return 1;
        }
        if (c == 'e' || c == 'E') {
            ps->number = NUM_EXP;
            return 1;
        }
        break;
    case NUM_DOT:
        if (!is_digit(c)) {
            return -1; /* "1." */
        }
        ps->number = NUM_FRAC_OK;
        return 1;
    case NUM_EXP:
        if (c == '+' || c == '-') {
            ps->number = NUM_EXP_SIGN;
            return 1;
        }
        /* fall through */
    case NUM_EXP_SIGN:
        if (!is_digit(c)) {
            return -1;
        }
        ps->number = NUM_EXP_OK;
        return 1;
    case NUM_EXP_OK:
        if (is_digit(c)) {
            return 1;
        }
        break;
    }
    /* The number ended: only white space or a separator may follow.  (Fed
     * "[99" and then "-0]", json-c returns [99].) */
    ps->number = NUM_NONE;
    return is_space(c) || c == ',' || c == ']' || c == '}' ? 0 : -1;
}

/* Is the number state one that may end the input? */
static int number_complete(const testapi_json_parser *ps)
{
    return ps->number == NUM_NONE || ps->number == NUM_ZERO_OK ||
           ps->number == NUM_INT_OK || ps->number == NUM_FRAC_OK ||
           ps->number == NUM_EXP_OK;
}

/*
 * One byte of a UTF-8 character inside a string (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF).  json-c's own check lets
 * all three through, and the database then refuses the value (a 500).
 */
static int utf8_step(testapi_json_parser *ps, unsigned char u)
{
    if (ps->utf8_need) {
        if (u < ps->utf8_lo || u > ps->utf8_hi) {
            ps->why = "invalid utf-8 string";
            return 1;
        }
        ps->utf8_need--;
        ps->utf8_lo = 0x80;
        ps->utf8_hi = 0xbf;
        return 0;
    }
    ps->utf8_lo = 0x80;
    ps->utf8_hi = 0xbf;
    if (u >= 0xc2 && u <= 0xdf) {
        ps->utf8_need = 1;
    } else if (u >= 0xe0 && u <= 0xef) {
        ps->utf8_need = 2;
        if (u == 0xe0) {
            ps->utf8_lo = 0xa0; /* below: overlong */
        } else if (u == 0xed) {
            ps->utf8_hi = 0x9f; /* above: surrogates */
        }
    } else if (u >= 0xf0 && u <= 0xf4) {
        ps->utf8_need = 3;
        if (u == 0xf0) {
            ps->utf8_lo = 0x90; /* below: overlong */
        } else if (u == 0xf4) {
            ps->utf8_hi = 0x8f; /* above: beyond U+10FFFF */
        }
    } else {
        ps->why = "invalid utf-8 string";
        return 1;
    }
    return 0;
}

/* One character inside a string: escapes and UTF-16 surrogate pairs.
 * Returns non-zero (with ps->why) when it cannot be valid JSON text. */
static int string_step(testapi_json_parser *ps, char c)
{
    unsigned char u = (unsigned char)c;

    if (ps->utf8_need || u >= 0x80) {
        return utf8_step(ps, u);
    }
    if (u < 0x20) {
        ps->why = "control character in a string";
        return 1;
    }
    if (ps->hex) {
        int h = testapi_hex_value(c);
        if (h < 0) {
            ps->why = "invalid \\u escape";
            return 1;
        }
        ps->code = (ps->code << 4) | (unsigned)h;
        if (--ps->hex) {
            return 0;
        }
        if (ps->code >= 0xdc00 && ps->code <= 0xdfff) {
            if (!ps->high) {
                ps->why = "lone surrogate in a \\u escape";
                return 1;
            }
            ps->high = 0;
        } else if (ps->high) {
            ps->why = "lone surrogate in a \\u escape";
            return 1;
        } else if (ps->code >= 0xd800 && ps->code <= 0xdbff) {
            ps->high = 1;
        }
        return 0;
    }
    if (ps->escaped) {
        ps->escaped = 0;
        if (c == 'u') {
            ps->hex = 4;
            ps->code = 0;
            return 0;
        }
    } else if (c == '\\') {
        ps->escaped = 1;
        return 0;
    } else if (c == '"') {
        ps->in_string = 0;
    }
    /* json-c would put U+FFFD in place of a surrogate without its pair:
     * the stored text would not be what was sent. */
    if (ps->high) {
        ps->why = "lone surrogate in a \\u escape";
        return 1;
    }
    return 0;
}

/*
 * json-c's strict mode still accepts single-quoted keys, NaN, Infinity,
 * numbers such as "1." and "-01", lone UTF-16 surrogates (made U+FFFD) and
 * raw control characters inside strings.  None of them is JSON, and a
 * 'details' value is kept verbatim: refuse them with a scan that carries
 * its state across pieces.  Returns non-zero on the first such character.
 */
static int scan_strict(testapi_json_parser *ps, const char *buf, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++) {
        char c = buf[i];
        if (ps->in_string) {
            if (string_step(ps, c)) {
                return 1;
            }
            continue;
        }
        switch (number_step(ps, c)) {
        case 1:
            continue;
        case -1:
            ps->why = "malformed number";
            return 1;
        default:
            break;
        }
        if (c == '\'' || c == 'N' || c == 'I') {
            ps->why = "not strict JSON";
            return 1;
        }
        if (c == '{' || c == '[') {
            if (++ps->depth > ps->max_depth) {
                ps->why = "nesting too deep";
                return 1;
            }
        } else if (c == '}' || c == ']') {
            ps->depth--;
        }
        ps->in_string = (c == '"');
    }
    return 0;
}

/* How many bytes at the end of buf start a UTF-8 sequence it does not
 * finish (0 to 3). */
static apr_size_t utf8_cut_tail(const char *buf, apr_size_t len)
{
    apr_size_t back;

    for (back = 1; back <= 4 && back <= len; back++) {
        unsigned char c = (unsigned char)buf[len - back];
        if ((c & 0xc0) != 0x80) {
            apr_size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
            return need > back ? back : 0;
        }
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
        parser_fail(ps, ps->why);
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
    if (ps->npending) {
        /* Complete the character held back from the previous piece. */
        unsigned char lead = (unsigned char)ps->pending[0];
        apr_size_t need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
        apr_size_t take = need - ps->npending;
        char whole[4];

        if (take > len) {
            take = len;
        }
        memcpy(whole, ps->pending, ps->npending);
        memcpy(whole + ps->npending, buf, take);
        buf += take;
        len -= take;
        if (ps->npending + take < need) {
            memcpy(ps->pending, whole, ps->npending + take);
            ps->npending += take;
            return 0;
        }
        parser_step(ps, whole, need);
        ps->npending = 0;
        if (ps->failed || len == 0) {
            return ps->failed;
        }
    }
    ps->npending = utf8_cut_tail(buf, len);
    memcpy(ps->pending, buf + len - ps->npending, ps->npending);
    if (len > ps->npending) {
        parser_step(ps, buf, len - ps->npending);
    }
    return ps->failed;
}

testapi_parse_rc testapi_json_parser_finish(testapi_json_parser *ps,
                                            json_object **out, const char **why)
{
    *out = NULL;
    if (!ps->failed && ps->npending) {
        /* The body ended inside a character. */
        parser_step(ps, ps->pending, ps->npending);
        ps->npending = 0;
        if (!ps->failed) {
            parser_fail(ps, "invalid utf-8 string");
        }
    }
    if (!ps->failed && !number_complete(ps)) {
        /* The body ended inside a number: "1.", "-", "1e". */
        parser_fail(ps, "malformed number");
    }
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

const char *testapi_json_member_str(json_object *obj, const char *key)
{
    json_object *v;

    if (!json_object_object_get_ex(obj, key, &v) ||
        !json_object_is_type(v, json_type_string)) {
        return "";
    }
    return json_object_get_string(v);
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

/* Byte offset just past the JSON string starting at text[i] == '"'. */
static apr_size_t skip_string(const char *text, apr_size_t len, apr_size_t i)
{
    for (i++; i < len; i++) {
        if (text[i] == '\\') {
            i++;
        } else if (text[i] == '"') {
            return i + 1;
        }
    }
    return len;
}

static apr_size_t skip_space(const char *text, apr_size_t len, apr_size_t i)
{
    while (i < len && is_space(text[i])) {
        i++;
    }
    return i;
}

/* Byte offset just past the JSON value starting at text[i]. */
static apr_size_t skip_value(const char *text, apr_size_t len, apr_size_t i)
{
    int depth = 0;

    if (i < len && text[i] == '"') {
        return skip_string(text, len, i);
    }
    if (i < len && (text[i] == '{' || text[i] == '[')) {
        while (i < len) {
            char c = text[i];
            if (c == '"') {
                i = skip_string(text, len, i);
                continue;
            }
            if (c == '{' || c == '[') {
                depth++;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        return len;
    }
    /* A number, true, false or null. */
    while (i < len && text[i] != ',' && text[i] != '}' && text[i] != ']' &&
           !is_space(text[i])) {
        i++;
    }
    return i;
}

/* Does the JSON string text[a..b) (quotes included) spell key? */
static int key_equals(const char *text, apr_size_t a, apr_size_t b,
                      const char *key)
{
    apr_size_t n = b - a - 2;
    json_object *decoded;
    char *copy;
    int same;

    if (!memchr(text + a, '\\', b - a)) {
        return strlen(key) == n && !memcmp(text + a + 1, key, n);
    }
    /* Escapes in a key ("det\u0061ils"): let json-c decode it. */
    copy = malloc(b - a + 1);
    if (!copy) {
        return 0;
    }
    memcpy(copy, text + a, b - a);
    copy[b - a] = '\0';
    decoded = json_tokener_parse(copy);
    free(copy);
    same = decoded && json_object_is_type(decoded, json_type_string) &&
           (apr_size_t)json_object_get_string_len(decoded) == strlen(key) &&
           !strcmp(json_object_get_string(decoded), key);
    json_object_put(decoded);
    return same;
}

int testapi_json_member_text(const char *text, apr_size_t len, const char *key,
                             apr_size_t *off, apr_size_t *vlen)
{
    apr_size_t i = skip_space(text, len, 0);
    int found = 0;

    if (i >= len || text[i] != '{') {
        return 0;
    }
    i++;
    for (;;) {
        apr_size_t ka, kb, va;
        i = skip_space(text, len, i);
        if (i >= len || text[i] != '"') {
            return found;
        }
        ka = i;
        kb = i = skip_string(text, len, i);
        i = skip_space(text, len, i);
        if (i >= len || text[i] != ':') {
            return found;
        }
        va = i = skip_space(text, len, i + 1);
        i = skip_value(text, len, i);
        if (key_equals(text, ka, kb, key)) {
            *off = va;
            *vlen = i - va;
            found = 1;
        }
        i = skip_space(text, len, i);
        if (i >= len || text[i] != ',') {
            return found;
        }
        i++;
    }
}

const char *testapi_json_quote(apr_pool_t *pool, const char *s)
{
    testapi_buf b;

    testapi_buf_init(&b, pool, strlen(s) + 8);
    testapi_buf_jstr(&b, s, strlen(s));
    return b.data;
}
