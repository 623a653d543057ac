/*
 * testapi-admin purge --before DATE [--project P] [--case C] [--dry-run]:
 * retention.  Results older than DATE (their time, t: the start date, or
 * the time of receipt) are deleted testcase by testcase, oldest first, in
 * transactions of at most --batch results (1,000): each DELETE locks one
 * short range of the testcase_time index and commits, so writers wait
 * milliseconds, not for the whole purge, and a replica (or Galera) applies
 * small transactions.  Nothing refers to a result, so referential
 * integrity holds whatever goes; what is derived from results is kept
 * right in the same transaction (derived_before_delete below).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_tables.h>
#include <apr_time.h>

#include "tools/testapi_admin_operations.h"
#include "core/testapi_date.h"

/*
 * What is derived from results, kept right by a purge: statements run in
 * each batch's transaction just BEFORE its DELETE, so that they still see
 * the batch's rows, with the DELETE's arguments: testcase id, DATE (t
 * microseconds), and the batch's last key (t, t, oid); the batch's rows
 * are those of
 *     testcase_id = %s AND t < %s AND t <= %s AND (t < %s OR oid <= %s)
 * Nothing is derived from results yet: per-series state (a later schema
 * version) adds its statements here, the one place.
 */
static const char *const derived_before_delete[] = {NULL};

#define BATCH_TRIES 5 /* deadlocks and lock waits of one batch, at most */

static void push_id(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    APR_ARRAY_PUSH((apr_array_header_t *)ctx, const char *) =
        testapi_admin_col(db, row, 0);
}

/* The testcases of the purge (ids, as text), by its filters. */
static int testcases(testapi_admin_db *db,
                     const testapi_admin_purge_request *req,
                     apr_array_header_t **ids)
{
    const char *args[2], *value;
    int rv;

    *ids = apr_array_make(db->pool, 16, sizeof(const char *));
    if (req->project) {
        rv = testapi_admin_value(db, "SELECT id FROM projects WHERE name = %s",
                                 1, &req->project, &value);
        if (rv) {
            return testapi_admin_db_error(db, rv, "looking the project up");
        }
        if (!value) {
            return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "no project [%s]",
                                      req->project);
        }
    }
    args[0] = req->project ? req->project : req->testcase;
    args[1] = req->testcase;
    if (req->project && req->testcase) {
        rv = testapi_admin_each(db,
                                "SELECT t.id FROM testcases t JOIN projects p "
                                "ON p.id = t.project_id WHERE p.name = %s "
                                "AND t.name = %s ORDER BY t.id",
                                2, args, push_id, *ids);
    } else if (req->project) {
        rv = testapi_admin_each(db,
                                "SELECT t.id FROM testcases t JOIN projects p "
                                "ON p.id = t.project_id WHERE p.name = %s "
                                "ORDER BY t.id",
                                1, args, push_id, *ids);
    } else if (req->testcase) {
        rv = testapi_admin_each(
            db, "SELECT id FROM testcases WHERE name = %s ORDER BY id", 1, args,
            push_id, *ids);
    } else {
        rv = testapi_admin_each(db, "SELECT id FROM testcases ORDER BY id", 0,
                                NULL, push_id, *ids);
    }
    if (rv) {
        return testapi_admin_db_error(db, rv, "finding the testcases");
    }
    if (req->testcase && (*ids)->nelts == 0) {
        return req->project
                   ? testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                        "no testcase [%s] in project "
                                        "[%s]",
                                        req->testcase, req->project)
                   : testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                        "no testcase [%s]", req->testcase);
    }
    return TESTAPI_ADMIN_DONE;
}

/* Results of a testcase before DATE. */
static int count(testapi_admin_db *db, const char *testcase, const char *before,
                 apr_int64_t *n)
{
    const char *args[2] = {testcase, before}, *value;
    int rv = testapi_admin_value(
        db, "SELECT COUNT(*) FROM results WHERE testcase_id = %s AND t < %s", 2,
        args, &value);

    *n = value ? apr_atoi64(value) : 0;
    return rv;
}

/* Where batch_end keeps the last key: args[2..4], and the rows seen. */
typedef struct batch_key {
    const char **args;
    int rows;
} batch_key;

static void last_key(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    batch_key *k = ctx;

    k->args[2] = k->args[3] = testapi_admin_col(db, row, 0);
    k->args[4] = testapi_admin_col(db, row, 1);
    k->rows++;
}

/* The key (t, oid) of the last of the oldest `batch` results of the
 * testcase before DATE, into args[2..4] (see derived_before_delete);
 * *rows: how many there are (0: none left). */
static int batch_end(testapi_admin_db *db, const char **args, int batch,
                     int *rows)
{
    const char *select_args[3] = {args[0], args[1], apr_itoa(db->pool, batch)};
    batch_key k = {args, 0};
    int rv = testapi_admin_each(db,
                                "SELECT t, oid FROM results WHERE testcase_id "
                                "= %s AND t < %s ORDER BY t, oid LIMIT %s",
                                3, select_args, last_key, &k);

    *rows = k.rows;
    return rv;
}

