#include <string.h>

#include <apr_atomic.h>
#include <apr_escape.h>
#include <apr_general.h>

#include "core/testapi_id.h"

apr_status_t testapi_idgen_init(testapi_idgen *gen)
{
    unsigned char start[3];
    apr_status_t rv =
        apr_generate_random_bytes(gen->random, sizeof(gen->random));
    if (rv == APR_SUCCESS) {
        rv = apr_generate_random_bytes(start, sizeof(start));
    }
    if (rv == APR_SUCCESS) {
        apr_atomic_set32(&gen->counter, ((apr_uint32_t)start[0] << 16) |
                                            ((apr_uint32_t)start[1] << 8) |
                                            start[2]);
    }
    return rv;
}

void testapi_id_make(testapi_idgen *gen, apr_time_t now, char *out)
{
    unsigned char raw[TESTAPI_ID_LEN / 2];
    apr_uint32_t secs = (apr_uint32_t)apr_time_sec(now);
    apr_uint32_t count = apr_atomic_inc32(&gen->counter) & 0xffffff;

    raw[0] = (unsigned char)(secs >> 24);
    raw[1] = (unsigned char)(secs >> 16);
    raw[2] = (unsigned char)(secs >> 8);
    raw[3] = (unsigned char)secs;
    memcpy(raw + 4, gen->random, 5);
    raw[9] = (unsigned char)(count >> 16);
    raw[10] = (unsigned char)(count >> 8);
    raw[11] = (unsigned char)count;
    apr_escape_hex(out, raw, sizeof(raw), 0, NULL); /* lowercase, NUL */
}

int testapi_id_valid(const char *s)
{
    /* Not apr_unescape_hex: it also takes uppercase digits; an id has none. */
    return strspn(s, "0123456789abcdef") == TESTAPI_ID_LEN &&
           s[TESTAPI_ID_LEN] == '\0';
}
