/*
 * Dashboard computation (see testapi_dashboard_computation.h).
 *
 * A result that lacks a path is skipped for what needs the path, never an
 * error.  Per-result series pass values through as stored unless declared
 * numeric; aggregates read numbers and numbers sent as strings, and skip
 * anything else.  The points of per-result graphs are kept as JSON text
 * only (in malloc'd buffers freed with the run's pool): a result leaves
 * nothing else behind.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "core/dashboard/testapi_dashboard_computation.h"
#include "core/testapi_json.h"

/* ---- text buffers ------------------------------------------------------ */

typedef struct tbuf {
    char *data;
    apr_size_t len, cap;
} tbuf;

static apr_status_t tbuf_free(void *data)
{
    tbuf *b = data;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    return APR_SUCCESS;
}

static tbuf *tbuf_make(apr_pool_t *pool)
{
    tbuf *b = apr_pcalloc(pool, sizeof(*b));
    apr_pool_cleanup_register(pool, b, tbuf_free, apr_pool_cleanup_null);
    return b;
}

static void tbuf_put(tbuf *b, const char *s, apr_size_t n)
{
    if (b->len + n + 1 > b->cap) {
        apr_size_t cap = b->cap ? b->cap : 256;
        char *d;
        while (cap < b->len + n + 1) {
            cap *= 2;
        }
        d = realloc(b->data, cap);
        if (!d) {
            abort(); /* as APR does when a pool cannot grow */
        }
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void tbuf_puts(tbuf *b, const char *s)
{
    tbuf_put(b, s, strlen(s));
}

/* ---- numbers ----------------------------------------------------------- */

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* [+-]? (d+ (. d*)? | . d+) ([eE] [+-]? d+)?, the whole of s[0..len). */
static int numeric_text(const char *s, apr_size_t len, double *out)
{
    apr_size_t i = 0, digits = 0;
    char buf[64];
    char *end;
    double d;

    while (len && is_space(*s)) {
        s++;
        len--;
    }
    while (len && is_space(s[len - 1])) {
        len--;
    }
    if (len == 0 || len >= sizeof(buf)) {
        return 0;
    }
    if (s[i] == '+' || s[i] == '-') {
        i++;
    }
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    if (i < len && s[i] == '.') {
        i++;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            digits++;
        }
    }
    if (!digits) {
        return 0;
    }
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        apr_size_t exp = 0;
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            i++;
            exp++;
        }
        if (!exp) {
            return 0;
        }
    }
    if (i != len) {
        return 0;
    }
    memcpy(buf, s, len);
    buf[len] = '\0';
    d = strtod(buf, &end);
    if (*end || !isfinite(d)) {
        return 0;
    }
    *out = d;
    return 1;
}

int testapi_dash_number(json_object *v, double *out)
{
    double d;

    if (!v) {
        return 0;
    }
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_double:
        d = json_object_get_double(v);
        if (!isfinite(d)) {
            return 0;
        }
        *out = d;
        return 1;
    case json_type_string:
        return numeric_text(json_object_get_string(v),
                            (apr_size_t)json_object_get_string_len(v), out);
    default:
        return 0;
    }
}

static double round_half_away(double d)
{
    return d < 0 ? -floor(-d + 0.5) : floor(d + 0.5);
}

int testapi_dash_seconds(json_object *v, double *out)
{
    const char *s, *colon;
    double whole = 0, sec;
    int parts = 0;

    if (!v) {
        return 0;
    }
    if (!json_object_is_type(v, json_type_string)) {
        if (!testapi_dash_number(v, &sec)) {
            return 0;
        }
        *out = round_half_away(sec);
        return 1;
    }
    s = json_object_get_string(v);
    while (is_space(*s)) {
        s++;
    }
    /* H:MM:SS.f or MM:SS.f: hours and minutes are whole numbers, only the
     * seconds may have a fraction. */
    while ((colon = strchr(s, ':')) != NULL) {
        double n = 0;
        if (colon == s || colon - s > 9 || ++parts > 2) {
            return 0;
        }
        for (; s < colon; s++) {
            if (*s < '0' || *s > '9') {
                return 0;
            }
            n = n * 10 + (*s - '0');
        }
        whole = whole * 60 + n;
        s = colon + 1;
    }
    if (parts && (*s < '0' || *s > '9')) {
        return 0; /* no sign, no space after a colon */
    }
    if (!numeric_text(s, strlen(s), &sec) || sec < 0) {
        return 0;
    }
    *out = round_half_away(whole * 60 + sec);
    return 1;
}

