/*
 * Dashboard declarations: parsing and checking (see
 * testapi_dashboard_declarations.h).
 *
 * Everything is checked here, once, so that a request never meets a
 * malformed declaration: unknown members, wrong types, unknown operators,
 * malformed paths, names declared twice.  A problem is reported with where
 * it is (project, case, graph, series or bar) and what is wrong.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "core/dashboard/testapi_dashboard_declarations.h"
#include "core/testapi_file.h"
#include "core/testapi_json.h"
#include "core/testapi_name.h"

/* A declaration file larger than this is surely not one. */
#define DECL_MAX_BYTES (16 * 1024 * 1024)

typedef struct tmpl {
    int n;
    const testapi_dash_graph *graphs;
} tmpl;

typedef struct ctx {
    apr_pool_t *pool; /* the declarations' */
    const char *err;
    apr_hash_t *templates; /* name -> tmpl */
} ctx;

static int fail(ctx *cx, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(ctx *cx, const char *where, const char *fmt, ...)
{
    va_list ap;
    const char *msg;

    va_start(ap, fmt);
    msg = apr_pvsprintf(cx->pool, fmt, ap);
    va_end(ap);
    cx->err = where ? apr_pstrcat(cx->pool, where, ": ", msg, NULL) : msg;
    return -1;
}

static const char *type_word(json_object *v)
{
    return v ? testapi_json_type_word(json_object_get_type(v)) : "null";
}

/* Refuses members other than those listed (NULL-terminated). */
static int only_members(ctx *cx, const char *where, json_object *obj,
                        const char *const *allowed)
{
    json_object_object_foreach(obj, key, val)
    {
        int i;
        (void)val;
        for (i = 0; allowed[i]; i++) {
            if (!strcmp(key, allowed[i])) {
                break;
            }
        }
        if (!allowed[i]) {
            return fail(cx, where, "unknown member \"%s\"", key);
        }
    }
    return 0;
}

/* A member that must be a non-empty string: 1 found, 0 absent, -1 bad. */
static int string_member(ctx *cx, const char *where, json_object *obj,
                         const char *key, int required, const char **out)
{
    json_object *v;

    *out = NULL;
    if (!json_object_object_get_ex(obj, key, &v)) {
        if (required) {
            return fail(cx, where, "\"%s\" missing", key);
        }
        return 0;
    }
    if (!json_object_is_type(v, json_type_string) ||
        json_object_get_string_len(v) == 0) {
        return fail(cx, where, "\"%s\" must be a non-empty string", key);
    }
    *out = json_object_get_string(v);
    if (strlen(*out) != (size_t)json_object_get_string_len(v)) {
        return fail(cx, where, "\"%s\" must not contain NUL", key);
    }
    *out = apr_pstrdup(cx->pool, *out);
    return 1;
}

/* A required member that must be a non-empty array: its length, or -1. */
static int array_member(ctx *cx, const char *where, json_object *obj,
                        const char *key, json_object **out)
{
    int n;

    if (!json_object_object_get_ex(obj, key, out)) {
        return fail(cx, where, "\"%s\" missing", key);
    }
    if (!*out || !json_object_is_type(*out, json_type_array) ||
        (n = (int)json_object_array_length(*out)) == 0) {
        return fail(cx, where, "\"%s\" must be a non-empty array", key);
    }
    return n;
}

/* ---- paths ---------------------------------------------------------- */

static const struct {
    const char *name;
    int root;
    testapi_dash_scope scope;
} roots[] = {
    {"details", TESTAPI_DASH_ROOT_DETAILS, TESTAPI_DASH_SCOPE_RESULT},
    {"project_name", TESTAPI_DASH_F_PROJECT, TESTAPI_DASH_SCOPE_RESULT},
    {"case_name", TESTAPI_DASH_F_CASE, TESTAPI_DASH_SCOPE_RESULT},
    {"pod_name", TESTAPI_DASH_F_POD, TESTAPI_DASH_SCOPE_RESULT},
    {"installer", TESTAPI_DASH_F_INSTALLER, TESTAPI_DASH_SCOPE_RESULT},
    {"version", TESTAPI_DASH_F_VERSION, TESTAPI_DASH_SCOPE_RESULT},
    {"scenario", TESTAPI_DASH_F_SCENARIO, TESTAPI_DASH_SCOPE_RESULT},
    {"build_tag", TESTAPI_DASH_F_BUILD_TAG, TESTAPI_DASH_SCOPE_RESULT},
    {"criteria", TESTAPI_DASH_F_CRITERIA, TESTAPI_DASH_SCOPE_RESULT},
    {"start_date", TESTAPI_DASH_F_START_DATE, TESTAPI_DASH_SCOPE_RESULT},
    {"stop_date", TESTAPI_DASH_F_STOP_DATE, TESTAPI_DASH_SCOPE_RESULT},
    {"item", TESTAPI_DASH_ROOT_ITEM, TESTAPI_DASH_SCOPE_ITEM},
    {"key", TESTAPI_DASH_ROOT_KEY, TESTAPI_DASH_SCOPE_ITEM},
};

/* ["..."]: a JSON string literal from s (at '"'); its end in *end. */
static const char *bracket_key(apr_pool_t *pool, const char *s,
                               const char **end)
{
    const char *p = s + 1;
    json_object *o = NULL;
    const char *why, *key = NULL;

    while (*p && *p != '"') {
        p += (*p == '\\' && p[1]) ? 2 : 1;
    }
    if (*p != '"' || p[1] != ']') {
        return NULL;
    }
    *end = p + 2;
    if (testapi_json_parse(pool, s, (apr_size_t)(p + 1 - s), &o, &why) ==
            TESTAPI_PARSE_OK &&
        json_object_is_type(o, json_type_string)) {
        key = apr_pstrmemdup(pool, json_object_get_string(o),
                             (apr_size_t)json_object_get_string_len(o));
        if (strlen(key) != (size_t)json_object_get_string_len(o)) {
            key = NULL; /* a NUL inside: no key can hold it */
        }
    }
    return key;
}

const char *testapi_dash_path_parse(apr_pool_t *pool, const char *text,
                                    testapi_dash_scope scope,
                                    testapi_dash_path *path)
{
    apr_array_header_t *steps =
        apr_array_make(pool, 4, sizeof(testapi_dash_step));
    const char *p = text;
    apr_size_t rlen = strcspn(text, ".[");
    const char *root = apr_pstrmemdup(pool, text, rlen);
    size_t i;

    path->root = -1;
    for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++) {
        if (roots[i].scope == scope && !strcmp(root, roots[i].name)) {
            path->root = roots[i].root;
        }
    }
    if (path->root < 0) {
        return apr_psprintf(
            pool, "path \"%s\": it must start with %s", text,
            scope == TESTAPI_DASH_SCOPE_ITEM
                ? "item or key"
                : "details or a field of the result (criteria, "
                  "installer, version, scenario, pod_name, build_tag, "
                  "start_date, stop_date, project_name, case_name)");
    }
    p += rlen;
    while (*p) {
        testapi_dash_step *st = apr_array_push(steps);
        const char *at = p;

        memset(st, 0, sizeof(*st));
        if (*p == '.') {
            apr_size_t n = strcspn(p + 1, ".[");
            if (n == 0) {
                return apr_psprintf(pool,
                                    "path \"%s\": empty member name at "
                                    "offset %d",
                                    text, (int)(at - text));
            }
            st->key = apr_pstrmemdup(pool, p + 1, n);
            if (strpbrk(st->key, "]\"")) {
                return apr_psprintf(pool,
                                    "path \"%s\": member name \"%s\" holds "
                                    "] or \": write it as [\"...\"]",
                                    text, st->key);
            }
            st->kind = strcmp(st->key, "*") ? TESTAPI_DASH_STEP_KEY
                                            : TESTAPI_DASH_STEP_ANY;
            p += 1 + n;
        } else if (*p != '[') {
            return apr_psprintf(pool,
                                "path \"%s\": expected . or [ at offset %d",
                                text, (int)(at - text));
        } else if (!strncmp(p, "[*]", 3)) {
            st->kind = TESTAPI_DASH_STEP_ANY;
            p += 3;
        } else if (p[1] == '"') {
            st->kind = TESTAPI_DASH_STEP_KEY;
            st->key = bracket_key(pool, p + 1, &p);
            if (!st->key) {
                return apr_psprintf(pool,
                                    "path \"%s\": malformed [\"...\"] at "
                                    "offset %d",
                                    text, (int)(at - text));
            }
        } else {
            char *end;
            long n = strtol(p + 1, &end, 10);
            if (end == p + 1 || *end != ']' || p[1] == '+' || p[1] == ' ' ||
                labs(n) > 1000000000L) {
                return apr_psprintf(pool,
                                    "path \"%s\": expected .name, .*, [n], "
                                    "[*] or [\"name\"] at offset %d",
                                    text, (int)(at - text));
            }
            st->kind = TESTAPI_DASH_STEP_INDEX;
            st->index = n;
            p = end + 1;
        }
    }
    if (steps->nelts && path->root != TESTAPI_DASH_ROOT_DETAILS &&
        path->root != TESTAPI_DASH_ROOT_ITEM) {
        return apr_psprintf(pool,
                            "path \"%s\": %s is a string, it has no "
                            "members",
                            text, root);
    }
    path->nsteps = steps->nelts;
    path->steps = (const testapi_dash_step *)steps->elts;
    path->text = apr_pstrdup(pool, text);
    return NULL;
}

