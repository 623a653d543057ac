#include <string.h>

#include <apr_escape.h>
#include <apr_strings.h>

#include "core/testapi_name.h"

int testapi_utf8_valid(const char *buf, apr_size_t len)
{
    const unsigned char *s = (const unsigned char *)buf;
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        apr_size_t n;
        apr_uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            n = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (len - i <= n) {
            return 0;
        }
        for (apr_size_t k = 1; k <= n; k++) {
            if ((s[i + k] & 0xc0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            return 0;
        }
        i += n + 1;
    }
    return 1;
}

const char *testapi_name_check(const char *name, apr_size_t len)
{
    if (len == 0) {
        return "name missing";
    }
    if (len > TESTAPI_NAME_MAX) {
        return "name longer than 255 bytes";
    }
    if (memchr(name, '\0', len) || memchr(name, '/', len)) {
        return "name must not contain '/' or NUL";
    }
    if ((len == 1 && name[0] == '.') ||
        (len == 2 && name[0] == '.' && name[1] == '.')) {
        return "name must not be '.' or '..'";
    }
    if (!testapi_utf8_valid(name, len)) {
        return "name must be valid UTF-8";
    }
    return NULL;
}

int testapi_hex_value(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

apr_status_t testapi_percent_decode(apr_pool_t *pool, const char *raw,
                                    apr_size_t len, const char *forbid,
                                    int plus_is_space, const char **out)
{
    /* A copy that ends at len: apr_unescape_url looks at the two bytes after
     * a '%' whatever its length argument says. */
    const char *copy = apr_pstrmemdup(pool, raw, len);
    char *decoded = apr_palloc(pool, len + 1);
    apr_status_t rv = apr_unescape_url(decoded, copy, APR_ESCAPE_STRING, forbid,
                                       NULL, plus_is_space, NULL);

    if (rv == APR_NOTFOUND) { /* nothing was escaped: decoded is the copy */
        rv = APR_SUCCESS;
    }
    *out = rv == APR_SUCCESS ? decoded : NULL;
    return rv;
}

/* Decodes a path segment once; NULL on a bad escape, '/' or NUL. */
static const char *segment_decode(apr_pool_t *pool, const char *raw,
                                  apr_size_t len)
{
    const char *seg;

    return testapi_percent_decode(pool, raw, len, "/", 0, &seg) == APR_SUCCESS
               ? seg
               : NULL;
}

int testapi_path_split(apr_pool_t *pool, const char *raw,
                       apr_array_header_t **segs)
{
    const char *p = raw;

    *segs = apr_array_make(pool, 6, sizeof(const char *));
    if (*p != '/') {
        return -1;
    }
    while (*p == '/') {
        const char *start = ++p;
        const char *seg;
        while (*p && *p != '/' && *p != '?' && *p != '#') {
            p++;
        }
        seg = segment_decode(pool, start, (apr_size_t)(p - start));
        if (!seg) {
            return -1;
        }
        /* As Apache does for r->uri: merge slashes, drop "." and climb
         * "..", also when they were sent encoded. */
        if (!strcmp(seg, "..")) {
            if ((*segs)->nelts) {
                apr_array_pop(*segs);
            }
        } else if (*seg && strcmp(seg, ".")) {
            APR_ARRAY_PUSH(*segs, const char *) = seg;
        }
    }
    return 0;
}

const char *testapi_segment_encode(apr_pool_t *pool, const char *name)
{
    static const char hex[] = "0123456789ABCDEF";
    apr_size_t len = strlen(name);
    char *out = apr_palloc(pool, 3 * len + 1);
    char *o = out;

    for (; *name; name++) {
        unsigned char c = (unsigned char)*name;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
            c == '~') {
            *o++ = (char)c;
        } else {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 0xf];
        }
    }
    *o = '\0';
    return out;
}