const char *testapi_dash_format_number(apr_pool_t *pool, double d)
{
    char buf[40];
    int prec;

    if (d == 0) {
        return "0"; /* and never "-0" */
    }
    if (fabs(d) < 1e15 && d == floor(d)) {
        return apr_psprintf(pool, "%.0f", d);
    }
    for (prec = 15; prec < 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            return apr_pstrdup(pool, buf);
        }
    }
    snprintf(buf, sizeof(buf), "%.17g", d);
    return apr_pstrdup(pool, buf);
}

/* ---- paths ------------------------------------------------------------- */

/* What paths are evaluated against. */
typedef struct scope {
    const testapi_dash_result *res;
    json_object *item; /* an element of "each", and its key or index */
    json_object *key;
    apr_pool_t *pool;
    json_object **fields; /* the envelope's strings as JSON, made once */
} scope;

static json_object *root_value(const testapi_dash_path *path, scope *sc)
{
    const char *s;

    switch (path->root) {
    case TESTAPI_DASH_ROOT_DETAILS:
        return sc->res->details;
    case TESTAPI_DASH_ROOT_ITEM:
        return sc->item;
    case TESTAPI_DASH_ROOT_KEY:
        return sc->key;
    default:
        s = sc->res->field[path->root];
        if (!s) {
            return NULL;
        }
        if (!sc->fields) {
            sc->fields = apr_pcalloc(sc->pool, TESTAPI_DASH_NFIELDS *
                                                   sizeof(*sc->fields));
        }
        if (!sc->fields[path->root]) {
            sc->fields[path->root] =
                testapi_json_own(sc->pool, json_object_new_string(s));
        }
        return sc->fields[path->root];
    }
}

/* The member name or index by which a value was reached. */
typedef struct keyref {
    const char *name; /* NULL: index */
    apr_size_t index;
} keyref;

typedef struct walk walk;
struct walk {
    scope *sc;
    int reached; /* a wildcard met an array or an object */
    int matches;
    int stop;
    /* called for every value at the path; non-zero stops the walk */
    int (*fn)(walk *w, json_object *v, const keyref *k);
    void *data;
};

static void walk_steps(walk *w, json_object *node, const testapi_dash_step *st,
                       int n, keyref k)
{
    json_object *child;
    apr_size_t i, len;

    if (w->stop || !node) {
        return; /* JSON null is no value */
    }
    if (n == 0) {
        w->matches++;
        if (w->fn(w, node, &k)) {
            w->stop = 1;
        }
        return;
    }
    switch (st->kind) {
    case TESTAPI_DASH_STEP_KEY:
        if (json_object_is_type(node, json_type_object) &&
            json_object_object_get_ex(node, st->key, &child)) {
            keyref nk = {st->key, 0};
            walk_steps(w, child, st + 1, n - 1, nk);
        }
        return;
    case TESTAPI_DASH_STEP_INDEX:
        if (json_object_is_type(node, json_type_array)) {
            long idx = st->index;
            len = json_object_array_length(node);
            if (idx < 0) {
                idx += (long)len;
            }
            if (idx >= 0 && (apr_size_t)idx < len) {
                keyref nk = {NULL, (apr_size_t)idx};
                walk_steps(w, json_object_array_get_idx(node, (size_t)idx),
                           st + 1, n - 1, nk);
            }
        }
        return;
    default:
        if (json_object_is_type(node, json_type_array)) {
            w->reached = 1;
            len = json_object_array_length(node);
            for (i = 0; i < len && !w->stop; i++) {
                keyref nk = {NULL, i};
                walk_steps(w, json_object_array_get_idx(node, i), st + 1, n - 1,
                           nk);
            }
        } else if (json_object_is_type(node, json_type_object)) {
            w->reached = 1;
            json_object_object_foreach(node, key, val)
            {
                keyref nk = {key, 0};
                if (w->stop) {
                    break;
                }
                walk_steps(w, val, st + 1, n - 1, nk);
            }
        }
        return;
    }
}

