/*
 * Storage through mod_dbd.  Every statement is listed once, in
 * testapi_database.c, under a label, and prepared on each pooled connection
 * the first time it is used there.  User input only ever travels as a
 * placeholder argument.
 */
#ifndef TESTAPI_DATABASE_H
#define TESTAPI_DATABASE_H

#include <apr_dbd.h>
#include <mod_dbd.h>

#include "httpd/testapi_private.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_id.h"
#include "core/testapi_json.h"
#include "core/testapi_route_match.h"

/* Statement labels (see testapi_statements in testapi_database.c). */
#define TESTAPI_SQL_POD_LIST "testapi_pod_list"
#define TESTAPI_SQL_POD_GET "testapi_pod_get"
#define TESTAPI_SQL_POD_INSERT "testapi_pod_insert"
#define TESTAPI_SQL_POD_DELETE "testapi_pod_delete"
/* projects and testcases */
#define TESTAPI_SQL_PROJECT_LIST "testapi_project_list"
#define TESTAPI_SQL_PROJECT_GET "testapi_project_get"
#define TESTAPI_SQL_PROJECT_GET_OID "testapi_project_get_oid"
#define TESTAPI_SQL_PROJECT_INSERT "testapi_project_insert"
#define TESTAPI_SQL_PROJECT_UPDATE "testapi_project_update"
#define TESTAPI_SQL_PROJECT_DELETE "testapi_project_delete"
#define TESTAPI_SQL_TESTCASE_LIST "testapi_testcase_list"
#define TESTAPI_SQL_TESTCASE_GET "testapi_testcase_get"
#define TESTAPI_SQL_TESTCASE_GET_OID "testapi_testcase_get_oid"
#define TESTAPI_SQL_TESTCASE_INSERT "testapi_testcase_insert"
#define TESTAPI_SQL_TESTCASE_UPDATE "testapi_testcase_update"
#define TESTAPI_SQL_TESTCASE_DELETE "testapi_testcase_delete"
/* results */
#define TESTAPI_SQL_RESULT_INSERT "testapi_result_insert"
#define TESTAPI_SQL_RESULT_REFS "testapi_result_refs"
#define TESTAPI_SQL_RESULT_GET "testapi_result_get"
#define TESTAPI_SQL_RESULT_TRUST "testapi_result_trust"
#define TESTAPI_SQL_RESULT_SET_TRUST "testapi_result_set_trust"
/* accounts and grants */
#define TESTAPI_SQL_ACCOUNT_GET "testapi_account_get"
#define TESTAPI_SQL_ACCOUNT_RIGHTS "testapi_account_rights"
#define TESTAPI_SQL_GRANT_GET "testapi_grant_get"
#define TESTAPI_SQL_RESULT_PROJECT "testapi_result_project"
/* the schema version */
#define TESTAPI_SQL_SCHEMA_TABLE "testapi_schema_table"
#define TESTAPI_SQL_SCHEMA_VERSION "testapi_schema_version"

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
    apr_pool_t *pool;   /* for results and rows: r->pool, or a batch's */
    int err;            /* driver error number of the last failure */
    const char *errkey; /* for duplicates: the unique key that refused */
} testapi_db;

/* post_config: refuses to start without mod_dbd (its statements are
 * prepared on each connection when first used, not registered with
 * mod_dbd: see statement() in testapi_database.c). */
int testapi_db_require_dbd(server_rec *s);

/* Acquires the request's connection (released when the request ends).
 * TESTAPI_DB_UNAVAILABLE also when the database's schema is older than
 * this module needs (testapi_schema_check.h). */
testapi_db_rc testapi_db_open(request_rec *r, testapi_db *db);

/* Runs a prepared select; every row must then be read to the end. */
testapi_db_rc testapi_db_select(testapi_db *db, const char *label,
                                apr_dbd_results_t **res, int nargs,
                                const char *const *args);

/*
 * Runs a statement composed at run time (testapi_result_sql.c) with typed
 * arguments (apr_dbd's binary form: %lld takes an apr_int64_t *, %lf a
 * double *, %s a char *).  It is prepared on this connection the first time
 * its label is used and kept with the connection, like the fixed ones.
 */
testapi_db_rc testapi_db_bselect(testapi_db *db, const char *label,
                                 const char *sql, apr_dbd_results_t **res,
                                 const void **args);

/* Called with each row of a select, in order; db->pool holds the row. */
typedef void testapi_row_fn(testapi_db *db, apr_dbd_row_t *row, void *ctx);

/*
 * The one loop over the rows of a select: hands each to fn, always to the
 * end, as the driver needs (a result whose rows are not all read is never
 * cleaned up).  TESTAPI_DB_ERROR (logged) when a row cannot be read.
 */
testapi_db_rc testapi_db_fetch(testapi_db *db, apr_dbd_results_t *res,
                               testapi_row_fn *fn, void *ctx);

