/*
 * Dashboard declarations: which projects and cases are dashboard ready and
 * how each of their graphs and bars is computed, read from a JSON file
 * (TestAPIDashboard) and checked completely when Apache starts.  Plain C on
 * APR and json-c, no httpd headers, so the unit tests link it.
 *
 * The structures below are built once, in the configuration pool, and only
 * read afterwards (by every request thread): they hold no json-c object,
 * and every text that goes into an answer is JSON-escaped here already.
 * The language itself is described in the README ("Dashboard").
 */
#ifndef TESTAPI_DASHBOARD_DECLARATIONS_H
#define TESTAPI_DASHBOARD_DECLARATIONS_H

#include <apr_pools.h>

/* Roots of paths.  The envelope fields of a result come first (they index
 * testapi_dash_result.field), then details, then the two roots of the
 * elements of an "each" path. */
enum {
    TESTAPI_DASH_F_PROJECT,
    TESTAPI_DASH_F_CASE,
    TESTAPI_DASH_F_POD,
    TESTAPI_DASH_F_INSTALLER,
    TESTAPI_DASH_F_VERSION,
    TESTAPI_DASH_F_SCENARIO,
    TESTAPI_DASH_F_BUILD_TAG,
    TESTAPI_DASH_F_CRITERIA,
    TESTAPI_DASH_F_START_DATE,
    TESTAPI_DASH_F_STOP_DATE,
    TESTAPI_DASH_NFIELDS,
    TESTAPI_DASH_ROOT_DETAILS = TESTAPI_DASH_NFIELDS,
    TESTAPI_DASH_ROOT_ITEM, /* an element of "each" */
    TESTAPI_DASH_ROOT_KEY   /* its member name or index */
};

/* Where a path may start. */
typedef enum {
    TESTAPI_DASH_SCOPE_RESULT, /* details and the envelope fields */
    TESTAPI_DASH_SCOPE_ITEM    /* item and key */
} testapi_dash_scope;

typedef enum {
    TESTAPI_DASH_STEP_KEY,   /* .name or ["name"]: a member of an object */
    TESTAPI_DASH_STEP_INDEX, /* [n]: an element of an array, [-1] the last */
    TESTAPI_DASH_STEP_ANY    /* [*] or .*: every element or member value */
} testapi_dash_step_kind;

typedef struct testapi_dash_step {
    testapi_dash_step_kind kind;
    const char *key;
    long index;
} testapi_dash_step;

typedef struct testapi_dash_path {
    int root;
    int nsteps;
    const testapi_dash_step *steps;
    const char *text; /* as declared */
} testapi_dash_path;

/* A JSON scalar of an "in" set. */
typedef enum {
    TESTAPI_DASH_STRING,
    TESTAPI_DASH_NUMBER,
    TESTAPI_DASH_BOOLEAN
} testapi_dash_scalar_type;

typedef struct testapi_dash_scalar {
    testapi_dash_scalar_type type;
    const char *s; /* STRING */
    apr_size_t len;
    double n; /* NUMBER; BOOLEAN: 0 or 1 */
} testapi_dash_scalar;

typedef struct testapi_dash_set {
    int n; /* 0: no set (everything counts) */
    const testapi_dash_scalar *v;
} testapi_dash_set;

/* Values: what one result (or one element of it) yields. */
typedef enum {
    TESTAPI_DASH_V_PATH, /* the first value at the path */
    TESTAPI_DASH_V_AVG,  /* over the numbers at the path */
    TESTAPI_DASH_V_MIN,
    TESTAPI_DASH_V_MAX,
    TESTAPI_DASH_V_SUM,
    TESTAPI_DASH_V_COUNT,   /* how many values at the path (in the set) */
    TESTAPI_DASH_V_PERCENT, /* 100 * a / b */
    TESTAPI_DASH_V_DIFF,    /* a - b */
    TESTAPI_DASH_V_FIRST    /* the first argument that is not missing */
} testapi_dash_value_op;

typedef enum {
    TESTAPI_DASH_AS_SENT,   /* passed through as stored */
    TESTAPI_DASH_AS_NUMBER, /* a number, or a string holding one */
    TESTAPI_DASH_AS_SECONDS /* [[H:]M:]S[.f] or a number, rounded */
} testapi_dash_as;

typedef struct testapi_dash_value testapi_dash_value;
struct testapi_dash_value {
    testapi_dash_value_op op;
    testapi_dash_as as;
    testapi_dash_path path;
    testapi_dash_set in; /* COUNT */
    int nargs;           /* PERCENT, DIFF: 2; FIRST: >= 1 */
    const testapi_dash_value *args;
    int has_scale;
    double scale;
    int to_int; /* truncate toward zero, after scale */
};

