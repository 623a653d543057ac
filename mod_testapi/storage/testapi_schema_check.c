#include <stdlib.h>

#include <apr_atomic.h>
#include <apr_strings.h>

#include "storage/testapi_schema_check.h"
#include "httpd/testapi_config.h"
#include "core/testapi_schema.h"

#define NOTE_BEHIND "testapi-schema-behind"

/* *n from a select of one number. */
static testapi_db_rc select_number(testapi_db *db, const char *label, int *n)
{
    const char *value;
    testapi_db_rc rc = testapi_db_one(db, label, 0, NULL, &value, 1);

    *n = value ? atoi(value) : 0;
    return rc;
}

/* The database's version: 1 when it has no schema_version table. */
static testapi_db_rc schema_version(testapi_db *db, int *version)
{
    testapi_db_rc rc;
    int tables;

    *version = 1;
    if ((rc = select_number(db, TESTAPI_SQL_SCHEMA_TABLE, &tables)) !=
            TESTAPI_DB_OK ||
        tables == 0) {
        return rc;
    }
    return select_number(db, TESTAPI_SQL_SCHEMA_VERSION, version);
}

testapi_db_rc testapi_schema_ready(testapi_db *db)
{
    testapi_srv_conf *conf =
        ap_get_module_config(db->r->server->module_config, &testapi_module);
    apr_uint32_t *state = conf->schema_state;
    const char *behind;
    testapi_db_rc rc;
    int version;

    /* Once current, for good: a schema only moves forward. */
    if (!state || apr_atomic_read32(state) == TESTAPI_SCHEMA_CURRENT) {
        return TESTAPI_DB_OK;
    }
    if ((rc = schema_version(db, &version)) != TESTAPI_DB_OK) {
        return rc == TESTAPI_DB_UNAVAILABLE ? rc : TESTAPI_DB_ERROR;
    }
    /* A newer database serves too: migrations add, the module reads what
     * it knows (README, "Schema versions"). */
    if (version >= TESTAPI_SCHEMA_VERSION) {
        apr_atomic_set32(state, TESTAPI_SCHEMA_CURRENT);
        return TESTAPI_DB_OK;
    }
    behind = apr_psprintf(db->r->pool,
                          "database schema at version %d, this server needs "
                          "version %d: run testapi-admin schema upgrade",
                          version, TESTAPI_SCHEMA_VERSION);
    if (apr_atomic_cas32(state, TESTAPI_SCHEMA_BEHIND,
                         TESTAPI_SCHEMA_UNKNOWN) == TESTAPI_SCHEMA_UNKNOWN) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, db->r,
                      TESTAPI_LOGNO(00400) "%s (every request that needs the "
                                           "database gets 503 until then; "
                                           "said once per process)",
                      behind);
    }
    apr_table_setn(db->r->notes, NOTE_BEHIND, behind);
    return TESTAPI_DB_UNAVAILABLE;
}

const char *testapi_schema_behind(request_rec *r)
{
    return apr_table_get(r->notes, NOTE_BEHIND);
}
