/*
 * Schema versions: the version of the database schema that this build
 * needs, the numbered migrations of sql/migrations/ that bring an older
 * database to it, and SQL scripts read as statements.  The module checks
 * a database's version (storage/testapi_schema_check.c), testapi-admin
 * reports and upgrades it (tools/testapi_admin_schema.c).
 */
#ifndef TESTAPI_SCHEMA_H
#define TESTAPI_SCHEMA_H

#include <apr_pools.h>
#include <apr_tables.h>

/*
 * The schema version this build needs, the one place it is said: a new
 * migration sql/migrations/NNNN-what.sql (NNNN = this number), the same
 * change in sql/schema.sql (with its version row), and this number raised
 * to NNNN.  make check verifies that the three agree.  Version 1 is the
 * schema of before versions were recorded (no schema_version table).
 */
#define TESTAPI_SCHEMA_VERSION 2

/* A migration file of a directory. */
typedef struct testapi_migration {
    int version;      /* the version it brings the database to */
    const char *name; /* "0002-schema-version.sql" */
    const char *path; /* the directory and the name */
} testapi_migration;

/*
 * The version a migration file's name stands for: "NNNN-what.sql" with
 * four digits (0002 to 9999), "what" of lower-case letters, digits and
 * '-'.  0 for any other name (README files, editor backups, ...).
 */
int testapi_migration_version(const char *name);

/*
 * The migrations of directory dir (testapi_migration elements, by
 * version).  Returns NULL, or why not (the directory cannot be read, two
 * files have the same number).
 */
const char *testapi_migrations_find(apr_pool_t *pool, const char *dir,
                                    apr_array_header_t **found);

/*
 * Splits an SQL script into its statements (const char * elements, each
 * without its ';', leading blanks and comments).  Statements end at ';'
 * outside quotes ('...', "...", `...`) and comments (-- and # to the end
 * of the line, / * ... * /); pieces that hold only blanks and comments are
 * skipped.  Returns NULL, or why the script cannot be split (an unclosed
 * quote or comment, the mariadb client's DELIMITER command), with its
 * line.
 */
const char *testapi_sql_split(apr_pool_t *pool, const char *text,
                              apr_size_t len, apr_array_header_t **statements);

#endif
