/*
 * testapi-admin's database, for its operations commands (schema, purge,
 * dump, restore): the open connection, statements run through the driver's
 * prepared statements (every SQL text a literal of the caller; values only
 * as arguments), one row loop, failures said on standard error, the exit
 * statuses, and the schema version of the database.
 */
#ifndef TESTAPI_ADMIN_DATABASE_H
#define TESTAPI_ADMIN_DATABASE_H

#include <apr_dbd.h>
#include <apr_pools.h>

/* Exit statuses (as testapi-admin --help lists them). */
enum {
    TESTAPI_ADMIN_DONE = 0,
    TESTAPI_ADMIN_REFUSED = 1, /* also: schema status of a database behind */
    TESTAPI_ADMIN_USAGE = 2,
    TESTAPI_ADMIN_DB = 3 /* the database cannot be reached or fails */
};

/* MariaDB error numbers the commands act on. */
#define TESTAPI_ER_DUP_ENTRY 1062
#define TESTAPI_ER_LOCK_WAIT_TIMEOUT 1205
#define TESTAPI_ER_LOCK_DEADLOCK 1213

typedef struct testapi_admin_db {
    apr_pool_t *pool;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
} testapi_admin_db;

/* "testapi-admin: <what>" on standard error; returns status. */
int testapi_admin_fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* "testapi-admin: <what>: <the driver's message>"; returns
 * TESTAPI_ADMIN_DB. */
int testapi_admin_db_error(testapi_admin_db *db, int rv, const char *what);

/* Runs a statement that changes rows; the driver's error number or 0. */
int testapi_admin_exec(testapi_admin_db *db, const char *sql, int *nrows,
                       int nargs, const char *const *args);

/* What testapi_admin_each hands each row to. */
typedef void testapi_admin_row_fn(testapi_admin_db *db, apr_dbd_row_t *row,
                                  void *ctx);

/* The one row loop: runs a select and hands every row to fn, always to
 * the end (the driver needs every row read).  The driver's error number or
 * 0. */
int testapi_admin_each(testapi_admin_db *db, const char *sql, int nargs,
                       const char *const *args, testapi_admin_row_fn *fn,
                       void *ctx);

/* The first column of the last row of a select (NULL when it has no row or
 * it is SQL NULL), in *value; the driver's error number or 0. */
int testapi_admin_value(testapi_admin_db *db, const char *sql, int nargs,
                        const char *const *args, const char **value);

/* Column n of a row, copied (rows do not outlive the next one); NULL for
 * SQL NULL. */
const char *testapi_admin_col(testapi_admin_db *db, apr_dbd_row_t *row, int n);

/*
 * *s: db with a pool of its own (a child of db's), for the statements and
 * rows of one piece of work; apr_pool_destroy(s->pool) when it is done
 * closes the driver's statements (each call prepares its own), of which
 * MariaDB keeps at most max_prepared_stmt_count open over all connections:
 * work that runs a statement per batch or per row uses one per batch or
 * row.
 */
void testapi_admin_scratch(const testapi_admin_db *db, testapi_admin_db *s);

/* The database's schema version: 0 when it holds no table of the module
 * yet, 1 when it has tables but no schema_version table; the driver's
 * error number or 0. */
int testapi_admin_schema_of(testapi_admin_db *db, int *version);

/* TESTAPI_ADMIN_DONE when the database's schema is at least the one this
 * testapi-admin knows, else why not (said on standard error). */
int testapi_admin_schema_needed(testapi_admin_db *db);

#endif
