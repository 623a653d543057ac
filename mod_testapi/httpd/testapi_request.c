/* Reading request bodies and writing JSON answers. */
#include <stdarg.h>

#include <apr_strings.h>
#include <util_filter.h>

#include "httpd/testapi_request.h"
#include "httpd/testapi_config.h"
#include "core/testapi_name.h"

/* Refuses a body over the limit: the client gets JSON, not Apache's HTML. */
static int body_too_large(request_rec *r, apr_off_t limit)
{
    /* The rest of the body is not read: do not reuse the connection. */
    r->connection->keepalive = AP_CONN_CLOSE;
    return testapi_send_error(
        r, HTTP_REQUEST_ENTITY_TOO_LARGE,
        "request body larger than %" APR_OFF_T_FMT " bytes", limit);
}

int testapi_read_json(request_rec *r, json_object **body, int *ret)
{
    return testapi_read_body(r, body, NULL, NULL, ret);
}

int testapi_read_fields(request_rec *r, const testapi_field *spec,
                        const char **out, json_object **body, int *ret)
{
    int put = r->method_number == M_PUT;
    const char *err;

    if (!testapi_read_json(r, body, ret)) {
        return 0;
    }
    if (!*body) {
        *ret = testapi_send_error(r, HTTP_BAD_REQUEST,
                                  put ? "No payload" : "no body");
        return 0;
    }
    err = put ? testapi_fields_update(r->pool, *body, spec, out)
              : testapi_fields_get(r->pool, *body, spec, out);
    if (err) {
        *ret = testapi_send_error(r, HTTP_BAD_REQUEST, "%s", err);
        return 0;
    }
    return 1;
}

int testapi_read_body(request_rec *r, json_object **body, const char **raw,
                      apr_size_t *rawlen, int *ret)
{
    apr_off_t limit = testapi_max_body(r);
    apr_off_t total = 0;
    const char *clen = apr_table_get(r->headers_in, "Content-Length");
    testapi_json_parser *ps;
    apr_bucket_brigade *bb, *kept;
    const char *why = NULL;
    int seen_eos = 0;

    *body = NULL;
    *ret = OK;
    if (clen) {
        apr_off_t n;
        if (apr_strtoff(&n, clen, NULL, 10) == APR_SUCCESS && n > limit) {
            body_too_large(r, limit);
            return 0;
        }
    }
    ps = testapi_json_parser_make(r->pool, TESTAPI_JSON_MAX_DEPTH);
    if (!ps) {
        testapi_send_error(r, HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return 0;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    kept =
        raw ? apr_brigade_create(r->pool, r->connection->bucket_alloc) : NULL;
    while (!seen_eos) {
        apr_bucket *b;
        apr_status_t rv =
            ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                           APR_BLOCK_READ, HUGE_STRING_LEN);
        if (rv != APR_SUCCESS) {
            int status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
            if (status == AP_FILTER_ERROR) {
                /* httpd answers (through the JSON ErrorDocument). */
                *ret = status;
            } else {
                testapi_send_error(r, status, "could not read the body");
            }
            return 0;
        }
        for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
             b = APR_BUCKET_NEXT(b)) {
            const char *data;
            apr_size_t len;

            if (APR_BUCKET_IS_EOS(b)) {
                seen_eos = 1;
                break;
            }
            if (APR_BUCKET_IS_METADATA(b)) {
                continue;
            }
            rv = apr_bucket_read(b, &data, &len, APR_BLOCK_READ);
            if (rv != APR_SUCCESS) {
                testapi_send_error(r, HTTP_BAD_REQUEST,
                                   "could not read the body");
                return 0;
            }
            total += (apr_off_t)len;
            if (total > limit) {
                body_too_large(r, limit);
                return 0;
            }
            /* After a parse error keep counting, so 413 still wins. */
            testapi_json_parser_feed(ps, data, len);
        }
        if (kept) {
            /* Keep the bytes: the caller wants parts of the text verbatim. */
            for (b = APR_BRIGADE_FIRST(bb); b != APR_BRIGADE_SENTINEL(bb);
                 b = APR_BUCKET_NEXT(b)) {
                apr_bucket_setaside(b, r->pool);
            }
            APR_BRIGADE_CONCAT(kept, bb);
        }
        apr_brigade_cleanup(bb);
    }
    if (kept && apr_brigade_pflatten(kept, (char **)raw, rawlen, r->pool) !=
                    APR_SUCCESS) {
        testapi_send_error(r, HTTP_INTERNAL_SERVER_ERROR, "out of memory");
        return 0;
    }
    switch (testapi_json_parser_finish(ps, body, &why)) {
    case TESTAPI_PARSE_OK:
    case TESTAPI_PARSE_EMPTY:
        return 1;
    default:
        testapi_send_error(r, HTTP_BAD_REQUEST, "Bad Json format [%s]", why);
        return 0;
    }
}

