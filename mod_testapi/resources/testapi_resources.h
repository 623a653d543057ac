/*
 * The handlers of the API's resources, one file each under resources/; the
 * route table (httpd/testapi_route_table.c) maps paths and methods to them.
 */
#ifndef TESTAPI_RESOURCES_H
#define TESTAPI_RESOURCES_H

#include "core/testapi_route_match.h"

testapi_handler_fn testapi_versions_get;
testapi_handler_fn testapi_pods_list;
testapi_handler_fn testapi_pods_create;
testapi_handler_fn testapi_pods_get;
testapi_handler_fn testapi_pods_delete;
testapi_handler_fn testapi_projects_list;
testapi_handler_fn testapi_projects_create;
testapi_handler_fn testapi_projects_get;
testapi_handler_fn testapi_projects_update;
testapi_handler_fn testapi_projects_delete;
testapi_handler_fn testapi_testcases_list;
testapi_handler_fn testapi_testcases_create;
testapi_handler_fn testapi_testcases_get;
testapi_handler_fn testapi_testcases_update;
testapi_handler_fn testapi_testcases_delete;
testapi_handler_fn testapi_results_list;
testapi_handler_fn testapi_results_create;
testapi_handler_fn testapi_results_get;
testapi_handler_fn testapi_results_update;
testapi_handler_fn testapi_dashboard_projects;
testapi_handler_fn testapi_dashboard_results;

#endif
