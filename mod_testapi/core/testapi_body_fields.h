/*
 * Declarative validation of request bodies: a resource lists its fields,
 * their kinds, and gets either their values or the contract's 400 message.
 */
#ifndef TESTAPI_BODY_FIELDS_H
#define TESTAPI_BODY_FIELDS_H

#include <apr_pools.h>
#include <json.h>

/* Longest value of a TEXT column, in bytes. */
#define TESTAPI_FIELD_TEXT_MAX 65535

typedef enum {
    TESTAPI_FIELD_NAME,    /* required name: "<key> missing" when absent/"" */
    TESTAPI_FIELD_STRING,  /* optional string, "" when absent or null */
    TESTAPI_FIELD_NULLABLE /* optional string, NULL when absent or null */
} testapi_field_kind;

typedef struct testapi_field {
    const char *key;
    testapi_field_kind kind;
} testapi_field;

/*
 * Reads the fields of 'spec' (ended by a NULL key) from the object 'body'
 * into out[0..n).  Returns NULL, or the message of the 400 answer.
 * out[i] point into body or the pool.
 */
const char *testapi_fields_get(apr_pool_t *pool, json_object *body,
                               const testapi_field *spec, const char **out);

/* The same for a PUT: out[i] is NULL for a field that was not sent (absent
 * or null); a name that is sent must not be empty. */
const char *testapi_fields_update(apr_pool_t *pool, json_object *body,
                                  const testapi_field *spec, const char **out);

/*
 * The bodies of the contract, field by field (the resources read them in
 * this order: their out[] indexes follow it).  Shared by the handlers and
 * the fuzzer of request bodies.
 */
extern const testapi_field testapi_pod_fields[];      /* POST pods */
extern const testapi_field testapi_project_fields[];  /* POST, PUT projects */
extern const testapi_field testapi_case_fields[];     /* POST testcases */
extern const testapi_field testapi_case_put_fields[]; /* PUT: + project_name */
extern const testapi_field testapi_result_ref_fields[]; /* pod, project, case */
extern const testapi_field testapi_result_fields[];     /* the other strings */

#endif
