#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <apr_strings.h>

#include "tools/testapi_admin_database.h"
#include "core/testapi_schema.h"

int testapi_admin_fail(int status, const char *fmt, ...)
{
    va_list ap;

    fflush(stdout); /* what was done comes before what went wrong */
    fputs("testapi-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

int testapi_admin_db_error(testapi_admin_db *db, int rv, const char *what)
{
    const char *msg = apr_dbd_error(db->driver, db->handle, rv);

    /* A statement that failed to prepare leaves no message on the
     * connection: its number at least. */
    return msg && *msg
               ? testapi_admin_fail(TESTAPI_ADMIN_DB, "%s: %s", what, msg)
               : testapi_admin_fail(TESTAPI_ADMIN_DB, "%s: error %d", what, rv);
}

int testapi_admin_exec(testapi_admin_db *db, const char *sql, int *nrows,
                       int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt = NULL; /* the driver allocates only when NULL */
    int rv;

    *nrows = 0;
    if ((rv = apr_dbd_prepare(db->driver, db->pool, db->handle, sql, NULL,
                              &stmt)) != 0) {
        return rv;
    }
    return apr_dbd_pquery(db->driver, db->pool, db->handle, nrows, stmt, nargs,
                          (const char **)args);
}

int testapi_admin_each(testapi_admin_db *db, const char *sql, int nargs,
                       const char *const *args, testapi_admin_row_fn *fn,
                       void *ctx)
{
    apr_dbd_prepared_t *stmt = NULL; /* the driver allocates only when NULL */
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv;

    if ((rv = apr_dbd_prepare(db->driver, db->pool, db->handle, sql, NULL,
                              &stmt)) != 0 ||
        (rv = apr_dbd_pselect(db->driver, db->pool, db->handle, &res, stmt, 0,
                              nargs, (const char **)args)) != 0) {
        return rv;
    }
    while ((rv = apr_dbd_get_row(db->driver, db->pool, res, &row, -1)) == 0) {
        fn(db, row, ctx);
        row = NULL;
    }
    return rv == -1 ? 0 : rv;
}

const char *testapi_admin_col(testapi_admin_db *db, apr_dbd_row_t *row, int n)
{
    const char *v = apr_dbd_get_entry(db->driver, row, n);
    return v ? apr_pstrdup(db->pool, v) : NULL;
}

static void first_column(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    *(const char **)ctx = testapi_admin_col(db, row, 0);
}

int testapi_admin_value(testapi_admin_db *db, const char *sql, int nargs,
                        const char *const *args, const char **value)
{
    *value = NULL;
    return testapi_admin_each(db, sql, nargs, args, first_column, value);
}

/* The number of tables of the database, and of schema_version tables. */
static void count_tables(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    int *n = ctx;
    n[0] = atoi(apr_dbd_get_entry(db->driver, row, 0));
    n[1] = atoi(apr_dbd_get_entry(db->driver, row, 1));
}

void testapi_admin_scratch(const testapi_admin_db *db, testapi_admin_db *s)
{
    *s = *db;
    apr_pool_create(&s->pool, db->pool);
}

int testapi_admin_schema_of(testapi_admin_db *db, int *version)
{
    const char *value;
    int rv, n[2] = {0, 0}; /* tables, schema_version tables */

    *version = 0;
    if ((rv = testapi_admin_each(
             db,
             "SELECT COUNT(*), COALESCE(SUM(table_name = 'schema_version'), 0) "
             "FROM information_schema.tables WHERE table_schema = DATABASE()",
             0, NULL, count_tables, n)) != 0) {
        return rv;
    }
    if (!n[1]) {
        *version = n[0] ? 1 : 0;
        return 0;
    }
    if ((rv = testapi_admin_value(
             db, "SELECT COALESCE(MAX(version), 1) FROM schema_version", 0,
             NULL, &value)) != 0) {
        return rv;
    }
    *version = value ? atoi(value) : 1;
    return 0;
}

int testapi_admin_schema_needed(testapi_admin_db *db)
{
    int version, rv;

    if ((rv = testapi_admin_schema_of(db, &version)) != 0) {
        return testapi_admin_db_error(db, rv, "reading the schema version");
    }
    if (version == 0) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "the database has no tables: make it with "
                                  "sql/schema.sql first");
    }
    if (version < TESTAPI_SCHEMA_VERSION) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "the database's schema is at version %d, "
                                  "this testapi-admin needs version %d: run "
                                  "testapi-admin schema upgrade first",
                                  version, TESTAPI_SCHEMA_VERSION);
    }
    return TESTAPI_ADMIN_DONE;
}
