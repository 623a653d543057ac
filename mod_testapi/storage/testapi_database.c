#include <string.h>

#include <apr_atomic.h>
#include <apr_optional.h>
#include <apr_strings.h>

#include "storage/testapi_database.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "core/testapi_result_sql.h"
#include "storage/testapi_schema_check.h"

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
    /* projects and testcases */
    {TESTAPI_SQL_PROJECT_LIST, "SELECT oid, name, description, created "
                               "FROM projects ORDER BY id"},
    {TESTAPI_SQL_PROJECT_GET, "SELECT oid, name, description, created "
                              "FROM projects WHERE name = %s"},
    {TESTAPI_SQL_PROJECT_GET_OID, "SELECT oid, name, description, created "
                                  "FROM projects WHERE oid = %s"},
    {TESTAPI_SQL_PROJECT_INSERT,
     "INSERT INTO projects (oid, name, description, created) "
     "VALUES (%s, %s, %s, %s)"},
    /* Arguments: name, description (NULL: keep), oid, current name. */
    {TESTAPI_SQL_PROJECT_UPDATE,
     "UPDATE projects SET name = COALESCE(%s, name), "
     "description = COALESCE(%s, description) WHERE oid = %s AND name = %s"},
    {TESTAPI_SQL_PROJECT_DELETE, "DELETE FROM projects WHERE name = %s"},
    {TESTAPI_SQL_TESTCASE_LIST,
     "SELECT t.oid, t.name, p.name, t.description, t.url, t.created "
     "FROM testcases t JOIN projects p ON p.id = t.project_id "
     "WHERE p.name = %s ORDER BY t.id"},
    {TESTAPI_SQL_TESTCASE_GET,
     "SELECT t.oid, t.name, p.name, t.description, t.url, t.created "
     "FROM testcases t JOIN projects p ON p.id = t.project_id "
     "WHERE p.name = %s AND t.name = %s"},
    {TESTAPI_SQL_TESTCASE_GET_OID,
     "SELECT t.oid, t.name, p.name, t.description, t.url, t.created "
     "FROM testcases t JOIN projects p ON p.id = t.project_id "
     "WHERE t.oid = %s"},
    /* No row inserted: the project does not exist (checked atomically). */
    {TESTAPI_SQL_TESTCASE_INSERT,
     "INSERT INTO testcases (oid, project_id, name, description, url, "
     "created) SELECT %s, id, %s, %s, %s, %s FROM projects WHERE name = %s"},
    /* Arguments: destination project, name, description, url (NULL: keep),
     * oid, current project, current name.  One statement: a move cascades
     * to the results' project_id (foreign key ON UPDATE CASCADE). */
    {TESTAPI_SQL_TESTCASE_UPDATE,
     "UPDATE testcases t JOIN projects s ON s.id = t.project_id "
     "JOIN projects d ON d.name = %s "
     "SET t.project_id = d.id, t.name = COALESCE(%s, t.name), "
     "t.description = COALESCE(%s, t.description), "
     "t.url = COALESCE(%s, t.url) "
     "WHERE t.oid = %s AND s.name = %s AND t.name = %s"},
    /* Arguments: project, name (the path's order). */
    {TESTAPI_SQL_TESTCASE_DELETE,
     "DELETE FROM testcases WHERE "
     "project_id = (SELECT id FROM projects WHERE name = %s) AND name = %s"},
    /* results */
    /* One statement: the references are found and locked as the row goes
     * in, so a concurrent delete or rename cannot slip in between. */
    {TESTAPI_SQL_RESULT_INSERT,
     "INSERT INTO results (oid, pod_id, testcase_id, project_id, installer, "
     "version, scenario, build_tag, criteria, start_date, stop_date, t, "
     "trust_current, trust, details) "
     "SELECT %s, pd.id, tc.id, tc.project_id, %s, %s, %s, %s, %s, %s, %s, %s, "
     "%s, %s, %s "
     "FROM pods pd, testcases tc JOIN projects pr ON pr.id = tc.project_id "
     "WHERE pd.name = %s AND pr.name = %s AND tc.name = %s"},
    {TESTAPI_SQL_RESULT_REFS,
     "SELECT (SELECT COUNT(*) FROM pods WHERE name = %s), "
     "(SELECT COUNT(*) FROM projects WHERE name = %s), "
     "(SELECT COUNT(*) FROM testcases tc JOIN projects pr "
     "ON pr.id = tc.project_id WHERE pr.name = %s AND tc.name = %s)"},
    {TESTAPI_SQL_RESULT_TRUST, "SELECT trust FROM results WHERE oid = %s"},
    {TESTAPI_SQL_RESULT_SET_TRUST,
     "UPDATE results SET trust_current = %s, trust = %s WHERE oid = %s"},
    /* accounts and grants (testapi_auth.c).  Arguments of both: project
     * (NULL: none), account.  Columns: (the bcrypt hash), admin, granted
     * that project, granted any project: authentication reads the rights
     * in the same statement as the hash. */
    {TESTAPI_SQL_ACCOUNT_GET,
     "SELECT a.password, a.admin, EXISTS (SELECT 1 FROM grants g JOIN "
     "projects p ON p.id = g.project_id WHERE g.account = a.name AND "
     "p.name = %s), EXISTS (SELECT 1 FROM grants g WHERE g.account = a.name) "
     "FROM accounts a WHERE a.name = %s"},
    /* For accounts that another provider authenticated. */
    {TESTAPI_SQL_ACCOUNT_RIGHTS,
     "SELECT a.admin, EXISTS (SELECT 1 FROM grants g JOIN projects p "
     "ON p.id = g.project_id WHERE g.account = a.name AND p.name = %s), "
     "EXISTS (SELECT 1 FROM grants g WHERE g.account = a.name) "
     "FROM accounts a WHERE a.name = %s"},
    {TESTAPI_SQL_GRANT_GET,
     "SELECT COUNT(*) FROM grants g JOIN projects p ON p.id = g.project_id "
     "WHERE g.account = %s AND p.name = %s"},
    {TESTAPI_SQL_RESULT_PROJECT,
     "SELECT p.name FROM results r JOIN testcases t ON t.id = r.testcase_id "
     "JOIN projects p ON p.id = t.project_id WHERE r.oid = %s"},
    /* the schema version (testapi_schema_check.c): a database without the
     * table is at version 1 */
    {TESTAPI_SQL_SCHEMA_TABLE,
     "SELECT COUNT(*) FROM information_schema.tables "
     "WHERE table_schema = DATABASE() AND table_name = 'schema_version'"},
    {TESTAPI_SQL_SCHEMA_VERSION,
     "SELECT COALESCE(MAX(version), 1) FROM schema_version"},
    {NULL, NULL}};