static void walk_path(walk *w, const testapi_dash_path *path)
{
    keyref k = {NULL, 0};
    w->reached = w->matches = w->stop = 0;
    walk_steps(w, root_value(path, w->sc), path->steps, path->nsteps, k);
}

static int in_set(const testapi_dash_set *set, json_object *v)
{
    int i;

    if (set->n == 0) {
        return 1;
    }
    for (i = 0; i < set->n; i++) {
        const testapi_dash_scalar *e = &set->v[i];
        switch (e->type) {
        case TESTAPI_DASH_STRING:
            if (json_object_is_type(v, json_type_string) &&
                (apr_size_t)json_object_get_string_len(v) == e->len &&
                !memcmp(json_object_get_string(v), e->s, e->len)) {
                return 1;
            }
            break;
        case TESTAPI_DASH_NUMBER:
            if ((json_object_is_type(v, json_type_int) ||
                 json_object_is_type(v, json_type_double)) &&
                json_object_get_double(v) == e->n) {
                return 1;
            }
            break;
        default:
            if (json_object_is_type(v, json_type_boolean) &&
                (json_object_get_boolean(v) ? 1.0 : 0.0) == e->n) {
                return 1;
            }
            break;
        }
    }
    return 0;
}

/* ---- values ------------------------------------------------------------ */

enum { MISSING = 0, NUM = 1, SENT = 2 };

typedef struct stats {
    double sum, min, max;
    long n;
    const testapi_dash_set *set;
    json_object *first;
} stats;

static int take_first(walk *w, json_object *v, const keyref *k)
{
    (void)k;
    ((stats *)w->data)->first = v;
    return 1;
}

static int take_number(walk *w, json_object *v, const keyref *k)
{
    stats *st = w->data;
    double d;

    (void)k;
    if (testapi_dash_number(v, &d)) {
        st->sum += d;
        if (st->n == 0 || d < st->min) {
            st->min = d;
        }
        if (st->n == 0 || d > st->max) {
            st->max = d;
        }
        st->n++;
    }
    return 0;
}

static int take_in_set(walk *w, json_object *v, const keyref *k)
{
    stats *st = w->data;

    (void)k;
    if (in_set(st->set, v)) {
        st->n++;
    }
    return 0;
}

static int eval(const testapi_dash_value *v, scope *sc, double *num,
                json_object **json);

static int eval_num(const testapi_dash_value *v, scope *sc, double *num)
{
    json_object *json = NULL;

    switch (eval(v, sc, num, &json)) {
    case NUM:
        return 1;
    case SENT:
        return testapi_dash_number(json, num);
    default:
        return 0;
    }
}

static int eval_op(const testapi_dash_value *v, scope *sc, double *num,
                   json_object **json)
{
    stats st;
    walk w;
    double a, b;
    int i, kind;

    memset(&st, 0, sizeof(st));
    memset(&w, 0, sizeof(w));
    w.sc = sc;
    w.data = &st;
    switch (v->op) {
    case TESTAPI_DASH_V_PATH:
        w.fn = take_first;
        walk_path(&w, &v->path);
        if (!st.first) {
            return MISSING;
        }
        switch (v->as) {
        case TESTAPI_DASH_AS_NUMBER:
            return testapi_dash_number(st.first, num) ? NUM : MISSING;
        case TESTAPI_DASH_AS_SECONDS:
            return testapi_dash_seconds(st.first, num) ? NUM : MISSING;
        default:
            *json = st.first;
            return SENT;
        }
    case TESTAPI_DASH_V_COUNT:
        st.set = &v->in;
        w.fn = take_in_set;
        walk_path(&w, &v->path);
        if (!w.matches && !w.reached) {
            return MISSING; /* nothing there to count */
        }
        *num = (double)st.n;
        return NUM;
    case TESTAPI_DASH_V_PERCENT:
    case TESTAPI_DASH_V_DIFF:
        if (!eval_num(&v->args[0], sc, &a) || !eval_num(&v->args[1], sc, &b)) {
            return MISSING;
        }
        if (v->op == TESTAPI_DASH_V_DIFF) {
            *num = a - b;
            return NUM;
        }
        if (b == 0) {
            return MISSING;
        }
        *num = 100 * a / b;
        return NUM;
    case TESTAPI_DASH_V_FIRST:
        for (i = 0; i < v->nargs; i++) {
            if ((kind = eval(&v->args[i], sc, num, json)) != MISSING) {
                return kind;
            }
        }
        return MISSING;
    default: /* AVG, MIN, MAX, SUM */
        w.fn = take_number;
        walk_path(&w, &v->path);
        if (st.n == 0) {
            return MISSING;
        }
        *num = v->op == TESTAPI_DASH_V_AVG   ? st.sum / (double)st.n
               : v->op == TESTAPI_DASH_V_MIN ? st.min
               : v->op == TESTAPI_DASH_V_MAX ? st.max
                                             : st.sum;
        return NUM;
    }
}

