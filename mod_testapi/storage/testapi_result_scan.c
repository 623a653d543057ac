/* Keyset-batch reading of selected results (see testapi_result_scan.h). */
#include <apr_strings.h>

#include "storage/testapi_result_scan.h"

/* Where a keyset batch starts. */
typedef struct cursor {
    int set;
    int inclusive;
    apr_int64_t t;
    char oid[TESTAPI_ID_LEN + 1];
} cursor;

/* Arguments of a composed statement: filters in bit order, then the
 * cursor, then up to two integers (LIMIT, OFFSET). */
static const void **query_args(apr_pool_t *pool, const testapi_query *q,
                               const cursor *cur, apr_int64_t *ints, int nints)
{
    const void **args = apr_pcalloc(pool, 20 * sizeof(*args));
    int n = 0, i;
    unsigned f = q->present;

    if (f & TESTAPI_Q_PROJECT)
        args[n++] = q->project;
    if (f & TESTAPI_Q_CASE)
        args[n++] = q->case_name;
    if (f & TESTAPI_Q_POD)
        args[n++] = q->pod;
    if (f & TESTAPI_Q_INSTALLER)
        args[n++] = q->installer;
    if (f & TESTAPI_Q_VERSION)
        args[n++] = q->version;
    if (f & TESTAPI_Q_SCENARIO)
        args[n++] = q->scenario;
    if (f & TESTAPI_Q_BUILD_TAG)
        args[n++] = q->build_tag;
    if (f & TESTAPI_Q_CRITERIA)
        args[n++] = q->criteria;
    if (f & TESTAPI_Q_TRUST)
        args[n++] = &q->trust;
    if (f & TESTAPI_Q_PERIOD)
        args[n++] = &q->since;
    if (f & TESTAPI_Q_FROM)
        args[n++] = &q->from;
    if (f & TESTAPI_Q_TO)
        args[n++] = &q->to;
    if (cur && cur->set) {
        args[n++] = &cur->t;
        args[n++] = &cur->t;
        args[n++] = cur->oid;
    }
    for (i = 0; i < nints; i++) {
        args[n++] = &ints[i];
    }
    return args;
}

static testapi_db_rc run_query(testapi_db *db, const testapi_query *q,
                               unsigned shape, const cursor *cur,
                               apr_int64_t *ints, int nints,
                               apr_dbd_results_t **res)
{
    apr_pool_t *p = db->pool;
    unsigned filters = q->present & TESTAPI_RSQL_FILTERS;

    return testapi_db_bselect(db, testapi_rsql_label(p, filters, shape),
                              testapi_rsql(p, filters, shape), res,
                              query_args(p, q, cur, ints, nints));
}

testapi_db_rc testapi_rscan_select(testapi_db *db, const testapi_query *q,
                                   unsigned shape, apr_int64_t *ints, int nints,
                                   apr_dbd_results_t **res)
{
    return run_query(db, q, shape, NULL, ints, nints, res);
}

/* The (t, oid) of the Nth newest match: where an oldest-first read of the
 * newest N starts.  Leaves cur unset when there are fewer matches. */
static testapi_db_rc nth_newest(testapi_db *db, const testapi_query *q,
                                apr_int64_t n, cursor *cur)
{
    apr_int64_t lim[1] = {n - 1};
    apr_dbd_results_t *res;
    const char *col[2]; /* t, oid */
    testapi_db_rc rc;

    if ((rc = run_query(db, q, TESTAPI_RSQL_NTH, NULL, lim, 1, &res)) !=
            TESTAPI_DB_OK ||
        (rc = testapi_db_fetch_one(db, res, col, 2)) != TESTAPI_DB_OK) {
        return rc;
    }
    if (col[0] && col[1]) {
        cur->set = cur->inclusive = 1;
        cur->t = apr_atoi64(col[0]);
        apr_cpystrn(cur->oid, col[1], sizeof(cur->oid));
    }
    return TESTAPI_DB_OK;
}

/* One batch's reading: the rows go to the scan's row(), the last one's
 * (t, oid) is where the next batch starts. */
typedef struct batch_read {
    testapi_rscan *s;
    cursor *cur;
    long got;
} batch_read;

static void batch_row(testapi_db *db, apr_dbd_row_t *row, void *ctx)
{
    batch_read *b = ctx;

    b->s->row(b->s, row);
    b->s->rows++;
    b->got++;
    b->cur->t = apr_atoi64(testapi_db_col(db, row, TESTAPI_RCOL_T));
    apr_cpystrn(b->cur->oid, testapi_db_col(db, row, TESTAPI_RCOL_OID),
                sizeof(b->cur->oid));
}

testapi_db_rc testapi_rscan_run(testapi_rscan *s)
{
    testapi_db *db = s->db;
    const testapi_query *q = s->q;
    apr_pool_t *parent = db->pool;
    apr_int64_t remaining = q->last > 0 ? q->last : -1, lim[1];
    unsigned order = q->descend ? 0 : TESTAPI_RSQL_ASC;
    apr_dbd_results_t *res;
    testapi_db_rc rc;
    cursor cur = {0, 0, 0, ""};

    s->rows = 0;
    s->started = 0;
    if (!q->descend && q->last > 0 &&
        (rc = nth_newest(db, q, q->last, &cur)) != TESTAPI_DB_OK) {
        return rc;
    }
    for (;;) {
        apr_pool_t *batch;
        unsigned shape = TESTAPI_RSQL_BATCH | order |
                         (cur.set ? TESTAPI_RSQL_CURSOR : 0) |
                         (cur.inclusive ? TESTAPI_RSQL_INCL : 0);
        batch_read b = {s, &cur, 0};

        lim[0] = remaining < 0 || remaining > TESTAPI_RSCAN_BATCH
                     ? TESTAPI_RSCAN_BATCH
                     : remaining;
        apr_pool_create(&batch, parent);
        db->pool = batch;
        rc = run_query(db, q, shape, &cur, lim, 1, &res);
        if (rc != TESTAPI_DB_OK) {
            db->pool = parent;
            apr_pool_destroy(batch);
            return rc;
        }
        if (!s->started) {
            s->started = 1;
            if (s->begin) {
                s->begin(s);
            }
        }
        rc = testapi_db_fetch(db, res, batch_row, &b);
        db->pool = parent;
        apr_pool_destroy(batch);
        if (rc != TESTAPI_DB_OK) {
            return rc;
        }
        if (remaining > 0) {
            remaining -= b.got;
        }
        if (b.got < lim[0] || remaining == 0) {
            return TESTAPI_DB_OK;
        }
        if (s->batch_end && s->batch_end(s)) {
            return TESTAPI_DB_OK;
        }
        cur.set = 1;
        cur.inclusive = 0;
    }
}