static int parse_path(ctx *cx, const char *where, json_object *j,
                      testapi_dash_scope scope, testapi_dash_path *path)
{
    const char *err;

    if (!json_object_is_type(j, json_type_string)) {
        return fail(cx, where, "a path must be a string, not %s", type_word(j));
    }
    if (strlen(json_object_get_string(j)) !=
        (size_t)json_object_get_string_len(j)) {
        return fail(cx, where, "a path must not contain NUL");
    }
    err = testapi_dash_path_parse(cx->pool, json_object_get_string(j), scope,
                                  path);
    return err ? fail(cx, where, "%s", err) : 0;
}

/* ---- sets, values, conditions, aggregates --------------------------- */

static int parse_set(ctx *cx, const char *where, json_object *j,
                     testapi_dash_set *set)
{
    testapi_dash_scalar *v;
    size_t i, n;

    if (!json_object_is_type(j, json_type_array) ||
        (n = json_object_array_length(j)) == 0) {
        return fail(cx, where, "\"in\" must be a non-empty array");
    }
    v = apr_pcalloc(cx->pool, n * sizeof(*v));
    for (i = 0; i < n; i++) {
        json_object *e = json_object_array_get_idx(j, i);
        switch (e ? json_object_get_type(e) : json_type_null) {
        case json_type_string:
            v[i].type = TESTAPI_DASH_STRING;
            v[i].len = (apr_size_t)json_object_get_string_len(e);
            v[i].s =
                apr_pstrmemdup(cx->pool, json_object_get_string(e), v[i].len);
            break;
        case json_type_int:
        case json_type_double:
            v[i].type = TESTAPI_DASH_NUMBER;
            v[i].n = json_object_get_double(e);
            break;
        case json_type_boolean:
            v[i].type = TESTAPI_DASH_BOOLEAN;
            v[i].n = json_object_get_boolean(e) ? 1 : 0;
            break;
        default:
            return fail(cx, where,
                        "\"in\" holds %s: only strings, numbers and "
                        "booleans can be compared",
                        type_word(e));
        }
    }
    set->n = (int)n;
    set->v = v;
    return 0;
}