/* Conditions on one result. */
typedef enum {
    TESTAPI_DASH_C_ANY, /* some value at the path is in the set */
    TESTAPI_DASH_C_ALL, /* every value at the path is (true when none) */
    TESTAPI_DASH_C_NOT,
    TESTAPI_DASH_C_AND,
    TESTAPI_DASH_C_OR
} testapi_dash_cond_op;

typedef struct testapi_dash_cond testapi_dash_cond;
struct testapi_dash_cond {
    testapi_dash_cond_op op;
    testapi_dash_path path;
    testapi_dash_set in;
    int nargs;
    const testapi_dash_cond *args;
};

/* Aggregates over the selected results (bars). */
typedef enum {
    TESTAPI_DASH_A_COUNT, /* results (where the condition holds) */
    TESTAPI_DASH_A_SUM,   /* of a value, over the results having it */
    TESTAPI_DASH_A_AVG,
    TESTAPI_DASH_A_MIN,
    TESTAPI_DASH_A_MAX,
    TESTAPI_DASH_A_PERCENT /* 100 * a / b of two aggregates */
} testapi_dash_agg_op;

typedef struct testapi_dash_agg testapi_dash_agg;
struct testapi_dash_agg {
    testapi_dash_agg_op op;
    const testapi_dash_value *value; /* SUM .. MAX */
    const testapi_dash_cond *where;  /* may be NULL */
    const testapi_dash_agg *args;    /* PERCENT: two */
};

typedef struct testapi_dash_series {
    const char *key_json; /* "\"y\"" or "\"y1\"" ... */
    testapi_dash_value value;
} testapi_dash_series;

typedef struct testapi_dash_bar {
    const char *label_json;
    testapi_dash_agg agg;
} testapi_dash_bar;

typedef enum {
    TESTAPI_DASH_GRAPH,      /* one point per result, x = start_date */
    TESTAPI_DASH_GRAPH_LAST, /* the points of the newest result's elements */
    TESTAPI_DASH_BAR,        /* one aggregate per label */
    TESTAPI_DASH_BAR_LAST    /* one label per element of the newest result */
} testapi_dash_graph_kind;

typedef struct testapi_dash_graph {
    testapi_dash_graph_kind kind;
    const char *name;
    /* {"name":...,"info":{...},"data_set": */
    const char *head_json;
    int nseries;
    const testapi_dash_series *series; /* GRAPH, GRAPH_LAST */
    int nbars;
    const testapi_dash_bar *bars; /* BAR */
    testapi_dash_path each;       /* *_LAST */
    testapi_dash_value x;         /* GRAPH_LAST */
    int sort;                     /* GRAPH_LAST: by numeric x */
    testapi_dash_value label;     /* BAR_LAST */
    testapi_dash_value value;     /* BAR_LAST */
} testapi_dash_graph;

typedef struct testapi_dash_project testapi_dash_project;

typedef struct testapi_dash_case {
    const char *name;
    const char *name_json;
    int naliases;
    const char *const *aliases;
    const testapi_dash_cond *pass; /* may be NULL unless the project has a
                                      status */
    int ngraphs;
    const testapi_dash_graph *graphs;
    const testapi_dash_project *project;
} testapi_dash_case;

struct testapi_dash_project {
    const char *name;
    const char *status_json; /* the status description, or NULL: no
                                status case */
    int ncases;
    const testapi_dash_case *cases;
};

typedef struct testapi_dashdecl {
    int nprojects;
    const testapi_dash_project *projects; /* sorted by name (bytes) */
} testapi_dashdecl;

/* The name of the project-wide case. */
#define TESTAPI_DASH_STATUS "status"

/*
 * Parses and checks declarations.  Returns NULL with *decl set, or the
 * problem: where (project, case, graph, ...) and what is wrong.  Nothing
 * from 'text' is kept.
 */
const char *testapi_dashdecl_parse(apr_pool_t *pool, const char *text,
                                   apr_size_t len, testapi_dashdecl **decl);

/* The same from a file; the message then starts with the file's name. */
const char *testapi_dashdecl_load(apr_pool_t *pool, const char *file,
                                  testapi_dashdecl **decl);

/* Parses one path: NULL and *path, or what is wrong with it. */
const char *testapi_dash_path_parse(apr_pool_t *pool, const char *text,
                                    testapi_dash_scope scope,
                                    testapi_dash_path *path);

/* Lookups; NULL when not declared.  A project without cases is not
 * dashboard ready.  A case is found by its name or one of its aliases;
 * "status" is not a case (see project->status_json). */
const testapi_dash_project *
testapi_dashdecl_project(const testapi_dashdecl *decl, const char *name);
const testapi_dash_case *
testapi_dashdecl_case(const testapi_dash_project *project, const char *name);

#endif
