/*
 * Results: POST/GET /api/v1/results, GET/PUT /api/v1/results/{id}.
 *
 * start_date, stop_date and details are kept exactly as sent: details is
 * cut out of the request body verbatim and spliced into answers verbatim.
 * Lists stream in keyset batches (the driver buffers a whole prepared
 * select, so one select cannot stream), one sub-pool per batch, so memory
 * stays flat however many results match.
 */
#include <math.h>

#include <apr_strings.h>

#include "testapi_date.h"
#include "testapi_db.h"
#include "testapi_fields.h"
#include "testapi_name.h"
#include "testapi_query.h"
#include "testapi_rsql.h"

#define BATCH_ROWS 500

/* Body fields, in the order of the insert statement's arguments 1..10. */
enum {
    F_INSTALLER,
    F_VERSION,
    F_SCENARIO,
    F_BUILD_TAG,
    F_CRITERIA,
    F_START_DATE,
    F_STOP_DATE,
    F_POD,
    F_PROJECT,
    F_CASE,
    F_COUNT
};

static const testapi_field result_fields[] = {
    {"installer", TESTAPI_FIELD_NULLABLE},
    {"version", TESTAPI_FIELD_NULLABLE},
    {"scenario", TESTAPI_FIELD_NULLABLE},
    {"build_tag", TESTAPI_FIELD_NULLABLE},
    {"criteria", TESTAPI_FIELD_NULLABLE},
    {"start_date", TESTAPI_FIELD_NULLABLE},
    {"stop_date", TESTAPI_FIELD_NULLABLE},
    {NULL, 0}};

/* The references are checked first, in the contract's order. */
static const testapi_field ref_fields[] = {{"pod_name", TESTAPI_FIELD_NAME},
                                           {"project_name", TESTAPI_FIELD_NAME},
                                           {"case_name", TESTAPI_FIELD_NAME},
                                           {NULL, 0}};

/* The columns that are plain strings or null, with their JSON keys. */
static const struct {
    int col;
    const char *key;
} text_columns[] = {{TESTAPI_RCOL_INSTALLER, "installer"},
                    {TESTAPI_RCOL_VERSION, "version"},
                    {TESTAPI_RCOL_SCENARIO, "scenario"},
                    {TESTAPI_RCOL_BUILD_TAG, "build_tag"},
                    {TESTAPI_RCOL_CRITERIA, "criteria"},
                    {TESTAPI_RCOL_START_DATE, "start_date"},
                    {TESTAPI_RCOL_STOP_DATE, "stop_date"},
                    {-1, NULL}};

/* A result row as the contract's object (caller owns the reference). */
static json_object *result_json(testapi_db *db, apr_dbd_row_t *row)
{
    json_object *res = json_object_new_object();
    const char *text;
    apr_size_t len;
    int i;

    testapi_json_add_str(res, "_id", testapi_db_col(db, row, TESTAPI_RCOL_OID));
    testapi_json_add_str(res, "project_name",
                         testapi_db_col(db, row, TESTAPI_RCOL_PROJECT));
    testapi_json_add_str(res, "case_name",
                         testapi_db_col(db, row, TESTAPI_RCOL_CASE));
    testapi_json_add_str(res, "pod_name",
                         testapi_db_col(db, row, TESTAPI_RCOL_POD));
    for (i = 0; text_columns[i].key; i++) {
        text = testapi_db_col(db, row, text_columns[i].col);
        json_object_object_add(res, text_columns[i].key,
                               text ? json_object_new_string(text) : NULL);
    }
    text = testapi_db_text(db, row, TESTAPI_RCOL_DETAILS, &len);
    json_object_object_add(res, "details",
                           text ? testapi_json_verbatim(db->pool, text, len)
                                : NULL);
    text = testapi_db_col(db, row, TESTAPI_RCOL_TRUST);
    json_object_object_add(res, "trust_indicator",
                           testapi_json_verbatim(db->pool, text ? text : "null",
                                                 text ? strlen(text) : 4));
    return res;
}

/* trust_indicator as a number or {"current", "histories"}: the JSON text
 * stored for it, and its current value.  NULL or the 400 message. */
