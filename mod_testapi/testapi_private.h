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
} testapi_dir_conf;

#define TESTAPI_DEFAULT_PER_PAGE 20

/* Per-server configuration; idgen is per process, set in child_init. */
typedef struct testapi_srv_conf {
    testapi_idgen *idgen;
} testapi_srv_conf;

apr_off_t testapi_max_body(request_rec *r);
int testapi_per_page(request_rec *r);
testapi_idgen *testapi_idgen_of(request_rec *r);

/* ---- testapi_http.c: requests and responses ------------------------- */

/*
 * Reads the request body (capped by TestAPIMaxBodySize) and parses it as
 * JSON.  Returns 1 with *body set (NULL for no body: absent, empty or JSON
 * null).  Returns 0 when it has already answered; the handler then returns
 * *ret to httpd.
 */
int testapi_read_json(request_rec *r, json_object **body, int *ret);

/* The same, also giving the body's bytes (for values kept verbatim). */
int testapi_read_body(request_rec *r, json_object **body, const char **raw,
                      apr_size_t *rawlen, int *ret);

/* Sends obj as the JSON body with the given status; returns OK. */
int testapi_send_json(request_rec *r, int status, json_object *obj);

/* The same for JSON text written directly (testapi_buf). */
int testapi_send_json_text(request_rec *r, int status, const char *text,
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

/* "<scheme>://<host>[:port]<collection path>/<encoded key>" */
const char *testapi_href(request_rec *r, const char *key);

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

#endif
