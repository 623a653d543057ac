/*
 * The operations commands of testapi-admin, one file each: the schema
 * version (testapi_admin_schema.c), retention (testapi_admin_purge.c) and
 * the backup of the site's own state (testapi_admin_backup.c).  Each runs
 * over an open database (testapi_admin_database.h), says what it does on
 * standard output and problems on standard error, and returns the exit
 * status.
 */
#ifndef TESTAPI_ADMIN_OPERATIONS_H
#define TESTAPI_ADMIN_OPERATIONS_H

#include "tools/testapi_admin_database.h"

/* Where `make install` puts sql/ (schema.sql and migrations/): the default
 * of --sql-dir. */
#ifndef TESTAPI_SQL_DIR
#define TESTAPI_SQL_DIR "/usr/local/share/mod_testapi/sql"
#endif

/* schema status: the database's version, the newest this testapi-admin
 * knows, and the migrations of sql_dir/migrations the database lacks.
 * DONE when it is current (or newer), REFUSED when it is behind or
 * empty. */
int testapi_admin_schema_status(testapi_admin_db *db, const char *sql_dir);

/* schema upgrade: applies the missing migrations of sql_dir/migrations in
 * order, each in one transaction as far as MariaDB allows, recording the
 * version after each.  Nothing to do is DONE too. */
int testapi_admin_schema_upgrade(testapi_admin_db *db, const char *sql_dir);

typedef struct testapi_admin_purge_request {
    const char *before;   /* a date (core/testapi_date.h): results older */
    const char *project;  /* only this project's, or NULL */
    const char *testcase; /* only the testcases of this name, or NULL */
    int dry_run;          /* say what would go, delete nothing */
    int batch;            /* results per transaction */
} testapi_admin_purge_request;

#define TESTAPI_ADMIN_PURGE_BATCH 1000

/* purge: deletes the results before a date, in transactions of at most
 * batch results, keeping what is derived from results right. */
int testapi_admin_purge(testapi_admin_db *db,
                        const testapi_admin_purge_request *req);

/* dump: the site's own state (accounts, grants, ...) and the declaration
 * files named into one versioned JSON file, out (made mode 0600), or
 * standard output when out is NULL or "-". */
int testapi_admin_dump(testapi_admin_db *db, const char *out,
                       const char *const *files);

/* restore: loads a dump into a database that holds no site state; with
 * files_dir, writes its declaration files there (never over a file). */
int testapi_admin_restore(testapi_admin_db *db, const char *in,
                          const char *files_dir);

#endif
