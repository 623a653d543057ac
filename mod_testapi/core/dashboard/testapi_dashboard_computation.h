/*
 * Dashboard computation: the graphs and bars that the declarations
 * (testapi_dashboard_declarations.h) describe, computed over results fed one at
 * a time. Nothing of a result is kept after it was fed except the points and
 * sums it contributed, so results can stream from the database.  Plain C on APR
 * and json-c, no httpd headers.
 */
#ifndef TESTAPI_DASHBOARD_COMPUTATION_H
#define TESTAPI_DASHBOARD_COMPUTATION_H

#include <apr_pools.h>
#include <json.h>

#include "core/dashboard/testapi_dashboard_declarations.h"

/*
 * One result as the computation sees it.  Results may come in any order:
 * (t, oid) orders them, as it orders result lists (the points of a graph
 * are sorted by it, "last" is the greatest).
 */
typedef struct testapi_dash_result {
    /* the envelope's strings (TESTAPI_DASH_F_*), NULL when absent */
    const char *field[TESTAPI_DASH_NFIELDS];
    /* the parsed details; NULL when null, absent or not JSON */
    json_object *details;
    /* x of its points: the start_date as stored; NULL makes x null */
    const char *x;
    /* the result's time and _id */
    apr_int64_t t;
    const char *oid;
} testapi_dash_result;

typedef struct testapi_dash_run testapi_dash_run;

/*
 * Starts the answer for one case of a project (c), or for the project's
 * status (c NULL).  'asked' is the case name of the request (the
 * description says "<asked> results for Dashboard").  Everything the run
 * keeps is in 'pool' (or freed with it).
 */
testapi_dash_run *testapi_dash_run_make(apr_pool_t *pool,
                                        const testapi_dash_project *p,
                                        const testapi_dash_case *c,
                                        const char *asked);

/* Feeds one result, in any order; 'scratch' may be cleared as soon as
 * this returns. */
void testapi_dash_run_feed(testapi_dash_run *run,
                           const testapi_dash_result *res, apr_pool_t *scratch);

/* The whole answer (a JSON array), valid until the run's pool goes. */
const char *testapi_dash_run_finish(testapi_dash_run *run, apr_size_t *len);

/* The case names whose results the run needs: the case and its aliases,
 * or for the status every case of the project with its aliases. */
int testapi_dash_names(apr_pool_t *pool, const testapi_dash_project *p,
                       const testapi_dash_case *c, const char ***names);

/* ---- the pieces, for the unit tests ------------------------------- */

/* A number, or a string holding one (surrounding white space allowed):
 * 1 with *out, else 0.  Booleans, "", "12k", "inf", "nan" are not. */
int testapi_dash_number(json_object *v, double *out);

/* [[H:]M:]S[.f] (or a number) in seconds, rounded half away from zero. */
int testapi_dash_seconds(json_object *v, double *out);

/* Shortest text that reads back as d ("12", "0.1", "1e+300"). */
const char *testapi_dash_format_number(apr_pool_t *pool, double d);

/* One value of one result: 0 when missing; 1 with *num set (numeric), or
 * 2 with *json set (as sent; borrowed from the result or in 'scratch'). */
int testapi_dash_eval(const testapi_dash_value *v,
                      const testapi_dash_result *res, apr_pool_t *scratch,
                      double *num, json_object **json);

/* One condition on one result. */
int testapi_dash_test(const testapi_dash_cond *c,
                      const testapi_dash_result *res, apr_pool_t *scratch);

#endif