static int eval(const testapi_dash_value *v, scope *sc, double *num,
                json_object **json)
{
    int kind = eval_op(v, sc, num, json);

    if (kind == SENT && (v->has_scale || v->to_int)) {
        kind = testapi_dash_number(*json, num) ? NUM : MISSING;
    }
    if (kind == NUM) {
        if (v->has_scale) {
            *num *= v->scale;
        }
        if (v->to_int) {
            *num = trunc(*num);
        }
        if (!isfinite(*num)) {
            return MISSING;
        }
    }
    return kind;
}

/* ---- conditions -------------------------------------------------------- */

static int any_in(walk *w, json_object *v, const keyref *k)
{
    stats *st = w->data;
    (void)k;
    if (in_set(st->set, v)) {
        st->n = 1;
        return 1;
    }
    return 0;
}

static int all_in(walk *w, json_object *v, const keyref *k)
{
    stats *st = w->data;
    (void)k;
    if (!in_set(st->set, v)) {
        st->n = 1;
        return 1;
    }
    return 0;
}

static int test(const testapi_dash_cond *c, scope *sc)
{
    stats st;
    walk w;
    int i;

    switch (c->op) {
    case TESTAPI_DASH_C_ANY:
    case TESTAPI_DASH_C_ALL:
        memset(&st, 0, sizeof(st));
        memset(&w, 0, sizeof(w));
        st.set = &c->in;
        w.sc = sc;
        w.data = &st;
        w.fn = c->op == TESTAPI_DASH_C_ANY ? any_in : all_in;
        walk_path(&w, &c->path);
        /* any: one was found in the set; all: none was found outside */
        return c->op == TESTAPI_DASH_C_ANY ? st.n == 1 : st.n == 0;
    case TESTAPI_DASH_C_NOT:
        return !test(&c->args[0], sc);
    case TESTAPI_DASH_C_AND:
        for (i = 0; i < c->nargs; i++) {
            if (!test(&c->args[i], sc)) {
                return 0;
            }
        }
        return 1;
    default:
        for (i = 0; i < c->nargs; i++) {
            if (test(&c->args[i], sc)) {
                return 1;
            }
        }
        return 0;
    }
}

int testapi_dash_eval(const testapi_dash_value *v,
                      const testapi_dash_result *res, apr_pool_t *scratch,
                      double *num, json_object **json)
{
    scope sc = {res, NULL, NULL, scratch, NULL};
    return eval(v, &sc, num, json);
}

int testapi_dash_test(const testapi_dash_cond *c,
                      const testapi_dash_result *res, apr_pool_t *scratch)
{
    scope sc = {res, NULL, NULL, scratch, NULL};
    return test(c, &sc);
}

/* ---- aggregates -------------------------------------------------------- */

typedef struct astate astate;
struct astate {
    double sum, min, max;
    long n;
    astate *a, *b; /* PERCENT */
};

static astate *astate_make(apr_pool_t *pool, const testapi_dash_agg *a)
{
    astate *st = apr_pcalloc(pool, sizeof(*st));
    if (a->op == TESTAPI_DASH_A_PERCENT) {
        st->a = astate_make(pool, &a->args[0]);
        st->b = astate_make(pool, &a->args[1]);
    }
    return st;
}