static const char *trust_parse(apr_pool_t *pool, json_object *body,
                               double *current, const char **text)
{
    json_object *ti, *cur = NULL, *hist = NULL, *out;

    *current = 0;
    switch (
        testapi_json_member(body, "trust_indicator", json_type_double, &cur)) {
    case TESTAPI_FIELD_OK:
        break;
    case TESTAPI_FIELD_ABSENT:
        cur = NULL;
        break;
    default:
        if (testapi_json_member(body, "trust_indicator", json_type_object,
                                &ti) != TESTAPI_FIELD_OK) {
            return "trust_indicator must be a number or an object";
        }
        if (testapi_json_member(ti, "current", json_type_double, &cur) ==
            TESTAPI_FIELD_WRONG_TYPE) {
            return "trust_indicator.current must be a number";
        }
        if (testapi_json_member(ti, "histories", json_type_array, &hist) ==
            TESTAPI_FIELD_WRONG_TYPE) {
            return "trust_indicator.histories must be an array";
        }
        break;
    }
    if (cur) {
        *current = json_object_get_double(cur);
        if (!(*current >= 0 && *current <= 1)) {
            return "trust_indicator must be between 0 and 1";
        }
    }
    out = testapi_json_object(pool);
    json_object_object_add(out, "current",
                           cur ? json_object_get(cur) : json_object_new_int(0));
    json_object_object_add(out, "histories",
                           hist ? json_object_get(hist)
                                : json_object_new_array());
    *text = apr_pstrdup(pool, testapi_json_text(out, NULL));
    return NULL;
}

/* Which reference of a refused insert is missing: its 404. */
static int missing_reference(testapi_db *db, const char **ref)
{
    const char *args[4] = {ref[F_POD], ref[F_PROJECT], ref[F_PROJECT],
                           ref[F_CASE]};
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    testapi_db_rc rc;
    const char *found[3] = {"0", "0", "0"};
    int i, more;

    if ((rc = testapi_db_select(db, TESTAPI_SQL_RESULT_REFS, &res, 4, args)) !=
        TESTAPI_DB_OK) {
        return testapi_db_fail(db, rc);
    }
    while ((more = testapi_db_next(db, res, &row)) > 0) {
        for (i = 0; i < 3; i++) {
            found[i] = apr_pstrdup(db->pool, testapi_db_col(db, row, i));
        }
    }
    if (more < 0) {
        return testapi_db_fail(db, TESTAPI_DB_ERROR);
    }
    if (!strcmp(found[0], "0")) {
        return testapi_send_error(db->r, HTTP_NOT_FOUND,
                                  "Could not find pod [%s]", ref[F_POD]);
    }
    if (!strcmp(found[1], "0")) {
        return testapi_send_error(db->r, HTTP_NOT_FOUND,
                                  "Could not find project [%s]",
                                  ref[F_PROJECT]);
    }
    return testapi_send_error(db->r, HTTP_NOT_FOUND,
                              "Could not find testcase [%s] in project [%s]",
                              ref[F_CASE], ref[F_PROJECT]);
}

int testapi_results_create(request_rec *r, const testapi_match *m)
{
    const char *val[F_COUNT], *raw, *err, *trust;
    /* oid, 7 fields, t, trust_current, trust, details, pod, project, case */
    const char *args[15];
    char oid[TESTAPI_ID_LEN + 1];
    apr_size_t rawlen, off, len;
    json_object *body, *details;
    apr_time_t t;
    double current;
    testapi_db db;
    testapi_db_rc rc;
    int ret, nrows;

    (void)m;
    if (!testapi_read_body(r, &body, &raw, &rawlen, &ret)) {
        return ret;
    }
    if (!body) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "no body");
    }
    if ((err = testapi_fields_get(r->pool, body, ref_fields, val + F_POD)) ||
        (err = testapi_fields_get(r->pool, body, result_fields, val)) ||
        (err = trust_parse(r->pool, body, &current, &trust))) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", err);
    }
    if (!val[F_START_DATE]) {
        /* No start date: the result's time is when it was received. */
        t = r->request_time;
    } else if (testapi_date_parse(val[F_START_DATE], strlen(val[F_START_DATE]),
                                  &t) != 0) {
        return testapi_send_error(r, HTTP_BAD_REQUEST,
                                  "start_date must be a date");
    }
    memcpy(args + 1, val, 7 * sizeof(args[0]));
    args[8] = apr_off_t_toa(r->pool, (apr_off_t)t);
    args[9] = apr_psprintf(r->pool, "%.17g", current);
    args[10] = trust;
    args[11] = NULL;
    if (json_object_object_get_ex(body, "details", &details) &&
        testapi_json_member_text(raw, rawlen, "details", &off, &len)) {
        /* Exactly the bytes that were sent (null included). */
        args[11] = apr_pstrmemdup(r->pool, raw + off, len);
    }
    args[12] = val[F_POD];
    args[13] = val[F_PROJECT];
    args[14] = val[F_CASE];

    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    rc = testapi_db_insert(&db, TESTAPI_SQL_RESULT_INSERT, &nrows, 15, args, -1,
                           oid);
    if (rc != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (nrows == 0) {
        return missing_reference(&db, val);
    }
    body = testapi_json_object(r->pool);
    testapi_json_add_str(body, "href", testapi_href(r, oid));
    return testapi_send_json(r, HTTP_OK, body);
}

