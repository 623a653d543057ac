/*
 * Accounts and rights, through Apache's own auth framework.
 *
 * "AuthBasicProvider testapi": the account's bcrypt hash is read over the
 * request's mod_dbd connection on every request (so that a changed
 * password or a removed account counts at once), with the account's rights
 * for "Require testapi-project" in the same statement, and a successful
 * verification is remembered for TestAPIAuthCacheTTL seconds in this
 * process's cache (testapi_verification_cache.c), keyed by the credentials and
 * that hash: a client sending the same credentials with every request pays for
 * bcrypt once per lifetime of an entry.
 *
 * "Require testapi-project": admins may write everything; another account
 * may write the testcases of the projects it is granted, and results of
 * them.  A result's project is in the body, which no authorization
 * provider can see: the provider lets any account with a grant through
 * and notes that the handler must check (testapi_auth_project).
 *
 * Refusals and a database that cannot be reached leave notes that the
 * JSON error document turns into a clear 403 and into the contract's 503.
 *
 * Failures are logged by testapi_database.c (TESTAPI00002..5) and by
 * mod_auth_basic and mod_authz_core; the range TESTAPI00100..00149 belongs to
 * accounts and audit (00100 in mod_testapi.c, 00110 in testapi_audit.c).
 */
#include <stdarg.h>

#include <apr_md5.h>
#include <apr_strings.h>
#include <ap_provider.h>
#include <mod_auth.h>

#include "httpd/testapi_auth.h"
#include "storage/testapi_database.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "httpd/testapi_route_table.h"

/* The database failed while checking: 503 (through the note) or 500. */
static void note_db_failure(request_rec *r, testapi_db_rc rc)
{
    if (rc == TESTAPI_DB_UNAVAILABLE) {
        apr_table_setn(r->notes, TESTAPI_NOTE_DB_DOWN, "1");
    }
}

/* The project whose grant writing needs (the path's), or NULL. */
static const char *needed_project(const testapi_match *m)
{
    return m->needs == TESTAPI_NEEDS_PROJECT ? m->param[0] : NULL;
}

/*
 * Runs an account statement (arguments: the project the path names, or
 * NULL, and the account) and reads its row into col[0..n-1], left NULL
 * when there is no such account.
 */
static testapi_db_rc account_row(request_rec *r, const char *label,
                                 const char *user, const char **col, int n)
{
    const char *args[2];
    testapi_db db;
    testapi_db_rc rc;

    args[0] = needed_project(testapi_route_of(r, NULL));
    args[1] = user;
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = testapi_db_one(&db, label, 2, args, col, n)) != TESTAPI_DB_OK) {
        note_db_failure(r, rc);
    }
    return rc;
}

/* ---- authentication ------------------------------------------------- */

static authn_status check_password(request_rec *r, const char *user,
                                   const char *password)
{
    unsigned char digest[TESTAPI_AUTHCACHE_DIGEST_LEN];
    testapi_authcache *cache = testapi_authcache_of(r);
    int ttl = testapi_auth_ttl(r);
    /* hash, admin, granted the path's project, granted any project */
    const char *col[4] = {NULL, NULL, NULL, NULL}, *hash;
    apr_status_t rv;

    if (account_row(r, TESTAPI_SQL_ACCOUNT_GET, user, col, 4) !=
        TESTAPI_DB_OK) {
        return AUTH_GENERAL_ERROR;
    }
    if (!(hash = col[0])) {
        return AUTH_USER_NOT_FOUND;
    }
    if (cache && ttl > 0) {
        testapi_authcache_digest(cache, user, password, hash, digest);
        if (testapi_authcache_lookup(cache, digest, apr_time_now())) {
            goto granted;
        }
    }
    rv = apr_password_validate(password, hash);
    if (rv != APR_SUCCESS) {
        return AUTH_DENIED;
    }
    if (cache && ttl > 0) {
        testapi_authcache_store(cache, digest,
                                apr_time_now() + apr_time_from_sec(ttl));
    }
granted:
    if (col[1] && !strcmp(col[1], "1")) {
        apr_table_setn(r->notes, TESTAPI_NOTE_ADMIN, "1");
    }
    /* For "Require testapi-project": the same row, no second statement. */
    if (col[1] && col[2] && col[3]) {
        apr_table_setn(
            r->notes, TESTAPI_NOTE_RIGHTS,
            apr_pstrcat(r->pool, col[1], "\t", col[2], "\t", col[3], NULL));
    }
    return AUTH_GRANTED;
}

static const authn_provider testapi_authn = {check_password, NULL};

/* ---- authorization -------------------------------------------------- */

