/*
 * Pods: GET/POST /api/v1/pods, GET/DELETE /api/v1/pods/{pod}.
 * Object: {"_id", "name", "mode", "details", "role", "creation_date"}.
 */
#include <apr_strings.h>

#include "storage/testapi_database.h"
#include "httpd/testapi_request.h"
#include "resources/testapi_resources.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_date.h"

/* Column order of every pod select. */
enum { POD_OID, POD_NAME, POD_MODE, POD_DETAILS, POD_ROLE, POD_CREATED };

static json_object *pod_json(testapi_db *db, apr_dbd_row_t *row)
{
    json_object *pod = json_object_new_object();
    char created[TESTAPI_TIME_LEN + 1];

    testapi_json_add_str(pod, "_id", testapi_db_col(db, row, POD_OID));
    testapi_json_add_str(pod, "name", testapi_db_col(db, row, POD_NAME));
    testapi_json_add_str(pod, "mode", testapi_db_col(db, row, POD_MODE));
    testapi_json_add_str(pod, "details", testapi_db_col(db, row, POD_DETAILS));
    testapi_json_add_str(pod, "role", testapi_db_col(db, row, POD_ROLE));
    testapi_time_format(
        (apr_time_t)apr_atoi64(testapi_db_col(db, row, POD_CREATED)), created);
    testapi_json_add_str(pod, "creation_date", created);
    return pod;
}

int testapi_pods_list(request_rec *r, const testapi_match *m)
{
    (void)m;
    return testapi_db_send_list(r, "pods", TESTAPI_SQL_POD_LIST, 0, NULL,
                                pod_json);
}

static int pod_not_found(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_NOT_FOUND, "Could not find pod [%s]",
                              m->param[0]);
}

int testapi_pods_get(request_rec *r, const testapi_match *m)
{
    int ret =
        testapi_db_send_row(r, TESTAPI_SQL_POD_GET, 1, m->param, pod_json);

    return ret != DECLINED ? ret : pod_not_found(r, m);
}

static int pod_exists(request_rec *r, const char *name, const char *parent)
{
    (void)parent;
    return testapi_send_error(r, HTTP_FORBIDDEN, "%s already exists as a pod",
                              name);
}

/* Statement arguments: oid, name, mode, details, role, created. */
static const testapi_create pod_create = {
    testapi_pod_fields, TESTAPI_SQL_POD_INSERT, pod_exists, NULL};

int testapi_pods_create(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_create(r, m, &pod_create);
}

static int pod_referenced(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_FORBIDDEN,
                              "pod [%s] is still referred to by results",
                              m->param[0]);
}

static const testapi_delete pod_delete = {TESTAPI_SQL_POD_DELETE,
                                          pod_referenced, pod_not_found};

int testapi_pods_delete(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_delete(r, m, &pod_delete);
}
