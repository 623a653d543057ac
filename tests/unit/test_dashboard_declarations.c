#include <string.h>

#include <apr_strings.h>

#include "test_suites.h"
#include "core/dashboard/testapi_dashboard_declarations.h"

#ifndef TESTAPI_SRCDIR
#define TESTAPI_SRCDIR "."
#endif

static const char *parse(const char *text, testapi_dashdecl **decl)
{
    return testapi_dashdecl_parse(test_pool, text, strlen(text), decl);
}

/* A declaration with one project "p", one case "c" and the given graph. */
static const char *with_graph(const char *graph)
{
    testapi_dashdecl *decl;
    return parse(apr_psprintf(test_pool,
                              "{\"projects\": {\"p\": {\"cases\": {\"c\": "
                              "{\"graphs\": [%s]}}}}}",
                              graph),
                 &decl);
}

/* ---- the shipped file ---------------------------------------------- */

START_TEST(shipped_file_loads)
{
    testapi_dashdecl *decl;
    const char *err = testapi_dashdecl_load(
        test_pool, TESTAPI_SRCDIR "/conf/dashboard.json", &decl);
    const testapi_dash_project *p;
    static const char *const projects[] = {"bottlenecks", "doctor", "functest",
                                           "promise",     "qtip",   "vsperf",
                                           "yardstick"};
    int i;

    ck_assert_msg(err == NULL, "%s", err);
    ck_assert_int_eq(decl->nprojects, 7);
    for (i = 0; i < 7; i++) {
        ck_assert_str_eq(decl->projects[i].name, projects[i]);
        ck_assert_int_gt(decl->projects[i].ncases, 0);
    }
    p = testapi_dashdecl_project(decl, "functest");
    ck_assert_ptr_nonnull(p);
    ck_assert_str_eq(p->status_json, "\"Functest status\"");
    ck_assert_int_eq(p->ncases, 7);
    ck_assert_str_eq(testapi_dashdecl_case(p, "vping_ssh")->name, "vPing");
    ck_assert_str_eq(testapi_dashdecl_case(p, "tempest_smoke_serial")->name,
                     "Tempest");
    ck_assert_str_eq(testapi_dashdecl_case(p, "rally_sanity")->name, "Rally");
    ck_assert_str_eq(testapi_dashdecl_case(p, "odl")->name, "ODL");
    ck_assert_str_eq(testapi_dashdecl_case(p, "onos")->name, "ONOS");
    ck_assert_str_eq(testapi_dashdecl_case(p, "vims")->name, "vIMS");
    ck_assert_ptr_null(testapi_dashdecl_case(p, "status"));
    ck_assert_ptr_null(testapi_dashdecl_case(p, "vping"));
    for (i = 0; i < p->ncases; i++) {
        ck_assert_ptr_nonnull(p->cases[i].pass);
        ck_assert_ptr_eq(p->cases[i].project, p);
    }
    p = testapi_dashdecl_project(decl, "yardstick");
    ck_assert_str_eq(testapi_dashdecl_case(p, "opnfv_yardstick_tc002")->name,
                     "Ping");
    ck_assert_ptr_null(p->status_json);
    ck_assert_int_eq(testapi_dashdecl_project(decl, "vsperf")->ncases, 32);
    ck_assert_int_eq(testapi_dashdecl_project(decl, "qtip")->ncases, 3);
    ck_assert_int_eq(testapi_dashdecl_project(decl, "bottlenecks")->ncases, 3);
    ck_assert_int_eq(testapi_dashdecl_project(decl, "doctor")->ncases, 2);
    ck_assert_ptr_null(testapi_dashdecl_project(decl, "Functest"));
}
END_TEST