static const char *const value_ops[] = {"path",  "avg",   "min",     "max",
                                        "sum",   "count", "percent", "diff",
                                        "first", NULL};
static const testapi_dash_value_op value_op_codes[] = {
    TESTAPI_DASH_V_PATH,    TESTAPI_DASH_V_AVG,  TESTAPI_DASH_V_MIN,
    TESTAPI_DASH_V_MAX,     TESTAPI_DASH_V_SUM,  TESTAPI_DASH_V_COUNT,
    TESTAPI_DASH_V_PERCENT, TESTAPI_DASH_V_DIFF, TESTAPI_DASH_V_FIRST};

/* The one operator member of obj among ops: its index, or -1 (failed). */
static int one_operator(ctx *cx, const char *where, json_object *obj,
                        const char *const *ops, const char *what,
                        json_object **arg)
{
    int found = -1, i;

    for (i = 0; ops[i]; i++) {
        json_object *v;
        if (json_object_object_get_ex(obj, ops[i], &v)) {
            if (found >= 0) {
                return fail(cx, where,
                            "both \"%s\" and \"%s\": %s has one "
                            "operator",
                            ops[found], ops[i], what);
            }
            found = i;
            *arg = v;
        }
    }
    if (found < 0) {
        const char *list = "";
        for (i = 0; ops[i]; i++) {
            list = apr_pstrcat(cx->pool, list, i ? ", " : "", ops[i], NULL);
        }
        return fail(cx, where, "%s needs one of: %s", what, list);
    }
    return found;
}

static int parse_value(ctx *cx, const char *where, json_object *j,
                       testapi_dash_scope scope, testapi_dash_value *v);

/* The array of values of percent, diff and first. */
static int parse_value_args(ctx *cx, const char *where, json_object *arg,
                            const char *op, int exactly,
                            testapi_dash_scope scope, testapi_dash_value *v)
{
    testapi_dash_value *args;
    int i, n;

    if (!json_object_is_type(arg, json_type_array) ||
        (n = (int)json_object_array_length(arg)) == 0 ||
        (exactly && n != exactly)) {
        return exactly ? fail(cx, where,
                              "\"%s\" must be an array of %d "
                              "values",
                              op, exactly)
                       : fail(cx, where,
                              "\"%s\" must be a non-empty array "
                              "of values",
                              op);
    }
    args = apr_pcalloc(cx->pool, (apr_size_t)n * sizeof(*args));
    for (i = 0; i < n; i++) {
        const char *w =
            apr_psprintf(cx->pool, "%s, %s value %d", where, op, i + 1);
        if (parse_value(cx, w, json_object_array_get_idx(arg, i), scope,
                        &args[i])) {
            return -1;
        }
    }
    v->nargs = n;
    v->args = args;
    return 0;
}

