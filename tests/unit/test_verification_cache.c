#include <stdio.h>
#include <string.h>

#include "test_suites.h"
#include "core/testapi_verification_cache.h"

#define HASH_A "$2y$10$abcdefghijklmnopqrstuuKc2zYq2WJ0Vq5JbQ6hN0e4ZrjlqvzvK"
#define HASH_B "$2y$10$bcdefghijklmnopqrstuvuKc2zYq2WJ0Vq5JbQ6hN0e4ZrjlqvzvK"

static void hex(const unsigned char *d, char *out)
{
    int i;
    for (i = 0; i < APR_SHA1_DIGESTSIZE; i++) {
        sprintf(out + 2 * i, "%02x", d[i]);
    }
}

static const char *hmac_hex(const unsigned char *key, apr_size_t keylen,
                            const char *data)
{
    static char out[2 * APR_SHA1_DIGESTSIZE + 1];
    unsigned char d[APR_SHA1_DIGESTSIZE];
    const void *pieces[1] = {data};
    apr_size_t len[1] = {strlen(data)};

    testapi_hmac_sha1(key, keylen, 1, pieces, len, d);
    hex(d, out);
    return out;
}

/* RFC 2202, test cases 1, 2 and 6 (a key longer than a block). */
START_TEST(hmac_sha1_matches_rfc_2202)
{
    unsigned char k1[20], k6[80];

    memset(k1, 0x0b, sizeof(k1));
    memset(k6, 0xaa, sizeof(k6));
    ck_assert_str_eq(hmac_hex(k1, sizeof(k1), "Hi There"),
                     "b617318655057264e28bc0b6fb378c8ef146be00");
    ck_assert_str_eq(hmac_hex((const unsigned char *)"Jefe", 4,
                              "what do ya want for nothing?"),
                     "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    ck_assert_str_eq(
        hmac_hex(k6, sizeof(k6),
                 "Test Using Larger Than Block-Size Key - Hash Key First"),
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}
END_TEST

START_TEST(hmac_sha1_of_pieces_is_of_their_concatenation)
{
    unsigned char whole[APR_SHA1_DIGESTSIZE], parts[APR_SHA1_DIGESTSIZE];
    const void *one[1] = {"what do ya want for nothing?"};
    const void *three[3] = {"what do", " ya want", " for nothing?"};
    apr_size_t len1[1] = {28}, len3[3] = {7, 8, 13};

    testapi_hmac_sha1((const unsigned char *)"Jefe", 4, 1, one, len1, whole);
    testapi_hmac_sha1((const unsigned char *)"Jefe", 4, 3, three, len3, parts);
    ck_assert(memcmp(whole, parts, sizeof(whole)) == 0);
}
END_TEST

START_TEST(digests_compare_equal_only_when_equal)
{
    unsigned char a[20], b[20];

    memset(a, 7, sizeof(a));
    memcpy(b, a, sizeof(a));
    ck_assert(testapi_digest_equal(a, b, sizeof(a)));
    b[19] ^= 1;
    ck_assert(!testapi_digest_equal(a, b, sizeof(a)));
    b[19] ^= 1;
    b[0] ^= 0x80;
    ck_assert(!testapi_digest_equal(a, b, sizeof(a)));
}
END_TEST

static testapi_authcache *make(int nslots)
{
    testapi_authcache *c = NULL;
    ck_assert_int_eq(testapi_authcache_create(test_pool, nslots, &c),
                     APR_SUCCESS);
    ck_assert_ptr_nonnull(c);
    return c;
}

START_TEST(miss_then_hit_after_store)
{
    testapi_authcache *c = make(TESTAPI_AUTHCACHE_SLOTS);
    unsigned char d[TESTAPI_AUTHCACHE_DIGEST_LEN];
    apr_time_t now = apr_time_from_sec(1000);

    testapi_authcache_digest(c, "alice", "secret", HASH_A, d);
    ck_assert(!testapi_authcache_lookup(c, d, now));
    testapi_authcache_store(c, d, now + apr_time_from_sec(60));
    ck_assert(testapi_authcache_lookup(c, d, now));
    ck_assert(testapi_authcache_lookup(c, d, now + apr_time_from_sec(59)));
}
END_TEST

START_TEST(entries_expire_and_hits_do_not_extend_them)
{
    testapi_authcache *c = make(TESTAPI_AUTHCACHE_SLOTS);
    unsigned char d[TESTAPI_AUTHCACHE_DIGEST_LEN];
    apr_time_t now = apr_time_from_sec(1000);
    apr_time_t expires = now + apr_time_from_sec(60);

    testapi_authcache_digest(c, "alice", "secret", HASH_A, d);
    testapi_authcache_store(c, d, expires);
    ck_assert(testapi_authcache_lookup(c, d, expires - 1));
    ck_assert(!testapi_authcache_lookup(c, d, expires));
    ck_assert(!testapi_authcache_lookup(c, d, expires + 1));
    /* Verified again: a new lifetime. */
    testapi_authcache_store(c, d, expires + apr_time_from_sec(60));
    ck_assert(testapi_authcache_lookup(c, d, expires + 1));
}
END_TEST

START_TEST(other_password_user_or_hash_misses)
{
    testapi_authcache *c = make(TESTAPI_AUTHCACHE_SLOTS);
    unsigned char d[TESTAPI_AUTHCACHE_DIGEST_LEN],
        o[TESTAPI_AUTHCACHE_DIGEST_LEN];
    apr_time_t now = apr_time_from_sec(1000);

    testapi_authcache_digest(c, "alice", "secret", HASH_A, d);
    testapi_authcache_store(c, d, now + apr_time_from_sec(60));

    testapi_authcache_digest(c, "alice", "Secret", HASH_A, o);
    ck_assert(!testapi_authcache_lookup(c, o, now));
    testapi_authcache_digest(c, "alice", "", HASH_A, o);
    ck_assert(!testapi_authcache_lookup(c, o, now));
    testapi_authcache_digest(c, "bob", "secret", HASH_A, o);
    ck_assert(!testapi_authcache_lookup(c, o, now));
    /* The password was changed: the stored hash differs. */
    testapi_authcache_digest(c, "alice", "secret", HASH_B, o);
    ck_assert(!testapi_authcache_lookup(c, o, now));
    /* Moving bytes between user and password is another entry. */
    testapi_authcache_digest(c, "alic", "esecret", HASH_A, o);
    ck_assert(!testapi_authcache_lookup(c, o, now));
    ck_assert(testapi_authcache_lookup(c, d, now));
}
END_TEST

START_TEST(each_cache_has_its_own_key)
{
    testapi_authcache *a = make(8), *b = make(8);
    unsigned char da[TESTAPI_AUTHCACHE_DIGEST_LEN],
        db[TESTAPI_AUTHCACHE_DIGEST_LEN], again[TESTAPI_AUTHCACHE_DIGEST_LEN];

    testapi_authcache_digest(a, "alice", "secret", HASH_A, da);
    testapi_authcache_digest(a, "alice", "secret", HASH_A, again);
    testapi_authcache_digest(b, "alice", "secret", HASH_A, db);
    ck_assert(memcmp(da, again, sizeof(da)) == 0);
    ck_assert(memcmp(da, db, sizeof(da)) != 0);
}
END_TEST

/* Digests are only looked up by value: craft them to control the set. */
static void digest_of(unsigned char *d, unsigned char tag)
{
    memset(d, 0, TESTAPI_AUTHCACHE_DIGEST_LEN);
    d[TESTAPI_AUTHCACHE_DIGEST_LEN - 1] = tag;
}

START_TEST(a_full_set_replaces_the_entry_expiring_first)
{
    /* Two slots: one set, every digest lands in it. */
    testapi_authcache *c = make(2);
    unsigned char a[20], b[20], x[20];
    apr_time_t now = apr_time_from_sec(1000), s = apr_time_from_sec(1);

    digest_of(a, 1);
    digest_of(b, 2);
    digest_of(x, 3);
    testapi_authcache_store(c, a, now + 10 * s);
    testapi_authcache_store(c, b, now + 20 * s);
    ck_assert(testapi_authcache_lookup(c, a, now));
    ck_assert(testapi_authcache_lookup(c, b, now));
    testapi_authcache_store(c, x, now + 30 * s);
    ck_assert(!testapi_authcache_lookup(c, a, now));
    ck_assert(testapi_authcache_lookup(c, b, now));
    ck_assert(testapi_authcache_lookup(c, x, now));
    /* Storing an entry again refreshes it in place. */
    testapi_authcache_store(c, b, now + 40 * s);
    ck_assert(testapi_authcache_lookup(c, x, now));
    ck_assert(testapi_authcache_lookup(c, b, now + 35 * s));
    /* Now x expires first: it gives way. */
    testapi_authcache_store(c, a, now + 50 * s);
    ck_assert(!testapi_authcache_lookup(c, x, now));
    ck_assert(testapi_authcache_lookup(c, a, now));
    ck_assert(testapi_authcache_lookup(c, b, now));
}
END_TEST

START_TEST(many_entries_stay_within_the_array)
{
    testapi_authcache *c = make(16);
    unsigned char d[TESTAPI_AUTHCACHE_DIGEST_LEN];
    apr_time_t now = apr_time_from_sec(1000);
    char user[32];
    int i, hits = 0;

    for (i = 0; i < 1000; i++) {
        sprintf(user, "user%d", i);
        testapi_authcache_digest(c, user, "pw", HASH_A, d);
        testapi_authcache_store(c, d, now + i + 1);
    }
    for (i = 0; i < 1000; i++) {
        sprintf(user, "user%d", i);
        testapi_authcache_digest(c, user, "pw", HASH_A, d);
        hits += testapi_authcache_lookup(c, d, now);
    }
    ck_assert_int_le(hits, 16);
    ck_assert_int_gt(hits, 0);
    /* The last one stored is always there. */
    testapi_authcache_digest(c, "user999", "pw", HASH_A, d);
    ck_assert(testapi_authcache_lookup(c, d, now));
}
END_TEST

Suite *authcache_suite(void)
{
    Suite *s = suite_create("authcache");
    TCase *tc = tcase_create("hmac");
    tcase_add_test(tc, hmac_sha1_matches_rfc_2202);
    tcase_add_test(tc, hmac_sha1_of_pieces_is_of_their_concatenation);
    tcase_add_test(tc, digests_compare_equal_only_when_equal);
    suite_add_tcase(s, tc);
    tc = tcase_create("cache");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, miss_then_hit_after_store);
    tcase_add_test(tc, entries_expire_and_hits_do_not_extend_them);
    tcase_add_test(tc, other_password_user_or_hash_misses);
    tcase_add_test(tc, each_cache_has_its_own_key);
    tcase_add_test(tc, a_full_set_replaces_the_entry_expiring_first);
    tcase_add_test(tc, many_entries_stay_within_the_array);
    suite_add_tcase(s, tc);
    return s;
}
