#include <string.h>

#include <apr_strings.h>

#include "core/testapi_name.h"
#include "core/testapi_route_match.h"

static const char *const method_names[TESTAPI_M_COUNT] = {"GET", "POST", "PUT",
                                                          "DELETE"};

int testapi_method_slot(const char *method)
{
    int i;
    if (!strcmp(method, "HEAD")) {
        return TESTAPI_M_GET;
    }
    for (i = 0; i < TESTAPI_M_COUNT; i++) {
        if (!strcmp(method, method_names[i])) {
            return i;
        }
    }
    return -1;
}

/* Matches one pattern against decoded segments, collecting parameters. */
static int pattern_match(const char *pattern, const apr_array_header_t *segs,
                         testapi_match *m)
{
    const char *p = pattern;
    int i = 0;

    m->nparams = 0;
    m->bad_name = NULL;
    while (*p == '/') {
        const char *start = ++p;
        apr_size_t len;
        const char *seg;

        while (*p && *p != '/') {
            p++;
        }
        len = (apr_size_t)(p - start);
        if (i >= segs->nelts) {
            return 0;
        }
        seg = APR_ARRAY_IDX(segs, i, const char *);
        i++;
        if (len > 2 && start[0] == '{' && start[len - 1] == '}') {
            if (m->nparams == TESTAPI_ROUTE_MAX_PARAMS || seg[0] == '\0') {
                return 0;
            }
            if (!(len == 4 && !strncmp(start, "{id}", 4)) && !m->bad_name) {
                m->bad_name = testapi_name_check(seg, strlen(seg));
            }
            m->param[m->nparams++] = seg;
        } else if (strlen(seg) != len || strncmp(seg, start, len)) {
            return 0;
        }
    }
    return i == segs->nelts;
}

testapi_route_rc testapi_route_find(const testapi_route *table,
                                    const apr_array_header_t *segs, int method,
                                    testapi_match *m)
{
    const testapi_route *route;

    memset(m, 0, sizeof(*m));
    for (route = table; route->pattern; route++) {
        if (!pattern_match(route->pattern, segs, m)) {
            continue;
        }
        m->route = route;
        if (method < 0 || !route->method[method].handler) {
            return TESTAPI_ROUTE_NO_METHOD;
        }
        m->handler = route->method[method].handler;
        m->needs = route->method[method].needs;
        return m->bad_name ? TESTAPI_ROUTE_BAD_NAME : TESTAPI_ROUTE_FOUND;
    }
    memset(m, 0, sizeof(*m));
    return TESTAPI_ROUTE_NO_PATH;
}

const char *testapi_route_allow(apr_pool_t *pool, const testapi_route *route)
{
    const char *allow = NULL;
    int i;

    for (i = 0; i < TESTAPI_M_COUNT; i++) {
        if (!route->method[i].handler) {
            continue;
        }
        allow = allow ? apr_pstrcat(pool, allow, ", ", method_names[i], NULL)
                      : method_names[i];
        if (i == TESTAPI_M_GET) {
            allow = apr_pstrcat(pool, allow, ", HEAD", NULL);
        }
    }
    return allow ? apr_pstrcat(pool, allow, ", OPTIONS", NULL) : "OPTIONS";
}
