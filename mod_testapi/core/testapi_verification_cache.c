#include <string.h>

#include <apr_crypto.h>
#include <apr_general.h>
#include <apr_thread_mutex.h>

#include "core/testapi_verification_cache.h"

#define HMAC_BLOCK 64 /* SHA-1's block size */
#define WAYS 2

typedef struct slot {
    unsigned char digest[TESTAPI_AUTHCACHE_DIGEST_LEN];
    apr_time_t expires; /* 0: empty */
} slot;

struct testapi_authcache {
    unsigned char key[TESTAPI_AUTHCACHE_KEY_LEN];
    slot *slots;
    apr_uint32_t nsets;
#if APR_HAS_THREADS
    apr_thread_mutex_t *mutex;
#endif
};

/* Hand-written: APR has SHA-1 but no HMAC (apr_crypto only encrypts). */
void testapi_hmac_sha1(const unsigned char *key, apr_size_t keylen, int n,
                       const void *const *data, const apr_size_t *len,
                       unsigned char out[APR_SHA1_DIGESTSIZE])
{
    unsigned char k[HMAC_BLOCK], pad[HMAC_BLOCK], inner[APR_SHA1_DIGESTSIZE];
    apr_sha1_ctx_t ctx;
    int i;

    memset(k, 0, sizeof(k));
    if (keylen > HMAC_BLOCK) {
        apr_sha1_init(&ctx);
        apr_sha1_update_binary(&ctx, key, (unsigned int)keylen);
        apr_sha1_final(k, &ctx);
    } else {
        memcpy(k, key, keylen);
    }
    for (i = 0; i < HMAC_BLOCK; i++) {
        pad[i] = k[i] ^ 0x36;
    }
    apr_sha1_init(&ctx);
    apr_sha1_update_binary(&ctx, pad, HMAC_BLOCK);
    for (i = 0; i < n; i++) {
        apr_sha1_update_binary(&ctx, data[i], (unsigned int)len[i]);
    }
    apr_sha1_final(inner, &ctx);
    for (i = 0; i < HMAC_BLOCK; i++) {
        pad[i] = k[i] ^ 0x5c;
    }
    apr_sha1_init(&ctx);
    apr_sha1_update_binary(&ctx, pad, HMAC_BLOCK);
    apr_sha1_update_binary(&ctx, inner, APR_SHA1_DIGESTSIZE);
    apr_sha1_final(out, &ctx);
}

int testapi_digest_equal(const unsigned char *a, const unsigned char *b,
                         apr_size_t len)
{
    return apr_crypto_equals(a, b, len);
}

/* Hand-written: APR has no cache with expiry (socache is httpd, not APR). */
apr_status_t testapi_authcache_create(apr_pool_t *pool, int nslots,
                                      testapi_authcache **cache)
{
    testapi_authcache *c = apr_pcalloc(pool, sizeof(*c));
    apr_status_t rv;

    *cache = NULL;
    c->nsets = nslots < WAYS ? 1 : (apr_uint32_t)(nslots + WAYS - 1) / WAYS;
    c->slots = apr_pcalloc(pool, c->nsets * WAYS * sizeof(slot));
    /* A fresh key per process: entries mean nothing anywhere else. */
    if ((rv = apr_generate_random_bytes(c->key, sizeof(c->key))) !=
        APR_SUCCESS) {
        return rv;
    }
#if APR_HAS_THREADS
    if ((rv = apr_thread_mutex_create(&c->mutex, APR_THREAD_MUTEX_DEFAULT,
                                      pool)) != APR_SUCCESS) {
        return rv;
    }
#endif
    *cache = c;
    return APR_SUCCESS;
}

void testapi_authcache_digest(const testapi_authcache *cache, const char *user,
                              const char *password, const char *hash,
                              unsigned char out[TESTAPI_AUTHCACHE_DIGEST_LEN])
{
    /* The NULs keep ("ab", "c") and ("a", "bc") apart. */
    const void *data[3] = {user, password, hash};
    apr_size_t len[3] = {strlen(user) + 1, strlen(password) + 1, strlen(hash)};

    testapi_hmac_sha1(cache->key, sizeof(cache->key), 3, data, len, out);
}

/* The first slot of the set a digest belongs to.  The digest is keyed, so
 * its bytes are as good as random to anyone choosing credentials. */
static slot *set_of(testapi_authcache *cache, const unsigned char *digest)
{
    apr_uint32_t h = ((apr_uint32_t)digest[0] << 24) |
                     ((apr_uint32_t)digest[1] << 16) |
                     ((apr_uint32_t)digest[2] << 8) | digest[3];
    return cache->slots + (h % cache->nsets) * WAYS;
}

static void lock(testapi_authcache *cache)
{
#if APR_HAS_THREADS
    apr_thread_mutex_lock(cache->mutex);
#else
    (void)cache;
#endif
}

static void unlock(testapi_authcache *cache)
{
#if APR_HAS_THREADS
    apr_thread_mutex_unlock(cache->mutex);
#else
    (void)cache;
#endif
}

int testapi_authcache_lookup(testapi_authcache *cache,
                             const unsigned char *digest, apr_time_t now)
{
    slot *set = set_of(cache, digest);
    int hit = 0, i;

    lock(cache);
    for (i = 0; i < WAYS; i++) {
        hit |= testapi_digest_equal(set[i].digest, digest,
                                    TESTAPI_AUTHCACHE_DIGEST_LEN) &
               (now < set[i].expires);
    }
    unlock(cache);
    return hit;
}

void testapi_authcache_store(testapi_authcache *cache,
                             const unsigned char *digest, apr_time_t expires)
{
    slot *set = set_of(cache, digest), *victim = NULL;
    int i;

    lock(cache);
    for (i = 0; i < WAYS && !victim; i++) {
        if (testapi_digest_equal(set[i].digest, digest,
                                 TESTAPI_AUTHCACHE_DIGEST_LEN)) {
            victim = &set[i];
        }
    }
    if (!victim) {
        /* Empty slots expire at 0: they are taken first. */
        victim = &set[0];
        for (i = 1; i < WAYS; i++) {
            if (set[i].expires < victim->expires) {
                victim = &set[i];
            }
        }
    }
    memcpy(victim->digest, digest, TESTAPI_AUTHCACHE_DIGEST_LEN);
    victim->expires = expires;
    unlock(cache);
}
