/*
 * The API's URI space: path pattern -> per method, its handler and what a
 * write needs; and the route of a request, matched once.
 */
#ifndef TESTAPI_ROUTE_TABLE_H
#define TESTAPI_ROUTE_TABLE_H

#include "httpd/testapi_private.h"
#include "core/testapi_route_match.h"

extern const testapi_route testapi_routes[];

/*
 * The module's state of one request (its request_config, in r->pool):
 * whether it is in the API's space (the hooks of mod_testapi.c) and its
 * route, matched by the first phase that asks.
 */
typedef struct testapi_routing {
    int in_space; /* the handler will be this module's */
    int matched;  /* rc and m are set */
    testapi_route_rc rc;
    testapi_match m;
} testapi_routing;

/* The request's state, made on first use. */
testapi_routing *testapi_routing_of(request_rec *r);

/*
 * The request's route in testapi_routes, matched on first use: by
 * authentication (the rights it reads with the hash), "Require
 * testapi-project" and the handler alike.  *rc (when rc is not NULL) says
 * what matching found; a path that does not split is TESTAPI_ROUTE_NO_PATH.
 */
const testapi_match *testapi_route_of(request_rec *r, testapi_route_rc *rc);

#endif
