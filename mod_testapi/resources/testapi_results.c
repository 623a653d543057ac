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

#include "core/testapi_date.h"
#include "httpd/testapi_config.h"
#include "httpd/testapi_request.h"
#include "httpd/testapi_auth.h"
#include "resources/testapi_resources.h"
#include "storage/testapi_database.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_name.h"
#include "storage/testapi_result_scan.h"

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

/* The columns that are plain strings or null, after their JSON keys. */
static const struct {
    int col;
    const char *member;
} text_columns[] = {{TESTAPI_RCOL_INSTALLER, ",\"installer\":"},
                    {TESTAPI_RCOL_VERSION, ",\"version\":"},
                    {TESTAPI_RCOL_SCENARIO, ",\"scenario\":"},
                    {TESTAPI_RCOL_BUILD_TAG, ",\"build_tag\":"},
                    {TESTAPI_RCOL_CRITERIA, ",\"criteria\":"},
                    {TESTAPI_RCOL_START_DATE, ",\"start_date\":"},
                    {TESTAPI_RCOL_STOP_DATE, ",\"stop_date\":"},
                    {-1, NULL}};

static void add_str(testapi_buf *b, const char *text)
{
    testapi_buf_jstr(b, text ? text : "", text ? strlen(text) : 0);
}

/*
 * A result row as the contract's object, appended to b as JSON text:
 * written directly rather than through json-c objects (a list writes
 * thousands of them), with the bytes json-c would give.
 */
static void result_text(testapi_db *db, apr_dbd_row_t *row, testapi_buf *b)
{
    const char *text;
    apr_size_t len;
    int i;

    testapi_buf_lit(b, "{\"_id\":");
    add_str(b, testapi_db_col(db, row, TESTAPI_RCOL_OID));
    testapi_buf_lit(b, ",\"project_name\":");
    add_str(b, testapi_db_col(db, row, TESTAPI_RCOL_PROJECT));
    testapi_buf_lit(b, ",\"case_name\":");
    add_str(b, testapi_db_col(db, row, TESTAPI_RCOL_CASE));
    testapi_buf_lit(b, ",\"pod_name\":");
    add_str(b, testapi_db_col(db, row, TESTAPI_RCOL_POD));
    for (i = 0; text_columns[i].member; i++) {
        testapi_buf_add(b, text_columns[i].member,
                        strlen(text_columns[i].member));
        text = testapi_db_col(db, row, text_columns[i].col);
        if (text) {
            add_str(b, text);
        } else {
            testapi_buf_lit(b, "null");
        }
    }
    /* details and trust are JSON text already, kept verbatim. */
    testapi_buf_lit(b, ",\"details\":");
    text = testapi_db_text(db, row, TESTAPI_RCOL_DETAILS, &len);
    if (text) {
        testapi_buf_add(b, text, len);
    } else {
        testapi_buf_lit(b, "null");
    }
    testapi_buf_lit(b, ",\"trust_indicator\":");
    text = testapi_db_col(db, row, TESTAPI_RCOL_TRUST);
    if (text) {
        testapi_buf_add(b, text, strlen(text));
    } else {
        testapi_buf_lit(b, "null");
    }
    testapi_buf_lit(b, "}");
}

/* One result's row as the only text of the buffer ctx. */
static void result_row(testapi_db *db, apr_dbd_row_t *row, void *ctx)
{
    testapi_buf *b = ctx;

    b->len = 0;
    result_text(db, row, b);
}

/* One result by id, as JSON text into b; *found says whether it exists. */
static testapi_db_rc result_by_id(testapi_db *db, const char *id,
                                  testapi_buf *b, int *found)
{
    testapi_db_rc rc;

    b->len = 0;
    rc = testapi_db_each(db, TESTAPI_SQL_RESULT_GET, 1, &id, result_row, b);
    *found = b->len > 0;
    return rc;
}

/* The largest trust_indicator, in bytes of its JSON text: its column is a
 * TEXT, which holds 65,535 bytes. */
#define TRUST_MAX 65535

/* trust_indicator as a number or {"current", "histories"}: the JSON text
 * stored for it, and its current value.  NULL or the 400 message. */
static const char *trust_parse(apr_pool_t *pool, json_object *body,
                               double *current, const char **text)
{
    json_object *ti, *cur = NULL, *hist = NULL, *out;
    const char *json;
    apr_size_t len;

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
    json = testapi_json_text(out, &len);
    if (len > TRUST_MAX) {
        return apr_psprintf(pool,
                            "trust_indicator larger than %d bytes of JSON text",
                            TRUST_MAX);
    }
    *text = apr_pstrdup(pool, json);
    return NULL;
}