START_TEST(a_small_declaration)
{
    testapi_dashdecl *decl;
    const testapi_dash_project *p;
    const testapi_dash_graph *g;
    const char *err =
        parse("{\"projects\": {\"zz\": {\"cases\": {}},"
              " \"aa\": {\"status\": \"AA status\", \"cases\": {\"c\": {"
              "  \"aliases\": [\"c2\"],"
              "  \"pass\": {\"any\": \"criteria\", \"in\": [\"PASS\"]},"
              "  \"graphs\": ["
              "   {\"name\": \"d\", \"type\": \"graph\","
              "    \"series\": [{\"label\": \"s \\\"1\\\"\", \"value\": "
              "\"details.duration\"}]},"
              "   {\"name\": \"b\", \"type\": \"bar\", \"bars\": ["
              "    {\"label\": \"n\", \"value\": {\"count\": true}}]}]}}}}}",
              &decl);

    ck_assert_msg(err == NULL, "%s", err);
    ck_assert_int_eq(decl->nprojects, 2);
    ck_assert_str_eq(decl->projects[0].name, "aa");
    /* declared, but without cases: not dashboard ready */
    ck_assert_ptr_null(testapi_dashdecl_project(decl, "zz"));
    p = testapi_dashdecl_project(decl, "aa");
    ck_assert_str_eq(p->status_json, "\"AA status\"");
    ck_assert_ptr_eq(testapi_dashdecl_case(p, "c2"), &p->cases[0]);
    g = &p->cases[0].graphs[0];
    ck_assert_int_eq(g->kind, TESTAPI_DASH_GRAPH);
    ck_assert_str_eq(g->head_json,
                     "{\"name\":\"d\",\"info\":{\"type\":\"graph\","
                     "\"xlabel\":\"time\",\"ylabel\":\"s \\\"1\\\"\"},"
                     "\"data_set\":");
    ck_assert_str_eq(g->series[0].key_json, "\"y\"");
    g = &p->cases[0].graphs[1];
    ck_assert_int_eq(g->kind, TESTAPI_DASH_BAR);
    ck_assert_str_eq(g->bars[0].label_json, "\"n\"");
    ck_assert_int_eq(g->bars[0].agg.op, TESTAPI_DASH_A_COUNT);
}
END_TEST

START_TEST(templates_are_shared)
{
    testapi_dashdecl *decl;
    const testapi_dash_project *p;
    const char *err =
        parse("{\"templates\": {\"t\": [{\"name\": \"g\", \"type\": \"graph\","
              " \"series\": [{\"label\": \"a\", \"value\": \"details.a\"},"
              "              {\"label\": \"b\", \"value\": \"details.b\"}]}]},"
              " \"projects\": {\"p\": {\"cases\": {\"x\": {\"graphs\": \"t\"},"
              " \"y\": {\"graphs\": \"t\"}}}}}",
              &decl);

    ck_assert_msg(err == NULL, "%s", err);
    p = testapi_dashdecl_project(decl, "p");
    ck_assert_int_eq(p->cases[0].ngraphs, 1);
    ck_assert_ptr_eq(p->cases[0].graphs, p->cases[1].graphs);
    ck_assert_str_eq(p->cases[0].graphs[0].series[1].key_json, "\"y2\"");
    ck_assert(strstr(p->cases[0].graphs[0].head_json,
                     "\"y1label\":\"a\",\"y2label\":\"b\""));
}
END_TEST

/* ---- paths ----------------------------------------------------------- */

START_TEST(paths)
{
    testapi_dash_path path;
    const char *err;

    err = testapi_dash_path_parse(test_pool,
                                  "details.a[*].b[-1][\"nb success\"].*[2]",
                                  TESTAPI_DASH_SCOPE_RESULT, &path);
    ck_assert_msg(err == NULL, "%s", err);
    ck_assert_int_eq(path.root, TESTAPI_DASH_ROOT_DETAILS);
    ck_assert_int_eq(path.nsteps, 7);
    ck_assert_int_eq(path.steps[0].kind, TESTAPI_DASH_STEP_KEY);
    ck_assert_str_eq(path.steps[0].key, "a");
    ck_assert_int_eq(path.steps[1].kind, TESTAPI_DASH_STEP_ANY);
    ck_assert_str_eq(path.steps[2].key, "b");
    ck_assert_int_eq(path.steps[3].kind, TESTAPI_DASH_STEP_INDEX);
    ck_assert_int_eq(path.steps[3].index, -1);
    ck_assert_str_eq(path.steps[4].key, "nb success");
    ck_assert_int_eq(path.steps[5].kind, TESTAPI_DASH_STEP_ANY);
    ck_assert_int_eq(path.steps[6].kind, TESTAPI_DASH_STEP_INDEX);
    ck_assert_int_eq(path.steps[6].index, 2);

    err = testapi_dash_path_parse(test_pool, "details[\"a.b\\\"[c]\"].@status",
                                  TESTAPI_DASH_SCOPE_RESULT, &path);
    ck_assert_msg(err == NULL, "%s", err);
    ck_assert_str_eq(path.steps[0].key, "a.b\"[c]");
    ck_assert_str_eq(path.steps[1].key, "@status");

    ck_assert_ptr_null(testapi_dash_path_parse(
        test_pool, "criteria", TESTAPI_DASH_SCOPE_RESULT, &path));
    ck_assert_int_eq(path.root, TESTAPI_DASH_F_CRITERIA);
    ck_assert_int_eq(path.nsteps, 0);
    ck_assert_ptr_null(testapi_dash_path_parse(test_pool, "key",
                                               TESTAPI_DASH_SCOPE_ITEM, &path));
    ck_assert_int_eq(path.root, TESTAPI_DASH_ROOT_KEY);
    ck_assert_ptr_null(testapi_dash_path_parse(test_pool, "item.Bandwidth",
                                               TESTAPI_DASH_SCOPE_ITEM, &path));
}
END_TEST

