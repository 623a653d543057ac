#include <apr_strings.h>

#include "testapi_rsql.h"

const char testapi_rsql_select[] =
    "SELECT r.oid, pr.name, tc.name, pd.name, r.installer, r.version, "
    "r.scenario, r.build_tag, r.criteria, r.start_date, r.stop_date, "
    "r.trust, r.t, r.details";

/* The joins, in the order the list must read them.  MariaDB's optimizer
 * does not see that ORDER BY t LIMIT N can stop after N rows of a
 * (.., t, oid) index: left alone, it starts from the small tables and
 * sorts every match in a temporary table (measured: last=10 of a project
 * read 40,000 rows; streaming a project of 1,000,000 results sorted all of
 * them for every batch).  So when a filter fixes the project (and the
 * case) or the pod, that table comes first (one row: its unique name),
 * results next through the index that holds that id before (t, oid), read
 * in order from the first match, and the other names last, by primary key.
 * Without any of these, results come first and the time index is read
 * newest first until N rows pass the filters.  A case without its project
 * may name testcases of several projects: the optimizer starts from them
 * (by name) and sorts their results, which beats scanning the whole table
 * when the case is rare.  Results carry their testcase's project_id (a
 * foreign key keeps the two equal), which is what project_time indexes. */
static const char *from_joins(unsigned filters)
{
    if ((filters & TESTAPI_Q_PROJECT) && (filters & TESTAPI_Q_CASE)) {
        return " FROM projects pr"
               " STRAIGHT_JOIN testcases tc ON tc.project_id = pr.id"
               " STRAIGHT_JOIN results r FORCE INDEX (testcase_time)"
               " ON r.testcase_id = tc.id"
               " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";
    }
    if (filters & TESTAPI_Q_PROJECT) {
        return " FROM projects pr"
               " STRAIGHT_JOIN results r FORCE INDEX (project_time)"
               " ON r.project_id = pr.id"
               " STRAIGHT_JOIN testcases tc ON tc.id = r.testcase_id"
               " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";
    }
    if (filters & TESTAPI_Q_CASE) {
        return " FROM results r"
               " JOIN projects pr ON pr.id = r.project_id"
               " JOIN testcases tc ON tc.id = r.testcase_id"
               " JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";
    }
    if (filters & TESTAPI_Q_POD) {
        return " FROM pods pd"
               " STRAIGHT_JOIN results r FORCE INDEX (pod_time)"
               " ON r.pod_id = pd.id"
               " STRAIGHT_JOIN projects pr ON pr.id = r.project_id"
               " STRAIGHT_JOIN testcases tc ON tc.id = r.testcase_id"
               " WHERE 1 = 1";
    }
    return " FROM results r FORCE INDEX (time)"
           " STRAIGHT_JOIN projects pr ON pr.id = r.project_id"
           " STRAIGHT_JOIN testcases tc ON tc.id = r.testcase_id"
           " STRAIGHT_JOIN pods pd ON pd.id = r.pod_id WHERE 1 = 1";
}

/* One result by id: the oid key, no hint. */
static const char by_id[] =
    " FROM results r"
    " JOIN projects pr ON pr.id = r.project_id"
    " JOIN testcases tc ON tc.id = r.testcase_id"
    " JOIN pods pd ON pd.id = r.pod_id WHERE r.oid = %s";

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
    const char *head, *tail;
    const char *where = "";
    int asc = (shape & TESTAPI_RSQL_ASC) != 0;
    int i;

    for (i = 0; fragments[i].bit; i++) {
        if (filters & fragments[i].bit) {
            where = apr_pstrcat(pool, where, fragments[i].sql, NULL);
        }
    }
    switch (shape & TESTAPI_RSQL_SHAPE) {
    case TESTAPI_RSQL_COUNT:
        return apr_pstrcat(pool, "SELECT COUNT(*)", from_joins(filters),
                           where, NULL);
    case TESTAPI_RSQL_PAGE:
        head = testapi_rsql_select;
        tail = " ORDER BY r.t DESC, r.oid DESC LIMIT %lld OFFSET %lld";
        break;
    case TESTAPI_RSQL_BY_ID:
        return apr_pstrcat(pool, testapi_rsql_select, by_id, NULL);
    case TESTAPI_RSQL_NTH:
        head = "SELECT r.t, r.oid";
        tail = " ORDER BY r.t DESC, r.oid DESC LIMIT 1 OFFSET %lld";
        break;
    default:
        head = testapi_rsql_select;
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
    return apr_pstrcat(pool, head, from_joins(filters), where, tail,
                       NULL);
}

const char *testapi_rsql_label(apr_pool_t *pool, unsigned filters,
                               unsigned shape)
{
    return apr_psprintf(pool, "testapi_rq_%x_%x",
                        filters & TESTAPI_RSQL_FILTERS, shape);
}