int testapi_db_require_dbd(server_rec *s)
{
    if (!APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare) ||
        !APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire)) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, 0, s,
                     TESTAPI_LOGNO(00001) "mod_dbd is not loaded: add "
                                          "'LoadModule dbd_module "
                                          "modules/mod_dbd.so'");
        return HTTP_INTERNAL_SERVER_ERROR;
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

/*
 * Connections that sat idle in mod_dbd's pool while the database restarted
 * are dead.  mod_dbd finds that out one per acquire: its ping fails, it
 * drops the connection and returns NULL, which it does not remember for the
 * request, so acquiring again takes the next pooled connection or opens a
 * new one.  Try again rather than answer 503 once per dead connection while
 * the database is back.  A dead connection fails at once: stop after
 * ACQUIRE_BUDGET (a host that does not answer can take long to refuse).
 * Once this process found the database down, try only once per request
 * until it comes back (every try logs mod_dbd's errors).
 */
#define ACQUIRE_TRIES 32
#define ACQUIRE_BUDGET apr_time_from_msec(500)

testapi_db_rc testapi_db_open(request_rec *r, testapi_db *db)
{
    APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *acquire =
        APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
    testapi_srv_conf *conf =
        ap_get_module_config(r->server->module_config, &testapi_module);
    apr_uint32_t *down = conf->db_down;
    apr_time_t start = apr_time_now();
    int tries = (down && apr_atomic_read32(down)) ? 1 : ACQUIRE_TRIES;

    memset(db, 0, sizeof(*db));
    db->r = r;
    db->pool = r->pool;
    while (acquire && !db->dbd && tries-- > 0 &&
           apr_time_now() - start < ACQUIRE_BUDGET) {
        db->dbd = acquire(r);
    }
    if (down && apr_atomic_read32(down) != (db->dbd == NULL)) {
        apr_atomic_set32(down, db->dbd == NULL);
    }
    if (!db->dbd) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      TESTAPI_LOGNO(00004) "no database connection (see "
                                           "mod_dbd's messages above)");
        return TESTAPI_DB_UNAVAILABLE;
    }
    return testapi_schema_ready(db);
}

/* The statement under label on this connection, prepared from sql the
 * first time; kept as long as the connection, like mod_dbd's own. */
