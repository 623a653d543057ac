/*
 * SQL of the results queries, composed from fixed fragments.
 *
 * The filters of GET /api/v1/results combine freely, and "(%s IS NULL OR
 * col = %s)" would defeat the indexes; so each combination in use gets its
 * own statement, built here from a bitmask of filters and a shape, and
 * prepared once per pooled connection under a label made of both.  Values
 * are always placeholders: only the bitmask chooses text.
 */
#ifndef TESTAPI_RESULT_SQL_H
#define TESTAPI_RESULT_SQL_H

#include <apr_pools.h>

#include "core/testapi_query.h"

/* The filters that become WHERE fragments (the other query bits do not). */
#define TESTAPI_RSQL_FILTERS                                                   \
    (TESTAPI_Q_PROJECT | TESTAPI_Q_CASE | TESTAPI_Q_POD |                      \
     TESTAPI_Q_INSTALLER | TESTAPI_Q_VERSION | TESTAPI_Q_SCENARIO |            \
     TESTAPI_Q_BUILD_TAG | TESTAPI_Q_CRITERIA | TESTAPI_Q_TRUST |              \
     TESTAPI_Q_PERIOD | TESTAPI_Q_FROM | TESTAPI_Q_TO)

/* Shapes (one of the first four) and modifiers. */
enum {
    TESTAPI_RSQL_COUNT = 1, /* SELECT COUNT(*) */
    TESTAPI_RSQL_PAGE = 2,  /* newest first, LIMIT %d OFFSET %d */
    TESTAPI_RSQL_NTH = 3,   /* t, oid of the row at OFFSET %d, newest first */
    TESTAPI_RSQL_BATCH = 4, /* LIMIT %d, after a cursor when CURSOR is set */
    TESTAPI_RSQL_BY_ID = 5, /* one result: WHERE r.oid = %s */
    TESTAPI_RSQL_SHAPE = 7,
    TESTAPI_RSQL_ASC = 8,     /* BATCH: oldest first */
    TESTAPI_RSQL_CURSOR = 16, /* BATCH: (t, oid) strictly after a cursor */
    TESTAPI_RSQL_INCL = 32    /* BATCH: ... or equal to it */
};

/* Columns of every result row, in this order (details last: a CLOB). */
enum {
    TESTAPI_RCOL_OID,
    TESTAPI_RCOL_PROJECT,
    TESTAPI_RCOL_CASE,
    TESTAPI_RCOL_POD,
    TESTAPI_RCOL_INSTALLER,
    TESTAPI_RCOL_VERSION,
    TESTAPI_RCOL_SCENARIO,
    TESTAPI_RCOL_BUILD_TAG,
    TESTAPI_RCOL_CRITERIA,
    TESTAPI_RCOL_START_DATE,
    TESTAPI_RCOL_STOP_DATE,
    TESTAPI_RCOL_TRUST,
    TESTAPI_RCOL_T,
    TESTAPI_RCOL_DETAILS
};

/* "SELECT <result columns> FROM <results and what they refer to>" */
extern const char testapi_rsql_select[];

/* The statement's text.  Placeholders, in order: one per filter bit, in
 * bit order (%s for names and fields, %lf for trust, %lld for times), then
 * the cursor (%lld t, %lld t, %s oid), then LIMIT %lld, then OFFSET %lld
 * (PAGE and NTH). */
const char *testapi_rsql(apr_pool_t *pool, unsigned filters, unsigned shape);

/*
 * Whether no index gives the (t, oid) order of a list with these filters.
 * One testcase (project and case), one pod, or none of them walk the
 * indexes (testcase_id|pod_id|nothing, t, oid) in order and stop at LIMIT:
 * those lists are one plain select.  Otherwise, and for every page
 * (?page=N: its OFFSET), the statement is a deferred join: ids are chosen
 * and sorted first (from the indexes where the filters allow), then only
 * the page's rows are read.
 */
int testapi_rsql_sorts(unsigned filters);

/* The label it is prepared under on a connection. */
const char *testapi_rsql_label(apr_pool_t *pool, unsigned filters,
                               unsigned shape);

#endif