static void agg_feed(const testapi_dash_agg *a, astate *st, scope *sc)
{
    double d;

    if (a->op == TESTAPI_DASH_A_PERCENT) {
        agg_feed(&a->args[0], st->a, sc);
        agg_feed(&a->args[1], st->b, sc);
        return;
    }
    if (a->where && !test(a->where, sc)) {
        return;
    }
    if (a->op == TESTAPI_DASH_A_COUNT) {
        st->n++;
        return;
    }
    if (eval_num(a->value, sc, &d)) {
        st->sum += d;
        if (st->n == 0 || d < st->min) {
            st->min = d;
        }
        if (st->n == 0 || d > st->max) {
            st->max = d;
        }
        st->n++;
    }
}

/* Undefined (nothing to average, a zero denominator) is 0: every bar
 * always has a number. */
static double agg_result(const testapi_dash_agg *a, const astate *st)
{
    double b;

    switch (a->op) {
    case TESTAPI_DASH_A_COUNT:
        return (double)st->n;
    case TESTAPI_DASH_A_SUM:
        return st->sum;
    case TESTAPI_DASH_A_AVG:
        return st->n ? st->sum / (double)st->n : 0;
    case TESTAPI_DASH_A_MIN:
        return st->n ? st->min : 0;
    case TESTAPI_DASH_A_MAX:
        return st->n ? st->max : 0;
    default:
        b = agg_result(&a->args[1], st->b);
        return b != 0 ? 100 * agg_result(&a->args[0], st->a) / b : 0;
    }
}

/* ---- graphs ------------------------------------------------------------ */

/* A point of a graph (or a label of a bar) from the newest result. */
typedef struct lpoint {
    double x;
    int xnum; /* x is a number: sortable */
    int seq;
    const char *text;
} lpoint;

/* Where a result stands in time order. */
typedef struct rkey {
    apr_int64_t t;
    char oid[32];
} rkey;

static void rkey_set(rkey *k, const testapi_dash_result *res)
{
    k->t = res->t;
    apr_cpystrn(k->oid, res->oid ? res->oid : "", sizeof(k->oid));
}

static int rkey_cmp(const rkey *a, const rkey *b)
{
    if (a->t != b->t) {
        return a->t < b->t ? -1 : 1;
    }
    return strcmp(a->oid, b->oid);
}

/* A point of a per-result graph: its result's place and its text. */
typedef struct point {
    rkey key;
    apr_size_t off, len;
} point;

/* The points of a per-result graph (malloc'd, freed with the run). */
typedef struct points {
    tbuf *text;
    point *v;
    apr_size_t n, cap;
    int sorted; /* they came in time order */
} points;

static apr_status_t points_free(void *data)
{
    points *ps = data;
    free(ps->v);
    ps->v = NULL;
    ps->n = ps->cap = 0;
    return APR_SUCCESS;
}

static points *points_make(apr_pool_t *pool)
{
    points *ps = apr_pcalloc(pool, sizeof(*ps));
    ps->text = tbuf_make(pool);
    ps->sorted = 1;
    apr_pool_cleanup_register(pool, ps, points_free, apr_pool_cleanup_null);
    return ps;
}

static void points_add(points *ps, const testapi_dash_result *res,
                       const char *text)
{
    point *pt;

    if (ps->n == ps->cap) {
        apr_size_t cap = ps->cap ? ps->cap * 2 : 64;
        point *v = realloc(ps->v, cap * sizeof(*v));
        if (!v) {
            abort(); /* as APR does when a pool cannot grow */
        }
        ps->v = v;
        ps->cap = cap;
    }
    pt = &ps->v[ps->n];
    rkey_set(&pt->key, res);
    pt->off = ps->text->len;
    pt->len = strlen(text);
    tbuf_put(ps->text, text, pt->len);
    if (ps->n > 0 && rkey_cmp(&ps->v[ps->n - 1].key, &pt->key) > 0) {
        ps->sorted = 0;
    }
    ps->n++;
}

static int by_key(const void *a, const void *b)
{
    const point *p = a, *q = b;
    int c = rkey_cmp(&p->key, &q->key);
    return c ? c : (p->off < q->off ? -1 : p->off > q->off);
}

