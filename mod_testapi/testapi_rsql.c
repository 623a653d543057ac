#include <apr_strings.h>

#include "testapi_rsql.h"

#define RESULT_COLUMNS                                                         \
    " r.oid, pr.name, tc.name, pd.name, r.installer, r.version, "              \
    "r.scenario, r.build_tag, r.criteria, r.start_date, r.stop_date, "         \
    "r.trust, r.t, r.details"

const char testapi_rsql_select[] = "SELECT" RESULT_COLUMNS;

static const char from_joins[] =
    " FROM results r"
    " JOIN testcases tc ON tc.id = r.testcase_id"
    " JOIN projects pr ON pr.id = tc.project_id"
    " JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";

/*
 * The ordered shapes must not sort more than their match: left to itself,
 * the optimizer starts from the small tables and sorts every matching
 * result in a temporary table (on disk, because of details), even all of
 * them for "the newest 5".  So the order of the tables is chosen by the
 * filters, to read results in the order of an index and stop after LIMIT:
 *  - project and case: one known testcase; its results by (testcase_id,
 *    t, oid), pods read after results;
 *  - a pod: that pod, then its results by (pod_id, t, oid);
 *  - no name at all: results first, by (t, oid) (STRAIGHT_JOIN: the tables
 *    in the order written);
 *  - project or case alone: several testcases; the optimizer sorts their
 *    results, which costs what they hold, not what the table holds.
 */
static const char from_case_joins[] =
    " FROM results r"
    " JOIN testcases tc ON tc.id = r.testcase_id"
    " JOIN projects pr ON pr.id = tc.project_id"
    " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";

static const char from_pod_joins[] =
    " FROM pods pd"
    " JOIN results r ON r.pod_id = pd.id"
    " JOIN testcases tc ON tc.id = r.testcase_id"
    " JOIN projects pr ON pr.id = tc.project_id WHERE 1 = 1";

/* The FROM clause of an ordered shape; *straight: SELECT STRAIGHT_JOIN. */
static const char *ordered_from(unsigned filters, int *straight)
{
    unsigned named = filters & (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE);

    *straight = 1;
    if (named == (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE)) {
        *straight = 0;
        return from_case_joins;
    }
    if (filters & TESTAPI_Q_POD) {
        return from_pod_joins;
    }
    if (!named) {
        return from_joins;
    }
    *straight = 0;
    return from_joins;
}

/* In the order of the query bits. */
static const struct {
    unsigned bit;
    const char *sql;
} fragments[] = {{TESTAPI_Q_PROJECT, " AND pr.name = %s"},
                 {TESTAPI_Q_CASE, " AND tc.name = %s"},
                 {TESTAPI_Q_POD, " AND pd.name = %s"},
                 {TESTAPI_Q_INSTALLER, " AND r.installer = %s"},
                 {TESTAPI_Q_VERSION, " AND r.version = %s"},
                 {TESTAPI_Q_SCENARIO, " AND r.scenario = %s"},
                 {TESTAPI_Q_BUILD_TAG, " AND r.build_tag = %s"},
                 {TESTAPI_Q_CRITERIA, " AND r.criteria = %s"},
                 {TESTAPI_Q_TRUST, " AND r.trust_current = %lf"},
                 {TESTAPI_Q_PERIOD, " AND r.t >= %lld"},
                 {TESTAPI_Q_FROM, " AND r.t >= %lld"},
                 {TESTAPI_Q_TO, " AND r.t < %lld"},
                 {0, NULL}};

const char *testapi_rsql(apr_pool_t *pool, unsigned filters, unsigned shape)
{
    const char *cols, *tail, *from;
    const char *where = "";
    int asc = (shape & TESTAPI_RSQL_ASC) != 0;
    int i, straight;

    for (i = 0; fragments[i].bit; i++) {
        if (filters & fragments[i].bit) {
            where = apr_pstrcat(pool, where, fragments[i].sql, NULL);
        }
    }
    switch (shape & TESTAPI_RSQL_SHAPE) {
    case TESTAPI_RSQL_COUNT:
        return apr_pstrcat(pool, "SELECT COUNT(*)", from_joins, where, NULL);
    case TESTAPI_RSQL_BY_ID:
        return apr_pstrcat(pool, testapi_rsql_select, from_joins,
                           " AND r.oid = %s", NULL);
    case TESTAPI_RSQL_PAGE:
        cols = RESULT_COLUMNS;
        tail = " ORDER BY r.t DESC, r.oid DESC LIMIT %lld OFFSET %lld";
        break;
    case TESTAPI_RSQL_NTH:
        cols = " r.t, r.oid";
        tail = " ORDER BY r.t DESC, r.oid DESC LIMIT 1 OFFSET %lld";
        break;
    default:
        cols = RESULT_COLUMNS;
        if (shape & TESTAPI_RSQL_CURSOR) {
            /* Keyset pagination: the index (.., t, oid) is read from the
             * cursor on; no OFFSET, whatever the depth. */
            where = apr_pstrcat(
                pool, where, " AND (r.t ", asc ? ">" : "<",
                " %lld OR (r.t = %lld AND r.oid ", asc ? ">" : "<",
                (shape & TESTAPI_RSQL_INCL) ? "=" : "", " %s))", NULL);
        }
        tail = asc ? " ORDER BY r.t ASC, r.oid ASC LIMIT %lld"
                   : " ORDER BY r.t DESC, r.oid DESC LIMIT %lld";
        break;
    }
    from = ordered_from(filters, &straight);
    return apr_pstrcat(pool, straight ? "SELECT STRAIGHT_JOIN" : "SELECT", cols,
                       from, where, tail, NULL);
}

const char *testapi_rsql_label(apr_pool_t *pool, unsigned filters,
                               unsigned shape)
{
    return apr_psprintf(pool, "testapi_rq_%x_%x",
                        filters & TESTAPI_RSQL_FILTERS, shape);
}
