/*
 * libFuzzer target: what a client controls in the request target.  The
 * input is "<path>?<query>" as it comes off the wire (up to a NUL, as in
 * r->unparsed_uri): the path is split and decoded by testapi_path_split,
 * the query string parsed by testapi_query_parse.
 *
 * Properties: every accepted path segment is NUL-free and slash-free and
 * survives testapi_segment_encode + decode unchanged (hrefs name what was
 * created); an accepted query has only valid UTF-8 filters, page >= 1,
 * last >= 0, and times within the representable dates.
 */
#include <string.h>

#include <apr_strings.h>

#include "fuzz_util.h"
#include "core/testapi_date.h"
#include "core/testapi_name.h"
#include "core/testapi_query.h"

/* A fixed "now" keeps runs reproducible: 2016-09-30T12:00:00Z. */
#define FUZZ_NOW APR_INT64_C(1475236800000000)

static void check_string(const char *s)
{
    if (s) {
        FUZZ_CHECK(*s != '\0');
        FUZZ_CHECK(testapi_utf8_valid(s, strlen(s)));
    }
}

static void check_path(apr_pool_t *pool, const char *path)
{
    apr_array_header_t *segs;
    int i;

    if (testapi_path_split(pool, path, &segs) != 0) {
        return;
    }
    for (i = 0; i < segs->nelts; i++) {
        const char *seg = APR_ARRAY_IDX(segs, i, const char *);
        const char *enc = testapi_segment_encode(pool, seg);
        const char *dec;

        FUZZ_CHECK(*seg != '\0' && strchr(seg, '/') == NULL);
        FUZZ_CHECK(strcmp(seg, ".") && strcmp(seg, ".."));
        FUZZ_CHECK(testapi_percent_decode(pool, enc, strlen(enc), "/", 0,
                                          &dec) == APR_SUCCESS &&
                   !strcmp(dec, seg));
        /* the routing layer then checks names: any answer is fine */
        (void)testapi_name_check(seg, strlen(seg));
    }
}

static void check_query(apr_pool_t *pool, const char *args, unsigned allowed)
{
    testapi_query q;
    const char *err = testapi_query_parse(pool, args, allowed, FUZZ_NOW, &q);

    if (err) {
        FUZZ_CHECK(*err != '\0');
        return;
    }
    FUZZ_CHECK((q.present & ~allowed) == 0);
    check_string(q.project);
    check_string(q.case_name);
    check_string(q.pod);
    check_string(q.installer);
    check_string(q.version);
    check_string(q.scenario);
    check_string(q.build_tag);
    check_string(q.criteria);
    FUZZ_CHECK(!(q.present & TESTAPI_Q_PROJECT) == !q.project);
    FUZZ_CHECK(!(q.present & TESTAPI_Q_CASE) == !q.case_name);
    FUZZ_CHECK(q.page >= 1 && q.last >= 0);
    FUZZ_CHECK(q.descend == 0 || q.descend == 1);
    if (q.present & TESTAPI_Q_TRUST) {
        FUZZ_CHECK(q.trust == q.trust); /* not NaN */
    }
    if (q.present & TESTAPI_Q_PERIOD) {
        FUZZ_CHECK(q.since >= TESTAPI_DATE_MIN && q.since < FUZZ_NOW);
    }
    if (q.present & TESTAPI_Q_FROM) {
        FUZZ_CHECK(q.from >= TESTAPI_DATE_MIN && q.from <= TESTAPI_DATE_MAX);
    }
    if (q.present & TESTAPI_Q_TO) {
        FUZZ_CHECK(q.to >= TESTAPI_DATE_MIN && q.to <= TESTAPI_DATE_MAX);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *pool;
    char *text, *query;

    apr_pool_create(&pool, fuzz_root);
    /* A request target is a C string: it ends at the first NUL. */
    text = apr_pstrndup(pool, (const char *)data, size);
    query = strchr(text, '?');
    if (query) {
        *query++ = '\0';
    }
    if (text[0] == '/') {
        check_path(pool, text);
    }
    check_query(pool, query ? query : text, TESTAPI_Q_RESULTS);
    check_query(pool, query ? query : text, TESTAPI_Q_DASHBOARD);
    apr_pool_destroy(pool);
    return 0;
}
