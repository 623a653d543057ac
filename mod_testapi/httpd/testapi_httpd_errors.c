/*
 * Errors that httpd raises itself, rendered as JSON on the API's paths.
 *
 * Most reach the module through ErrorDocument (conf/testapi.conf points it
 * at /api/error, which mod_testapi.c's handler answers).  But httpd refuses
 * some requests while it reads them (request line, headers, Content-Length,
 * Host: ap_read_request) or normalises their path, before it has looked for
 * the <Location> that holds SetHandler and those ErrorDocuments: it then
 * answers with its own HTML page (ap_send_error_response), the same for
 * every path.  Its insert_error_filter hook runs there, before the page is
 * written: for a request whose path is in the API's space the filter below
 * replaces the page by the JSON error, status unchanged.
 */
#include <apr_strings.h>
#include <util_filter.h>

#include "httpd/testapi_httpd_errors.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "core/testapi_name.h"

#define ERROR_FILTER "TESTAPI_HTTPD_ERROR"

int testapi_in_api_space(request_rec *r)
{
    core_dir_config *d = ap_get_core_module_config(r->per_dir_config);
    const char *err = NULL, *handler;

    /* Core applies SetHandler only in its fixups: read the expression. */
    if (!d || !d->expr_handler) {
        return 0;
    }
    handler = ap_expr_str_exec(r, d->expr_handler, &err);
    return !err && handler && !strcmp(handler, TESTAPI_HANDLER);
}

const char *testapi_httpd_error_message(int status)
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
    case HTTP_REQUEST_TIME_OUT:
        return "request not received in time";
    case HTTP_REQUEST_ENTITY_TOO_LARGE:
        return "request body too large";
    case HTTP_EXPECTATION_FAILED:
        return "unsupported Expect: only 100-continue is known";
    case HTTP_SERVICE_UNAVAILABLE:
        return "service unavailable, try again later";
    default:
        return status >= 500 ? "internal error (logged on the server)"
                             : "bad request";
    }
}

/*
 * What is wrong with a request that httpd refused while reading it.  httpd
 * keeps no reason that a module can read (its error notes are HTML), so the
 * faults that can be seen on the request as it stands are named; each is
 * true of the request whenever it is given.
 */
static const char *refusal_message(request_rec *r)
{
    const char *clen = apr_table_get(r->headers_in, "Content-Length");
    const char *tenc = apr_table_get(r->headers_in, "Transfer-Encoding");
    const char *path = testapi_raw_path(r);
    const char *decoded;
    apr_off_t n;

    switch (r->status) {
    case HTTP_REQUEST_URI_TOO_LARGE:
        return apr_psprintf(r->pool, "request line longer than %d bytes",
                            r->server->limit_req_line);
    case HTTP_BAD_REQUEST:
        break;
    default:
        return testapi_httpd_error_message(r->status);
    }
    if (clen && !ap_parse_strict_length(&n, clen)) {
        return "invalid Content-Length: one decimal number of bytes expected";
    }
    if (tenc && !ap_is_chunked(r->pool, tenc)) {
        return "unsupported Transfer-Encoding: only chunked is accepted";
    }
    if (r->proto_num >= HTTP_VERSION(1, 1) &&
        !apr_table_get(r->headers_in, "Host")) {
        return "Host header missing (HTTP/1.1 requires it)";
    }
    if (path && testapi_percent_decode(r->pool, path, strcspn(path, "?#"), NULL,
                                       0, &decoded) == APR_EINVAL) {
        return "malformed %-escape in path";
    }
    return "malformed request line or header, or headers over the server's "
           "limits";
}

/*
 * The path of a request line that was too long to be read whole (httpd
 * keeps its first LimitRequestLine bytes in the_request, and parsed none of
 * it): enough to tell whether the request was for the API.
 */
static char *truncated_path(request_rec *r)
{
    const char *target;

    if (!r->the_request || !(target = ap_strchr_c(r->the_request, ' '))) {
        return NULL;
    }
    while (*target == ' ') {
        target++;
    }
    if (*target != '/' && (target = ap_strstr_c(target, "://")) != NULL) {
        target = ap_strchr_c(target + 3, '/');
    }
    if (!target || *target != '/') {
        return NULL;
    }
    return apr_pstrndup(r->pool, target, strcspn(target, " ?#"));
}

/*
 * Was the request, refused before httpd's location walk (r->per_dir_config
 * is still the server's), for the API?  Walk the <Location>s for its path
 * now, as httpd would have, and put back what httpd left.
 */
static int refused_in_api_space(request_rec *r)
{
    ap_conf_vector_t *per_dir = r->per_dir_config;
    char *uri = r->uri;
    int in;

    if (!r->uri && !(r->uri = truncated_path(r))) {
        return 0;
    }
    in = ap_location_walk(r) == OK && testapi_in_api_space(r);
    r->per_dir_config = per_dir;
    r->uri = uri;
    return in;
}

typedef struct error_ctx {
    const char *message;
    const char *json; /* made when the first brigade passes */
} error_ctx;

/* Replaces httpd's error page by the JSON error, whatever httpd writes. */
static apr_status_t error_filter(ap_filter_t *f, apr_bucket_brigade *bb)
{
    request_rec *r = f->r;
    error_ctx *ctx = f->ctx;
    apr_bucket *b, *next;

    if (!ctx->json) {
        /* The headers go out with the first brigade: set them now. */
        ctx->json = testapi_error_json(r, r->status, ctx->message);
    }
    for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb); b = next) {
        next = APR_BUCKET_NEXT(b);
        if (APR_BUCKET_IS_EOS(b)) {
            if (!r->header_only) {
                APR_BUCKET_INSERT_BEFORE(
                    b, apr_bucket_transient_create(ctx->json, strlen(ctx->json),
                                                   bb->bucket_alloc));
            }
            ap_remove_output_filter(f);
            break;
        }
        if (!APR_BUCKET_IS_METADATA(b)) {
            apr_bucket_delete(b);
        }
    }
    return ap_pass_brigade(f->next, bb);
}

/* httpd is about to write its own error page for r: in the API's space, the
 * filter above writes the JSON error instead. */
static void insert_error_filter(request_rec *r)
{
    error_ctx *ctx;

    if (!ap_is_HTTP_ERROR(r->status) || r->main) {
        return;
    }
    ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    if (testapi_in_api_space(r)) {
        /* An error without an ErrorDocument in the API's <Location>. */
        ctx->message = testapi_httpd_error_message(r->status);
    } else if (r->per_dir_config == r->server->lookup_defaults &&
               refused_in_api_space(r)) {
        ctx->message = refusal_message(r);
    } else {
        return;
    }
    ap_add_output_filter(ERROR_FILTER, ctx, r, r->connection);
}

void testapi_httpd_errors_register(apr_pool_t *p)
{
    (void)p;
    ap_register_output_filter(ERROR_FILTER, error_filter, NULL,
                              AP_FTYPE_RESOURCE);
    ap_hook_insert_error_filter(insert_error_filter, NULL, NULL,
                                APR_HOOK_MIDDLE);
}
