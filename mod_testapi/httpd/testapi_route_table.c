/*
 * The API's URI space: one row per path and, per method, its handler (GET
 * also answers HEAD) and what writing with it needs of the account, which
 * "Require testapi-project" enforces (testapi_auth.c).  Reads are granted
 * by the <Location> (conf/testapi.conf).  A method left out of a row, like
 * a path no row has, gets the handler's 405 (404) whoever asks.  A new
 * resource adds its rows here and its file in resources/.
 *
 * A request is matched once, by the first phase that asks for its route
 * (authentication, authorization or the handler); the match stays in the
 * request's request_config for the others.
 */
#include "httpd/testapi_route_table.h"
#include "httpd/testapi_request.h"
#include "resources/testapi_resources.h"
#include "core/testapi_name.h"

/* The table's words: a method's slot; a read, public where the <Location>
 * grants reads (conf/testapi.conf; behind "Require testapi-project" it is
 * for admins); a write and what it needs. */
#define GET TESTAPI_M_GET
#define POST TESTAPI_M_POST
#define PUT TESTAPI_M_PUT
#define DELETE TESTAPI_M_DELETE
/* clang-format off */
#define READ(handler) {handler, TESTAPI_NEEDS_ADMIN}
#define WRITE(handler, needs) {handler, TESTAPI_NEEDS_##needs}
/* clang-format on */

const testapi_route testapi_routes[] = {
    {"/versions", {[GET] = READ(testapi_versions_get)}},
    {"/api/v1/pods",
     {[GET] = READ(testapi_pods_list),
      [POST] = WRITE(testapi_pods_create, ADMIN)}},
    {"/api/v1/pods/{pod}",
     {[GET] = READ(testapi_pods_get),
      [DELETE] = WRITE(testapi_pods_delete, ADMIN)}},
    {"/api/v1/projects",
     {[GET] = READ(testapi_projects_list),
      [POST] = WRITE(testapi_projects_create, ADMIN)}},
    {"/api/v1/projects/{project}",
     {[GET] = READ(testapi_projects_get),
      [PUT] = WRITE(testapi_projects_update, ADMIN),
      [DELETE] = WRITE(testapi_projects_delete, ADMIN)}},
    {"/api/v1/projects/{project}/cases",
     {[GET] = READ(testapi_testcases_list),
      [POST] = WRITE(testapi_testcases_create, PROJECT)}},
    {"/api/v1/projects/{project}/cases/{case}",
     {[GET] = READ(testapi_testcases_get),
      [PUT] = WRITE(testapi_testcases_update, PROJECT),
      [DELETE] = WRITE(testapi_testcases_delete, PROJECT)}},
    {"/api/v1/results",
     {[GET] = READ(testapi_results_list),
      [POST] = WRITE(testapi_results_create, ANY_GRANT)}},
    {"/api/v1/results/{id}",
     {[GET] = READ(testapi_results_get),
      [PUT] = WRITE(testapi_results_update, ANY_GRANT)}},
    {"/dashboard/v1/projects", {[GET] = READ(testapi_dashboard_projects)}},
    {"/dashboard/v1/results", {[GET] = READ(testapi_dashboard_results)}},
    {0}};

testapi_routing *testapi_routing_of(request_rec *r)
{
    testapi_routing *rt =
        ap_get_module_config(r->request_config, &testapi_module);

    if (!rt) {
        rt = apr_pcalloc(r->pool, sizeof(*rt));
        ap_set_module_config(r->request_config, &testapi_module, rt);
    }
    return rt;
}

const testapi_match *testapi_route_of(request_rec *r, testapi_route_rc *rc)
{
    testapi_routing *rt = testapi_routing_of(r);
    apr_array_header_t *segs;
    const char *raw;

    if (!rt->matched) {
        raw = testapi_raw_path(r);
        if (raw && testapi_path_split(r->pool, raw, &segs) == 0) {
            rt->rc = testapi_route_find(testapi_routes, segs,
                                        testapi_method_slot(r->method), &rt->m);
        } else {
            /* OPTIONS *, or a path that does not split: no route. */
            rt->rc = TESTAPI_ROUTE_NO_PATH;
        }
        rt->matched = 1;
    }
    if (rc) {
        *rc = rt->rc;
    }
    return &rt->m;
}
