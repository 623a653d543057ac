/*
 * The API's URI space: one row per path, one handler per method (GET also
 * answers HEAD).  A new resource adds its rows here and its file beside.
 */
#include "httpd/testapi_route_table.h"
#include "resources/testapi_resources.h"

const testapi_route testapi_routes[] = {
    /* pattern                  GET, POST, PUT, DELETE */
    {"/versions", {testapi_versions_get, NULL, NULL, NULL}},
    {"/api/v1/pods", {testapi_pods_list, testapi_pods_create, NULL, NULL}},
    {"/api/v1/pods/{pod}", {testapi_pods_get, NULL, NULL, testapi_pods_delete}},
    {"/api/v1/projects",
     {testapi_projects_list, testapi_projects_create, NULL, NULL}},
    {"/api/v1/projects/{project}",
     {testapi_projects_get, NULL, testapi_projects_update,
      testapi_projects_delete}},
    {"/api/v1/projects/{project}/cases",
     {testapi_testcases_list, testapi_testcases_create, NULL, NULL}},
    {"/api/v1/projects/{project}/cases/{case}",
     {testapi_testcases_get, NULL, testapi_testcases_update,
      testapi_testcases_delete}},
    {"/api/v1/results",
     {testapi_results_list, testapi_results_create, NULL, NULL}},
    {"/api/v1/results/{id}",
     {testapi_results_get, NULL, testapi_results_update, NULL}},
    {"/dashboard/v1/projects", {testapi_dashboard_projects, NULL, NULL, NULL}},
    {"/dashboard/v1/results", {testapi_dashboard_results, NULL, NULL, NULL}},
    {NULL, {NULL, NULL, NULL, NULL}}};
