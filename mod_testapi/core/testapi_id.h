/*
 * MongoDB-compatible ObjectIds: 4-byte seconds, 5 random bytes drawn once
 * per process, 3-byte counter.  The generator lives in a child's pool and is
 * shared by its threads; the counter is advanced atomically.
 */
#ifndef TESTAPI_ID_H
#define TESTAPI_ID_H

#include <apr_time.h>
#include <apr_pools.h>

#define TESTAPI_ID_LEN 24

typedef struct testapi_idgen {
    unsigned char random[5];
    volatile apr_uint32_t counter;
} testapi_idgen;

/* Draws the random bytes and the counter's start.  Call it in each process
 * that makes ids (child_init), never before fork. */
apr_status_t testapi_idgen_init(testapi_idgen *gen);

/* Writes TESTAPI_ID_LEN lowercase hex digits and a NUL into out. */
void testapi_id_make(testapi_idgen *gen, apr_time_t now, char *out);

/* Non-zero when s is exactly 24 lowercase hex digits. */
int testapi_id_valid(const char *s);

#endif