int testapi_results_get(request_rec *r, const testapi_match *m)
{
    json_object *found;
    testapi_db db;
    testapi_db_rc rc;

    if (!testapi_id_valid(m->param[0])) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", m->param[0]);
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = testapi_db_row(&db, TESTAPI_SQL_RESULT_GET, 1, &m->param[0],
                             result_json, &found)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (!found) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", m->param[0]);
    }
    return testapi_send_json(r, HTTP_OK, found);
}

int testapi_results_update(request_rec *r, const testapi_match *m)
{
    const char *id = m->param[0], *trust = NULL, *err, *old = NULL;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    json_object *body, *found, *v;
    double current;
    testapi_db db;
    testapi_db_rc rc;
    int ret, more, nrows;

    if (!testapi_read_json(r, &body, &ret)) {
        return ret;
    }
    if (!body) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "No payload");
    }
    if (!json_object_is_type(body, json_type_object)) {
        return testapi_send_error(
            r, HTTP_BAD_REQUEST,
            "Bad Json format [the body must be a JSON object]");
    }
    if (testapi_json_member(body, "trust_indicator", json_type_null, &v) !=
            TESTAPI_FIELD_ABSENT &&
        (err = trust_parse(r->pool, body, &current, &trust))) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", err);
    }
    if (!testapi_id_valid(id)) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", id);
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = testapi_db_select(&db, TESTAPI_SQL_RESULT_TRUST, &res, 1,
                                m->param)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    while ((more = testapi_db_next(&db, res, &row)) > 0) {
        old = apr_pstrdup(r->pool, testapi_db_col(&db, row, 0));
    }
    if (more < 0) {
        return testapi_db_fail(&db, TESTAPI_DB_ERROR);
    }
    if (!old) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", id);
    }
    if (!trust || !strcmp(trust, old)) {
        return testapi_send_error(r, HTTP_FORBIDDEN, "Nothing to update");
    }
    {
        const char *args[3] = {apr_psprintf(r->pool, "%.17g", current), trust,
                               id};
        rc =
            testapi_db_exec(&db, TESTAPI_SQL_RESULT_SET_TRUST, &nrows, 3, args);
    }
    if (rc != TESTAPI_DB_OK ||
        (rc = testapi_db_row(&db, TESTAPI_SQL_RESULT_GET, 1, &id, result_json,
                             &found)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (!found) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", id);
    }
    return testapi_send_json(r, HTTP_OK, found);
}

/* ---- GET /api/v1/results ------------------------------------------------ */

/* Where a keyset batch starts. */
typedef struct cursor {
    int set;
    int inclusive;
    apr_int64_t t;
    char oid[TESTAPI_ID_LEN + 1];
} cursor;

/* Arguments of a composed statement: filters in bit order, then the
 * cursor, then up to two integers (LIMIT, OFFSET). */
static const void **query_args(apr_pool_t *pool, const testapi_query *q,
                               const cursor *cur, apr_int64_t *ints, int nints)
{
    const void **args = apr_pcalloc(pool, 20 * sizeof(*args));
    int n = 0, i;
    unsigned f = q->present;

    if (f & TESTAPI_Q_PROJECT)
        args[n++] = q->project;
    if (f & TESTAPI_Q_CASE)
        args[n++] = q->case_name;
    if (f & TESTAPI_Q_POD)
        args[n++] = q->pod;
    if (f & TESTAPI_Q_INSTALLER)
        args[n++] = q->installer;
    if (f & TESTAPI_Q_VERSION)
        args[n++] = q->version;
    if (f & TESTAPI_Q_SCENARIO)
        args[n++] = q->scenario;
    if (f & TESTAPI_Q_BUILD_TAG)
        args[n++] = q->build_tag;
    if (f & TESTAPI_Q_CRITERIA)
        args[n++] = q->criteria;
    if (f & TESTAPI_Q_TRUST)
        args[n++] = &q->trust;
    if (f & TESTAPI_Q_PERIOD)
        args[n++] = &q->since;
    if (f & TESTAPI_Q_FROM)
        args[n++] = &q->from;
    if (f & TESTAPI_Q_TO)
        args[n++] = &q->to;
    if (cur && cur->set) {
        args[n++] = &cur->t;
        args[n++] = &cur->t;
        args[n++] = cur->oid;
    }
    for (i = 0; i < nints; i++) {
        args[n++] = &ints[i];
    }
    return args;
}

