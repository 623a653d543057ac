#include <string.h>

#include <apr_atomic.h>
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
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[12];
    apr_uint32_t secs = (apr_uint32_t)apr_time_sec(now);
    apr_uint32_t count = apr_atomic_inc32(&gen->counter) & 0xffffff;
    int i;

    raw[0] = (unsigned char)(secs >> 24);
    raw[1] = (unsigned char)(secs >> 16);
    raw[2] = (unsigned char)(secs >> 8);
    raw[3] = (unsigned char)secs;
    memcpy(raw + 4, gen->random, 5);
    raw[9] = (unsigned char)(count >> 16);
    raw[10] = (unsigned char)(count >> 8);
    raw[11] = (unsigned char)count;
    for (i = 0; i < 12; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 0xf];
    }
    out[TESTAPI_ID_LEN] = '\0';
}

int testapi_id_valid(const char *s)
{
    int i;
    for (i = 0; i < TESTAPI_ID_LEN; i++) {
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
            return 0;
        }
    }
    return s[TESTAPI_ID_LEN] == '\0';
}
