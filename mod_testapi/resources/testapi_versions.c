/* GET /versions */
#include "httpd/testapi_request.h"
#include "resources/testapi_resources.h"

int testapi_versions_get(request_rec *r, const testapi_match *m)
{
    json_object *root = testapi_json_object(r->pool);
    json_object *list = json_object_new_array();
    json_object *v1 = json_object_new_object();

    (void)m;
    testapi_json_add_str(v1, "version", "v1.0");
    testapi_json_add_str(v1, "description", "basics");
    json_object_array_add(list, v1);
    json_object_object_add(root, "versions", list);
    return testapi_send_json(r, HTTP_OK, root);
}
