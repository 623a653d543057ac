#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

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
    return testapi_admin_fail(TESTAPI_ADMIN_DB, "%s: %s", what,
                              apr_dbd_error(db->driver, db->handle, rv));
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

int testapi_admin_select(testapi_admin_db *db, const char *sql, int nargs,
                         const char *const *args, apr_dbd_results_t **res)
{
    apr_dbd_prepared_t *stmt = NULL; /* the driver allocates only when NULL */
    int rv;

    *res = NULL;
    if ((rv = apr_dbd_prepare(db->driver, db->pool, db->handle, sql, NULL,
                              &stmt)) != 0) {
        return rv;
    }
    return apr_dbd_pselect(db->driver, db->pool, db->handle, res, stmt, 0,
                           nargs, (const char **)args);
}

int testapi_admin_value(testapi_admin_db *db, const char *sql, int nargs,
                        const char *const *args, const char **value)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    int rv;

    *value = NULL;
    if ((rv = testapi_admin_select(db, sql, nargs, args, &res)) != 0) {
        return rv;
    }
    while ((rv = apr_dbd_get_row(db->driver, db->pool, res, &row, -1)) == 0) {
        *value = apr_dbd_get_entry(db->driver, row, 0);
    }
    return rv == -1 ? 0 : rv;
}

int testapi_admin_schema_of(testapi_admin_db *db, int *version)
{
    apr_dbd_results_t *res;
    apr_dbd_row_t *row = NULL;
    const char *value;
    int rv, versioned = 0, tables = 0;

    *version = 0;
    rv = testapi_admin_select(
        db,
        "SELECT COALESCE(SUM(table_name = 'schema_version'), 0), COUNT(*) "
        "FROM information_schema.tables WHERE table_schema = DATABASE()",
        0, NULL, &res);
    if (rv) {
        return rv;
    }
    while ((rv = apr_dbd_get_row(db->driver, db->pool, res, &row, -1)) == 0) {
        versioned = atoi(apr_dbd_get_entry(db->driver, row, 0));
        tables = atoi(apr_dbd_get_entry(db->driver, row, 1));
    }
    if (rv != -1) {
        return rv;
    }
    if (!versioned) {
        *version = tables ? 1 : 0;
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
