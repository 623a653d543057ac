/*
 * Dashboard: GET /dashboard/v1/projects and GET /dashboard/v1/results.
 *
 * Dashboard results are computed from the raw results at request time and
 * never stored.  What is computed is declared in the TestAPIDashboard file
 * (testapi_dashboard_declarations.c); the computation
 * (testapi_dashboard_computation.c) is fed the selected results one at a time,
 * read in keyset batches (testapi_result_scan.c) with one pool per batch and
 * one per row, so memory holds the answer being built, never the results.  The
 * filters are those of /api/v1/results, with the same SQL
 * (testapi_result_sql.c).
 */
#include <apr_strings.h>

#include "core/dashboard/testapi_dashboard_computation.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "resources/testapi_resources.h"
#include "storage/testapi_result_scan.h"
#include "core/testapi_date.h"

int testapi_dashboard_projects(request_rec *r, const testapi_match *m)
{
    const testapi_dashdecl *decl = testapi_dashboard_of(r);
    json_object *list = testapi_json_array(r->pool);
    int i;

    (void)m;
    /* Sorted by name; a project without cases is not dashboard ready. */
    for (i = 0; decl && i < decl->nprojects; i++) {
        if (decl->projects[i].ncases > 0) {
            json_object_array_add(
                list, json_object_new_string(decl->projects[i].name));
        }
    }
    return testapi_send_json(r, HTTP_OK, list);
}

/* The envelope columns the declarations may name. */
static const struct {
    int field, col;
} envelope[] = {
    {TESTAPI_DASH_F_PROJECT, TESTAPI_RCOL_PROJECT},
    {TESTAPI_DASH_F_CASE, TESTAPI_RCOL_CASE},
    {TESTAPI_DASH_F_POD, TESTAPI_RCOL_POD},
    {TESTAPI_DASH_F_INSTALLER, TESTAPI_RCOL_INSTALLER},
    {TESTAPI_DASH_F_VERSION, TESTAPI_RCOL_VERSION},
    {TESTAPI_DASH_F_SCENARIO, TESTAPI_RCOL_SCENARIO},
    {TESTAPI_DASH_F_BUILD_TAG, TESTAPI_RCOL_BUILD_TAG},
    {TESTAPI_DASH_F_CRITERIA, TESTAPI_RCOL_CRITERIA},
    {TESTAPI_DASH_F_START_DATE, TESTAPI_RCOL_START_DATE},
    {TESTAPI_DASH_F_STOP_DATE, TESTAPI_RCOL_STOP_DATE},
};

typedef struct dash_ctx {
    testapi_dash_run *run;
    apr_pool_t *row_pool; /* cleared for every row */
} dash_ctx;

static void dash_row(testapi_rscan *s, apr_dbd_row_t *row)
{
    dash_ctx *dc = s->ctx;
    testapi_db *db = s->db;
    apr_pool_t *batch = db->pool;
    testapi_dash_result res;
    const char *text, *why;
    apr_size_t len, i;

    apr_pool_clear(dc->row_pool);
    memset(&res, 0, sizeof(res));
    /* The row's text and its parsed details go with the row. */
    db->pool = dc->row_pool;
    for (i = 0; i < sizeof(envelope) / sizeof(envelope[0]); i++) {
        res.field[envelope[i].field] = testapi_db_col(db, row, envelope[i].col);
    }
    text = testapi_db_text(db, row, TESTAPI_RCOL_DETAILS, &len);
    if (text && testapi_json_parse(dc->row_pool, text, len, &res.details,
                                   &why) != TESTAPI_PARSE_OK) {
        res.details = NULL; /* JSON null (or, impossibly, not JSON) */
    }
    res.t = apr_atoi64(testapi_db_col(db, row, TESTAPI_RCOL_T));
    res.oid = testapi_db_col(db, row, TESTAPI_RCOL_OID);
    res.x = res.field[TESTAPI_DASH_F_START_DATE];
    if (!res.x) {
        /* No start_date was sent: the result's time is when it arrived. */
        char *when = apr_palloc(dc->row_pool, TESTAPI_TIME_LEN + 1);
        testapi_time_format((apr_time_t)res.t, when);
        res.x = when;
    }
    testapi_dash_run_feed(dc->run, &res, dc->row_pool);
    db->pool = batch;
}

int testapi_dashboard_results(request_rec *r, const testapi_match *m)
{
    const testapi_dashdecl *decl = testapi_dashboard_of(r);
    const testapi_dash_project *p;
    const testapi_dash_case *c = NULL;
    const char **names;
    const char *err, *text;
    testapi_query q;
    testapi_rscan s = {0};
    testapi_db db;
    testapi_db_rc rc;
    dash_ctx dc;
    apr_size_t len;
    int i, n;

    (void)m;
    if ((err = testapi_query_parse(r->pool, r->args, TESTAPI_Q_DASHBOARD,
                                   r->request_time, &q))) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", err);
    }
    if (!(q.present & TESTAPI_Q_PROJECT)) {
        return testapi_send_error(r, HTTP_NOT_FOUND, "Project name missing");
    }
    if (!(p = testapi_dashdecl_project(decl, q.project))) {
        return testapi_send_error(
            r, HTTP_NOT_FOUND, "Project [%s] not dashboard ready", q.project);
    }
    if (!(q.present & TESTAPI_Q_CASE)) {
        return testapi_send_error(
            r, HTTP_NOT_FOUND, "Test case missing for project [%s]", q.project);
    }
    /* The status covers every case of the project (c stays NULL). */
    if (!(p->status_json && !strcmp(q.case_name, TESTAPI_DASH_STATUS)) &&
        !(c = testapi_dashdecl_case(p, q.case_name))) {
        return testapi_send_error(
            r, HTTP_NOT_FOUND,
            "Test case [%s] not dashboard ready for project [%s]", q.case_name,
            q.project);
    }
    if (r->header_only) {
        return testapi_send_head(r);
    }
    dc.run = testapi_dash_run_make(r->pool, p, c, q.case_name);
    apr_pool_create(&dc.row_pool, r->pool);
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    /*
     * The case under each of its names in turn (every case of the project
     * for the status), each read in index order: one select over all the
     * names (IN) would have the database sort every remaining match again
     * for every batch.  The computation orders what it keeps.
     */
    n = testapi_dash_names(r->pool, p, c, &names);
    q.descend = 0;
    q.last = 0;
    q.present |= TESTAPI_Q_CASE;
    for (i = 0; i < n; i++) {
        q.case_name = names[i];
        s.db = &db;
        s.q = &q;
        s.ctx = &dc;
        s.row = dash_row;
        if ((rc = testapi_rscan_run(&s)) != TESTAPI_DB_OK) {
            /* Nothing has been sent yet: a JSON error still can be. */
            return testapi_db_fail(&db, rc);
        }
    }
    apr_pool_destroy(dc.row_pool);
    text = testapi_dash_run_finish(dc.run, &len);
    return testapi_send_text(r, HTTP_OK, text, len);
}
