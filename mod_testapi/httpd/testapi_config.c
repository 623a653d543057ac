/*
 * The module's directives: the command table, the per-directory and
 * per-server configuration with its merge, and the accessors a request
 * uses.  A new directive is one row in testapi_directives and one field.
 */
#include <apr_cstr.h>
#include <apr_strings.h>

#include "httpd/testapi_config.h"
#include "core/dashboard/testapi_dashboard_declarations.h"
#include "core/testapi_name.h"

void *testapi_create_dir_conf(apr_pool_t *p, char *dir)
{
    testapi_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));
    (void)dir;
    conf->max_body = -1;
    conf->per_page = -1;
    conf->auth_ttl = -1;
    conf->audit_level = -1;
    return conf;
}

void *testapi_merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    testapi_dir_conf *base = basev, *add = addv;
    testapi_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));
    conf->max_body = (add->max_body != -1) ? add->max_body : base->max_body;
    conf->per_page = (add->per_page != -1) ? add->per_page : base->per_page;
    conf->auth_ttl = (add->auth_ttl != -1) ? add->auth_ttl : base->auth_ttl;
    conf->audit_level =
        (add->audit_level != -1) ? add->audit_level : base->audit_level;
    return conf;
}

void *testapi_create_srv_conf(apr_pool_t *p, server_rec *s)
{
    (void)s;
    return apr_pcalloc(p, sizeof(testapi_srv_conf));
}

void *testapi_merge_srv_conf(apr_pool_t *p, void *basev, void *addv)
{
    testapi_srv_conf *base = basev, *add = addv;
    testapi_srv_conf *conf = apr_pcalloc(p, sizeof(*conf));
    conf->dashboard_file =
        add->dashboard_file ? add->dashboard_file : base->dashboard_file;
    return conf;
}

const char *testapi_dashboard_load(apr_pool_t *pool, const char *file,
                                   testapi_dashdecl **decl)
{
    const char *err = testapi_dashdecl_load(pool, file, decl);

    return err ? apr_pstrcat(pool, TESTAPI_LOGNO(00150) "TestAPIDashboard ",
                             err, NULL)
               : NULL;
}

static const char *set_dashboard(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_srv_conf *conf =
        ap_get_module_config(cmd->server->module_config, &testapi_module);
    const char *err = ap_check_cmd_context(cmd, NOT_IN_DIR_LOC_FILE);

    (void)dconf;
    if (err) {
        return err;
    }
    conf->dashboard_file = ap_server_root_relative(cmd->pool, arg);
    if (!conf->dashboard_file) {
        return apr_pstrcat(cmd->pool, "TestAPIDashboard: invalid path ", arg,
                           NULL);
    }
    /* It is loaded in post_config, which a configuration test (apachectl
     * configtest, run before a graceful restart) never reaches: check it
     * here then, so that a malformed file fails the test instead of
     * stopping the restarted server. */
    if (ap_state_query(AP_SQ_RUN_MODE) == AP_SQ_RM_CONFIG_TEST) {
        testapi_dashdecl *decl;
        return testapi_dashboard_load(cmd->temp_pool, conf->dashboard_file,
                                      &decl);
    }
    return NULL;
}

/* The numbers of the directives are read by apr_cstr_strtoi64: decimal,
 * nothing after the digits, within the range. */
static const char *set_max_body(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_dir_conf *conf = dconf;
    apr_int64_t n;

    (void)cmd;
    if (apr_cstr_strtoi64(&n, arg, 1, APR_INT64_MAX, 10) != APR_SUCCESS) {
        return "TestAPIMaxBodySize must be a positive number of bytes";
    }
    conf->max_body = (apr_off_t)n;
    return NULL;
}

static const char *set_per_page(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_dir_conf *conf = dconf;
    apr_int64_t n;

    (void)cmd;
    if (apr_cstr_strtoi64(&n, arg, 1, 10000, 10) != APR_SUCCESS) {
        return "TestAPIResultsPerPage must be a number from 1 to 10000";
    }
    conf->per_page = (int)n;
    return NULL;
}

static const char *set_auth_ttl(cmd_parms *cmd, void *dconf, const char *arg)
{
    testapi_dir_conf *conf = dconf;
    apr_int64_t n;

    (void)cmd;
    if (apr_cstr_strtoi64(&n, arg, 0, 86400, 10) != APR_SUCCESS) {
        return "TestAPIAuthCacheTTL must be a number of seconds from 0 "
               "(no cache) to 86400";
    }
    conf->auth_ttl = (int)n;
    return NULL;
}

static const char *set_audit_level(cmd_parms *cmd, void *dconf, const char *arg)
{
    static const char *const names[] = {"emerg", "alert", "crit",
                                        "error", "warn",  "notice",
                                        "info",  "debug", NULL};
    testapi_dir_conf *conf = dconf;
    int i;

    (void)cmd;
    if (!strcasecmp(arg, "off")) {
        conf->audit_level = TESTAPI_AUDIT_OFF;
        return NULL;
    }
    for (i = 0; names[i]; i++) {
        if (!strcasecmp(arg, names[i])) {
            conf->audit_level = APLOG_EMERG + i;
            return NULL;
        }
    }
    return "TestAPIAuditLevel must be off or a log level from emerg to debug";
}

const command_rec testapi_directives[] = {
    AP_INIT_TAKE1("TestAPIResultsPerPage", set_per_page, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Results in one page of GET /api/v1/results?page=N "
                  "(default 20)"),
    AP_INIT_TAKE1("TestAPIMaxBodySize", set_max_body, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Largest request body accepted, in bytes (default 8388608); "
                  "larger bodies get a JSON 413"),
    AP_INIT_TAKE1("TestAPIAuthCacheTTL", set_auth_ttl, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Seconds a successful password verification is remembered "
                  "by the testapi authentication provider (default 60; 0: "
                  "verify every request)"),
    AP_INIT_TAKE1("TestAPIAuditLevel", set_audit_level, NULL,
                  RSRC_CONF | ACCESS_CONF,
                  "Error-log level of the audit line written for every write "
                  "to the API (default notice), or off"),
    AP_INIT_TAKE1("TestAPIDashboard", set_dashboard, NULL, RSRC_CONF,
                  "The file declaring the dashboard-ready projects and cases "
                  "and how their graphs are computed (JSON; relative to "
                  "ServerRoot)"),
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

int testapi_auth_ttl(request_rec *r)
{
    testapi_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &testapi_module);
    return conf->auth_ttl != -1 ? conf->auth_ttl : TESTAPI_DEFAULT_AUTH_TTL;
}

int testapi_audit_level(request_rec *r)
{
    testapi_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &testapi_module);
    return conf->audit_level != -1 ? conf->audit_level
                                   : TESTAPI_DEFAULT_AUDIT_LEVEL;
}

testapi_authcache *testapi_authcache_of(request_rec *r)
{
    testapi_srv_conf *conf =
        ap_get_module_config(r->server->module_config, &testapi_module);
    return conf->authcache;
}

const testapi_dashdecl *testapi_dashboard_of(request_rec *r)
{
    testapi_srv_conf *conf =
        ap_get_module_config(r->server->module_config, &testapi_module);
    return conf->dashboard;
}
