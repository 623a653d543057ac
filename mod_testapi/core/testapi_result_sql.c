#include <apr_strings.h>

#include "core/testapi_result_sql.h"

const char testapi_rsql_select[] =
    "SELECT r.oid, pr.name, tc.name, pd.name, r.installer, r.version, "
    "r.scenario, r.build_tag, r.criteria, r.start_date, r.stop_date, "
    "r.trust, r.t, r.details";

/* The references of one result or of a page of ids, by primary key. */
static const char ref_joins[] =
    " STRAIGHT_JOIN testcases tc ON tc.id = r.testcase_id"
    " STRAIGHT_JOIN projects pr ON pr.id = tc.project_id"
    " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id";

/*
 * The index of results that a list walks: the one whose leading column the
 * filters fix, then (t, oid).  Named (FORCE INDEX): it is the plan wanted
 * whatever the statistics say, and the optimizer no longer weighs the
 * other indexes for every statement.
 */
static const char *results_index(unsigned filters)
{
    if (filters & TESTAPI_Q_CASE) {
        return "testcase_time";
    }
    if (filters & TESTAPI_Q_PROJECT) {
        /* results repeat their testcase's project_id for this index */
        return "project_time";
    }
    return (filters & TESTAPI_Q_POD) ? "pod_time" : "time";
}

/*
 * The FROM clause of a list: the references that a filter names come
 * first (STRAIGHT_JOIN), then the results.  A project and case are then
 * one constant testcase and a pod a constant pod, and results are read by
 * the index (testcase_id|pod_id, t, oid) in order, up to LIMIT (OFFSET
 * included).  Left to itself, for ORDER BY .. LIMIT the optimizer may walk
 * the whole time index backwards, reading every row, to find the few of a
 * rare testcase or pod.  Without such a filter results come first, so that
 * a filter on a result column alone (installer=fuel) walks the time index
 * and stops at LIMIT instead of sorting every result.
 *
 * all_refs: join every reference (the select reads their names); else only
 * what the filters need, so that a filter on the testcase, the pod or time
 * alone reads the covering indexes (.., t, oid) and never the rows.
 */
static const char *from_clause(apr_pool_t *pool, unsigned filters, int all_refs)
{
    const char *head = NULL, *on = NULL;
    int tc = all_refs, pr = all_refs, pd = all_refs;

    if ((filters & TESTAPI_Q_PROJECT) && (filters & TESTAPI_Q_CASE)) {
        head = " FROM projects pr"
               " STRAIGHT_JOIN testcases tc ON tc.project_id = pr.id";
        on = "r.testcase_id = tc.id";
        tc = pr = 0;
    } else if (filters & TESTAPI_Q_PROJECT) {
        head = " FROM projects pr";
        on = "r.project_id = pr.id";
        pr = 0;
    } else if (filters & TESTAPI_Q_CASE) {
        head = " FROM testcases tc";
        on = "r.testcase_id = tc.id";
        tc = 0;
    }
    if (filters & TESTAPI_Q_POD) {
        head = head ? apr_pstrcat(pool, head, " STRAIGHT_JOIN pods pd", NULL)
                    : " FROM pods pd";
        on = on ? apr_pstrcat(pool, on, " AND r.pod_id = pd.id", NULL)
                : "r.pod_id = pd.id";
        pd = 0;
    }
    return apr_pstrcat(
        pool, head ? head : "", head ? " STRAIGHT_JOIN" : " FROM",
        " results r FORCE INDEX (", results_index(filters), ")",
        head ? " ON " : "", on ? on : "",
        tc ? " STRAIGHT_JOIN testcases tc ON tc.id = r.testcase_id" : "",
        pr ? " STRAIGHT_JOIN projects pr ON pr.id = tc.project_id" : "",
        pd ? " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id" : "", " WHERE 1 = 1",
        NULL);
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
    from = from_clause(pool, filters, 0);
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
    if (!testapi_rsql_sorts(filters) &&
        (shape & TESTAPI_RSQL_SHAPE) != TESTAPI_RSQL_PAGE) {
        /* An index gives the order: read it, and the rows, up to LIMIT.
         * (Pages are deferred joins all the same: their OFFSET then skips
         * index entries, not rows.) */
        return apr_pstrcat(
            pool, testapi_rsql_select, from_clause(pool, filters, 1), where,
            " ORDER BY r.t ", order, ", r.oid ", order, limit, NULL);
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

int testapi_rsql_sorts(unsigned filters)
{
    /* A case name in any project: several testcases, whose index ranges
     * must be merged by a sort.  (A project alone has its own index.) */
    return (filters & TESTAPI_Q_CASE) && !(filters & TESTAPI_Q_PROJECT);
}

const char *testapi_rsql_label(apr_pool_t *pool, unsigned filters,
                               unsigned shape)
{
    return apr_psprintf(pool, "testapi_rq_%x_%x",
                        filters & TESTAPI_RSQL_FILTERS, shape);
}
