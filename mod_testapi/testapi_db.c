#include <string.h>

#include <apr_optional.h>
#include <apr_strings.h>

#include "testapi_db.h"

/* MariaDB error numbers the module acts on. */
#define ER_DUP_ENTRY 1062
#define ER_ROW_IS_REFERENCED 1451
#define ER_LOCK_WAIT_TIMEOUT 1205
#define ER_LOCK_DEADLOCK 1213
#define CR_CONNECTION_ERROR 2002
#define CR_CONN_HOST_ERROR 2003
#define CR_SERVER_GONE_ERROR 2006
#define CR_SERVER_LOST 2013
#define CR_SERVER_LOST_EXTENDED 2055

typedef struct testapi_statement {
    const char *label;
    const char *sql;
} testapi_statement;

/*
 * Every statement of the module.  Placeholders are mod_dbd's (%s, %d,
 * ...); a literal percent sign would be %%.  Times are microseconds since
 * the epoch (UTC), formatted in C.
 */
static const testapi_statement testapi_statements[] = {
    {TESTAPI_SQL_POD_LIST,
     "SELECT oid, name, mode, details, role, created FROM pods ORDER BY id"},
    {TESTAPI_SQL_POD_GET, "SELECT oid, name, mode, details, role, created "
                          "FROM pods WHERE name = %s"},
    {TESTAPI_SQL_POD_INSERT,
     "INSERT INTO pods (oid, name, mode, details, role, created) "
     "VALUES (%s, %s, %s, %s, %s, %s)"},
    {TESTAPI_SQL_POD_DELETE, "DELETE FROM pods WHERE name = %s"},
    {NULL, NULL}};

int testapi_db_register(apr_pool_t *ptemp, server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *prepare =
        APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
    const testapi_statement *st;
    server_rec *sp;

    (void)ptemp;
    if (!prepare || !APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire)) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     TESTAPI_LOGNO(00001) "mod_dbd is not loaded: add "
                                          "'LoadModule dbd_module "
                                          "modules/mod_dbd.so'");
        return HTTP_INTERNAL_SERVER_ERROR;
    }
    /* Each virtual host prepares on its own pool of connections. */
    for (sp = s; sp; sp = sp->next) {
        for (st = testapi_statements; st->label; st++) {
            prepare(sp, st->sql, st->label);
        }
    }
    return OK;
}

/* The one place database failures are logged. */
static testapi_db_rc db_failed(testapi_db *db, int err, const char *what)
{
    const char *msg =
        db->dbd ? apr_dbd_error(db->dbd->driver, db->dbd->handle, err) : NULL;
    db->err = err;
    switch (err) {
    case ER_DUP_ENTRY:
        /* "Duplicate entry 'x' for key 'name'": keep the key's name. */
        db->errkey = msg ? strstr(msg, "for key '") : NULL;
        if (db->errkey) {
            db->errkey = apr_pstrndup(db->r->pool, db->errkey + 9,
                                      strcspn(db->errkey + 9, "'"));
        }
        return TESTAPI_DB_DUPLICATE;
    case ER_ROW_IS_REFERENCED:
        return TESTAPI_DB_REFERENCED;
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_DEADLOCK:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                      TESTAPI_LOGNO(00002) "%s: database unavailable "
                                           "(%d): %s",
                      what, err, msg ? msg : "no message");
        return TESTAPI_DB_UNAVAILABLE;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                      TESTAPI_LOGNO(00003) "%s failed (%d): %s", what, err,
                      msg ? msg : "no message");
        return TESTAPI_DB_ERROR;
    }
}

testapi_db_rc testapi_db_open(request_rec *r, testapi_db *db)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire =
        APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);

    memset(db, 0, sizeof(*db));
    db->r = r;
    db->dbd = acquire ? acquire(r) : NULL;
    if (!db->dbd) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      TESTAPI_LOGNO(00004) "no database connection (see "
                                           "mod_dbd's messages above)");
        return TESTAPI_DB_UNAVAILABLE;
    }
    return TESTAPI_DB_OK;
}

static apr_dbd_prepared_t *statement(testapi_db *db, const char *label)
{
    apr_dbd_prepared_t *stmt =
        apr_hash_get(db->dbd->prepared, label, APR_HASH_KEY_STRING);
    if (!stmt) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                      TESTAPI_LOGNO(00005) "statement %s is not prepared on "
                                           "this connection",
                      label);
    }
    return stmt;
}

testapi_db_rc testapi_db_select(testapi_db *db, const char *label,
                                apr_dbd_results_t **res, int nargs,
                                const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(db, label);
    int rv;

    *res = NULL;
    if (!stmt) {
        return TESTAPI_DB_ERROR;
    }
    rv = apr_dbd_pselect(db->dbd->driver, db->r->pool, db->dbd->handle, res,
                         stmt, 0, nargs, (const char **)args);
    return rv ? db_failed(db, rv, label) : TESTAPI_DB_OK;
}

int testapi_db_next(testapi_db *db, apr_dbd_results_t *res, apr_dbd_row_t **row)
{
    int rv;

    *row = NULL;
    rv = apr_dbd_get_row(db->dbd->driver, db->r->pool, res, row, -1);
    if (rv == -1) {
        return 0;
    }
    if (rv != 0) {
        db_failed(db, rv, "reading a row");
        return -1;
    }
    return 1;
}

const char *testapi_db_col(testapi_db *db, apr_dbd_row_t *row, int n)
{
    return apr_dbd_get_entry(db->dbd->driver, row, n);
}

testapi_db_rc testapi_db_exec(testapi_db *db, const char *label, int *nrows,
                              int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt = statement(db, label);
    int rv;

    *nrows = 0;
    if (!stmt) {
        return TESTAPI_DB_ERROR;
    }
    rv = apr_dbd_pquery(db->dbd->driver, db->r->pool, db->dbd->handle, nrows,
                        stmt, nargs, (const char **)args);
    return rv ? db_failed(db, rv, label) : TESTAPI_DB_OK;
}

int testapi_db_dup_id(const testapi_db *db)
{
    return db->err == ER_DUP_ENTRY && db->errkey && !strcmp(db->errkey, "oid");
}

int testapi_db_fail(testapi_db *db, testapi_db_rc rc)
{
    if (rc == TESTAPI_DB_UNAVAILABLE) {
        apr_table_setn(db->r->err_headers_out, "Retry-After", "5");
        return testapi_send_error(db->r, HTTP_SERVICE_UNAVAILABLE,
                                  "database unavailable, try again later");
    }
    return testapi_send_error(db->r, HTTP_INTERNAL_SERVER_ERROR,
                              "internal error (logged on the server)");
}
