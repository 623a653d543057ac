/*
 * A request's input and output: the body read (capped) and parsed, JSON
 * answers, and the one function that sends errors.
 */
#ifndef TESTAPI_REQUEST_H
#define TESTAPI_REQUEST_H

#include "httpd/testapi_private.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_json.h"

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
 * For a filter that replaces the body of an error httpd writes itself: sets
 * the headers of a JSON error answer and returns its text {"code": status,
 * "message": msg}.
 */
const char *testapi_error_json(request_rec *r, int status, const char *msg);

/*
 * The path as the client sent it, still percent-encoded (r->uri and
 * r->parsed_uri.path are decoded already: decoding them again would
 * corrupt names holding '%').  May be NULL (OPTIONS *).
 */
const char *testapi_raw_path(request_rec *r);

/* The answer to a create: 200 {"href": "<scheme>://<host>[:port]<collection
 * path>/<encoded key>"}; returns OK. */
int testapi_send_href(request_rec *r, const char *key);

#endif