static testapi_db_rc run_query(testapi_db *db, const testapi_query *q,
                               unsigned shape, const cursor *cur,
                               apr_int64_t *ints, int nints,
                               apr_dbd_results_t **res)
{
    apr_pool_t *p = db->pool;
    unsigned filters = q->present & TESTAPI_RSQL_FILTERS;

    return testapi_db_bselect(db, testapi_rsql_label(p, filters, shape),
                              testapi_rsql(p, filters, shape), res,
                              query_args(p, q, cur, ints, nints));
}

/* Reads a one-row answer's columns as strings (COUNT, NTH). */
static testapi_db_rc one_row(testapi_db *db, apr_dbd_results_t *res,
                             const char **c0, const char **c1)
{
    apr_dbd_row_t *row;
    int more;

    *c0 = *c1 = NULL;
    while ((more = testapi_db_next(db, res, &row)) > 0) {
        *c0 = apr_pstrdup(db->r->pool, testapi_db_col(db, row, 0));
        if (c1 != c0) {
            *c1 = apr_pstrdup(db->r->pool, testapi_db_col(db, row, 1));
        }
    }
    return more < 0 ? TESTAPI_DB_ERROR : TESTAPI_DB_OK;
}

/* ?page=N: one page of what last= kept, with the pagination object. */
static int list_page(testapi_db *db, const testapi_query *q)
{
    request_rec *r = db->r;
    apr_int64_t per = testapi_per_page(r), kept, pages, off, lim[2];
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    json_object *root, *list, *pag;
    const char *count;
    testapi_db_rc rc;
    int more, i, n;

    if ((rc = run_query(db, q, TESTAPI_RSQL_COUNT, NULL, NULL, 0, &res)) !=
            TESTAPI_DB_OK ||
        (rc = one_row(db, res, &count, &count)) != TESTAPI_DB_OK) {
        return testapi_db_fail(db, rc);
    }
    kept = count ? apr_atoi64(count) : 0;
    if (q->last > 0 && q->last < kept) {
        kept = q->last;
    }
    pages = (kept + per - 1) / per;
    if (pages > 0 && q->page > pages) {
        return testapi_send_error(
            r, HTTP_BAD_REQUEST,
            "Request page > total_pages [%" APR_INT64_T_FMT "]", pages);
    }
    root = testapi_json_object(r->pool);
    list = json_object_new_array();
    json_object_object_add(root, "results", list);
    /* page may be as large as INT64_MAX: compute the offset only for a
     * page that exists (then it is below kept, no overflow). */
    if (q->page <= pages) {
        off = (q->page - 1) * per;
        lim[0] = kept - off < per ? kept - off : per;
        /* In newest-first positions: oldest first pages count from the
         * other end of what was kept. */
        lim[1] = q->descend ? off : kept - off - lim[0];
        if ((rc = run_query(db, q, TESTAPI_RSQL_PAGE, NULL, lim, 2, &res)) !=
            TESTAPI_DB_OK) {
            return testapi_db_fail(db, rc);
        }
        while ((more = testapi_db_next(db, res, &row)) > 0) {
            json_object_array_add(list, result_json(db, row));
        }
        if (more < 0) {
            return testapi_db_fail(db, TESTAPI_DB_ERROR);
        }
        n = (int)json_object_array_length(list);
        for (i = 0; !q->descend && i < n / 2; i++) {
            json_object *a =
                json_object_get(json_object_array_get_idx(list, i));
            json_object *b =
                json_object_get(json_object_array_get_idx(list, n - 1 - i));
            json_object_array_put_idx(list, i, b);
            json_object_array_put_idx(list, n - 1 - i, a);
        }
    }
    pag = json_object_new_object();
    json_object_object_add(pag, "current_page", json_object_new_int64(q->page));
    json_object_object_add(pag, "total_pages", json_object_new_int64(pages));
    json_object_object_add(root, "pagination", pag);
    return testapi_send_json(r, HTTP_OK, root);
}

/*
 * Once the first bytes have left, an error can no longer become a JSON
 * error: end the response so that the client cannot take a truncated list
 * for a whole one (no last chunk, connection closed).
 */
static int stream_abort(request_rec *r, apr_bucket_brigade *bb, long rows)
{
    conn_rec *c = r->connection;

    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  TESTAPI_LOGNO(00007) "result list aborted after %ld rows",
                  rows);
    c->keepalive = AP_CONN_CLOSE;
    APR_BRIGADE_INSERT_TAIL(bb,
                            ap_bucket_error_create(HTTP_BAD_GATEWAY, NULL,
                                                   r->pool, c->bucket_alloc));
    APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(c->bucket_alloc));
    ap_pass_brigade(r->output_filters, bb);
    return OK;
}