static testapi_db_rc prepared(testapi_db *db, const char *label,
                              const char *sql, apr_dbd_prepared_t **stmt)
{
    const char *key;
    int rv;

    *stmt = apr_hash_get(db->dbd->prepared, label, APR_HASH_KEY_STRING);
    if (*stmt) {
        return TESTAPI_DB_OK;
    }
    key = apr_pstrdup(db->dbd->pool, label);
    rv = apr_dbd_prepare(db->dbd->driver, db->dbd->pool, db->dbd->handle, sql,
                         key, stmt);
    if (rv) {
        *stmt = NULL;
        return db_failed(db, rv, label);
    }
    apr_hash_set(db->dbd->prepared, key, APR_HASH_KEY_STRING, *stmt);
    return TESTAPI_DB_OK;
}

/*
 * A statement of the table, prepared on the connection when it is first
 * used there, not by mod_dbd as it opens the connection (ap_dbd_prepare):
 * mod_dbd drops a connection on which any statement fails to prepare, so
 * a database whose schema is older than the statements (a column they
 * name is missing) would look unreachable instead of answering that it
 * needs an upgrade (testapi_schema_check.c).
 */
static testapi_db_rc statement(testapi_db *db, const char *label,
                               apr_dbd_prepared_t **stmt)
{
    const testapi_statement *st;

    *stmt = apr_hash_get(db->dbd->prepared, label, APR_HASH_KEY_STRING);
    if (*stmt) {
        return TESTAPI_DB_OK;
    }
    for (st = testapi_statements; st->label; st++) {
        if (!strcmp(st->label, label)) {
            return prepared(db, label, st->sql, stmt);
        }
    }
    if (!strcmp(label, TESTAPI_SQL_RESULT_GET)) {
        /* Composed from the same fragments as the result lists. */
        const char *result_get =
            testapi_rsql(db->dbd->pool, 0, TESTAPI_RSQL_BY_ID);
        return prepared(db, label, result_get, stmt);
    }
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                  TESTAPI_LOGNO(00005) "no statement %s", label);
    return TESTAPI_DB_ERROR;
}

testapi_db_rc testapi_db_select(testapi_db *db, const char *label,
                                apr_dbd_results_t **res, int nargs,
                                const char *const *args)
{
    apr_dbd_prepared_t *stmt;
    testapi_db_rc rc;
    int rv;

    *res = NULL;
    if ((rc = statement(db, label, &stmt)) != TESTAPI_DB_OK) {
        return rc;
    }
    rv = apr_dbd_pselect(db->dbd->driver, db->pool, db->dbd->handle, res, stmt,
                         0, nargs, (const char **)args);
    return rv ? db_failed(db, rv, label) : TESTAPI_DB_OK;
}

testapi_db_rc testapi_db_fetch(testapi_db *db, apr_dbd_results_t *res,
                               testapi_row_fn *fn, void *ctx)
{
    apr_dbd_row_t *row = NULL;
    int rv;

    while ((rv = apr_dbd_get_row(db->dbd->driver, db->pool, res, &row, -1)) ==
           0) {
        fn(db, row, ctx);
        row = NULL;
    }
    if (rv != -1) {
        db_failed(db, rv, "reading a row");
        return TESTAPI_DB_ERROR;
    }
    return TESTAPI_DB_OK;
}

testapi_db_rc testapi_db_each(testapi_db *db, const char *label, int nargs,
                              const char *const *args, testapi_row_fn *fn,
                              void *ctx)
{
    apr_dbd_results_t *res;
    testapi_db_rc rc;

    if ((rc = testapi_db_select(db, label, &res, nargs, args)) !=
        TESTAPI_DB_OK) {
        return rc;
    }
    return testapi_db_fetch(db, res, fn, ctx);
}

/* Where testapi_db_fetch_one copies to. */
typedef struct columns {
    const char **col;
    int n;
    int seen;
} columns;

static void copy_columns(testapi_db *db, apr_dbd_row_t *row, void *ctx)
{
    columns *c = ctx;
    int i;

    if (c->seen++) {
        return;
    }
    /* The driver reuses its buffers for the next row: copy. */
    for (i = 0; i < c->n; i++) {
        c->col[i] = apr_pstrdup(db->pool, testapi_db_col(db, row, i));
    }
}

testapi_db_rc testapi_db_fetch_one(testapi_db *db, apr_dbd_results_t *res,
                                   const char **col, int n)
{
    columns c = {col, n, 0};

    memset(col, 0, n * sizeof(*col));
    return testapi_db_fetch(db, res, copy_columns, &c);
}

testapi_db_rc testapi_db_one(testapi_db *db, const char *label, int nargs,
                             const char *const *args, const char **col, int n)
{
    columns c = {col, n, 0};

    memset(col, 0, n * sizeof(*col));
    return testapi_db_each(db, label, nargs, args, copy_columns, &c);
}