static void common_headers(request_rec *r)
{
    apr_table_setn(r->err_headers_out, "X-Content-Type-Options", "nosniff");
    apr_table_setn(r->err_headers_out, "Cache-Control", "no-store");
    /* A JSON answer is whole or nothing: no byte ranges of it. */
    ap_remove_output_filter_byhandle(r->output_filters, "BYTERANGE");
    apr_table_setn(r->err_headers_out, "Accept-Ranges", "none");
}

static int send_text(request_rec *r, int status, const char *text,
                     apr_size_t len)
{
    apr_bucket_brigade *bb;

    common_headers(r);
    r->status = status;
    if (text) {
        ap_set_content_type(r, "application/json");
    }
    ap_set_content_length(r, (apr_off_t)len);
    if (r->header_only || !len) {
        return OK;
    }
    bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_transient_create(
                                    text, len, r->connection->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    /* A client that went away is not the server's error. */
    ap_pass_brigade(r->output_filters, bb);
    return OK;
}

int testapi_send_json(request_rec *r, int status, json_object *obj)
{
    apr_size_t len = 0;
    const char *text = testapi_json_text(obj, &len);
    return send_text(r, status, text, len);
}

int testapi_send_text(request_rec *r, int status, const char *text,
                      apr_size_t len)
{
    return send_text(r, status, text ? text : "", len);
}

int testapi_send_empty(request_rec *r, int status)
{
    return send_text(r, status, NULL, 0);
}

int testapi_send_head(request_rec *r)
{
    /* The length of a list is only known once it has been read. */
    common_headers(r);
    r->status = HTTP_OK;
    ap_set_content_type(r, "application/json");
    return OK;
}

/* {"code": status, "message": msg} */
static json_object *error_object(apr_pool_t *pool, int status, const char *msg)
{
    json_object *err = testapi_json_object(pool);

    json_object_object_add(err, "code", json_object_new_int(status));
    testapi_json_add_str(err, "message", msg);
    return err;
}

int testapi_send_error(request_rec *r, int status, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    va_start(ap, fmt);
    msg = apr_pvsprintf(r->pool, fmt, ap);
    va_end(ap);
    return testapi_send_json(r, status, error_object(r->pool, status, msg));
}

const char *testapi_error_json(request_rec *r, int status, const char *msg)
{
    common_headers(r);
    apr_table_unset(r->headers_out, "Content-Length");
    ap_set_content_type(r, "application/json");
    return testapi_json_text(error_object(r->pool, status, msg), NULL);
}

const char *testapi_raw_path(request_rec *r)
{
    const char *p = r->unparsed_uri;

    /* Absolute-form request target: skip "scheme://authority". */
    if (p && *p != '/' && (p = strstr(p, "://")) != NULL) {
        p = strchr(p + 3, '/');
    }
    return p;
}

int testapi_send_href(request_rec *r, const char *key)
{
    const char *path = testapi_raw_path(r);
    apr_size_t len = strcspn(path, "?#");
    json_object *body = testapi_json_object(r->pool);

    while (len > 1 && path[len - 1] == '/') {
        len--;
    }
    testapi_json_add_str(
        body, "href",
        ap_construct_url(r->pool,
                         apr_pstrcat(r->pool, apr_pstrndup(r->pool, path, len),
                                     "/", testapi_segment_encode(r->pool, key),
                                     NULL),
                         r));
    return testapi_send_json(r, HTTP_OK, body);
}