START_TEST(malformed_paths)
{
    static const struct {
        const char *path;
        testapi_dash_scope scope;
        const char *message;
    } bad[] = {
        {"", TESTAPI_DASH_SCOPE_RESULT,
         "path \"\": it must start with details"},
        {"detail.x", TESTAPI_DASH_SCOPE_RESULT,
         "path \"detail.x\": it must start with details"},
        {"item.x", TESTAPI_DASH_SCOPE_RESULT,
         "path \"item.x\": it must start with details"},
        {"details.x", TESTAPI_DASH_SCOPE_ITEM,
         "path \"details.x\": it must start with item or key"},
        {"details..x", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details..x\": empty member name at offset 7"},
        {"details.", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details.\": empty member name at offset 7"},
        {"details[x]", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details[x]\": expected .name, .*, [n], [*] or [\"name\"] at "
         "offset 7"},
        {"details[1", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details[1\": expected .name"},
        {"details[\"a]", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details[\"a]\": malformed [\"...\"] at offset 7"},
        {"details[0]x", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details[0]x\": expected . or [ at offset 10"},
        {"details.a]", TESTAPI_DASH_SCOPE_RESULT,
         "path \"details.a]\": member name \"a]\" holds ] or \""},
        {"criteria.x", TESTAPI_DASH_SCOPE_RESULT,
         "path \"criteria.x\": criteria is a string, it has no members"},
        {"key.x", TESTAPI_DASH_SCOPE_ITEM,
         "path \"key.x\": key is a string, it has no members"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        testapi_dash_path path;
        const char *err = testapi_dash_path_parse(test_pool, bad[i].path,
                                                  bad[i].scope, &path);
        ck_assert_msg(err != NULL, "accepted %s", bad[i].path);
        ck_assert_msg(!strncmp(err, bad[i].message, strlen(bad[i].message)),
                      "%s: got %s", bad[i].path, err);
    }
}
END_TEST

/* ---- malformed declarations ------------------------------------------ */

START_TEST(malformed_files)
{
    static const struct {
        const char *text;
        const char *message;
    } bad[] = {
        {"", "no declarations (the file is empty)"},
        {"{\"projects\": {}", "not valid JSON: "},
        {"[]", "the declarations must be a JSON object"},
        {"{}", "\"projects\" missing"},
        {"{\"projects\": {}, \"extra\": 1}", "unknown member \"extra\""},
        {"{\"projects\": []}", "\"projects\" must be an object"},
        {"{\"projects\": {\"p\": 1}}",
         "project \"p\": a project is an object, not integer"},
        {"{\"projects\": {\"a/b\": {\"cases\": {}}}}",
         "project name \"a/b\": "},
        {"{\"projects\": {\"p\": {}}}", "project \"p\": \"cases\" missing"},
        {"{\"projects\": {\"p\": {\"cases\": {}, \"status\": \"\"}}}",
         "project \"p\": \"status\" must be a non-empty string"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {}}}}}",
         "project \"p\", case \"c\": \"graphs\" missing"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"graphs\": \"t\"}}}}}",
         "project \"p\", case \"c\": no template \"t\""},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"graphs\": [], "
         "\"colour\": 1}}}}}",
         "project \"p\", case \"c\": unknown member \"colour\""},
        {"{\"projects\": {\"p\": {\"status\": \"P\", \"cases\": {\"c\": "
         "{\"graphs\": []}}}}}",
         "project \"p\", case \"c\": \"pass\" missing: the project declares "
         "a status"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"graphs\": []}, "
         "\"d\": {\"aliases\": [\"c\"], \"graphs\": []}}}}}",
         "project \"p\", case \"d\": \"c\" is declared twice (also by case "
         "\"c\")"},
        {"{\"projects\": {\"p\": {\"cases\": {\"status\": {\"graphs\": "
         "[]}}}}}",
         "project \"p\", case \"status\": \"status\" names the project's "
         "status, not a case"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"aliases\": \"x\", "
         "\"graphs\": []}}}}}",
         "project \"p\", case \"c\": \"aliases\" must be an array of names"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"pass\": {\"any\": "
         "\"details.s\"}, \"graphs\": []}}}}}",
         "project \"p\", case \"c\", pass: \"in\" missing"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"pass\": {\"any\": "
         "\"details.s\", \"in\": [null]}, \"graphs\": []}}}}}",
         "project \"p\", case \"c\", pass: \"in\" holds null: only strings, "
         "numbers and booleans can be compared"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"pass\": {\"every\": "
         "\"details.s\"}, \"graphs\": []}}}}}",
         "project \"p\", case \"c\", pass: a condition needs one of: any, "
         "all, not, and, or"},
        {"{\"projects\": {\"p\": {\"cases\": {\"c\": {\"pass\": {\"or\": "
         "[{\"not\": {\"all\": \"x\", \"in\": [1]}}]}, \"graphs\": []}}}}}",
         "project \"p\", case \"c\", pass, or condition 1, not: path \"x\": "
         "it must start with details"},
        {"{\"templates\": {\"t\": [{\"name\": \"g\"}]}, \"projects\": {}}",
         "template \"t\", graph 1 (\"g\"): \"type\" missing"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        testapi_dashdecl *decl;
        const char *err = parse(bad[i].text, &decl);
        ck_assert_msg(err != NULL, "accepted %s", bad[i].text);
        ck_assert_ptr_null(decl);
        ck_assert_msg(!strncmp(err, bad[i].message, strlen(bad[i].message)),
                      "%s: got %s", bad[i].text, err);
    }
}
END_TEST