static int parse_value(ctx *cx, const char *where, json_object *j,
                       testapi_dash_scope scope, testapi_dash_value *v)
{
    static const char *const members[] = {
        "path", "avg",   "min", "max", "sum",   "count", "percent",
        "diff", "first", "as",  "in",  "scale", "int",   NULL};
    json_object *arg = NULL, *m;
    int op;

    memset(v, 0, sizeof(*v));
    if (j && json_object_is_type(j, json_type_string)) {
        v->op = TESTAPI_DASH_V_PATH;
        return parse_path(cx, where, j, scope, &v->path);
    }
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "a value is a path or an object, not %s",
                    type_word(j));
    }
    if (only_members(cx, where, j, members) ||
        (op = one_operator(cx, where, j, value_ops, "a value", &arg)) < 0) {
        return -1;
    }
    v->op = value_op_codes[op];
    switch (v->op) {
    case TESTAPI_DASH_V_PERCENT:
    case TESTAPI_DASH_V_DIFF:
        if (parse_value_args(cx, where, arg, value_ops[op], 2, scope, v)) {
            return -1;
        }
        break;
    case TESTAPI_DASH_V_FIRST:
        if (parse_value_args(cx, where, arg, value_ops[op], 0, scope, v)) {
            return -1;
        }
        break;
    default:
        if (parse_path(cx, where, arg, scope, &v->path)) {
            return -1;
        }
        break;
    }
    if (json_object_object_get_ex(j, "as", &m)) {
        const char *as = m && json_object_is_type(m, json_type_string)
                             ? json_object_get_string(m)
                             : "";
        if (v->op != TESTAPI_DASH_V_PATH) {
            return fail(cx, where, "\"as\" goes with \"path\" only");
        }
        if (!strcmp(as, "number")) {
            v->as = TESTAPI_DASH_AS_NUMBER;
        } else if (!strcmp(as, "seconds")) {
            v->as = TESTAPI_DASH_AS_SECONDS;
        } else if (!strcmp(as, "sent")) {
            v->as = TESTAPI_DASH_AS_SENT;
        } else {
            return fail(cx, where,
                        "\"as\" must be \"number\", \"seconds\" or \"sent\"");
        }
    }
    if (json_object_object_get_ex(j, "in", &m)) {
        if (v->op != TESTAPI_DASH_V_COUNT) {
            return fail(cx, where, "\"in\" goes with \"count\" only");
        }
        if (parse_set(cx, where, m, &v->in)) {
            return -1;
        }
    }
    if (json_object_object_get_ex(j, "scale", &m)) {
        if (!m ||
            !(json_object_is_type(m, json_type_int) ||
              json_object_is_type(m, json_type_double)) ||
            !isfinite(json_object_get_double(m))) {
            return fail(cx, where, "\"scale\" must be a number");
        }
        v->has_scale = 1;
        v->scale = json_object_get_double(m);
    }
    if (json_object_object_get_ex(j, "int", &m)) {
        if (!m || !json_object_is_type(m, json_type_boolean)) {
            return fail(cx, where, "\"int\" must be true or false");
        }
        v->to_int = json_object_get_boolean(m);
    }
    return 0;
}

static int parse_cond(ctx *cx, const char *where, json_object *j,
                      testapi_dash_cond *c)
{
    static const char *const ops[] = {"any", "all", "not", "and", "or", NULL};
    static const char *const with_in[] = {"any", "all", "in", NULL};
    json_object *arg = NULL, *in;
    testapi_dash_cond *args;
    int op, i, n;

    memset(c, 0, sizeof(*c));
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "a condition is an object, not %s",
                    type_word(j));
    }
    if ((op = one_operator(cx, where, j, ops, "a condition", &arg)) < 0) {
        return -1;
    }
    c->op = (testapi_dash_cond_op)op; /* in the order of ops */
    switch (c->op) {
    case TESTAPI_DASH_C_ANY:
    case TESTAPI_DASH_C_ALL:
        if (only_members(cx, where, j, with_in) ||
            parse_path(cx, where, arg, TESTAPI_DASH_SCOPE_RESULT, &c->path)) {
            return -1;
        }
        if (!json_object_object_get_ex(j, "in", &in)) {
            return fail(cx, where, "\"in\" missing");
        }
        return parse_set(cx, where, in, &c->in);
    case TESTAPI_DASH_C_NOT:
        if (json_object_object_length(j) != 1) {
            return fail(cx, where, "\"not\" takes no other member");
        }
        c->nargs = 1;
        c->args = args = apr_pcalloc(cx->pool, sizeof(*args));
        return parse_cond(cx, apr_pstrcat(cx->pool, where, ", not", NULL), arg,
                          args);
    default:
        if (json_object_object_length(j) != 1) {
            return fail(cx, where, "\"%s\" takes no other member", ops[op]);
        }
        if (!json_object_is_type(arg, json_type_array) ||
            (n = (int)json_object_array_length(arg)) == 0) {
            return fail(cx, where,
                        "\"%s\" must be a non-empty array of conditions",
                        ops[op]);
        }
        c->nargs = n;
        c->args = args = apr_pcalloc(cx->pool, (apr_size_t)n * sizeof(*args));
        for (i = 0; i < n; i++) {
            if (parse_cond(cx,
                           apr_psprintf(cx->pool, "%s, %s condition %d", where,
                                        ops[op], i + 1),
                           json_object_array_get_idx(arg, i), &args[i])) {
                return -1;
            }
        }
        return 0;
    }
}