/* Which reference of a refused insert is missing: its 404. */
static int missing_reference(testapi_db *db, const char **ref)
{
    const char *args[4] = {ref[F_POD], ref[F_PROJECT], ref[F_PROJECT],
                           ref[F_CASE]};
    /* How many pods, projects, testcases have those names. */
    const char *found[3];
    testapi_db_rc rc;

    if ((rc = testapi_db_one(db, TESTAPI_SQL_RESULT_REFS, 4, args, found, 3)) !=
        TESTAPI_DB_OK) {
        return testapi_db_fail(db, rc);
    }
    if (!found[0] || !strcmp(found[0], "0")) {
        return testapi_send_error(db->r, HTTP_NOT_FOUND,
                                  "Could not find pod [%s]", ref[F_POD]);
    }
    if (!found[1] || !strcmp(found[1], "0")) {
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
    if ((err = testapi_fields_get(r->pool, body, testapi_result_ref_fields,
                                  val + F_POD)) ||
        (err = testapi_fields_get(r->pool, body, testapi_result_fields, val)) ||
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
    /* The project is in the body: no authorization provider could see it. */
    if (!testapi_auth_project(r, &db, val[F_PROJECT], &ret)) {
        return ret;
    }
    rc = testapi_db_insert(&db, TESTAPI_SQL_RESULT_INSERT, &nrows, 15, args, -1,
                           oid);
    if (rc != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (nrows == 0) {
        return missing_reference(&db, val);
    }
    return testapi_send_href(r, oid);
}

int testapi_results_get(request_rec *r, const testapi_match *m)
{
    testapi_buf b;
    testapi_db db;
    testapi_db_rc rc;
    int found;

    if (!testapi_id_valid(m->param[0])) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", m->param[0]);
    }
    testapi_buf_init(&b, r->pool, 4096);
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK ||
        (rc = result_by_id(&db, m->param[0], &b, &found)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (!found) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", m->param[0]);
    }
    return testapi_send_text(r, HTTP_OK, b.data, b.len);
}

int testapi_results_update(request_rec *r, const testapi_match *m)
{
    const char *id = m->param[0], *trust = NULL, *err, *old;
    json_object *body, *v;
    testapi_buf b;
    double current;
    testapi_db db;
    testapi_db_rc rc;
    int ret, nrows, found;

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
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (!testapi_auth_result(r, &db, id, &ret)) {
        return ret;
    }
    if ((rc = testapi_db_one(&db, TESTAPI_SQL_RESULT_TRUST, 1, m->param, &old,
                             1)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
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
    testapi_buf_init(&b, r->pool, 4096);
    if (rc != TESTAPI_DB_OK ||
        (rc = result_by_id(&db, id, &b, &found)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    if (!found) {
        return testapi_send_error(r, HTTP_NOT_FOUND,
                                  "Could not find result [%s]", id);
    }
    return testapi_send_text(r, HTTP_OK, b.data, b.len);
}

/* ---- GET /api/v1/results ------------------------------------------------ */

/* A row of a page, as its own JSON text pushed onto the array ctx. */
static void page_row(testapi_db *db, apr_dbd_row_t *row, void *ctx)
{
    testapi_buf one;

    testapi_buf_init(&one, db->pool, 2048);
    result_text(db, row, &one);
    APR_ARRAY_PUSH((apr_array_header_t *)ctx, testapi_buf) = one;
}

/* ?page=N: one page of what last= kept, with the pagination object. */
static int list_page(testapi_db *db, const testapi_query *q)
{
    request_rec *r = db->r;
    apr_int64_t per = testapi_per_page(r), kept, pages, off, lim[2];
    apr_dbd_results_t *res;
    apr_array_header_t *rows;
    testapi_buf b;
    const char *count;
    testapi_db_rc rc;
    int i;

    if ((rc = testapi_rscan_select(db, q, TESTAPI_RSQL_COUNT, NULL, 0, &res)) !=
            TESTAPI_DB_OK ||
        (rc = testapi_db_fetch_one(db, res, &count, 1)) != TESTAPI_DB_OK) {
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
    rows = apr_array_make(r->pool, 32, sizeof(testapi_buf));
    /* page may be as large as INT64_MAX: compute the offset only for a
     * page that exists (then it is below kept, no overflow). */
    if (q->page <= pages) {
        off = (q->page - 1) * per;
        lim[0] = kept - off < per ? kept - off : per;
        /* In newest-first positions: oldest first pages count from the
         * other end of what was kept. */
        lim[1] = q->descend ? off : kept - off - lim[0];
        if ((rc = testapi_rscan_select(db, q, TESTAPI_RSQL_PAGE, lim, 2,
                                       &res)) != TESTAPI_DB_OK ||
            (rc = testapi_db_fetch(db, res, page_row, rows)) != TESTAPI_DB_OK) {
            return testapi_db_fail(db, rc);
        }
    }
    testapi_buf_init(&b, r->pool, 16384);
    testapi_buf_lit(&b, "{\"results\":[");
    for (i = 0; i < rows->nelts; i++) {
        /* The page was read newest first: oldest first turns it round. */
        const testapi_buf *it = &APR_ARRAY_IDX(
            rows, q->descend ? i : rows->nelts - 1 - i, testapi_buf);
        if (i > 0) {
            testapi_buf_lit(&b, ",");
        }
        testapi_buf_add(&b, it->data, it->len);
    }
    count = apr_psprintf(r->pool,
                         "],\"pagination\":{\"current_page\":%" APR_INT64_T_FMT
                         ",\"total_pages\":%" APR_INT64_T_FMT "}}",
                         q->page, pages);
    testapi_buf_add(&b, count, strlen(count));
    return testapi_send_text(r, HTTP_OK, b.data, b.len);
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

/*
 * Without page: the whole match (or the last N), streamed in batches.
 * A list that ends within its first LIST_HOLD bytes (the newest ten of a
 * testcase, ...) is held and sent at once with a Content-Length: one write,
 * no chunks.  A longer one is sent as it is read, chunked, from the moment
 * it outgrows that or needs a second batch.
 */
#define LIST_HOLD (64 * 1024)

typedef struct stream_ctx {
    request_rec *r;
    apr_bucket_brigade *bb;
    testapi_buf text; /* one row's JSON, the buffer reused for each row */
    apr_off_t held;   /* bytes in bb while nothing has been sent */
    int sent;         /* bytes have left: an error can only cut */
    int gone;         /* the client went away */
} stream_ctx;

static void stream_send_head(stream_ctx *sc)
{
    if (!sc->sent) {
        testapi_send_head(sc->r);
        sc->sent = 1;
    }
}

static void stream_row(testapi_rscan *s, apr_dbd_row_t *row)
{
    stream_ctx *sc = s->ctx;
    testapi_buf *text = &sc->text;

    text->len = 0;
    if (s->rows > 0) {
        testapi_buf_lit(text, ",");
    }
    result_text(s->db, row, text);
    if (!sc->sent && sc->held + (apr_off_t)text->len > LIST_HOLD) {
        stream_send_head(sc); /* too long to hold: stream from here on */
    }
    if (sc->sent) {
        apr_brigade_write(sc->bb, ap_filter_flush, sc->r->output_filters,
                          text->data, text->len);
    } else {
        apr_brigade_write(sc->bb, NULL, NULL, text->data, text->len);
        sc->held += (apr_off_t)text->len;
    }
}

/* Another batch follows: what was written leaves; stop once the client
 * left. */
static int stream_batch_end(testapi_rscan *s)
{
    stream_ctx *sc = s->ctx;

    stream_send_head(sc);
    if (ap_pass_brigade(sc->r->output_filters, sc->bb) != APR_SUCCESS ||
        sc->r->connection->aborted) {
        sc->gone = 1;
        return 1;
    }
    apr_brigade_cleanup(sc->bb);
    return 0;
}

static int list_stream(testapi_db *db, const testapi_query *q)
{
    request_rec *r = db->r;
    stream_ctx sc = {0};
    testapi_rscan s = {0};
    testapi_db_rc rc;

    sc.r = r;
    sc.bb = apr_brigade_create(r->pool, r->connection->bucket_alloc);
    testapi_buf_init(&sc.text, r->pool, 4096);
    s.db = db;
    s.q = q;
    s.ctx = &sc;
    s.row = stream_row;
    s.batch_end = stream_batch_end;
    apr_brigade_puts(sc.bb, NULL, NULL, "{\"results\":[");
    sc.held = 12;
    rc = testapi_rscan_run(&s);
    if (rc != TESTAPI_DB_OK) {
        if (sc.sent) {
            return stream_abort(r, sc.bb, s.rows);
        }
        apr_brigade_cleanup(sc.bb);
        return testapi_db_fail(db, rc);
    }
    if (sc.gone) {
        /* The client went away: stop reading the database. */
        return OK;
    }
    apr_brigade_puts(sc.bb, NULL, NULL, "]}");
    if (!sc.sent) {
        /* The whole list is here: one answer with its length. */
        stream_send_head(&sc);
        ap_set_content_length(r, sc.held + 2);
    }
    APR_BRIGADE_INSERT_TAIL(sc.bb,
                            apr_bucket_eos_create(r->connection->bucket_alloc));
    ap_pass_brigade(r->output_filters, sc.bb);
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
