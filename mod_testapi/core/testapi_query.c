#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include "core/testapi_date.h"
#include "core/testapi_name.h"
#include "core/testapi_query.h"

#define BAD_ESCAPE "malformed %-escape in query string"
#define BAD_NAME "query parameter names must be valid UTF-8 without NUL"

typedef enum { KIND_STRING, KIND_TRUST, KIND_INT, KIND_DATE, KIND_BOOL } kind;

typedef struct {
    const char *name;
    unsigned bit;
    kind kind;
} param;

static const param params[] = {
    {"project", TESTAPI_Q_PROJECT, KIND_STRING},
    {"case", TESTAPI_Q_CASE, KIND_STRING},
    {"pod", TESTAPI_Q_POD, KIND_STRING},
    {"installer", TESTAPI_Q_INSTALLER, KIND_STRING},
    {"version", TESTAPI_Q_VERSION, KIND_STRING},
    {"scenario", TESTAPI_Q_SCENARIO, KIND_STRING},
    {"build_tag", TESTAPI_Q_BUILD_TAG, KIND_STRING},
    {"criteria", TESTAPI_Q_CRITERIA, KIND_STRING},
    {"trust_indicator", TESTAPI_Q_TRUST, KIND_TRUST},
    {"period", TESTAPI_Q_PERIOD, KIND_INT},
    {"last", TESTAPI_Q_LAST, KIND_INT},
    {"from", TESTAPI_Q_FROM, KIND_DATE},
    {"to", TESTAPI_Q_TO, KIND_DATE},
    {"descend", TESTAPI_Q_DESCEND, KIND_BOOL},
    {"page", TESTAPI_Q_PAGE, KIND_INT},
};

/* Optional '-', then one or more digits, fitting in 64 bits; 0 on success.
 * Done by hand because strtoll also takes spaces, '+' and "0x". */
static int parse_int64(const char *s, apr_int64_t *out)
{
    int neg = *s == '-';
    apr_uint64_t limit = (apr_uint64_t)APR_INT64_MAX + (neg ? 1 : 0);
    apr_uint64_t v = 0;

    s += neg;
    if (!*s) {
        return -1;
    }
    for (; *s; s++) {
        unsigned d;
        if (*s < '0' || *s > '9') {
            return -1;
        }
        d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10) {
            return -1;
        }
        v = v * 10 + d;
    }
    /* -2^63 has no positive counterpart: negate in unsigned arithmetic. */
    if (neg) {
        *out = v ? -(apr_int64_t)(v - 1) - 1 : 0;
    } else {
        *out = (apr_int64_t)v;
    }
    return 0;
}

static const char **string_slot(testapi_query *q, unsigned bit)
{
    switch (bit) {
    case TESTAPI_Q_PROJECT:
        return &q->project;
    case TESTAPI_Q_CASE:
        return &q->case_name;
    case TESTAPI_Q_POD:
        return &q->pod;
    case TESTAPI_Q_INSTALLER:
        return &q->installer;
    case TESTAPI_Q_VERSION:
        return &q->version;
    case TESTAPI_Q_SCENARIO:
        return &q->scenario;
    case TESTAPI_Q_BUILD_TAG:
        return &q->build_tag;
    default:
        return &q->criteria;
    }
}

/* Stores one decoded, NUL-free, valid UTF-8 value; NULL or the message. */
static const char *set_value(apr_pool_t *pool, const param *p, const char *val,
                             apr_size_t len, apr_time_t now, testapi_query *q)
{
    apr_int64_t n;

    switch (p->kind) {
    case KIND_STRING:
        /* The original service ignored empty filters. */
        if (len) {
            *string_slot(q, p->bit) = val;
            q->present |= p->bit;
        }
        return NULL;
    case KIND_TRUST: {
        char *end;
        double d;
        if (!len) {
            return "trust_indicator must be a number";
        }
        d = strtod(val, &end);
        if (*end || !isfinite(d)) {
            return "trust_indicator must be a number";
        }
        q->trust = d;
        break;
    }
    case KIND_INT:
        if (parse_int64(val, &n)) {
            return apr_psprintf(pool, "%s must be int", p->name);
        }
        if (p->bit == TESTAPI_Q_PAGE) {
            if (n < 1) {
                return "page must be >= 1";
            }
            q->page = n;
        } else if (p->bit == TESTAPI_Q_LAST) {
            if (n < 0) {
                return "last must be >= 0";
            }
            q->last = n;
        } else {
            /* period <= 0 means no time limit. */
            if (n <= 0) {
                return NULL;
            }
            q->since = testapi_time_minus_days(now, n);
        }
        break;
    case KIND_DATE:
        if (testapi_date_parse(val, len,
                               p->bit == TESTAPI_Q_FROM ? &q->from : &q->to)) {
            return apr_psprintf(pool, "%s must be a date", p->name);
        }
        break;
    case KIND_BOOL:
        if (!strcmp(val, "true")) {
            q->descend = 1;
        } else if (!strcmp(val, "false")) {
            q->descend = 0;
        } else {
            return "descend must be true or false";
        }
        break;
    }
    q->present |= p->bit;
    return NULL;
}

const char *testapi_query_parse(apr_pool_t *pool, const char *args,
                                unsigned allowed, apr_time_t now,
                                testapi_query *q)
{
    unsigned seen = 0;
    const char *p = args ? args : "";

    memset(q, 0, sizeof(*q));
    q->descend = 1;
    q->page = 1;

    while (*p) {
        const char *end = p + strcspn(p, "&");
        const char *eq = memchr(p, '=', (apr_size_t)(end - p));
        const char *name, *val, *vstart;
        const param *prm = NULL;
        apr_status_t rv;
        const char *err;

        if (end == p) { /* "a&&b": empty pieces are skipped */
            p++;
            continue;
        }
        rv = testapi_percent_decode(pool, p, (apr_size_t)((eq ? eq : end) - p),
                                    NULL, 1, &name);
        if (rv == APR_EINVAL) {
            return BAD_ESCAPE;
        }
        /* The name goes back to the client in a JSON message. */
        if (rv != APR_SUCCESS || !testapi_utf8_valid(name, strlen(name))) {
            return BAD_NAME;
        }
        for (apr_size_t k = 0; k < sizeof(params) / sizeof(params[0]); k++) {
            if (!strcmp(name, params[k].name)) {
                prm = &params[k];
                break;
            }
        }
        if (!prm || !(allowed & prm->bit)) {
            return apr_psprintf(pool, "unknown query parameter [%s]", name);
        }
        /* Also when the value is the same, or empty: a client sending a
         * filter twice means something we would only guess at. */
        if (seen & prm->bit) {
            return apr_psprintf(pool, "duplicate query parameter [%s]", name);
        }
        seen |= prm->bit;
        /* A piece without '=' has an empty value. */
        vstart = eq ? eq + 1 : end;
        rv = testapi_percent_decode(pool, vstart, (apr_size_t)(end - vstart),
                                    NULL, 1, &val);
        if (rv == APR_EINVAL) {
            return BAD_ESCAPE;
        }
        if (rv != APR_SUCCESS || !testapi_utf8_valid(val, strlen(val))) {
            return apr_psprintf(pool, "%s must be valid UTF-8 without NUL",
                                name);
        }
        err = set_value(pool, prm, val, strlen(val), now, q);
        if (err) {
            return err;
        }
        p = *end ? end + 1 : end;
    }
    return NULL;
}