static authz_status denied(request_rec *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static authz_status denied(request_rec *r, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    apr_table_setn(r->notes, TESTAPI_NOTE_DENIED,
                   apr_pvsprintf(r->pool, fmt, ap));
    va_end(ap);
    return AUTHZ_DENIED;
}

static authz_status check_project(request_rec *r, const char *require_line,
                                  const void *parsed)
{
    /* admin, granted the path's project, granted any project */
    const char *col[3] = {NULL, NULL, NULL}, *noted;
    const testapi_match *m = testapi_route_of(r, NULL);

    (void)require_line;
    (void)parsed;
    if (!r->user) {
        return AUTHZ_DENIED_NO_USER;
    }
    /* A path no route has, or a method its route does not serve: the
     * handler answers 404 or 405, whoever asks, and changes nothing. */
    if (!m->handler) {
        return AUTHZ_GRANTED;
    }
    /* Verified just now, by this module, as an admin: nothing to look up. */
    if (apr_table_get(r->notes, TESTAPI_NOTE_ADMIN)) {
        return AUTHZ_GRANTED;
    }
    noted = apr_table_get(r->notes, TESTAPI_NOTE_RIGHTS);
    if (noted) {
        /* Read by this module's authentication, with the hash. */
        char *last, *copy = apr_pstrdup(r->pool, noted);
        col[0] = apr_strtok(copy, "\t", &last);
        col[1] = apr_strtok(NULL, "\t", &last);
        col[2] = apr_strtok(NULL, "\t", &last);
    } else if (account_row(r, TESTAPI_SQL_ACCOUNT_RIGHTS, r->user, col, 3) !=
               TESTAPI_DB_OK) {
        return AUTHZ_GENERAL_ERROR;
    }
    if (col[0] && (!col[1] || !col[2])) {
        return AUTHZ_GENERAL_ERROR;
    }
    if (!col[0]) {
        /* Authenticated elsewhere (an htpasswd file, say): no rights here. */
        return denied(r,
                      "account [%s] has no rights: it is not in the "
                      "accounts table",
                      r->user);
    }
    if (!strcmp(col[0], "1")) {
        return AUTHZ_GRANTED;
    }
    switch (m->needs) {
    case TESTAPI_NEEDS_PROJECT:
        if (strcmp(col[1], "1")) {
            return denied(r, "account [%s] may not write to project [%s]",
                          r->user, needed_project(m));
        }
        /* A testcase moved to another project: the handler checks that
         * one too. */
        apr_table_setn(r->notes, TESTAPI_NOTE_SCOPED, r->user);
        return AUTHZ_GRANTED;
    case TESTAPI_NEEDS_ANY_GRANT:
        if (strcmp(col[2], "1")) {
            return denied(r,
                          "account [%s] may not write results: it has no "
                          "project",
                          r->user);
        }
        apr_table_setn(r->notes, TESTAPI_NOTE_SCOPED, r->user);
        return AUTHZ_GRANTED;
    default:
        return denied(r, "account [%s] is not an admin: only admins may %s %s",
                      r->user, r->method, r->uri);
    }
}

static const char *parse_project(cmd_parms *cmd, const char *require_line,
                                 const void **parsed)
{
    (void)cmd;
    (void)parsed;
    if (require_line && *require_line) {
        return "Require testapi-project takes no arguments";
    }
    return NULL;
}

static const authz_provider testapi_authz = {check_project, parse_project};

void testapi_auth_register(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "testapi",
                              AUTHN_PROVIDER_VERSION, &testapi_authn,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "testapi-project",
                              AUTHZ_PROVIDER_VERSION, &testapi_authz,
                              AP_AUTH_INTERNAL_PER_CONF);
}

/* ---- the handler's part --------------------------------------------- */

static int refuse(request_rec *r, const char *account, const char *project,
                  int *ret)
{
    *ret = testapi_send_error(r, HTTP_FORBIDDEN,
                              "account [%s] may not write to project [%s]",
                              account, project);
    return 0;
}

int testapi_auth_project(request_rec *r, testapi_db *db, const char *project,
                         int *ret)
{
    const char *account = apr_table_get(r->notes, TESTAPI_NOTE_SCOPED);
    const char *args[2] = {account, project}, *count;
    testapi_db_rc rc;

    if (!account) {
        return 1;
    }
    if ((rc = testapi_db_one(db, TESTAPI_SQL_GRANT_GET, 2, args, &count, 1)) !=
        TESTAPI_DB_OK) {
        *ret = testapi_db_fail(db, rc);
        return 0;
    }
    if (!count || !strcmp(count, "0")) {
        return refuse(r, account, project, ret);
    }
    return 1;
}

int testapi_auth_result(request_rec *r, testapi_db *db, const char *oid,
                        int *ret)
{
    const char *project;
    testapi_db_rc rc;

    if (!apr_table_get(r->notes, TESTAPI_NOTE_SCOPED)) {
        return 1;
    }
    if ((rc = testapi_db_one(db, TESTAPI_SQL_RESULT_PROJECT, 1, &oid, &project,
                             1)) != TESTAPI_DB_OK) {
        *ret = testapi_db_fail(db, rc);
        return 0;
    }
    return project ? testapi_auth_project(r, db, project, ret) : 1;
}