static int parse_agg(ctx *cx, const char *where, json_object *j,
                     testapi_dash_agg *a)
{
    static const char *const ops[] = {"count", "sum",     "avg", "min",
                                      "max",   "percent", NULL};
    static const char *const members[] = {"count", "sum",     "avg",   "min",
                                          "max",   "percent", "where", NULL};
    json_object *arg = NULL, *w;
    int op, i;

    memset(a, 0, sizeof(*a));
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "an aggregate is an object, not %s",
                    type_word(j));
    }
    if (only_members(cx, where, j, members) ||
        (op = one_operator(cx, where, j, ops, "an aggregate", &arg)) < 0) {
        return -1;
    }
    a->op = (testapi_dash_agg_op)op; /* in the order of ops */
    if (json_object_object_get_ex(j, "where", &w)) {
        testapi_dash_cond *c = apr_pcalloc(cx->pool, sizeof(*c));
        if (a->op == TESTAPI_DASH_A_PERCENT) {
            return fail(cx, where,
                        "\"where\" goes on the two aggregates of "
                        "\"percent\", not on it");
        }
        if (parse_cond(cx, apr_pstrcat(cx->pool, where, ", where", NULL), w,
                       c)) {
            return -1;
        }
        a->where = c;
    }
    switch (a->op) {
    case TESTAPI_DASH_A_COUNT:
        if (!arg || !json_object_is_type(arg, json_type_boolean) ||
            !json_object_get_boolean(arg)) {
            return fail(cx, where,
                        "\"count\" must be true (it counts "
                        "results; count values with a value's "
                        "count inside \"sum\")");
        }
        return 0;
    case TESTAPI_DASH_A_PERCENT: {
        testapi_dash_agg *args;
        if (!json_object_is_type(arg, json_type_array) ||
            json_object_array_length(arg) != 2) {
            return fail(cx, where,
                        "\"percent\" must be an array of 2 aggregates");
        }
        a->args = args = apr_pcalloc(cx->pool, 2 * sizeof(*args));
        for (i = 0; i < 2; i++) {
            if (parse_agg(cx,
                          apr_psprintf(cx->pool, "%s, percent aggregate %d",
                                       where, i + 1),
                          json_object_array_get_idx(arg, i), &args[i])) {
                return -1;
            }
        }
        return 0;
    }
    default: {
        testapi_dash_value *v = apr_pcalloc(cx->pool, sizeof(*v));
        a->value = v;
        return parse_value(cx, where, arg, TESTAPI_DASH_SCOPE_RESULT, v);
    }
    }
}

/* ---- graphs and bars ------------------------------------------------ */

static int parse_series(ctx *cx, const char *where, json_object *j,
                        testapi_dash_scope scope, testapi_dash_graph *g,
                        const char **labels_json)
{
    static const char *const members[] = {"label", "value", NULL};
    testapi_dash_series *series;
    int i, n;
    const char *info = "";

    if ((n = array_member(cx, where, j, "series", &j)) < 0) {
        return -1;
    }
    series = apr_pcalloc(cx->pool, (apr_size_t)n * sizeof(*series));
    for (i = 0; i < n; i++) {
        json_object *s = json_object_array_get_idx(j, i), *val;
        const char *w = apr_psprintf(cx->pool, "%s, series %d", where, i + 1);
        const char *label, *key;

        if (!s || !json_object_is_type(s, json_type_object)) {
            return fail(cx, w, "a series is an object {\"label\", \"value\"}");
        }
        if (only_members(cx, w, s, members) ||
            string_member(cx, w, s, "label", 1, &label) < 0) {
            return -1;
        }
        if (!json_object_object_get_ex(s, "value", &val)) {
            return fail(cx, w, "\"value\" missing");
        }
        if (parse_value(cx, w, val, scope, &series[i].value)) {
            return -1;
        }
        key = n == 1 ? "y" : apr_psprintf(cx->pool, "y%d", i + 1);
        series[i].key_json = testapi_json_quote(cx->pool, key);
        info = apr_pstrcat(
            cx->pool, info, ",",
            testapi_json_quote(cx->pool,
                               apr_pstrcat(cx->pool, key, "label", NULL)),
            ":", testapi_json_quote(cx->pool, label), NULL);
    }
    g->nseries = n;
    g->series = series;
    *labels_json = info;
    return 0;
}

static int parse_bars(ctx *cx, const char *where, json_object *j,
                      testapi_dash_graph *g)
{
    static const char *const members[] = {"label", "value", NULL};
    testapi_dash_bar *bars;
    apr_hash_t *seen = apr_hash_make(cx->pool);
    int i, n;

    if ((n = array_member(cx, where, j, "bars", &j)) < 0) {
        return -1;
    }
    bars = apr_pcalloc(cx->pool, (apr_size_t)n * sizeof(*bars));
    for (i = 0; i < n; i++) {
        json_object *b = json_object_array_get_idx(j, i), *val;
        const char *w = apr_psprintf(cx->pool, "%s, bar %d", where, i + 1);
        const char *label;

        if (!b || !json_object_is_type(b, json_type_object)) {
            return fail(cx, w, "a bar is an object {\"label\", \"value\"}");
        }
        if (only_members(cx, w, b, members) ||
            string_member(cx, w, b, "label", 1, &label) < 0) {
            return -1;
        }
        w = apr_psprintf(cx->pool, "%s, bar \"%s\"", where, label);
        if (apr_hash_get(seen, label, APR_HASH_KEY_STRING)) {
            return fail(cx, w, "label declared twice");
        }
        apr_hash_set(seen, label, APR_HASH_KEY_STRING, label);
        if (!json_object_object_get_ex(b, "value", &val)) {
            return fail(cx, w, "\"value\" missing");
        }
        if (parse_agg(cx, w, val, &bars[i].agg)) {
            return -1;
        }
        bars[i].label_json = testapi_json_quote(cx->pool, label);
    }
    g->nbars = n;
    g->bars = bars;
    return 0;
}

/* A member that must be there, as a value of the given scope. */
static int value_member(ctx *cx, const char *where, json_object *obj,
                        const char *key, testapi_dash_scope scope,
                        testapi_dash_value *v)
{
    json_object *m;

    if (!json_object_object_get_ex(obj, key, &m)) {
        return fail(cx, where, "\"%s\" missing", key);
    }
    return parse_value(cx, apr_pstrcat(cx->pool, where, ", ", key, NULL), m,
                       scope, v);
}