START_TEST(malformed_graphs)
{
    static const struct {
        const char *graph;
        const char *message;
    } bad[] = {
        {"1", "graph 1: a graph is an object, not integer"},
        {"{\"type\": \"graph\"}", "graph 1: \"name\" missing"},
        {"{\"name\": \"g\", \"type\": \"pie\"}",
         "graph 1 (\"g\"): \"type\" must be \"graph\" or \"bar\""},
        {"{\"name\": \"g\", \"type\": \"graph\"}",
         "graph 1 (\"g\"): \"series\" missing"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": []}",
         "graph 1 (\"g\"): \"series\" must be a non-empty array"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"ylabel\": \"y\", "
         "\"series\": []}",
         "graph 1 (\"g\"): unknown member \"ylabel\""},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"value\": "
         "\"details.a\"}]}",
         "graph 1 (\"g\"), series 1: \"label\" missing"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\"}]}",
         "graph 1 (\"g\"), series 1: \"value\" missing"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": 3}]}",
         "graph 1 (\"g\"), series 1: a value is a path or an object, not "
         "integer"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"mean\": \"details.a\"}}]}",
         "graph 1 (\"g\"), series 1: unknown member \"mean\""},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"scale\": 2}}]}",
         "graph 1 (\"g\"), series 1: a value needs one of: path, avg, min, "
         "max, sum, count, percent, diff, first"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"avg\": \"details.a\", \"sum\": "
         "\"details.a\"}}]}",
         "graph 1 (\"g\"), series 1: both \"avg\" and \"sum\""},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"avg\": \"details.a\", \"as\": \"number\"}}]}",
         "graph 1 (\"g\"), series 1: \"as\" goes with \"path\" only"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"path\": \"details.a\", \"as\": \"hex\"}}]}",
         "graph 1 (\"g\"), series 1: \"as\" must be \"number\", \"seconds\" "
         "or \"sent\""},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"path\": \"details.a\", \"in\": [1]}}]}",
         "graph 1 (\"g\"), series 1: \"in\" goes with \"count\" only"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"count\": \"details.a\", \"in\": []}}]}",
         "graph 1 (\"g\"), series 1: \"in\" must be a non-empty array"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"path\": \"details.a\", \"scale\": \"2\"}}]}",
         "graph 1 (\"g\"), series 1: \"scale\" must be a number"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"path\": \"details.a\", \"int\": 1}}]}",
         "graph 1 (\"g\"), series 1: \"int\" must be true or false"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"percent\": [\"details.a\"]}}]}",
         "graph 1 (\"g\"), series 1: \"percent\" must be an array of 2 "
         "values"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"first\": []}}]}",
         "graph 1 (\"g\"), series 1: \"first\" must be a non-empty array of "
         "values"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": {\"diff\": [\"details.a\", {\"sum\": 1}]}}]}",
         "graph 1 (\"g\"), series 1, diff value 2: a path must be a string, "
         "not integer"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"series\": [{\"label\": "
         "\"a\", \"value\": \"details..a\"}]}",
         "graph 1 (\"g\"), series 1: path \"details..a\": empty member name"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"from\": \"first\"}",
         "graph 1 (\"g\"): \"from\" can only be \"last\""},
        {"{\"name\": \"g\", \"type\": \"graph\", \"from\": \"last\", "
         "\"xlabel\": \"x\", \"x\": \"key\", \"series\": []}",
         "graph 1 (\"g\"): \"each\" missing"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"from\": \"last\", "
         "\"each\": \"details[*]\", \"x\": \"key\", \"series\": []}",
         "graph 1 (\"g\"): \"xlabel\" missing"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"from\": \"last\", "
         "\"each\": \"details[*]\", \"xlabel\": \"x\", \"x\": "
         "\"details.a\", \"series\": []}",
         "graph 1 (\"g\"), x: path \"details.a\": it must start with item or "
         "key"},
        {"{\"name\": \"g\", \"type\": \"graph\", \"from\": \"last\", "
         "\"each\": \"details[*]\", \"xlabel\": \"x\", \"x\": \"key\", "
         "\"sort\": \"yes\", \"series\": []}",
         "graph 1 (\"g\"): \"sort\" must be true or false"},
        {"{\"name\": \"b\", \"type\": \"bar\"}",
         "graph 1 (\"b\"): \"bars\" missing"},
        {"{\"name\": \"b\", \"type\": \"bar\", \"series\": []}",
         "graph 1 (\"b\"): unknown member \"series\""},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"count\": true}}, {\"label\": \"n\", \"value\": "
         "{\"count\": true}}]}",
         "graph 1 (\"b\"), bar \"n\": label declared twice"},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"count\": \"details.a\"}}]}",
         "graph 1 (\"b\"), bar \"n\": \"count\" must be true"},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"median\": \"details.a\"}}]}",
         "graph 1 (\"b\"), bar \"n\": unknown member \"median\""},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"percent\": [{\"count\": true}, {\"count\": true}], "
         "\"where\": {\"any\": \"criteria\", \"in\": [\"PASS\"]}}}]}",
         "graph 1 (\"b\"), bar \"n\": \"where\" goes on the two aggregates"},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"percent\": [{\"count\": true}, {\"sum\": "
         "\"details.a[\"}]}}]}",
         "graph 1 (\"b\"), bar \"n\", percent aggregate 2: path "
         "\"details.a[\": "},
        {"{\"name\": \"b\", \"type\": \"bar\", \"bars\": [{\"label\": \"n\", "
         "\"value\": {\"count\": true, \"where\": {\"any\": \"details.s\", "
         "\"all\": \"details.s\", \"in\": [1]}}}]}",
         "graph 1 (\"b\"), bar \"n\", where: both \"any\" and \"all\""},
        {"{\"name\": \"b\", \"type\": \"bar\", \"from\": \"last\", \"each\": "
         "\"details.*\", \"label\": \"key\"}",
         "graph 1 (\"b\"): \"value\" missing"},
    };
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *err = with_graph(bad[i].graph);
        const char *want = apr_pstrcat(test_pool, "project \"p\", case \"c\", ",
                                       bad[i].message, NULL);
        ck_assert_msg(err != NULL, "accepted %s", bad[i].graph);
        ck_assert_msg(!strncmp(err, want, strlen(want)), "%s: got %s",
                      bad[i].graph, err);
    }
}
END_TEST

START_TEST(load_names_the_file)
{
    testapi_dashdecl *decl;
    const char *file = apr_pstrcat(test_pool, TESTAPI_SRCDIR,
                                   "/conf/no-such-dashboard.json", NULL);
    const char *err = testapi_dashdecl_load(test_pool, file, &decl);

    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_null(decl);
    ck_assert_msg(!strncmp(err,
                           apr_pstrcat(test_pool, file, ": cannot open", NULL),
                           strlen(file) + 13),
                  "%s", err);
}
END_TEST

Suite *dashdecl_suite(void)
{
    Suite *s = suite_create("dashdecl");
    TCase *tc = tcase_create("parse");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, shipped_file_loads);
    tcase_add_test(tc, a_small_declaration);
    tcase_add_test(tc, templates_are_shared);
    tcase_add_test(tc, paths);
    tcase_add_test(tc, malformed_paths);
    tcase_add_test(tc, malformed_files);
    tcase_add_test(tc, malformed_graphs);
    tcase_add_test(tc, load_names_the_file);
    suite_add_tcase(s, tc);
    return s;
}
