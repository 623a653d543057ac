/*
 * Routing: a table from path pattern to, per method, its handler and what a
 * write needs of the account.  Matching is plain C (unit tested); the table
 * itself lives in httpd/testapi_route_table.c.
 *
 * A pattern is an absolute path whose segments are literals or parameters
 * in braces.  "{id}" is a result id (checked by its handler, 404 when
 * malformed); any other parameter is a name, checked here (400 when it is
 * not 1..255 bytes of UTF-8 other than "." and "..").
 */
#ifndef TESTAPI_ROUTE_MATCH_H
#define TESTAPI_ROUTE_MATCH_H

#include <apr_pools.h>
#include <apr_tables.h>

#define TESTAPI_ROUTE_MAX_PARAMS 4

struct request_rec;
struct testapi_match;

typedef int testapi_handler_fn(struct request_rec *r,
                               const struct testapi_match *m);

typedef enum {
    TESTAPI_M_GET = 0, /* also serves HEAD */
    TESTAPI_M_POST,
    TESTAPI_M_PUT,
    TESTAPI_M_DELETE,
    TESTAPI_M_COUNT
} testapi_method;

/*
 * What writing with a method needs of the account ("Require
 * testapi-project"; README, "Accounts and permissions").  Zero is the
 * strictest: a method whose row does not say is for admins.
 */
typedef enum {
    TESTAPI_NEEDS_ADMIN = 0,
    TESTAPI_NEEDS_PROJECT,  /* a grant on the path's first parameter */
    TESTAPI_NEEDS_ANY_GRANT /* a grant on some project: the handler checks
                               the project it writes */
} testapi_needs;

typedef struct testapi_route_method {
    testapi_handler_fn *handler; /* NULL: the route does not serve it */
    testapi_needs needs;
} testapi_route_method;

typedef struct testapi_route {
    const char *pattern;
    testapi_route_method method[TESTAPI_M_COUNT];
} testapi_route;

/* What matching one request found: everything later phases need. */
typedef struct testapi_match {
    const testapi_route *route;  /* NULL: no route has the path */
    testapi_handler_fn *handler; /* the method's, NULL when not served */
    testapi_needs needs;         /* what calling handler needs */
    const char *param[TESTAPI_ROUTE_MAX_PARAMS];
    int nparams;
    const char *bad_name; /* why a name parameter was refused */
} testapi_match;

typedef enum {
    TESTAPI_ROUTE_FOUND = 0,
    TESTAPI_ROUTE_NO_PATH,   /* 404 */
    TESTAPI_ROUTE_NO_METHOD, /* 405, m->route is set for Allow */
    TESTAPI_ROUTE_BAD_NAME   /* 400, m->bad_name says why */
} testapi_route_rc;

/* Maps an HTTP method name to its slot; HEAD maps to GET; -1 otherwise. */
int testapi_method_slot(const char *method);

/* table ends with a row whose pattern is NULL.  method is a slot or -1. */
testapi_route_rc testapi_route_find(const testapi_route *table,
                                    const apr_array_header_t *segs, int method,
                                    testapi_match *m);

/* The Allow header of a route: "GET, HEAD, POST, OPTIONS". */
const char *testapi_route_allow(apr_pool_t *pool, const testapi_route *route);

#endif