/* Without page: the whole match (or the last N), streamed in batches. */
static int list_stream(testapi_db *db, const testapi_query *q)
{
    request_rec *r = db->r;
    apr_bucket_brigade *bb =
        apr_brigade_create(r->pool, r->connection->bucket_alloc);
    apr_int64_t remaining = q->last > 0 ? q->last : -1, lim[1];
    unsigned order = q->descend ? 0 : TESTAPI_RSQL_ASC;
    apr_dbd_results_t *res;
    apr_dbd_row_t *row;
    testapi_db_rc rc;
    cursor cur = {0, 0, 0, ""};
    long rows = 0;
    int more, started = 0;

    if (!q->descend && q->last > 0) {
        /* Oldest first of the newest N: start at the Nth newest. */
        const char *t, *oid;
        lim[0] = q->last - 1;
        if ((rc = run_query(db, q, TESTAPI_RSQL_NTH, NULL, lim, 1, &res)) !=
                TESTAPI_DB_OK ||
            (rc = one_row(db, res, &t, &oid)) != TESTAPI_DB_OK) {
            return testapi_db_fail(db, rc);
        }
        if (t && oid) {
            cur.set = cur.inclusive = 1;
            cur.t = apr_atoi64(t);
            apr_cpystrn(cur.oid, oid, sizeof(cur.oid));
        }
    }
    for (;;) {
        apr_pool_t *batch;
        unsigned shape = TESTAPI_RSQL_BATCH | order |
                         (cur.set ? TESTAPI_RSQL_CURSOR : 0) |
                         (cur.inclusive ? TESTAPI_RSQL_INCL : 0);
        long got = 0;

        lim[0] =
            remaining < 0 || remaining > BATCH_ROWS ? BATCH_ROWS : remaining;
        apr_pool_create(&batch, r->pool);
        db->pool = batch;
        rc = run_query(db, q, shape, &cur, lim, 1, &res);
        if (rc != TESTAPI_DB_OK) {
            db->pool = r->pool;
            return started ? stream_abort(r, bb, rows)
                           : testapi_db_fail(db, rc);
        }
        if (!started) {
            started = 1;
            testapi_send_head(r);
            apr_brigade_puts(bb, ap_filter_flush, r->output_filters,
                             "{\"results\":[");
        }
        while ((more = testapi_db_next(db, res, &row)) > 0) {
            json_object *obj = testapi_json_own(batch, result_json(db, row));
            apr_size_t len;
            const char *text = testapi_json_text(obj, &len);

            if (rows++ > 0) {
                apr_brigade_putc(bb, ap_filter_flush, r->output_filters, ',');
            }
            apr_brigade_write(bb, ap_filter_flush, r->output_filters, text,
                              len);
            got++;
            cur.t = apr_atoi64(testapi_db_col(db, row, TESTAPI_RCOL_T));
            apr_cpystrn(cur.oid, testapi_db_col(db, row, TESTAPI_RCOL_OID),
                        sizeof(cur.oid));
        }
        db->pool = r->pool;
        apr_pool_destroy(batch);
        if (more < 0) {
            return stream_abort(r, bb, rows);
        }
        if (ap_pass_brigade(r->output_filters, bb) != APR_SUCCESS ||
            r->connection->aborted) {
            /* The client went away: stop reading the database. */
            return OK;
        }
        apr_brigade_cleanup(bb);
        if (remaining > 0) {
            remaining -= got;
        }
        if (got < lim[0] || remaining == 0) {
            break;
        }
        cur.set = 1;
        cur.inclusive = 0;
    }
    apr_brigade_puts(bb, NULL, NULL, "]}");
    APR_BRIGADE_INSERT_TAIL(bb,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    ap_pass_brigade(r->output_filters, bb);
    return OK;
}

int testapi_results_list(request_rec *r, const testapi_match *m)
{
    testapi_query q;
    testapi_db db;
    testapi_db_rc rc;
    const char *err;

    (void)m;
    if ((err = testapi_query_parse(r->pool, r->args, TESTAPI_Q_RESULTS,
                                   r->request_time, &q))) {
        return testapi_send_error(r, HTTP_BAD_REQUEST, "%s", err);
    }
    if (r->header_only) {
        return testapi_send_head(r);
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (q.present & TESTAPI_Q_PAGE) {
        return list_page(&db, &q);
    }
    return list_stream(&db, &q);
}
