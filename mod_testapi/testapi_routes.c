/*
 * The API's URI space: one row per path, one handler per method (GET also
 * answers HEAD).  A new resource adds its rows here and its file beside.
 */
#include "testapi_private.h"

const testapi_route testapi_routes[] = {
    /* pattern                  GET, POST, PUT, DELETE */
    {"/versions", {testapi_versions_get, NULL, NULL, NULL}},
    {"/api/v1/pods", {testapi_pods_list, testapi_pods_create, NULL, NULL}},
    {"/api/v1/pods/{pod}", {testapi_pods_get, NULL, NULL, testapi_pods_delete}},
    {NULL, {NULL, NULL, NULL, NULL}}};
