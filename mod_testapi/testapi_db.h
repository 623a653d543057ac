/*
 * Storage through mod_dbd.  Every statement is listed once, in
 * testapi_db.c, under a label; it is registered with mod_dbd before the
 * children start and prepared on each pooled connection.  User input only
 * ever travels as a placeholder argument.
 */
#ifndef TESTAPI_DB_H
#define TESTAPI_DB_H

#include <apr_dbd.h>
#include <mod_dbd.h>

#include "testapi_private.h"

/* Statement labels (see testapi_statements in testapi_db.c). */
#define TESTAPI_SQL_POD_LIST "testapi_pod_list"
#define TESTAPI_SQL_POD_GET "testapi_pod_get"
#define TESTAPI_SQL_POD_INSERT "testapi_pod_insert"
#define TESTAPI_SQL_POD_DELETE "testapi_pod_delete"

typedef enum {
    TESTAPI_DB_OK = 0,
    TESTAPI_DB_DUPLICATE,   /* unique key: "already exists" */
    TESTAPI_DB_REFERENCED,  /* foreign key: "still referred to" */
    TESTAPI_DB_UNAVAILABLE, /* no connection, lost connection: 503 */
    TESTAPI_DB_ERROR        /* anything else: 500, logged */
} testapi_db_rc;

/* A request's view of its pooled connection. */
typedef struct testapi_db {
    request_rec *r;
    ap_dbd_t *dbd;
    int err;            /* driver error number of the last failure */
    const char *errkey; /* for duplicates: the unique key that refused */
} testapi_db;

/* post_config, before mod_dbd's: registers every statement. */
int testapi_db_register(apr_pool_t *ptemp, server_rec *s);

/* Acquires the request's connection (released when the request ends). */
testapi_db_rc testapi_db_open(request_rec *r, testapi_db *db);

/* Runs a prepared select; every row must then be read to the end. */
testapi_db_rc testapi_db_select(testapi_db *db, const char *label,
                                apr_dbd_results_t **res, int nargs,
                                const char *const *args);

/* Next row: 1 with *row set, 0 at the end, -1 on error (logged). */
int testapi_db_next(testapi_db *db, apr_dbd_results_t *res,
                    apr_dbd_row_t **row);

/* Column n of a row as a string; NULL for SQL NULL. */
const char *testapi_db_col(testapi_db *db, apr_dbd_row_t *row, int n);

/* Runs a prepared insert/update/delete; *nrows gets the rows changed. */
testapi_db_rc testapi_db_exec(testapi_db *db, const char *label, int *nrows,
                              int nargs, const char *const *args);

/* Non-zero when the last duplicate was on a generated id (retry). */
int testapi_db_dup_id(const testapi_db *db);

/* Answers a failed database call: 503 or 500 (already logged). */
int testapi_db_fail(testapi_db *db, testapi_db_rc rc);

#endif
