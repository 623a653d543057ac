/*
 * A per-process cache of successful password verifications, so that a
 * client sending the same Basic credentials with every request pays for
 * bcrypt once per lifetime of an entry, not once per request.
 *
 * An entry is only a keyed digest: HMAC-SHA1, under a random key drawn
 * when the cache is made, of user NUL password NUL stored-hash.  No
 * password is kept, a digest is worthless outside this process, and the
 * stored hash is part of the key: a password change or a removed account
 * (no hash any more) can never hit an old entry.  Entries live in a fixed
 * array of two-way sets (no growth), expire after their lifetime and are
 * never extended by a hit.  Lookups and stores take the cache's mutex:
 * one cache serves every thread of a process.
 *
 * Plain C on APR (no httpd headers): unit tested in test_authcache.c.
 */
#ifndef TESTAPI_VERIFICATION_CACHE_H
#define TESTAPI_VERIFICATION_CACHE_H

#include <apr_pools.h>
#include <apr_sha1.h>
#include <apr_time.h>

#define TESTAPI_AUTHCACHE_DIGEST_LEN APR_SHA1_DIGESTSIZE
#define TESTAPI_AUTHCACHE_KEY_LEN 32
/* Entries per process (pairs of two-way sets). */
#define TESTAPI_AUTHCACHE_SLOTS 512

typedef struct testapi_authcache testapi_authcache;

/* HMAC-SHA1 (RFC 2104) of the n pieces data[i][0..len[i]) concatenated. */
void testapi_hmac_sha1(const unsigned char *key, apr_size_t keylen, int n,
                       const void *const *data, const apr_size_t *len,
                       unsigned char out[APR_SHA1_DIGESTSIZE]);

/* Equal digests, compared in a time that does not depend on where they
 * differ (apr_crypto_equals). */
int testapi_digest_equal(const unsigned char *a, const unsigned char *b,
                         apr_size_t len);

/*
 * Makes a cache of nslots entries (rounded up to an even number, at least
 * 2) in pool, with a fresh random key and its own mutex; both go with the
 * pool.
 */
apr_status_t testapi_authcache_create(apr_pool_t *pool, int nslots,
                                      testapi_authcache **cache);

/* The entry key of these credentials against this stored hash. */
void testapi_authcache_digest(const testapi_authcache *cache, const char *user,
                              const char *password, const char *hash,
                              unsigned char out[TESTAPI_AUTHCACHE_DIGEST_LEN]);

/* 1 when digest is cached and not expired at now, else 0. */
int testapi_authcache_lookup(testapi_authcache *cache,
                             const unsigned char *digest, apr_time_t now);

/*
 * Remembers digest until expires.  In a full set the entry that expires
 * first (an expired one, else the oldest) gives way.
 */
void testapi_authcache_store(testapi_authcache *cache,
                             const unsigned char *digest, apr_time_t expires);

#endif
