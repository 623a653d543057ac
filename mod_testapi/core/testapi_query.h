/*
 * Query strings of GET /api/v1/results and /dashboard/v1/results: decoded
 * form-style, checked, and turned into typed filters.  Plain C on APR so
 * the unit tests can link it without Apache.
 */
#ifndef TESTAPI_QUERY_H
#define TESTAPI_QUERY_H

#include <apr_pools.h>
#include <apr_time.h>

/* One bit per parameter. */
enum {
    TESTAPI_Q_PROJECT = 1 << 0,
    TESTAPI_Q_CASE = 1 << 1,
    TESTAPI_Q_POD = 1 << 2,
    TESTAPI_Q_INSTALLER = 1 << 3,
    TESTAPI_Q_VERSION = 1 << 4,
    TESTAPI_Q_SCENARIO = 1 << 5,
    TESTAPI_Q_BUILD_TAG = 1 << 6,
    TESTAPI_Q_CRITERIA = 1 << 7,
    TESTAPI_Q_TRUST = 1 << 8,
    TESTAPI_Q_PERIOD = 1 << 9,
    TESTAPI_Q_LAST = 1 << 10,
    TESTAPI_Q_FROM = 1 << 11,
    TESTAPI_Q_TO = 1 << 12,
    TESTAPI_Q_DESCEND = 1 << 13,
    TESTAPI_Q_PAGE = 1 << 14
};

/* What each endpoint accepts. */
#define TESTAPI_Q_RESULTS                                                      \
    (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD |                      \
     TESTAPI_Q_INSTALLER | TESTAPI_Q_VERSION | TESTAPI_Q_SCENARIO |            \
     TESTAPI_Q_BUILD_TAG | TESTAPI_Q_CRITERIA | TESTAPI_Q_TRUST |              \
     TESTAPI_Q_PERIOD | TESTAPI_Q_LAST | TESTAPI_Q_FROM | TESTAPI_Q_TO |       \
     TESTAPI_Q_DESCEND | TESTAPI_Q_PAGE)
#define TESTAPI_Q_DASHBOARD                                                    \
    (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD |                      \
     TESTAPI_Q_INSTALLER | TESTAPI_Q_VERSION | TESTAPI_Q_SCENARIO |            \
     TESTAPI_Q_PERIOD | TESTAPI_Q_FROM | TESTAPI_Q_TO)

typedef struct testapi_query {
    /* bits of the parameters that were given (and not empty, see below) */
    unsigned present;
    /* decoded, NUL-free, valid UTF-8, taken literally ('%' and '_' are
     * ordinary characters); NULL when not present */
    const char *project, *case_name, *pod, *installer, *version, *scenario,
        *build_tag, *criteria;
    double trust;        /* trust_indicator */
    apr_time_t since;    /* from period: now - period days; bit PERIOD set
                            only when period > 0 */
    apr_int64_t last;    /* 0 = all */
    apr_time_t from, to; /* parsed with testapi_date_parse */
    int descend;         /* 1 (default) newest first, 0 oldest first */
    apr_int64_t page;    /* >= 1, default 1 */
} testapi_query;

/*
 * Parses r->args-style text (may be NULL or "").  Returns NULL on success,
 * or the exact 400 message.  Pieces are read left to right and the first
 * problem found is the one reported.  A string filter with an empty value
 * is ignored (its bit stays clear) but still counts as given for the
 * duplicate check.  *q is fully initialised, defaults included, either way.
 */
const char *testapi_query_parse(apr_pool_t *pool, const char *args,
                                unsigned allowed, apr_time_t now,
                                testapi_query *q);

#endif