typedef struct gstate {
    const testapi_dash_graph *g;
    points *points; /* GRAPH */
    astate **bars;
    /* *_LAST: the points of the newest result that had any (in cur), and
     * a pool for the next candidate */
    apr_pool_t *cur, *spare;
    apr_array_header_t *last;
    int have; /* last holds the points of the result at 'key' */
    rkey key;
} gstate;

struct testapi_dash_run {
    apr_pool_t *pool;
    const testapi_dash_project *p;
    const testapi_dash_case *c;
    const char *asked;
    int ng;
    gstate *g;
    long *total, *passed; /* status: per case */
};

/* JSON text of a value for an answer. */
static const char *value_text(apr_pool_t *pool, int kind, double num,
                              json_object *json)
{
    return kind == NUM ? testapi_dash_format_number(pool, num)
                       : testapi_json_text(json, NULL);
}

/* ",key:value" for each series that the scope has; NULL when none. */
static const char *series_text(const testapi_dash_graph *g, scope *sc,
                               apr_pool_t *pool)
{
    const char *text = NULL;
    int i;

    for (i = 0; i < g->nseries; i++) {
        double num = 0;
        json_object *json = NULL;
        int kind = eval(&g->series[i].value, sc, &num, &json);
        if (kind != MISSING) {
            text =
                apr_pstrcat(pool, text ? text : "", ",", g->series[i].key_json,
                            ":", value_text(sc->pool, kind, num, json), NULL);
        }
    }
    return text;
}

static void graph_feed(gstate *gs, scope *sc)
{
    const char *ys = series_text(gs->g, sc, sc->pool);

    if (!ys) {
        return; /* the result has none of the series */
    }
    points_add(gs->points, sc->res,
               apr_pstrcat(sc->pool, "{\"x\":",
                           sc->res->x ? testapi_json_quote(sc->pool, sc->res->x)
                                      : "null",
                           ys, "}", NULL));
}

typedef struct each_ctx {
    gstate *gs;
    apr_hash_t *labels; /* BAR_LAST: each label once */
} each_ctx;

static int each_element(walk *w, json_object *v, const keyref *k)
{
    each_ctx *ec = w->data;
    gstate *gs = ec->gs;
    const testapi_dash_graph *g = gs->g;
    apr_pool_t *pool = gs->spare;
    scope es = *w->sc;
    lpoint pt;
    double num = 0;
    json_object *json = NULL;
    int kind;

    es.item = v;
    es.key = testapi_json_own(
        w->sc->pool, k->name ? json_object_new_string(k->name)
                             : json_object_new_int64((int64_t)k->index));
    memset(&pt, 0, sizeof(pt));
    pt.seq = gs->last->nelts;
    if (g->kind == TESTAPI_DASH_GRAPH_LAST) {
        const char *ys;
        if ((kind = eval(&g->x, &es, &num, &json)) == MISSING ||
            !(ys = series_text(g, &es, pool))) {
            return 0;
        }
        pt.xnum = kind == NUM || testapi_dash_number(json, &num);
        pt.x = num;
        pt.text = apr_pstrcat(
            pool, "{\"x\":", value_text(pool, kind, num, json), ys, "}", NULL);
    } else {
        const char *label;
        double val;
        kind = eval(&g->label, &es, &num, &json);
        if (kind == NUM) {
            label = testapi_dash_format_number(pool, num);
        } else if (kind == SENT &&
                   json_object_is_type(json, json_type_string)) {
            label = json_object_get_string(json);
        } else {
            return 0;
        }
        if (apr_hash_get(ec->labels, label, APR_HASH_KEY_STRING) ||
            !eval_num(&g->value, &es, &val)) {
            return 0;
        }
        label = apr_pstrdup(pool, label);
        apr_hash_set(ec->labels, label, APR_HASH_KEY_STRING, label);
        pt.text = apr_pstrcat(pool, testapi_json_quote(w->sc->pool, label), ":",
                              testapi_dash_format_number(pool, val), NULL);
    }
    *(lpoint *)apr_array_push(gs->last) = pt;
    return 0;
}

