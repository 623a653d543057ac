/*
 * Projects: GET/POST /api/v1/projects,
 * GET/PUT/DELETE /api/v1/projects/{project}.
 * Object: {"_id", "name", "description", "creation_date"}.
 *
 * Testcases refer to their project by id: a rename is one UPDATE of the
 * project's row, and the foreign key (RESTRICT) refuses to delete a project
 * that still has testcases.
 */
#include <string.h>

#include <apr_strings.h>

#include "storage/testapi_database.h"
#include "httpd/testapi_request.h"
#include "resources/testapi_resources.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_name.h"
#include "core/testapi_date.h"

/* Column order of every project select. */
enum { PROJECT_OID, PROJECT_NAME, PROJECT_DESCRIPTION, PROJECT_CREATED };

/* Bytes a TEXT column holds: longer is refused before the database. */

/* A PUT that keeps meeting concurrent changes gives up after this. */
#define UPDATE_TRIES 3

/*
 * Body fields.  Create: name required, description optional ("" when
 * absent).  Update: each optional; a name that is sent is checked as one.
 */
enum { PUT_NAME, PUT_DESCRIPTION, PUT_COUNT };
static json_object *project_json(testapi_db *db, apr_dbd_row_t *row)
{
    json_object *project = json_object_new_object();
    char created[TESTAPI_TIME_LEN + 1];

    testapi_json_add_str(project, "_id", testapi_db_col(db, row, PROJECT_OID));
    testapi_json_add_str(project, "name",
                         testapi_db_col(db, row, PROJECT_NAME));
    testapi_json_add_str(project, "description",
                         testapi_db_col(db, row, PROJECT_DESCRIPTION));
    testapi_time_format(
        (apr_time_t)apr_atoi64(testapi_db_col(db, row, PROJECT_CREATED)),
        created);
    testapi_json_add_str(project, "creation_date", created);
    return project;
}

static int not_found(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_NOT_FOUND, "Could not find project [%s]",
                              m->param[0]);
}

/* A create or a rename met another project of that name. */
static int project_exists(request_rec *r, const char *name, const char *parent)
{
    (void)parent;
    return testapi_send_error(r, HTTP_FORBIDDEN,
                              "%s already exists as a project", name);
}

int testapi_projects_list(request_rec *r, const testapi_match *m)
{
    (void)m;
    return testapi_db_send_list(r, "projects", TESTAPI_SQL_PROJECT_LIST, 0,
                                NULL, project_json);
}

int testapi_projects_get(request_rec *r, const testapi_match *m)
{
    int ret = testapi_db_send_row(r, TESTAPI_SQL_PROJECT_GET, 1, m->param,
                                  project_json);

    return ret != DECLINED ? ret : not_found(r, m);
}

/* Statement arguments: oid, name, description, created. */
static const testapi_create project_create = {
    testapi_project_fields, TESTAPI_SQL_PROJECT_INSERT, project_exists, NULL};

int testapi_projects_create(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_create(r, m, &project_create);
}

/*
 * PUT: read the project, compare what was sent with what is stored (byte
 * for byte), then one UPDATE of that row, pinned to the id and name that
 * were read, writing only the fields that were sent.  When it changes
 * nothing, the project was renamed, deleted or changed in between: read
 * again and decide again.
 */
int testapi_projects_update(request_rec *r, const testapi_match *m)
{
    const char *vals[PUT_COUNT];
    /* Statement arguments: name, description, oid, current name. */
    const char *args[4];
    json_object *body, *cur;
    testapi_db db;
    testapi_db_rc rc;
    int ret, nrows, tries;

    if (!testapi_read_fields(r, testapi_project_fields, vals, &body, &ret)) {
        return ret;
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    for (tries = 0; tries < UPDATE_TRIES; tries++) {
        if ((rc = testapi_db_row(&db, TESTAPI_SQL_PROJECT_GET, 1, &m->param[0],
                                 project_json, &cur)) != TESTAPI_DB_OK) {
            return testapi_db_fail(&db, rc);
        }
        if (!cur) {
            return not_found(r, m);
        }
        if ((!vals[PUT_NAME] ||
             !strcmp(vals[PUT_NAME], testapi_json_member_str(cur, "name"))) &&
            (!vals[PUT_DESCRIPTION] ||
             !strcmp(vals[PUT_DESCRIPTION],
                     testapi_json_member_str(cur, "description")))) {
            return testapi_send_error(r, HTTP_FORBIDDEN, "Nothing to update");
        }
        args[0] = vals[PUT_NAME];
        args[1] = vals[PUT_DESCRIPTION];
        args[2] = testapi_json_member_str(cur, "_id");
        args[3] = m->param[0];
        rc = testapi_db_exec(&db, TESTAPI_SQL_PROJECT_UPDATE, &nrows, 4, args);
        if (rc == TESTAPI_DB_DUPLICATE) {
            return project_exists(r, vals[PUT_NAME], NULL);
        }
        if (rc != TESTAPI_DB_OK) {
            return testapi_db_fail(&db, rc);
        }
        if (nrows > 0) {
            /* As it is now: deleted since, it is gone. */
            ret = testapi_db_send_row(r, TESTAPI_SQL_PROJECT_GET_OID, 1,
                                      &args[2], project_json);
            return ret != DECLINED ? ret : not_found(r, m);
        }
    }
    return testapi_send_error(r, HTTP_CONFLICT,
                              "project [%s] is being changed concurrently, "
                              "try again",
                              m->param[0]);
}

/* Results refer to testcases: a project with results has testcases. */
static int has_testcases(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_FORBIDDEN,
                              "project [%s] still has testcases", m->param[0]);
}

static const testapi_delete project_delete = {TESTAPI_SQL_PROJECT_DELETE,
                                              has_testcases, not_found};

int testapi_projects_delete(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_delete(r, m, &project_delete);
}