/* "each" of a graph or bar read from the newest result: a path into it. */
static int each_member(ctx *cx, const char *where, json_object *j,
                       testapi_dash_graph *g)
{
    json_object *m;

    if (!json_object_object_get_ex(j, "each", &m)) {
        return fail(cx, where, "\"each\" missing");
    }
    return parse_path(cx, apr_pstrcat(cx->pool, where, ", each", NULL), m,
                      TESTAPI_DASH_SCOPE_RESULT, &g->each);
}

static int parse_graph(ctx *cx, const char *where, json_object *j,
                       testapi_dash_graph *g)
{
    static const char *const graph_members[] = {"name", "type", "xlabel",
                                                "series", NULL};
    static const char *const last_graph_members[] = {
        "name", "type", "from", "each", "x", "xlabel", "series", "sort", NULL};
    static const char *const bar_members[] = {"name", "type", "bars", NULL};
    static const char *const last_bar_members[] = {
        "name", "type", "from", "each", "label", "value", NULL};
    const char *type, *from, *xlabel = NULL, *labels = "";
    json_object *m;
    int last;

    memset(g, 0, sizeof(*g));
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "a graph is an object, not %s", type_word(j));
    }
    if (string_member(cx, where, j, "name", 1, &g->name) < 0) {
        return -1;
    }
    where = apr_psprintf(cx->pool, "%s (\"%s\")", where, g->name);
    if (string_member(cx, where, j, "type", 1, &type) < 0 ||
        string_member(cx, where, j, "from", 0, &from) < 0) {
        return -1;
    }
    if (strcmp(type, "graph") && strcmp(type, "bar")) {
        return fail(cx, where, "\"type\" must be \"graph\" or \"bar\"");
    }
    if (from && strcmp(from, "last")) {
        return fail(cx, where,
                    "\"from\" can only be \"last\" (the newest "
                    "result)");
    }
    last = from != NULL;
    if (!strcmp(type, "graph")) {
        g->kind = last ? TESTAPI_DASH_GRAPH_LAST : TESTAPI_DASH_GRAPH;
        if (only_members(cx, where, j,
                         last ? last_graph_members : graph_members) ||
            string_member(cx, where, j, "xlabel", last, &xlabel) < 0) {
            return -1;
        }
        if (last) {
            if (each_member(cx, where, j, g) ||
                value_member(cx, where, j, "x", TESTAPI_DASH_SCOPE_ITEM,
                             &g->x)) {
                return -1;
            }
            if (json_object_object_get_ex(j, "sort", &m)) {
                if (!m || !json_object_is_type(m, json_type_boolean)) {
                    return fail(cx, where, "\"sort\" must be true or false");
                }
                g->sort = json_object_get_boolean(m);
            }
        }
        if (parse_series(cx, where, j,
                         last ? TESTAPI_DASH_SCOPE_ITEM
                              : TESTAPI_DASH_SCOPE_RESULT,
                         g, &labels)) {
            return -1;
        }
        g->head_json = apr_pstrcat(
            cx->pool, "{\"name\":", testapi_json_quote(cx->pool, g->name),
            ",\"info\":{\"type\":\"graph\",\"xlabel\":",
            testapi_json_quote(cx->pool, xlabel ? xlabel : "time"), labels,
            "},\"data_set\":", NULL);
        return 0;
    }
    g->kind = last ? TESTAPI_DASH_BAR_LAST : TESTAPI_DASH_BAR;
    if (only_members(cx, where, j, last ? last_bar_members : bar_members)) {
        return -1;
    }
    if (last) {
        if (each_member(cx, where, j, g) ||
            value_member(cx, where, j, "label", TESTAPI_DASH_SCOPE_ITEM,
                         &g->label) ||
            value_member(cx, where, j, "value", TESTAPI_DASH_SCOPE_ITEM,
                         &g->value)) {
            return -1;
        }
    } else if (parse_bars(cx, where, j, g)) {
        return -1;
    }
    g->head_json = apr_pstrcat(
        cx->pool, "{\"name\":", testapi_json_quote(cx->pool, g->name),
        ",\"info\":{\"type\":\"bar\"},\"data_set\":", NULL);
    return 0;
}

static int parse_graphs(ctx *cx, const char *where, json_object *j, int *n,
                        const testapi_dash_graph **out)
{
    testapi_dash_graph *graphs;
    int i;

    if (!j || !json_object_is_type(j, json_type_array)) {
        return fail(cx, where,
                    "\"graphs\" must be an array of graphs or "
                    "the name of a template");
    }
    *n = (int)json_object_array_length(j);
    graphs = apr_pcalloc(cx->pool, (apr_size_t)(*n + 1) * sizeof(*graphs));
    for (i = 0; i < *n; i++) {
        if (parse_graph(cx,
                        apr_psprintf(cx->pool, "%s, graph %d", where, i + 1),
                        json_object_array_get_idx(j, i), &graphs[i])) {
            return -1;
        }
    }
    *out = graphs;
    return 0;
}

/* ---- cases and projects --------------------------------------------- */

static int check_name(ctx *cx, const char *where, const char *what,
                      const char *name)
{
    const char *why = testapi_name_check(name, strlen(name));
    return why ? fail(cx, where, "%s \"%s\": %s", what, name, why) : 0;
}

