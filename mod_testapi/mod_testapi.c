/*
 * mod_testapi: the TestAPI results collection service as an httpd module.
 *
 * This file is the module glue: directives, configuration merging, hooks
 * and the handler that hands a request to the routing table.  Resources
 * live one per file (testapi_<resource>.c), storage in testapi_db.c.
 *
 * Log tags: TESTAPI00001..00005 are in testapi_db.c, 00006.. here.
 * TESTAPI00007 is in testapi_results.c, 00008 in testapi_db.c.
 * Next free: TESTAPI00009.
 */
#include <apr_strings.h>

#define TESTAPI_MODULE_FILE
#include "testapi_private.h"
#include "testapi_db.h"
#include "testapi_name.h"

/* ---- configuration -------------------------------------------------- */

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    testapi_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));
    (void)dir;
    conf->max_body = -1;
    conf->per_page = -1;
    return conf;
}

static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    testapi_dir_conf *base = basev, *add = addv;
    testapi_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));
    conf->max_body = (add->max_body != -1) ? add->max_body : base->max_body;
    conf->per_page = (add->per_page != -1) ? add->per_page : base->per_page;
    return conf;
}

static void *create_srv_conf(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return apr_pcalloc(p, sizeof(testapi_srv_conf));
}

static const char *set_max_body(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_dir_conf *conf = dconf;
    apr_off_t n;
    char *end;

    (void)cmd;
    if (apr_strtoff(&n, arg, &end, 10) != APR_SUCCESS || *end || n < 1) {
        return "TestAPIMaxBodySize must be a positive number of bytes";
    }
    conf->max_body = n;
    return NULL;
}

static const char *set_per_page(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_dir_conf *conf = dconf;
    apr_int64_t n;
    char *end;

    (void)cmd;
    n = apr_strtoi64(arg, &end, 10);
    if (*end || end == arg || n < 1 || n > 10000) {
        return "TestAPIResultsPerPage must be a number from 1 to 10000";
    }
    conf->per_page = (int)n;
    return NULL;
}

static const command_rec testapi_cmds[] = {
    AP_INIT_TAKE1("TestAPIResultsPerPage", set_per_page, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Results in one page of GET /api/v1/results?page=N "
                  "(default 20)"),
    AP_INIT_TAKE1("TestAPIMaxBodySize", set_max_body, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Largest request body accepted, in bytes (default 8388608); "
                  "larger bodies get a JSON 413"),
    {NULL}};

apr_off_t testapi_max_body(request_rec *r)
{
    testapi_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &testapi_module);
    return conf->max_body != -1 ? conf->max_body : TESTAPI_DEFAULT_MAX_BODY;
}

int testapi_per_page(request_rec *r)
{
    testapi_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &testapi_module);
    return conf->per_page != -1 ? conf->per_page : TESTAPI_DEFAULT_PER_PAGE;
}

testapi_idgen *testapi_idgen_of(request_rec *r)
{
    testapi_srv_conf *conf =
        ap_get_module_config(r->server->module_config, &testapi_module);
    return conf->idgen;
}

/* ---- hooks ------------------------------------------------------------ */

static int testapi_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    (void)plog;
    (void)ptemp;
    return testapi_db_register(pconf, s);
}

/*
 * Ids must differ between processes: the random part is drawn here, after
 * fork, never in post_config (every child would inherit the same bytes).
 */
static void testapi_child_init(apr_pool_t *pchild, server_rec *s)
{
    testapi_idgen *gen = apr_pcalloc(pchild, sizeof(*gen));
    apr_status_t rv = testapi_idgen_init(gen);
    server_rec *sp;

    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     TESTAPI_LOGNO(00006) "cannot draw random bytes for ids");
        return;
    }
    for (sp = s; sp; sp = sp->next) {
        testapi_srv_conf *conf =
            ap_get_module_config(sp->module_config, &testapi_module);
        conf->idgen = gen;
    }
}

/*
 * Is the request in the API's URI space, i.e. will SetHandler name this
 * module?  Core applies SetHandler only in its fixups; the hooks below run
 * earlier, with the <Location> configuration already merged.
 */
static int in_api_space(request_rec *r)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *handler;

    if (!d || !d->expr_handler) {
        return 0;
    }
    handler = ap_expr_str_exec(r, d->expr_handler, &err);
    return !err && handler && !strcmp(handler, TESTAPI_HANDLER);
}

