/*
 * Reading the results a query selects, in keyset batches.
 *
 * The driver buffers a whole prepared select, so one select cannot stream:
 * rows are read BATCH at a time, each batch after the (t, oid) of the last
 * row of the one before (never OFFSET), each batch in its own sub-pool that
 * is destroyed before the next one is read.  GET /api/v1/results streams
 * its answer from here, the dashboard aggregates from here; memory stays
 * flat however many results match.
 */
#ifndef TESTAPI_RESULT_SCAN_H
#define TESTAPI_RESULT_SCAN_H

#include "storage/testapi_database.h"
#include "core/testapi_query.h"
#include "core/testapi_result_sql.h"

#define TESTAPI_RSCAN_BATCH 500

typedef struct testapi_rscan testapi_rscan;

struct testapi_rscan {
    /* Set by the caller. */
    testapi_db *db;
    const testapi_query *q; /* filters, descend, last */
    void *ctx;
    /* Once the first batch has been selected, before its rows (may be
     * NULL). */
    void (*begin)(testapi_rscan *s);
    /* One row; db->pool is the batch's pool, destroyed after the batch. */
    void (*row)(testapi_rscan *s, apr_dbd_row_t *row);
    /* Between two batches (not after the last); non-zero stops the scan
     * (the client went away).  May be NULL. */
    int (*batch_end)(testapi_rscan *s);
    /* Read by the caller afterwards. */
    long rows;   /* rows handed to row() */
    int started; /* begin() ran: the first select succeeded */
};

/*
 * Runs the scan to the end (or to a stop asked by batch_end).  Returns
 * TESTAPI_DB_OK, or the failure; s->started says whether anything was
 * handed over before it.
 */
testapi_db_rc testapi_rscan_run(testapi_rscan *s);

/*
 * One composed select of the query's filters (testapi_rsql shapes COUNT,
 * PAGE, NTH) with its trailing integer arguments (LIMIT, OFFSET).
 */
testapi_db_rc testapi_rscan_select(testapi_db *db, const testapi_query *q,
                                   unsigned shape, apr_int64_t *ints, int nints,
                                   apr_dbd_results_t **res);

#endif