/* Where read_rows puts the objects: into an array, or keeping the first. */
typedef struct json_rows {
    testapi_row_json *fn;
    json_object *list;
    json_object **first;
} json_rows;

static void json_row(testapi_db *db, apr_dbd_row_t *row, void *ctx)
{
    json_rows *j = ctx;

    if (j->list) {
        json_object_array_add(j->list, j->fn(db, row));
    } else if (!*j->first) {
        *j->first = testapi_json_own(db->pool, j->fn(db, row));
    }
}

/* Reads every row with fn: into an array, or keeping the first object. */
static testapi_db_rc read_rows(testapi_db *db, const char *label, int nargs,
                               const char *const *args, testapi_row_json *fn,
                               json_object *list, json_object **first)
{
    json_rows j = {fn, list, first};

    return testapi_db_each(db, label, nargs, args, json_row, &j);
}

testapi_db_rc testapi_db_rows(testapi_db *db, const char *label, int nargs,
                              const char *const *args, testapi_row_json *fn,
                              json_object **list)
{
    *list = testapi_json_array(db->pool);
    return read_rows(db, label, nargs, args, fn, *list, NULL);
}

testapi_db_rc testapi_db_row(testapi_db *db, const char *label, int nargs,
                             const char *const *args, testapi_row_json *fn,
                             json_object **found)
{
    *found = NULL;
    return read_rows(db, label, nargs, args, fn, NULL, found);
}

int testapi_db_send_list(request_rec *r, const char *key, const char *label,
                         int nargs, const char *const *args,
                         testapi_row_json *fn)
{
    json_object *root, *list;
    testapi_db db;
    testapi_db_rc rc;

    if (r->header_only) {
        return testapi_send_head(r);
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = testapi_db_rows(&db, label, nargs, args, fn, &list)) !=
            TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    root = testapi_json_object(r->pool);
    json_object_object_add(root, key, json_object_get(list));
    return testapi_send_json(r, HTTP_OK, root);
}

int testapi_db_send_row(request_rec *r, const char *label, int nargs,
                        const char *const *args, testapi_row_json *fn)
{
    json_object *found;
    testapi_db db;
    testapi_db_rc rc;

    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = testapi_db_row(&db, label, nargs, args, fn, &found)) !=
            TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    return found ? testapi_send_json(r, HTTP_OK, found) : DECLINED;
}

