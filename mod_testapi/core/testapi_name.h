/*
 * Names and path segments: names are path segments, decoded exactly once,
 * compared byte for byte, 1..255 bytes of valid UTF-8.
 */
#ifndef TESTAPI_NAME_H
#define TESTAPI_NAME_H

#include <apr_pools.h>
#include <apr_tables.h>

#define TESTAPI_NAME_MAX 255

/* Non-zero when buf[0..len) is well-formed UTF-8 (no overlongs, no
 * surrogates, nothing above U+10FFFF). */
int testapi_utf8_valid(const char *buf, apr_size_t len);

/* NULL when the name is acceptable, else why not (for a 400 message). */
const char *testapi_name_check(const char *name, apr_size_t len);

/*
 * Split a raw (still percent-encoded) absolute path, as the client sent it,
 * into segments and decode each exactly once.  Empty and "." segments are
 * dropped and ".." climbs, as Apache normalises paths.  The path ends at
 * '?' or '#'.  Returns 0 and fills *segs (const char * elements) or -1 when
 * a segment has a malformed escape or decodes to something containing '/'
 * or NUL: such a path names nothing.
 */
int testapi_path_split(apr_pool_t *pool, const char *raw,
                       apr_array_header_t **segs);

/* The value of a hexadecimal digit, -1 for any other character. */
int testapi_hex_value(char c);

/*
 * Decodes the %XX escapes of raw[0..len) once ('+' becomes a space when
 * plus_is_space: query strings), with apr_unescape_url.  Returns
 * APR_SUCCESS and the NUL-terminated text in *out; APR_EINVAL on a
 * malformed escape; APR_BADCH when an escape decodes to NUL or to a byte
 * of forbid (NULL: NUL only).
 */
apr_status_t testapi_percent_decode(apr_pool_t *pool, const char *raw,
                                    apr_size_t len, const char *forbid,
                                    int plus_is_space, const char **out);

/* Percent-encode everything but RFC 3986 unreserved characters. */
const char *testapi_segment_encode(apr_pool_t *pool, const char *name);

#endif
