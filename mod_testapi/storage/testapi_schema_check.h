/*
 * The module answers only from a database whose schema is at least
 * TESTAPI_SCHEMA_VERSION (core/testapi_schema.h).  Against an older one
 * every request that needs the database gets 503 with what to run
 * (`testapi-admin schema upgrade`), and the error log says so once per
 * process; once the database is upgraded, requests succeed without a
 * restart.
 */
#ifndef TESTAPI_SCHEMA_CHECK_H
#define TESTAPI_SCHEMA_CHECK_H

#include "storage/testapi_database.h"

/* What a process knows of the schema (testapi_srv_conf.schema_state, one
 * word per process and server, atomic). */
enum {
    TESTAPI_SCHEMA_UNKNOWN = 0, /* not checked, or behind and not logged */
    TESTAPI_SCHEMA_BEHIND = 1,  /* found behind, and logged */
    TESTAPI_SCHEMA_CURRENT = 2  /* found current: never checked again */
};

/*
 * On the request's fresh connection (testapi_db_open): TESTAPI_DB_OK when
 * the database is current; TESTAPI_DB_UNAVAILABLE when it is behind (the
 * request then carries the message for testapi_schema_behind) or when it
 * cannot say.
 */
testapi_db_rc testapi_schema_ready(testapi_db *db);

/* The 503 message for request r when its database was found behind, or
 * NULL. */
const char *testapi_schema_behind(request_rec *r);

#endif
