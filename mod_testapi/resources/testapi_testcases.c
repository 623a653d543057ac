/*
 * Testcases: GET/POST /api/v1/projects/{project}/cases,
 * GET/PUT/DELETE /api/v1/projects/{project}/cases/{case}.
 * Object: {"_id", "name", "project_name", "description", "url",
 * "creation_date"}.
 *
 * A testcase refers to its project by id and results refer to the testcase
 * by id: renaming or moving a testcase is one UPDATE of its row (its
 * results follow), and the foreign key (RESTRICT) refuses to delete a
 * testcase that results still refer to.
 */
#include <string.h>

#include <apr_strings.h>

#include "storage/testapi_database.h"
#include "httpd/testapi_request.h"
#include "httpd/testapi_auth.h"
#include "resources/testapi_resources.h"
#include "core/testapi_body_fields.h"
#include "core/testapi_name.h"
#include "core/testapi_date.h"

/* Column order of every testcase select. */
enum {
    CASE_OID,
    CASE_NAME,
    CASE_PROJECT,
    CASE_DESCRIPTION,
    CASE_URL,
    CASE_CREATED
};

/* Bytes a TEXT column holds: longer is refused before the database. */

/* A PUT that keeps meeting concurrent changes gives up after this. */
#define UPDATE_TRIES 3

/* MariaDB: a foreign key refused a child row (the project went away). */
#define ER_NO_REFERENCED_ROW_2 1452

/* Update: the order of testapi_case_put_fields. */
enum { PUT_NAME, PUT_DESCRIPTION, PUT_URL, PUT_PROJECT, PUT_COUNT };

/* The object's members compared with what a PUT sent, in that order. */
static const char *const case_put_members[] = {"name", "description", "url",
                                               "project_name"};

static json_object *case_json(testapi_db *db, apr_dbd_row_t *row)
{
    json_object *tc = json_object_new_object();
    char created[TESTAPI_TIME_LEN + 1];

    testapi_json_add_str(tc, "_id", testapi_db_col(db, row, CASE_OID));
    testapi_json_add_str(tc, "name", testapi_db_col(db, row, CASE_NAME));
    testapi_json_add_str(tc, "project_name",
                         testapi_db_col(db, row, CASE_PROJECT));
    testapi_json_add_str(tc, "description",
                         testapi_db_col(db, row, CASE_DESCRIPTION));
    testapi_json_add_str(tc, "url", testapi_db_col(db, row, CASE_URL));
    testapi_time_format(
        (apr_time_t)apr_atoi64(testapi_db_col(db, row, CASE_CREATED)), created);
    testapi_json_add_str(tc, "creation_date", created);
    return tc;
}

static int case_not_found(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_NOT_FOUND,
                              "Could not find testcase [%s] in project [%s]",
                              m->param[1], m->param[0]);
}

static int project_not_found(request_rec *r, const char *project)
{
    return testapi_send_error(r, HTTP_FORBIDDEN, "Could not find project [%s]",
                              project);
}

static int case_exists(request_rec *r, const char *name, const char *project)
{
    return testapi_send_error(r, HTTP_FORBIDDEN,
                              "%s already exists as a testcase in project %s",
                              name, project);
}

int testapi_testcases_list(request_rec *r, const testapi_match *m)
{
    /* An unknown project simply has no testcases: 200 and []. */
    return testapi_db_send_list(r, "testcases", TESTAPI_SQL_TESTCASE_LIST, 1,
                                m->param, case_json);
}

int testapi_testcases_get(request_rec *r, const testapi_match *m)
{
    int ret = testapi_db_send_row(r, TESTAPI_SQL_TESTCASE_GET, 2, m->param,
                                  case_json);

    return ret != DECLINED ? ret : case_not_found(r, m);
}

/* Statement arguments: oid, name, description, url, created, project.
 * One INSERT ... SELECT: the project is found (and locked) as the row goes
 * in, so it cannot be deleted in between; no row: there is no project. */
static const testapi_create case_create = {testapi_case_fields,
                                           TESTAPI_SQL_TESTCASE_INSERT,
                                           case_exists, project_not_found};

int testapi_testcases_create(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_create(r, m, &case_create);
}