/*
 * httpd refuses two kinds of requests before any handler runs, with its
 * own HTML page (no ErrorDocument applies that early): a path that does not
 * percent-decode (%00, a malformed escape) and TRACE, which it answers
 * itself in map_to_storage.  In the API's space both go on to the handler,
 * which answers them in JSON: the path stays undecoded here (DONE), the
 * handler reads the raw path anyway.
 */
static int testapi_pre_translate(request_rec *r)
{
    core_dir_config *d;
    char *path;
    int rv;

    if (r->main || r->proxyreq || !r->parsed_uri.path || !in_api_space(r)) {
        return DECLINED;
    }
    if (r->method_number == M_TRACE) {
        ap_set_module_config(r->request_config, &testapi_module, r);
    }
    d = ap_get_core_module_config(r->per_dir_config);
    path = apr_pstrdup(r->pool, r->parsed_uri.path);
    rv = d->allow_encoded_slashes
             ? ap_unescape_url_keep2f(path, d->decode_encoded_slashes)
             : ap_unescape_url(path);
    return rv == OK ? DECLINED : DONE;
}

/* TRACE in the API's space: skip httpd's own TRACE (and the directory
 * walk, as mod_proxy does) so that the handler answers 405 in JSON. */
static int testapi_map_to_storage(request_rec *r)
{
    if (r->method_number == M_TRACE &&
        ap_get_module_config(r->request_config, &testapi_module)) {
        return OK;
    }
    return DECLINED;
}

/* Messages for the errors httpd itself raises on the API's paths. */
static const char *apache_error_message(int status)
{
    switch (status) {
    case HTTP_UNAUTHORIZED:
        return "authentication required: send valid credentials (HTTP Basic)";
    case HTTP_FORBIDDEN:
        return "forbidden";
    case HTTP_NOT_FOUND:
        return "Not Found";
    case HTTP_METHOD_NOT_ALLOWED:
        return "method not allowed";
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return "request body too large";
    case HTTP_SERVICE_UNAVAILABLE:
        return "service unavailable, try again later";
    default:
        return status >= 500 ? "internal error (logged on the server)"
                             : "bad request";
    }
}

static int testapi_handler(request_rec *r)
{
    apr_array_header_t *segs;
    const char *raw;
    testapi_match m;
    int slot;

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
        return testapi_send_error(r, status, "%s",
                                  apache_error_message(status));
    }
    slot = testapi_method_slot(r->method);
    raw = testapi_raw_path(r);
    if (!raw || testapi_path_split(r->pool, raw, &segs) != 0) {
        return testapi_send_error(r, HTTP_NOT_FOUND, "Not Found");
    }
    switch (testapi_route_find(testapi_routes, segs, slot, &m)) {
    case TESTAPI_ROUTE_NO_PATH:
        return testapi_send_error(r, HTTP_NOT_FOUND, "Not Found");
    case TESTAPI_ROUTE_NO_METHOD:
        apr_table_setn(r->err_headers_out, "Allow",
                       testapi_route_allow(r->pool, m.route));
        if (r->method_number == M_OPTIONS) {
            return testapi_send_empty(r, HTTP_OK);
        }
        return testapi_send_error(r, HTTP_METHOD_NOT_ALLOWED,
                                  "method %s not allowed here", r->method);
    case TESTAPI_ROUTE_BAD_NAME:
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", m.bad_name);
    default:
        return m.route->handler[slot](r, &m);
    }
}

static void testapi_register_hooks(apr_pool_t *p)
{
    /* Statements must reach mod_dbd before its own post_config runs. */
    static const char *const before_dbd[] = {"mod_dbd.c", NULL};

    (void)p;
    ap_hook_post_config(testapi_post_config, NULL, before_dbd, APR_HOOK_MIDDLE);
    ap_hook_child_init(testapi_child_init, NULL, NULL, APR_HOOK_MIDDLE);
    ap_hook_pre_translate_name(testapi_pre_translate, NULL, NULL,
                               APR_HOOK_MIDDLE);
    ap_hook_map_to_storage(testapi_map_to_storage, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_handler(testapi_handler, NULL, NULL, APR_HOOK_MIDDLE);
}

AP_DECLARE_MODULE(testapi) = {STANDARD20_MODULE_STUFF,
                              create_dir_conf,
                              merge_dir_conf,
                              create_srv_conf,
                              NULL,
                              testapi_cmds,
                              testapi_register_hooks,
#if defined(AP_MODULE_FLAG_ALWAYS_MERGE)
                              AP_MODULE_FLAG_NONE
#endif
};