/* The points of the newest result that has any. */
static void last_feed(gstate *gs, scope *sc)
{
    apr_array_header_t *prev = gs->last;
    each_ctx ec;
    walk w;
    rkey key;

    rkey_set(&key, sc->res);
    if (gs->have && rkey_cmp(&key, &gs->key) <= 0) {
        return; /* older than the one whose points are kept */
    }
    apr_pool_clear(gs->spare);
    gs->last = apr_array_make(gs->spare, 8, sizeof(lpoint));
    ec.gs = gs;
    ec.labels = apr_hash_make(gs->spare);
    memset(&w, 0, sizeof(w));
    w.sc = sc;
    w.data = &ec;
    w.fn = each_element;
    walk_path(&w, &gs->g->each);
    if (gs->last->nelts == 0) {
        gs->last = prev; /* nothing here: the older points stay */
    } else {
        apr_pool_t *p = gs->cur;
        gs->cur = gs->spare;
        gs->spare = p;
        gs->have = 1;
        gs->key = key;
    }
}

static int by_x(const void *a, const void *b)
{
    const lpoint *p = a, *q = b;

    if (p->xnum != q->xnum) {
        return p->xnum ? -1 : 1; /* numbers first */
    }
    if (p->xnum && p->x != q->x) {
        return p->x < q->x ? -1 : 1;
    }
    return p->seq - q->seq;
}

/* ---- runs -------------------------------------------------------------- */

testapi_dash_run *testapi_dash_run_make(apr_pool_t *pool,
                                        const testapi_dash_project *p,
                                        const testapi_dash_case *c,
                                        const char *asked)
{
    testapi_dash_run *run = apr_pcalloc(pool, sizeof(*run));
    int i, k;

    run->pool = pool;
    run->p = p;
    run->c = c;
    run->asked = apr_pstrdup(pool, asked);
    if (!c) {
        run->total = apr_pcalloc(pool, (apr_size_t)p->ncases * sizeof(long));
        run->passed = apr_pcalloc(pool, (apr_size_t)p->ncases * sizeof(long));
        return run;
    }
    run->ng = c->ngraphs;
    run->g = apr_pcalloc(pool, (apr_size_t)(c->ngraphs + 1) * sizeof(gstate));
    for (i = 0; i < c->ngraphs; i++) {
        gstate *gs = &run->g[i];
        gs->g = &c->graphs[i];
        switch (gs->g->kind) {
        case TESTAPI_DASH_GRAPH:
            gs->points = points_make(pool);
            break;
        case TESTAPI_DASH_BAR:
            gs->bars =
                apr_pcalloc(pool, (apr_size_t)gs->g->nbars * sizeof(astate *));
            for (k = 0; k < gs->g->nbars; k++) {
                gs->bars[k] = astate_make(pool, &gs->g->bars[k].agg);
            }
            break;
        default:
            apr_pool_create(&gs->cur, pool);
            apr_pool_create(&gs->spare, pool);
            gs->last = apr_array_make(gs->cur, 1, sizeof(lpoint));
            break;
        }
    }
    return run;
}

void testapi_dash_run_feed(testapi_dash_run *run,
                           const testapi_dash_result *res, apr_pool_t *scratch)
{
    scope sc = {res, NULL, NULL, scratch, NULL};
    int i, k;

    if (!run->c) {
        const char *name = res->field[TESTAPI_DASH_F_CASE];
        const testapi_dash_case *c =
            name ? testapi_dashdecl_case(run->p, name) : NULL;
        if (c) {
            i = (int)(c - run->p->cases);
            run->total[i]++;
            if (test(c->pass, &sc)) {
                run->passed[i]++;
            }
        }
        return;
    }
    for (i = 0; i < run->ng; i++) {
        gstate *gs = &run->g[i];
        switch (gs->g->kind) {
        case TESTAPI_DASH_GRAPH:
            graph_feed(gs, &sc);
            break;
        case TESTAPI_DASH_BAR:
            for (k = 0; k < gs->g->nbars; k++) {
                agg_feed(&gs->g->bars[k].agg, gs->bars[k], &sc);
            }
            break;
        default:
            last_feed(gs, &sc);
            break;
        }
    }
}

