/*
 * mod_testapi: the TestAPI results collection service as an httpd module.
 *
 * This file is the module itself: its hooks and the handler that hands a
 * request to the route table.  The directives are in testapi_config.c,
 * request I/O in testapi_request.c, resources one per file in
 * ../resources/, storage in ../storage/, plain C in ../core/.
 *
 * Log tags: every TESTAPI_LOGNO is listed in the README's "Error log";
 * tests/unit/check_log_tags fails on a tag used twice or not listed.
 */
#include <apr_hash.h>
#include <apr_strings.h>

#define TESTAPI_MODULE_FILE
#include "httpd/testapi_private.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "httpd/testapi_auth.h"
#include "httpd/testapi_httpd_errors.h"
#include "httpd/testapi_route_table.h"
#include "core/dashboard/testapi_dashboard_declarations.h"
#include "storage/testapi_database.h"
#include "core/testapi_name.h"

/* ---- hooks ------------------------------------------------------------ */

/*
 * Every TestAPIDashboard file is read and checked completely here, once
 * per file: a malformed one stops Apache, with the file, the entry and the
 * problem in the error log.
 */
static int load_dashboards(apr_pool_t *pconf, apr_pool_t *ptemp, server_rec *s)
{
    apr_hash_t *loaded = apr_hash_make(ptemp);
    server_rec *sp;

    for (sp = s; sp; sp = sp->next) {
        testapi_srv_conf *conf =
            ap_get_module_config(sp->module_config, &testapi_module);
        testapi_dashdecl *decl;
        const char *err;

        if (!conf->dashboard_file) {
            continue;
        }
        decl = apr_hash_get(loaded, conf->dashboard_file, APR_HASH_KEY_STRING);
        if (!decl) {
            if ((err = testapi_dashboard_load(pconf, conf->dashboard_file,
                                              &decl)) != NULL) {
                ap_log_error(APLOG_MARK, APLOG_EMERG, 0, sp, "%s", err);
                return HTTP_INTERNAL_SERVER_ERROR;
            }
            ap_log_error(APLOG_MARK, APLOG_INFO, 0, sp,
                         TESTAPI_LOGNO(00151) "TestAPIDashboard %s: %d "
                                              "projects declared",
                         conf->dashboard_file, decl->nprojects);
            apr_hash_set(loaded, conf->dashboard_file, APR_HASH_KEY_STRING,
                         decl);
        }
        conf->dashboard = decl;
    }
    return OK;
}

static int testapi_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    int rc;

    (void)plog;
    if ((rc = load_dashboards(pconf, ptemp, s)) != OK) {
        return rc;
    }
    return testapi_db_require_dbd(s);
}

/*
 * Ids must differ between processes: the random part is drawn here, after
 * fork, never in post_config (every child would inherit the same bytes).
 * So is the key of the verification cache, which is per process too.
 */
static void testapi_child_init(apr_pool_t *pchild, server_rec *s)
{
    testapi_idgen *gen = apr_pcalloc(pchild, sizeof(*gen));
    apr_status_t rv = testapi_idgen_init(gen);
    testapi_authcache *cache = NULL;
    server_rec *sp;

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     TESTAPI_LOGNO(00006) "cannot draw random bytes for ids");
        return;
    }
    rv = testapi_authcache_create(pchild, TESTAPI_AUTHCACHE_SLOTS, &cache);
    if (rv != APR_SUCCESS) {
        /* Still correct, only slower: every request verifies. */
        ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                     TESTAPI_LOGNO(00100) "cannot make the password "
                                          "verification cache: every write "
                                          "verifies its password");
    }
    for (sp = s; sp; sp = sp->next) {
        testapi_srv_conf *conf =
            ap_get_module_config(sp->module_config, &testapi_module);
        conf->idgen = gen;
        conf->authcache = cache;
        conf->db_down = apr_pcalloc(pchild, sizeof(*conf->db_down));
        conf->schema_state = apr_pcalloc(pchild, sizeof(*conf->schema_state));
    }
}

/*
 * httpd refuses two kinds of requests before any handler runs, with its
 * own HTML page (no ErrorDocument applies that early): a path whose escapes
 * decode to what no path may hold (%00) and TRACE, which it answers itself
 * in map_to_storage.  (A malformed escape fails earlier, before the
 * <Location>s apply: testapi_httpd_errors.c renders that one.)  In the API's
 * space both go on to the handler, which answers them in JSON: the path stays
 * undecoded here (DONE), the handler reads the raw path anyway.
 */