static int parse_case(ctx *cx, const char *where, const char *name,
                      json_object *j, testapi_dash_case *c)
{
    static const char *const members[] = {"aliases", "pass", "graphs", NULL};
    json_object *m;

    memset(c, 0, sizeof(*c));
    c->name = apr_pstrdup(cx->pool, name);
    c->name_json = testapi_json_quote(cx->pool, name);
    if (check_name(cx, where, "case name", name)) {
        return -1;
    }
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "a case is an object, not %s", type_word(j));
    }
    if (only_members(cx, where, j, members)) {
        return -1;
    }
    if (json_object_object_get_ex(j, "aliases", &m)) {
        const char **aliases;
        int i, n;
        if (!m || !json_object_is_type(m, json_type_array)) {
            return fail(cx, where, "\"aliases\" must be an array of names");
        }
        n = (int)json_object_array_length(m);
        aliases = apr_pcalloc(cx->pool, (apr_size_t)(n + 1) * sizeof(char *));
        for (i = 0; i < n; i++) {
            json_object *a = json_object_array_get_idx(m, i);
            if (!a || !json_object_is_type(a, json_type_string)) {
                return fail(cx, where,
                            "\"aliases\" must be an array of "
                            "names");
            }
            aliases[i] =
                apr_pstrmemdup(cx->pool, json_object_get_string(a),
                               (apr_size_t)json_object_get_string_len(a));
            if (strlen(aliases[i]) != (size_t)json_object_get_string_len(a)) {
                return fail(cx, where, "an alias must not contain NUL");
            }
            if (check_name(cx, where, "alias", aliases[i])) {
                return -1;
            }
        }
        c->naliases = n;
        c->aliases = aliases;
    }
    if (json_object_object_get_ex(j, "pass", &m)) {
        testapi_dash_cond *pass = apr_pcalloc(cx->pool, sizeof(*pass));
        if (parse_cond(cx, apr_pstrcat(cx->pool, where, ", pass", NULL), m,
                       pass)) {
            return -1;
        }
        c->pass = pass;
    }
    if (!json_object_object_get_ex(j, "graphs", &m)) {
        return fail(cx, where, "\"graphs\" missing");
    }
    if (m && json_object_is_type(m, json_type_string)) {
        const tmpl *t = apr_hash_get(cx->templates, json_object_get_string(m),
                                     APR_HASH_KEY_STRING);
        if (!t) {
            return fail(cx, where, "no template \"%s\"",
                        json_object_get_string(m));
        }
        c->ngraphs = t->n;
        c->graphs = t->graphs;
        return 0;
    }
    return parse_graphs(cx, where, m, &c->ngraphs, &c->graphs);
}

/* Every name and alias of a project's cases is unique, and none is
 * "status". */
static int check_case_names(ctx *cx, const char *where,
                            const testapi_dash_project *p)
{
    apr_hash_t *seen = apr_hash_make(cx->pool);
    int i, k;

    for (i = 0; i < p->ncases; i++) {
        const testapi_dash_case *c = &p->cases[i];
        for (k = -1; k < c->naliases; k++) {
            const char *name = k < 0 ? c->name : c->aliases[k];
            const char *owner = apr_hash_get(seen, name, APR_HASH_KEY_STRING);
            const char *w =
                apr_psprintf(cx->pool, "%s, case \"%s\"", where, c->name);
            if (!strcmp(name, TESTAPI_DASH_STATUS)) {
                return fail(cx, w,
                            "\"%s\" names the project's status, not "
                            "a case",
                            name);
            }
            if (owner) {
                return fail(cx, w,
                            "\"%s\" is declared twice (also by case "
                            "\"%s\")",
                            name, owner);
            }
            apr_hash_set(seen, name, APR_HASH_KEY_STRING, c->name);
        }
    }
    return 0;
}

static int parse_project(ctx *cx, const char *name, json_object *j,
                         testapi_dash_project *p)
{
    static const char *const members[] = {"status", "cases", NULL};
    const char *where = apr_psprintf(cx->pool, "project \"%s\"", name);
    const char *status;
    testapi_dash_case *cases;
    json_object *m;
    int i = 0;

    memset(p, 0, sizeof(*p));
    p->name = apr_pstrdup(cx->pool, name);
    if (check_name(cx, NULL, "project name", name)) {
        return -1;
    }
    if (!j || !json_object_is_type(j, json_type_object)) {
        return fail(cx, where, "a project is an object, not %s", type_word(j));
    }
    if (only_members(cx, where, j, members) ||
        string_member(cx, where, j, "status", 0, &status) < 0) {
        return -1;
    }
    p->status_json = status ? testapi_json_quote(cx->pool, status) : NULL;
    if (!json_object_object_get_ex(j, "cases", &m)) {
        return fail(cx, where, "\"cases\" missing");
    }
    if (!m || !json_object_is_type(m, json_type_object)) {
        return fail(cx, where,
                    "\"cases\" must be an object (case name -> "
                    "case)");
    }
    p->ncases = json_object_object_length(m);
    cases = apr_pcalloc(cx->pool, (apr_size_t)(p->ncases + 1) * sizeof(*cases));
    {
        json_object_object_foreach(m, cname, cval)
        {
            const char *w =
                apr_psprintf(cx->pool, "%s, case \"%s\"", where, cname);
            if (parse_case(cx, w, cname, cval, &cases[i])) {
                return -1;
            }
            if (status && !cases[i].pass) {
                return fail(cx, w,
                            "\"pass\" missing: the project declares "
                            "a status, which needs every case's "
                            "pass condition");
            }
            i++;
        }
    }
    p->cases = cases;
    return check_case_names(cx, where, p);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const testapi_dash_project *)a)->name,
                  ((const testapi_dash_project *)b)->name);
}