/* {"name":...,"info":{"type":"bar"},"data_set":[{"<case>":n,...}]} */
static void status_bar(testapi_dash_run *run, tbuf *out, const char *name,
                       int what)
{
    int i;

    tbuf_puts(out, ",{\"name\":");
    tbuf_puts(out, testapi_json_quote(run->pool, name));
    tbuf_puts(out, ",\"info\":{\"type\":\"bar\"},\"data_set\":[{");
    for (i = 0; i < run->p->ncases; i++) {
        long total = run->total[i], passed = run->passed[i];
        double v =
            what == 0
                ? (total ? round_half_away(10000.0 * passed / total) / 100 : 0)
            : what == 1 ? (double)total
                        : (double)passed;
        if (i) {
            tbuf_put(out, ",", 1);
        }
        tbuf_puts(out, run->p->cases[i].name_json);
        tbuf_put(out, ":", 1);
        tbuf_puts(out, testapi_dash_format_number(run->pool, v));
    }
    tbuf_puts(out, "}]}");
}

const char *testapi_dash_run_finish(testapi_dash_run *run, apr_size_t *len)
{
    tbuf *out = tbuf_make(run->pool);
    int i, k;

    tbuf_puts(out, "[{\"description\":");
    if (!run->c) {
        tbuf_puts(out, run->p->status_json);
        tbuf_put(out, "}", 1);
        status_bar(run, out, "pass rate (%)", 0);
        status_bar(run, out, "Nb tests", 1);
        status_bar(run, out, "Nb Success", 2);
        tbuf_put(out, "]", 1);
        *len = out->len;
        return out->data;
    }
    tbuf_puts(out, testapi_json_quote(
                       run->pool, apr_pstrcat(run->pool, run->asked,
                                              " results for Dashboard", NULL)));
    tbuf_put(out, "}", 1);
    for (i = 0; i < run->ng; i++) {
        gstate *gs = &run->g[i];
        const testapi_dash_graph *g = gs->g;

        tbuf_put(out, ",", 1);
        tbuf_puts(out, g->head_json);
        switch (g->kind) {
        case TESTAPI_DASH_GRAPH:
            if (!gs->points->sorted) {
                qsort(gs->points->v, gs->points->n, sizeof(point), by_key);
            }
            tbuf_put(out, "[", 1);
            for (k = 0; k < (int)gs->points->n; k++) {
                const point *pt = &gs->points->v[k];
                if (k) {
                    tbuf_put(out, ",", 1);
                }
                tbuf_put(out, gs->points->text->data + pt->off, pt->len);
            }
            tbuf_put(out, "]", 1);
            break;
        case TESTAPI_DASH_BAR:
            tbuf_put(out, "[{", 2);
            for (k = 0; k < g->nbars; k++) {
                if (k) {
                    tbuf_put(out, ",", 1);
                }
                tbuf_puts(out, g->bars[k].label_json);
                tbuf_put(out, ":", 1);
                tbuf_puts(out, testapi_dash_format_number(
                                   run->pool,
                                   agg_result(&g->bars[k].agg, gs->bars[k])));
            }
            tbuf_put(out, "}]", 2);
            break;
        default:
            if (g->sort) {
                qsort(gs->last->elts, (size_t)gs->last->nelts, sizeof(lpoint),
                      by_x);
            }
            tbuf_puts(out, g->kind == TESTAPI_DASH_BAR_LAST ? "[{" : "[");
            for (k = 0; k < gs->last->nelts; k++) {
                if (k) {
                    tbuf_put(out, ",", 1);
                }
                tbuf_puts(out, APR_ARRAY_IDX(gs->last, k, lpoint).text);
            }
            tbuf_puts(out, g->kind == TESTAPI_DASH_BAR_LAST ? "}]" : "]");
            break;
        }
        tbuf_put(out, "}", 1);
    }
    tbuf_put(out, "]", 1);
    *len = out->len;
    return out->data;
}

int testapi_dash_names(apr_pool_t *pool, const testapi_dash_project *p,
                       const testapi_dash_case *c, const char ***names)
{
    apr_array_header_t *list = apr_array_make(pool, 8, sizeof(const char *));
    int i, k;

    for (i = 0; i < p->ncases; i++) {
        const testapi_dash_case *one = c ? c : &p->cases[i];
        *(const char **)apr_array_push(list) = one->name;
        for (k = 0; k < one->naliases; k++) {
            *(const char **)apr_array_push(list) = one->aliases[k];
        }
        if (c) {
            break;
        }
    }
    *names = (const char **)list->elts;
    return list->nelts;
}
