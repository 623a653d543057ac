#include <string.h>

#include <apr_strings.h>

#include "core/testapi_body_fields.h"
#include "core/testapi_json.h"
#include "core/testapi_name.h"

/* Reads the fields of spec; on update, fields not sent stay NULL. */
static const char *fields_read(apr_pool_t *pool, json_object *body,
                               const testapi_field *spec, const char **out,
                               int update)
{
    const testapi_field *f;
    int i;

    if (!json_object_is_type(body, json_type_object)) {
        return "Bad Json format [the body must be a JSON object]";
    }
    for (f = spec, i = 0; f->key; f++, i++) {
        json_object *v;
        const char *s =
            (update || f->kind == TESTAPI_FIELD_NULLABLE) ? NULL : "";
        apr_size_t len = 0;

        switch (testapi_json_member(body, f->key, json_type_string, &v)) {
        case TESTAPI_FIELD_WRONG_TYPE:
            return apr_psprintf(pool, "%s must be a string", f->key);
        case TESTAPI_FIELD_OK:
            s = json_object_get_string(v);
            len = (apr_size_t)json_object_get_string_len(v);
            break;
        default:
            break;
        }
        out[i] = s;
        if (!s) {
            continue;
        }
        if (f->kind == TESTAPI_FIELD_NAME) {
            const char *why = testapi_name_check(s, len);
            if (len == 0) {
                return apr_psprintf(pool, "%s missing", f->key);
            }
            if (why) {
                return apr_psprintf(pool, "%s: %s", f->key, why);
            }
        } else if (memchr(s, '\0', len)) {
            /* The driver passes strings by strlen: NUL would truncate. */
            return apr_psprintf(pool, "%s must not contain NUL", f->key);
        } else if (len > TESTAPI_FIELD_TEXT_MAX) {
            /* TEXT columns: strict SQL mode would refuse it with an error. */
            return apr_psprintf(pool, "%s longer than %d bytes", f->key,
                                TESTAPI_FIELD_TEXT_MAX);
        }
    }
    return NULL;
}

const char *testapi_fields_get(apr_pool_t *pool, json_object *body,
                               const testapi_field *spec, const char **out)
{
    return fields_read(pool, body, spec, out, 0);
}

const char *testapi_fields_update(apr_pool_t *pool, json_object *body,
                                  const testapi_field *spec, const char **out)
{
    return fields_read(pool, body, spec, out, 1);
}

const testapi_field testapi_pod_fields[] = {{"name", TESTAPI_FIELD_NAME},
                                            {"mode", TESTAPI_FIELD_STRING},
                                            {"details", TESTAPI_FIELD_STRING},
                                            {"role", TESTAPI_FIELD_STRING},
                                            {NULL, 0}};

const testapi_field testapi_project_fields[] = {
    {"name", TESTAPI_FIELD_NAME},
    {"description", TESTAPI_FIELD_STRING},
    {NULL, 0}};

const testapi_field testapi_case_fields[] = {
    {"name", TESTAPI_FIELD_NAME},
    {"description", TESTAPI_FIELD_STRING},
    {"url", TESTAPI_FIELD_STRING},
    {NULL, 0}};

/* Each optional; a name that is sent is checked as one.  project_name
 * moves the testcase to another existing project. */
const testapi_field testapi_case_put_fields[] = {
    {"name", TESTAPI_FIELD_NAME},
    {"description", TESTAPI_FIELD_STRING},
    {"url", TESTAPI_FIELD_STRING},
    {"project_name", TESTAPI_FIELD_NAME},
    {NULL, 0}};

/* The references are checked first, in the contract's order. */
const testapi_field testapi_result_ref_fields[] = {
    {"pod_name", TESTAPI_FIELD_NAME},
    {"project_name", TESTAPI_FIELD_NAME},
    {"case_name", TESTAPI_FIELD_NAME},
    {NULL, 0}};

const testapi_field testapi_result_fields[] = {
    {"installer", TESTAPI_FIELD_NULLABLE},
    {"version", TESTAPI_FIELD_NULLABLE},
    {"scenario", TESTAPI_FIELD_NULLABLE},
    {"build_tag", TESTAPI_FIELD_NULLABLE},
    {"criteria", TESTAPI_FIELD_NULLABLE},
    {"start_date", TESTAPI_FIELD_NULLABLE},
    {"stop_date", TESTAPI_FIELD_NULLABLE},
    {NULL, 0}};