int testapi_db_send_create(request_rec *r, const testapi_match *m,
                           const testapi_create *c)
{
    const char **args, *parent = m->nparams > 0 ? m->param[0] : NULL;
    char oid[TESTAPI_ID_LEN + 1];
    json_object *body;
    testapi_db db;
    testapi_db_rc rc;
    int nfields = 0, nargs, created, ret, nrows, i;

    while (c->fields[nfields].key) {
        nfields++;
    }
    /* _id, the fields, created, the path's parameters */
    created = 1 + nfields;
    nargs = created + 1 + m->nparams;
    args = apr_pcalloc(r->pool, nargs * sizeof(*args));
    if (!testapi_read_fields(r, c->fields, args + 1, &body, &ret)) {
        return ret;
    }
    for (i = 0; i < m->nparams; i++) {
        args[created + 1 + i] = m->param[i];
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    rc = testapi_db_insert(&db, c->insert, &nrows, nargs, args, created, oid);
    if (rc == TESTAPI_DB_DUPLICATE) {
        return c->exists(r, args[1], parent);
    }
    if (rc != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (nrows == 0 && c->no_parent) {
        return c->no_parent(r, parent);
    }
    return testapi_send_href(r, args[1]);
}

int testapi_db_send_delete(request_rec *r, const testapi_match *m,
                           const testapi_delete *d)
{
    testapi_db db;
    testapi_db_rc rc;
    int nrows;

    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    rc = testapi_db_exec(&db, d->statement, &nrows, m->nparams, m->param);
    if (rc == TESTAPI_DB_REFERENCED) {
        return d->referenced(r, m);
    }
    if (rc != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    return nrows > 0 ? testapi_send_empty(r, HTTP_OK) : d->not_found(r, m);
}

const char *testapi_db_col(testapi_db *db, apr_dbd_row_t *row, int n)
{
    return apr_dbd_get_entry(db->dbd->driver, row, n);
}

testapi_db_rc testapi_db_bselect(testapi_db *db, const char *label,
                                 const char *sql, apr_dbd_results_t **res,
                                 const void **args)
{
    apr_dbd_prepared_t *stmt;
    testapi_db_rc rc;
    int rv;

    *res = NULL;
    if ((rc = prepared(db, label, sql, &stmt)) != TESTAPI_DB_OK) {
        return rc;
    }
    rv = apr_dbd_pbselect(db->dbd->driver, db->pool, db->dbd->handle, res, stmt,
                          0, args);
    return rv ? db_failed(db, rv, label) : TESTAPI_DB_OK;
}

const char *testapi_db_text(testapi_db *db, apr_dbd_row_t *row, int n,
                            apr_size_t *len)
{
    apr_bucket_brigade *bb =
        apr_brigade_create(db->pool, db->r->connection->bucket_alloc);
    char *text;

    *len = 0;
    if (apr_dbd_datum_get(db->dbd->driver, row, n, APR_DBD_TYPE_CLOB, bb) !=
            APR_SUCCESS ||
        apr_brigade_pflatten(bb, &text, len, db->pool) != APR_SUCCESS) {
        apr_brigade_destroy(bb);
        return NULL;
    }
    apr_brigade_destroy(bb);
    return text;
}

/*
 * Writes that race for the same rows (a result insert locking its pod,
 * testcase and project while a rename or a move updates them) can deadlock;
 * InnoDB then rolls one statement back whole.  Every statement runs on its
 * own (autocommit), so running the victim again is safe.
 */
#define DEADLOCK_TRIES 6

testapi_db_rc testapi_db_exec(testapi_db *db, const char *label, int *nrows,
                              int nargs, const char *const *args)
{
    apr_dbd_prepared_t *stmt;
    testapi_db_rc rc;
    int rv, tries = 0;

    *nrows = 0;
    if ((rc = statement(db, label, &stmt)) != TESTAPI_DB_OK) {
        return rc;
    }
    for (;;) {
        rv = apr_dbd_pquery(db->dbd->driver, db->pool, db->dbd->handle, nrows,
                            stmt, nargs, (const char **)args);
        if (rv != ER_LOCK_DEADLOCK || ++tries >= DEADLOCK_TRIES) {
            break;
        }
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, db->r,
                      TESTAPI_LOGNO(00300) "%s: deadlock, running it again "
                                           "(%d)",
                      label, tries);
        /* Two writers that deadlocked and run again at once meet again
         * (seen: a testcase move cascading to its results, racing result
         * POSTs, lost three times within 3 ms).  Wait a little longer
         * each time, with jitter from the clock: 35 ms in all at most. */
        apr_sleep(apr_time_from_msec(2 * tries) + apr_time_now() % 1000);
    }
    return rv ? db_failed(db, rv, label) : TESTAPI_DB_OK;
}

/* Was the last duplicate on a generated id (a retry, not "exists")? */
static int dup_on_id(const testapi_db *db)
{
    return db->err == ER_DUP_ENTRY && db->errkey && !strcmp(db->errkey, "oid");
}

testapi_db_rc testapi_db_insert(testapi_db *db, const char *label, int *nrows,
                                int nargs, const char **args, int created,
                                char *oid)
{
    testapi_db_rc rc;
    int tries = 0;

    args[0] = oid;
    do {
        apr_time_t now = apr_time_now();
        testapi_id_make(testapi_idgen_of(db->r), now, oid);
        if (created >= 0) {
            args[created] = apr_off_t_toa(db->pool, (apr_off_t)now);
        }
        rc = testapi_db_exec(db, label, nrows, nargs, args);
    } while (rc == TESTAPI_DB_DUPLICATE && dup_on_id(db) && ++tries < 3);
    if (rc == TESTAPI_DB_DUPLICATE && dup_on_id(db)) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                      TESTAPI_LOGNO(00008) "%s: generated ids collided %d "
                                           "times",
                      label, tries);
        return TESTAPI_DB_ERROR;
    }
    return rc;
}

int testapi_db_send_unavailable(request_rec *r, request_rec *failed)
{
    const char *behind = testapi_schema_behind(failed);

    apr_table_setn(r->err_headers_out, "Retry-After", "5");
    return testapi_send_error(r, HTTP_SERVICE_UNAVAILABLE, "%s",
                              behind ? behind
                                     : "database unavailable, try again later");
}

int testapi_db_fail(testapi_db *db, testapi_db_rc rc)
{
    if (rc == TESTAPI_DB_UNAVAILABLE) {
        return testapi_db_send_unavailable(db->r, db->r);
    }
    return testapi_send_error(db->r, HTTP_INTERNAL_SERVER_ERROR,
                              "internal error (logged on the server)");
}
