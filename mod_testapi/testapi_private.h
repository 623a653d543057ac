/*
 * Shared by every httpd glue file of mod_testapi (never by the plain-C
 * library files, which have no httpd headers).
 */
#ifndef TESTAPI_PRIVATE_H
#define TESTAPI_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>

#include "testapi_authcache.h"
#include "testapi_fields.h"
#include "testapi_id.h"
#include "testapi_json.h"
#include "testapi_route.h"

extern module AP_MODULE_DECLARE_DATA testapi_module;
#ifndef TESTAPI_MODULE_FILE /* AP_DECLARE_MODULE does it there */
APLOG_USE_MODULE(testapi);
#endif

/*
 * Stable, greppable tags for every error-log line the module writes, in the
 * manner of httpd's own APLOGNO: "TESTAPI00001: ...".  Numbers are never
 * reused; the next free one is noted in mod_testapi.c.
 */
#define TESTAPI_LOGNO(n) "TESTAPI" #n ": "

#define TESTAPI_HANDLER "testapi"
#define TESTAPI_DEFAULT_MAX_BODY (8 * 1024 * 1024)

/* Per-directory (Location) configuration; -1 means "not set here". */
typedef struct testapi_dir_conf {
    apr_off_t max_body;
    int per_page;
    int auth_ttl;    /* seconds; 0: no cache */
    int audit_level; /* APLOG_*, or TESTAPI_AUDIT_OFF */
} testapi_dir_conf;

#define TESTAPI_DEFAULT_PER_PAGE 20
#define TESTAPI_DEFAULT_AUTH_TTL 60
#define TESTAPI_DEFAULT_AUDIT_LEVEL APLOG_NOTICE
#define TESTAPI_AUDIT_OFF (-2)

/* Per-server configuration; idgen is per process, set in child_init. */
typedef struct testapi_srv_conf {
    testapi_idgen *idgen;
    testapi_authcache *authcache;             /* NULL: none could be made */
    const char *dashboard_file;               /* TestAPIDashboard, or NULL */
    const struct testapi_dashdecl *dashboard; /* loaded in post_config */
    /* Per process, set in child_init: nonzero while the database was found
     * unreachable (atomic; see testapi_db_open). */
    apr_uint32_t *db_down;
} testapi_srv_conf;

apr_off_t testapi_max_body(request_rec *r);
int testapi_per_page(request_rec *r);
testapi_idgen *testapi_idgen_of(request_rec *r);
int testapi_auth_ttl(request_rec *r);
int testapi_audit_level(request_rec *r);
testapi_authcache *testapi_authcache_of(request_rec *r);

/*
 * Request notes between the authentication and authorization providers,
 * the handler and the error document (which finds them in r->prev).
 */
#define TESTAPI_NOTE_ADMIN "testapi-admin"     /* verified admin account */
#define TESTAPI_NOTE_SCOPED "testapi-scoped"   /* handler checks project */
#define TESTAPI_NOTE_DENIED "testapi-denied"   /* why authz refused */
#define TESTAPI_NOTE_DB_DOWN "testapi-db-down" /* auth met no database */
#define TESTAPI_NOTE_RIGHTS "testapi-rights"   /* read with the hash */
/* The dashboard declarations of the request's server; NULL when none. */
const struct testapi_dashdecl *testapi_dashboard_of(request_rec *r);

/* ---- testapi_http.c: requests and responses ------------------------- */

/*
 * Reads the request body (capped by TestAPIMaxBodySize) and parses it as
 * JSON.  Returns 1 with *body set (NULL for no body: absent, empty or JSON
 * null).  Returns 0 when it has already answered; the handler then returns
 * *ret to httpd.
 */
int testapi_read_json(request_rec *r, json_object **body, int *ret);

/*
 * Reads the body's fields into out[] by spec: for a POST with
 * testapi_fields_get, for a PUT with testapi_fields_update.  A body that is
 * absent is the contract's "no body" (POST) or "No payload" (PUT).  Returns
 * 1, or 0 when it has already answered (the handler then returns *ret).
 */
int testapi_read_fields(request_rec *r, const testapi_field *spec,
                        const char **out, json_object **body, int *ret);

/* The same, also giving the body's bytes (for values kept verbatim). */
int testapi_read_body(request_rec *r, json_object **body, const char **raw,
                      apr_size_t *rawlen, int *ret);

/* Sends obj as the JSON body with the given status; returns OK. */
int testapi_send_json(request_rec *r, int status, json_object *obj);

/* Sends JSON text that is already complete; returns OK. */
int testapi_send_text(request_rec *r, int status, const char *text,
                      apr_size_t len);

/* Sends an empty body (successful DELETE); returns OK. */
int testapi_send_empty(request_rec *r, int status);

/* HEAD of a list: the headers of a JSON answer, without running the query.
 * Returns OK. */
int testapi_send_head(request_rec *r);

/* The one way an error reaches a client: {"code": status, "message": ...}.
 * Returns OK (the response has been written). */
int testapi_send_error(request_rec *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * The path as the client sent it, still percent-encoded (r->uri and
 * r->parsed_uri.path are decoded already: decoding them again would
 * corrupt names holding '%').  May be NULL (OPTIONS *).
 */
const char *testapi_raw_path(request_rec *r);

/* The answer to a create: 200 {"href": "<scheme>://<host>[:port]<collection
 * path>/<encoded key>"}; returns OK. */
int testapi_send_href(request_rec *r, const char *key);

/* ---- testapi_auth.c, testapi_audit.c: accounts, rights, audit ------ */

/* Registers the authn provider "testapi" and "Require testapi-project". */
void testapi_auth_register(apr_pool_t *p);

struct testapi_db;

/*
 * For writes whose project only the handler knows (a result's, a testcase
 * moved elsewhere): 1 when the authenticated account may write to
 * project, or when "Require testapi-project" left nothing to check.
 * Otherwise the answer (403, 503, 500) has been sent, *ret is for httpd,
 * and 0 is returned.
 */
int testapi_auth_project(request_rec *r, struct testapi_db *db,
                         const char *project, int *ret);

/* The same for the project of the stored result oid (1 when there is no
 * such result: the handler answers 404). */
int testapi_auth_result(request_rec *r, struct testapi_db *db, const char *oid,
                        int *ret);

/* log_transaction: one audit line per write to the API. */
int testapi_audit(request_rec *r);

/* ---- testapi_routes.c ---------------------------------------------- */

extern const testapi_route testapi_routes[];

/* ---- one file per resource ----------------------------------------- */

testapi_handler_fn testapi_versions_get;
testapi_handler_fn testapi_pods_list;
testapi_handler_fn testapi_pods_create;
testapi_handler_fn testapi_pods_get;
testapi_handler_fn testapi_pods_delete;
testapi_handler_fn testapi_projects_list;
testapi_handler_fn testapi_projects_create;
testapi_handler_fn testapi_projects_get;
testapi_handler_fn testapi_projects_update;
testapi_handler_fn testapi_projects_delete;
testapi_handler_fn testapi_testcases_list;
testapi_handler_fn testapi_testcases_create;
testapi_handler_fn testapi_testcases_get;
testapi_handler_fn testapi_testcases_update;
testapi_handler_fn testapi_testcases_delete;
testapi_handler_fn testapi_results_list;
testapi_handler_fn testapi_results_create;
testapi_handler_fn testapi_results_get;
testapi_handler_fn testapi_results_update;
testapi_handler_fn testapi_dashboard_projects;
testapi_handler_fn testapi_dashboard_results;

#endif