/* Runs a prepared select and reads its rows with testapi_db_fetch. */
testapi_db_rc testapi_db_each(testapi_db *db, const char *label, int nargs,
                              const char *const *args, testapi_row_fn *fn,
                              void *ctx);

/*
 * A select of one row (at most): copies its first n columns into col[] (in
 * db->pool; NULL for SQL NULL).  Every col[] is NULL when there is no row.
 * testapi_db_one runs a prepared statement; testapi_db_fetch_one reads a
 * result already selected (a composed statement's).
 */
testapi_db_rc testapi_db_one(testapi_db *db, const char *label, int nargs,
                             const char *const *args, const char **col, int n);
testapi_db_rc testapi_db_fetch_one(testapi_db *db, apr_dbd_results_t *res,
                                   const char **col, int n);

/* Builds the JSON object of one row (the caller gets the reference). */
typedef json_object *testapi_row_json(testapi_db *db, apr_dbd_row_t *row);

/* Runs a prepared select and reads every row with fn into *list, a new
 * array owned by db->pool. */
testapi_db_rc testapi_db_rows(testapi_db *db, const char *label, int nargs,
                              const char *const *args, testapi_row_json *fn,
                              json_object **list);

/* The same for a select of at most one row: *found is its object (owned by
 * db->pool), or NULL when there is none. */
testapi_db_rc testapi_db_row(testapi_db *db, const char *label, int nargs,
                             const char *const *args, testapi_row_json *fn,
                             json_object **found);

/* GET of a list: {"<key>": [the rows of the select]}; HEAD: the headers
 * only, without running it.  Database failures answer 503 or 500. */
int testapi_db_send_list(request_rec *r, const char *key, const char *label,
                         int nargs, const char *const *args,
                         testapi_row_json *fn);

/* GET of one row: its object; DECLINED when there is none (the caller
 * says what was not found). */
int testapi_db_send_row(request_rec *r, const char *label, int nargs,
                        const char *const *args, testapi_row_json *fn);

/*
 * A create by POST (pods, projects, testcases): the insert's arguments are
 * the new row's _id, the body's fields (the first is the name, which ends
 * the href of the answer), the creation time, the path's parameters.
 */
typedef struct testapi_create {
    const testapi_field *fields;
    const char *insert; /* statement label */
    /* Answers 403: the name exists already (under parent, the path's
     * first parameter, or NULL). */
    int (*exists)(request_rec *r, const char *name, const char *parent);
    /* Answers an insert of no row: the parent the path names does not
     * exist (NULL where the insert always inserts a row). */
    int (*no_parent)(request_rec *r, const char *parent);
} testapi_create;

/* POST of a create: reads the fields (400), inserts them with a generated
 * _id and the creation time, and answers the href of the name (or 403,
 * 503, 500). */
int testapi_db_send_create(request_rec *r, const testapi_match *m,
                           const testapi_create *c);

/* Answers about the thing the path names (403, 404). */
typedef int testapi_answer_fn(request_rec *r, const testapi_match *m);

/* A DELETE of the thing the path names. */
typedef struct testapi_delete {
    const char *statement;         /* arguments: the path's parameters */
    testapi_answer_fn *referenced; /* 403: rows still refer to it */
    testapi_answer_fn *not_found;  /* 404 */
} testapi_delete;

/* DELETE: runs the statement and answers 200 with no body (or 403, 404,
 * 503, 500). */
int testapi_db_send_delete(request_rec *r, const testapi_match *m,
                           const testapi_delete *d);

/* Column n of a row as a string; NULL for SQL NULL. */
const char *testapi_db_col(testapi_db *db, apr_dbd_row_t *row, int n);

/* Column n of any length (a CLOB is read in bounded pieces, never cut at
 * the driver's fldsz); NULL for SQL NULL. */
const char *testapi_db_text(testapi_db *db, apr_dbd_row_t *row, int n,
                            apr_size_t *len);

/* Runs a prepared insert/update/delete; *nrows gets the rows changed. */
testapi_db_rc testapi_db_exec(testapi_db *db, const char *label, int *nrows,
                              int nargs, const char *const *args);

/*
 * Runs a prepared INSERT whose argument 0 is the new row's _id, made here
 * into oid (TESTAPI_ID_LEN + 1 bytes), and whose argument 'created', when
 * >= 0, is the time of creation in microseconds.  A duplicate on the
 * generated id is retried with a fresh one; TESTAPI_DB_DUPLICATE means a
 * duplicate on anything else ("already exists").
 */
testapi_db_rc testapi_db_insert(testapi_db *db, const char *label, int *nrows,
                                int nargs, const char **args, int created,
                                char *oid);

/* Answers a failed database call: 503 or 500 (already logged). */
int testapi_db_fail(testapi_db *db, testapi_db_rc rc);

/* Answers r with 503 and Retry-After for a database that request failed
 * found unavailable: its schema is behind (the message says what to run)
 * or it could not be reached. */
int testapi_db_send_unavailable(request_rec *r, request_rec *failed);

#endif