static int parse_top(ctx *cx, json_object *root, testapi_dashdecl *decl)
{
    static const char *const members[] = {"templates", "projects", NULL};
    testapi_dash_project *projects;
    json_object *m;
    int i = 0;

    if (!root || !json_object_is_type(root, json_type_object)) {
        return fail(cx, NULL,
                    "the declarations must be a JSON object "
                    "{\"templates\", \"projects\"}");
    }
    if (only_members(cx, NULL, root, members)) {
        return -1;
    }
    if (json_object_object_get_ex(root, "templates", &m)) {
        if (!m || !json_object_is_type(m, json_type_object)) {
            return fail(cx, NULL,
                        "\"templates\" must be an object (name -> "
                        "graphs)");
        }
        json_object_object_foreach(m, tname, tval)
        {
            tmpl *t = apr_pcalloc(cx->pool, sizeof(*t));
            if (parse_graphs(cx,
                             apr_psprintf(cx->pool, "template \"%s\"", tname),
                             tval, &t->n, &t->graphs)) {
                return -1;
            }
            apr_hash_set(cx->templates, apr_pstrdup(cx->pool, tname),
                         APR_HASH_KEY_STRING, t);
        }
    }
    if (!json_object_object_get_ex(root, "projects", &m)) {
        return fail(cx, NULL, "\"projects\" missing");
    }
    if (!m || !json_object_is_type(m, json_type_object)) {
        return fail(cx, NULL,
                    "\"projects\" must be an object (project name "
                    "-> project)");
    }
    decl->nprojects = json_object_object_length(m);
    projects = apr_pcalloc(cx->pool, (apr_size_t)(decl->nprojects + 1) *
                                         sizeof(*projects));
    {
        json_object_object_foreach(m, pname, pval)
        {
            if (parse_project(cx, pname, pval, &projects[i++])) {
                return -1;
            }
        }
    }
    /* Cases point at their project: only once the projects have their
     * final places. */
    qsort(projects, (size_t)decl->nprojects, sizeof(*projects), by_name);
    for (i = 0; i < decl->nprojects; i++) {
        int k;
        for (k = 0; k < projects[i].ncases; k++) {
            ((testapi_dash_case *)projects[i].cases)[k].project = &projects[i];
        }
    }
    decl->projects = projects;
    return 0;
}

const char *testapi_dashdecl_parse(apr_pool_t *pool, const char *text,
                                   apr_size_t len, testapi_dashdecl **decl)
{
    apr_pool_t *tmp;
    json_object *root = NULL;
    const char *why = NULL;
    ctx cx;
    int rc;

    *decl = apr_pcalloc(pool, sizeof(**decl));
    cx.pool = pool;
    cx.err = NULL;
    cx.templates = apr_hash_make(pool);
    /* The JSON tree lives only while it is read. */
    apr_pool_create(&tmp, pool);
    switch (testapi_json_parse(tmp, text, len, &root, &why)) {
    case TESTAPI_PARSE_OK:
        rc = parse_top(&cx, root, *decl);
        break;
    case TESTAPI_PARSE_EMPTY:
        rc = fail(&cx, NULL, "no declarations (the file is empty)");
        break;
    default:
        rc = fail(&cx, NULL, "not valid JSON: %s", why);
        break;
    }
    apr_pool_destroy(tmp);
    if (rc) {
        *decl = NULL;
        return cx.err;
    }
    return NULL;
}

const char *testapi_dashdecl_load(apr_pool_t *pool, const char *file,
                                  testapi_dashdecl **decl)
{
    apr_size_t len;
    char *text;
    const char *err;

    *decl = NULL;
    if ((err = testapi_file_read(pool, file, DECL_MAX_BYTES, &text, &len))) {
        return err;
    }
    err = testapi_dashdecl_parse(pool, text, len, decl);
    return err ? apr_psprintf(pool, "%s: %s", file, err) : NULL;
}

const testapi_dash_project *
testapi_dashdecl_project(const testapi_dashdecl *decl, const char *name)
{
    int i;

    for (i = 0; decl && i < decl->nprojects; i++) {
        if (!strcmp(decl->projects[i].name, name)) {
            return decl->projects[i].ncases ? &decl->projects[i] : NULL;
        }
    }
    return NULL;
}

const testapi_dash_case *
testapi_dashdecl_case(const testapi_dash_project *project, const char *name)
{
    int i, k;

    for (i = 0; project && i < project->ncases; i++) {
        const testapi_dash_case *c = &project->cases[i];
        if (!strcmp(c->name, name)) {
            return c;
        }
        for (k = 0; k < c->naliases; k++) {
            if (!strcmp(c->aliases[k], name)) {
                return c;
            }
        }
    }
    return NULL;
}