/* One batch in one transaction: what is derived, then the rows. */
static int delete_batch(testapi_admin_db *db, const char *const *args,
                        int *deleted)
{
    apr_dbd_transaction_t *tx = NULL;
    const char *const *derived;
    int rv, nrows;

    *deleted = 0;
    if ((rv = apr_dbd_transaction_start(db->driver, db->pool, db->handle,
                                        &tx)) != 0) {
        return rv;
    }
    for (derived = derived_before_delete; *derived && !rv; derived++) {
        rv = testapi_admin_exec(db, *derived, &nrows, 5, args);
    }
    if (!rv) {
        rv = testapi_admin_exec(db,
                                "DELETE FROM results WHERE testcase_id = %s "
                                "AND t < %s AND t <= %s AND (t < %s OR oid <= "
                                "%s)",
                                deleted, 5, args);
    }
    /* After an error the driver rolls the transaction back. */
    if (apr_dbd_transaction_end(db->driver, db->pool, tx) != 0 && !rv) {
        rv = -1;
    }
    if (rv) {
        *deleted = 0;
    }
    return rv;
}

/* Every result of one testcase before DATE, batch by batch. */
static int purge_testcase(testapi_admin_db *db, const char *testcase,
                          const char *before, int batch, apr_int64_t *deleted,
                          int *batches)
{
    const char *args[5] = {testcase, before, NULL, NULL, NULL};
    const char *failed = NULL;
    testapi_admin_db b;
    int rv, rows = batch, nrows, tries;

    while (rows == batch && !failed) {
        testapi_admin_scratch(db, &b);
        if ((rv = batch_end(&b, args, batch, &rows)) != 0) {
            failed = "reading a batch";
        } else if (rows > 0) {
            for (tries = 1;; tries++) {
                rv = delete_batch(&b, args, &nrows);
                if ((rv != TESTAPI_ER_LOCK_DEADLOCK &&
                     rv != TESTAPI_ER_LOCK_WAIT_TIMEOUT) ||
                    tries == BATCH_TRIES) {
                    break;
                }
                /* Galera's certification or a writer won: the batch again. */
                apr_sleep(apr_time_from_msec(50 * tries));
            }
            if (rv) {
                failed = "deleting a batch";
            } else {
                *deleted += nrows;
                ++*batches;
            }
        }
        if (failed) {
            testapi_admin_db_error(&b, rv, failed);
        }
        apr_pool_destroy(b.pool);
    }
    return failed ? testapi_admin_fail(TESTAPI_ADMIN_DB,
                                       "%" APR_INT64_T_FMT " results were "
                                       "deleted before this; run the purge "
                                       "again to go on",
                                       *deleted)
                  : TESTAPI_ADMIN_DONE;
}

int testapi_admin_purge(testapi_admin_db *db,
                        const testapi_admin_purge_request *req)
{
    apr_array_header_t *ids;
    apr_time_t before, start = apr_time_now();
    apr_int64_t total = 0, n, deleted = 0;
    char when[TESTAPI_TIME_LEN + 1];
    const char *before_text, *scope;
    int status, rv, i, batches = 0;
    int batch = req->batch > 0 ? req->batch : TESTAPI_ADMIN_PURGE_BATCH;

    if (!req->before ||
        testapi_date_parse(req->before, strlen(req->before), &before) != 0) {
        return testapi_admin_fail(TESTAPI_ADMIN_USAGE,
                                  "--before takes a date: YYYY-MM-DD or "
                                  "YYYY-MM-DDTHH:MM[:SS][Z|+HH:MM]");
    }
    if ((status = testapi_admin_schema_needed(db)) != TESTAPI_ADMIN_DONE ||
        (status = testcases(db, req, &ids)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    before_text = apr_psprintf(db->pool, "%" APR_INT64_T_FMT, before);
    for (i = 0; i < ids->nelts; i++) {
        testapi_admin_db c;

        testapi_admin_scratch(db, &c);
        rv = count(&c, APR_ARRAY_IDX(ids, i, const char *), before_text, &n);
        if (rv) {
            testapi_admin_db_error(&c, rv, "counting the results");
        }
        apr_pool_destroy(c.pool);
        if (rv) {
            return TESTAPI_ADMIN_DB;
        }
        total += n;
    }
    testapi_time_format(before, when);
    scope = req->project && req->testcase
                ? apr_psprintf(db->pool, " of project [%s], testcase [%s]",
                               req->project, req->testcase)
            : req->project
                ? apr_psprintf(db->pool, " of project [%s]", req->project)
            : req->testcase
                ? apr_psprintf(db->pool, " of testcases [%s]", req->testcase)
                : "";
    printf("%s %" APR_INT64_T_FMT " results%s before %s UTC (%d testcase%s), "
           "at most %d per transaction\n",
           req->dry_run ? "would delete" : "deleting", total, scope, when,
           ids->nelts, ids->nelts == 1 ? "" : "s", batch);
    if (req->dry_run || total == 0) {
        printf("deleted nothing%s\n", req->dry_run ? " (dry run)" : "");
        return TESTAPI_ADMIN_DONE;
    }
    for (i = 0; i < ids->nelts; i++) {
        if ((status = purge_testcase(db, APR_ARRAY_IDX(ids, i, const char *),
                                     before_text, batch, &deleted, &batches)) !=
            TESTAPI_ADMIN_DONE) {
            return status;
        }
    }
    printf("deleted %" APR_INT64_T_FMT " results in %d transaction%s, %.1f s\n",
           deleted, batches, batches == 1 ? "" : "s",
           (double)(apr_time_now() - start) / APR_USEC_PER_SEC);
    return TESTAPI_ADMIN_DONE;
}
