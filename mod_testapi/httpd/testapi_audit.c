/*
 * The audit trail: one error-log line per write to the API (anything but
 * GET, HEAD and OPTIONS), refused ones included, at TestAPIAuditLevel:
 *
 *   TESTAPI00110: audit user="opnfv" client=192.0.2.7 method=POST
 *                 uri="/api/v1/results" status=200
 *
 * user is the authenticated account, or - (with the name that failed to
 * authenticate in tried="..."); uri is the request target as sent; status
 * is what the client got.  In values, '"', '\\' and control characters
 * are percent-encoded (and '%' in names), so that a name or a path can
 * neither end a value nor start a line.  Backslash escapes would not do:
 * the error log doubles every backslash it is given.
 */
#include <apr_strings.h>

#include "httpd/testapi_config.h"
#include "httpd/testapi_auth.h"

static const char *value(apr_pool_t *pool, const char *s, int percent_too)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = apr_palloc(pool, 3 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' ||
            (c == '%' && percent_too)) {
            *o++ = '%';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
        } else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

/* Is a request of this chain one the module answered or rendered? */
static int is_api(request_rec *r)
{
    for (; r; r = r->next) {
        if (r->handler && !strcmp(r->handler, TESTAPI_HANDLER)) {
            return 1;
        }
    }
    return 0;
}

int testapi_audit(request_rec *r)
{
    request_rec *last = r;
    const char *user = "-", *tried = "";
    int level;

    /* r is the request as received; an error document follows in next
     * (it is what the module's handler saw when auth refused). */
    if (r->prev || r->main || r->method_number == M_GET ||
        r->method_number == M_OPTIONS || !is_api(r)) {
        return DECLINED;
    }
    level = testapi_audit_level(r);
    if (level == TESTAPI_AUDIT_OFF) {
        return DECLINED;
    }
    while (last->next) {
        last = last->next;
    }
    if (r->user && last->status == HTTP_UNAUTHORIZED) {
        tried = apr_pstrcat(r->pool, " tried=\"", value(r->pool, r->user, 1),
                            "\"", NULL);
    } else if (r->user) {
        user =
            apr_pstrcat(r->pool, "\"", value(r->pool, r->user, 1), "\"", NULL);
    }
    ap_log_rerror(APLOG_MARK, level, 0, r,
                  TESTAPI_LOGNO(00110) "audit user=%s%s client=%s method=%s "
                                       "uri=\"%s\" status=%d",
                  user, tried, r->useragent_ip, value(r->pool, r->method, 0),
                  value(r->pool, r->unparsed_uri, 0), last->status);
    return OK;
}
