#include <apr_strings.h>

#include "testapi_rsql.h"

const char testapi_rsql_select[] =
    "SELECT r.oid, pr.name, tc.name, pd.name, r.installer, r.version, "
    "r.scenario, r.build_tag, r.criteria, r.start_date, r.stop_date, "
    "r.trust, r.t, r.details";

/* The references of the selected columns, joined by primary key. */
static const char ref_joins[] =
    " JOIN testcases tc ON tc.id = r.testcase_id"
    " JOIN projects pr ON pr.id = tc.project_id"
    " JOIN pods pd ON pd.id = r.pod_id";

/*
 * What the filters need, and no more: without a pod filter the pods are not
 * joined, so a filter on the testcase or on time alone reads the covering
 * indexes (testcase_id|pod_id|nothing, t, oid) and never the rows.
 */
static const char *filter_from(apr_pool_t *pool, unsigned filters)
{
    return apr_pstrcat(
        pool, " FROM results r",
        (filters & (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE))
            ? " JOIN testcases tc ON tc.id = r.testcase_id"
            : "",
        (filters & TESTAPI_Q_PROJECT) ? " JOIN projects pr ON pr.id = tc.project_id"
                                      : "",
        (filters & TESTAPI_Q_POD) ? " JOIN pods pd ON pd.id = r.pod_id" : "",
        " WHERE 1 = 1", NULL);
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
    const char *where = "", *order, *limit, *from;
    int asc = (shape & TESTAPI_RSQL_ASC) != 0;
    int i;

    for (i = 0; fragments[i].bit; i++) {
        if (filters & fragments[i].bit) {
            where = apr_pstrcat(pool, where, fragments[i].sql, NULL);
        }
    }
    from = filter_from(pool, filters);
    switch (shape & TESTAPI_RSQL_SHAPE) {
    case TESTAPI_RSQL_COUNT:
        return apr_pstrcat(pool, "SELECT COUNT(*)", from, where, NULL);
    case TESTAPI_RSQL_BY_ID:
        return apr_pstrcat(pool, testapi_rsql_select, " FROM results r",
                           ref_joins, " WHERE r.oid = %s", NULL);
    case TESTAPI_RSQL_NTH:
        return apr_pstrcat(pool, "SELECT r.t, r.oid", from, where,
                           " ORDER BY r.t DESC, r.oid DESC LIMIT 1 OFFSET %lld",
                           NULL);
    case TESTAPI_RSQL_PAGE:
        order = "DESC";
        limit = " LIMIT %lld OFFSET %lld";
        break;
    default:
        order = asc ? "ASC" : "DESC";
        limit = " LIMIT %lld";
        if (shape & TESTAPI_RSQL_CURSOR) {
            /* Keyset pagination: the index (.., t, oid) is read from the
             * cursor on; no OFFSET, whatever the depth. */
            where = apr_pstrcat(
                pool, where, " AND (r.t ", asc ? ">" : "<",
                " %lld OR (r.t = %lld AND r.oid ", asc ? ">" : "<",
                (shape & TESTAPI_RSQL_INCL) ? "=" : "", " %s))", NULL);
        }
        break;
    }
    /*
     * A deferred join: the inner select chooses and orders the ids only
     * (from the indexes where it can), then only the rows of this page are
     * read and joined to their names.  Ordering the whole match with its
     * columns would copy every matching row, details included, into a
     * temporary table for each batch.  The outer order is on k, the first
     * table, so that it is a sort of the page's keys.
     */
    return apr_pstrcat(pool, testapi_rsql_select,
                       " FROM (SELECT r.id, r.t, r.oid", from, where,
                       " ORDER BY r.t ", order, ", r.oid ", order, limit,
                       ") k STRAIGHT_JOIN results r ON r.id = k.id", ref_joins,
                       " ORDER BY k.t ", order, ", k.oid ", order, NULL);
}

const char *testapi_rsql_label(apr_pool_t *pool, unsigned filters,
                               unsigned shape)
{
    return apr_psprintf(pool, "testapi_rq_%x_%x",
                        filters & TESTAPI_RSQL_FILTERS, shape);
}