/*
 * PUT: read the testcase, compare what was sent with what is stored (byte
 * for byte), then one UPDATE of its row, pinned to the id, project and
 * name that were read, writing only the fields that were sent; the
 * destination project is joined by name in the same statement.  When it
 * changes nothing, either the destination project does not exist or the
 * testcase was changed in between: find out which, and decide again.
 */
int testapi_testcases_update(request_rec *r, const testapi_match *m)
{
    const char *vals[PUT_COUNT];
    /* Statement arguments: destination project, name, description, url,
     * oid, current project, current name. */
    const char *args[7];
    const char *project, *name, *dest;
    json_object *body, *cur;
    testapi_db db;
    testapi_db_rc rc;
    int ret, i, nrows, tries;

    if (!testapi_read_fields(r, testapi_case_put_fields, vals, &body, &ret)) {
        return ret;
    }
    if ((rc = testapi_db_open(r, &db)) != TESTAPI_DB_OK) {
        return testapi_db_fail(&db, rc);
    }
    /* Moving it is writing to the destination project too. */
    if (vals[PUT_PROJECT] && strcmp(vals[PUT_PROJECT], m->param[0]) &&
        !testapi_auth_project(r, &db, vals[PUT_PROJECT], &ret)) {
        return ret;
    }
    for (tries = 0; tries < UPDATE_TRIES; tries++) {
        if ((rc = testapi_db_row(&db, TESTAPI_SQL_TESTCASE_GET, 2, m->param,
                                 case_json, &cur)) != TESTAPI_DB_OK) {
            return testapi_db_fail(&db, rc);
        }
        if (!cur) {
            return case_not_found(r, m);
        }
        for (i = 0; i < PUT_COUNT; i++) {
            if (vals[i] && strcmp(vals[i], testapi_json_member_str(
                                               cur, case_put_members[i]))) {
                break;
            }
        }
        if (i == PUT_COUNT) {
            return testapi_send_error(r, HTTP_FORBIDDEN, "Nothing to update");
        }
        project = vals[PUT_PROJECT] ? vals[PUT_PROJECT] : m->param[0];
        name = vals[PUT_NAME] ? vals[PUT_NAME] : m->param[1];
        args[0] = project;
        args[1] = vals[PUT_NAME];
        args[2] = vals[PUT_DESCRIPTION];
        args[3] = vals[PUT_URL];
        args[4] = testapi_json_member_str(cur, "_id");
        args[5] = m->param[0];
        args[6] = m->param[1];
        rc = testapi_db_exec(&db, TESTAPI_SQL_TESTCASE_UPDATE, &nrows, 7, args);
        if (rc == TESTAPI_DB_DUPLICATE) {
            return case_exists(r, name, project);
        }
        if (rc != TESTAPI_DB_OK && db.err == ER_NO_REFERENCED_ROW_2) {
            /* The destination was deleted as the row moved. */
            return project_not_found(r, project);
        }
        if (rc != TESTAPI_DB_OK) {
            return testapi_db_fail(&db, rc);
        }
        if (nrows > 0) {
            /* As it is now: deleted since, it is gone. */
            ret = testapi_db_send_row(r, TESTAPI_SQL_TESTCASE_GET_OID, 1,
                                      &args[4], case_json);
            return ret != DECLINED ? ret : case_not_found(r, m);
        }
        if (vals[PUT_PROJECT]) {
            /* Does the destination exist?  Its _id, or NULL. */
            if ((rc = testapi_db_one(&db, TESTAPI_SQL_PROJECT_GET, 1, &project,
                                     &dest, 1)) != TESTAPI_DB_OK) {
                return testapi_db_fail(&db, rc);
            }
            if (!dest) {
                return project_not_found(r, project);
            }
        }
    }
    return testapi_send_error(r, HTTP_CONFLICT,
                              "testcase [%s] in project [%s] is being changed "
                              "concurrently, try again",
                              m->param[1], m->param[0]);
}

static int case_referenced(request_rec *r, const testapi_match *m)
{
    return testapi_send_error(r, HTTP_FORBIDDEN,
                              "testcase [%s] is still referred to by results",
                              m->param[1]);
}

static const testapi_delete case_delete = {TESTAPI_SQL_TESTCASE_DELETE,
                                           case_referenced, case_not_found};

int testapi_testcases_delete(request_rec *r, const testapi_match *m)
{
    return testapi_db_send_delete(r, m, &case_delete);
}