static int testapi_pre_translate(request_rec *r)
{
    core_dir_config *d;
    char *path;
    int rv;

    if (r->main || r->proxyreq || !r->parsed_uri.path ||
        !testapi_in_api_space(r)) {
        return DECLINED;
    }
    /* For map_to_storage below. */
    testapi_routing_of(r)->in_space = 1;
    d = ap_get_core_module_config(r->per_dir_config);
    path = apr_pstrdup(r->pool, r->parsed_uri.path);
    rv = d->allow_encoded_slashes
             ? ap_unescape_url_keep2f(path, d->decode_encoded_slashes)
             : ap_unescape_url(path);
    return rv == OK ? DECLINED : DONE;
}

/*
 * The API's paths name no file: skip core's walk of the filesystem (a stat
 * of every directory from the DocumentRoot down, seven system calls per
 * request for /api/v1/results/{id}), as mod_proxy does.  <Directory> and
 * .htaccess therefore never apply to them; their access rules are those of
 * the <Location> (conf/testapi.conf).  It also skips httpd's own TRACE, so
 * that the handler answers it with a JSON 405.
 */
static int testapi_map_to_storage(request_rec *r)
{
    const testapi_routing *rt =
        ap_get_module_config(r->request_config, &testapi_module);

    return rt && rt->in_space ? OK : DECLINED;
}

static int testapi_handler(request_rec *r)
{
    const testapi_match *m;
    testapi_route_rc rc;

    if (!r->handler || strcmp(r->handler, TESTAPI_HANDLER)) {
        return DECLINED;
    }
    /*
     * An ErrorDocument that points into our space: httpd raised an error
     * (401 from authentication, 413, ...) and redirected here to render it.
     * Answer it in JSON, with the original status.
     */
    if (r->prev && ap_is_HTTP_ERROR(r->prev->status)) {
        int status = r->prev->status;
        const char *why = apr_table_get(r->prev->notes, TESTAPI_NOTE_DENIED);

        /* Authentication or authorization met no database: mod_auth_basic
         * and mod_authz_core can only say 500; the contract says 503. */
        if (status == HTTP_INTERNAL_SERVER_ERROR &&
            apr_table_get(r->prev->notes, TESTAPI_NOTE_DB_DOWN)) {
            return testapi_db_send_unavailable(r, r->prev);
        }
        /* "Require testapi-project" said why it refused. */
        if (why && (status == HTTP_FORBIDDEN || status == HTTP_UNAUTHORIZED)) {
            return testapi_send_error(r, status, "%s", why);
        }
        return testapi_send_error(r, status, "%s",
                                  testapi_httpd_error_message(status));
    }
    /* Matched already when authentication or authorization asked. */
    m = testapi_route_of(r, &rc);
    switch (rc) {
    case TESTAPI_ROUTE_NO_PATH:
        return testapi_send_error(r, HTTP_NOT_FOUND, "Not Found");
    case TESTAPI_ROUTE_NO_METHOD:
        apr_table_setn(r->err_headers_out, "Allow",
                       testapi_route_allow(r->pool, m->route));
        if (r->method_number == M_OPTIONS) {
            return testapi_send_empty(r, HTTP_OK);
        }
        return testapi_send_error(r, HTTP_METHOD_NOT_ALLOWED,
                                  "method %s not allowed here", r->method);
    case TESTAPI_ROUTE_BAD_NAME:
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", m->bad_name);
    default:
        return m->handler(r, m);
    }
}

static void testapi_register_hooks(apr_pool_t *p)
{
    (void)p;
    ap_hook_post_config(testapi_post_config, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_child_init(testapi_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_translate_name(testapi_pre_translate, NULL, NULL,
                               APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(testapi_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(testapi_handler, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_log_transaction(testapi_audit, NULL, NULL, APR_HOOK_MIDDLE);
    testapi_auth_register(p);
    testapi_httpd_errors_register(p);
}

AP_DECLARE_MODULE(testapi) = {STANDARD20_MODULE_STUFF, testapi_create_dir_conf,
                              testapi_merge_dir_conf,  testapi_create_srv_conf,
                              testapi_merge_srv_conf,  testapi_directives,
                              testapi_register_hooks,
#if defined(AP_MODULE_FLAG_ALWAYS_MERGE)
                              AP_MODULE_FLAG_NONE
#endif
};
