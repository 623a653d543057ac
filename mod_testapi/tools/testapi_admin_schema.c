/*
 * testapi-admin schema status | upgrade: the schema version of the
 * database, and the numbered migrations of sql/migrations/ that bring it
 * to the version this build needs (core/testapi_schema.h).
 *
 * A migration runs in one transaction, its version recorded in the same
 * one; MariaDB commits DDL on its own, so a migration that stopped half
 * way has committed some of its statements: migrations are written to run
 * again (IF NOT EXISTS, IF EXISTS), and running the upgrade again
 * finishes it.  Two upgrades at once both apply a migration and one
 * records it (the other meets the duplicate version and goes on).
 */
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "tools/testapi_admin_operations.h"
#include "core/testapi_file.h"
#include "core/testapi_schema.h"

#define MIGRATION_MAX_BYTES (1024 * 1024)

/* A migration to apply, read and split. */
typedef struct step {
    const testapi_migration *migration;
    apr_array_header_t *statements; /* const char * */
} step;

/* The migration to each version above `version` in sql_dir/migrations, in
 * order, into *steps (read and split when read is set).  Returns NULL or
 * what is wrong (a version without its file, a file that cannot be read or
 * split). */
static const char *missing_steps(apr_pool_t *pool, const char *sql_dir,
                                 int version, int read,
                                 apr_array_header_t **steps)
{
    const char *dir = apr_pstrcat(pool, sql_dir, "/migrations", NULL);
    apr_array_header_t *found;
    const testapi_migration *m;
    const char *err;
    int i, want = version + 1;

    *steps = apr_array_make(pool, 4, sizeof(step));
    if ((err = testapi_migrations_find(pool, dir, &found)) != NULL) {
        return err;
    }
    m = (const testapi_migration *)found->elts;
    for (i = 0; i < found->nelts && want <= TESTAPI_SCHEMA_VERSION; i++) {
        step *s;
        char *text;
        apr_size_t len;

        if (m[i].version < want) {
            continue;
        }
        if (m[i].version > want) {
            break;
        }
        s = apr_array_push(*steps);
        s->migration = &m[i];
        s->statements = NULL;
        if (read &&
            ((err = testapi_file_read(pool, m[i].path, MIGRATION_MAX_BYTES,
                                      &text, &len)) ||
             (err = testapi_sql_split(pool, text, len, &s->statements)))) {
            return apr_psprintf(pool, "%s: %s", m[i].path, err);
        }
        want++;
    }
    if (want <= TESTAPI_SCHEMA_VERSION) {
        return apr_psprintf(pool, "%s: no migration to version %d (%04d-*.sql)",
                            dir, want, want);
    }
    return NULL;
}

/* A schema_version row: when a version was reached, by what. */
static void print_version(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    (void)ctx;
    printf("  version %s reached %s UTC by %s\n",
           apr_dbd_get_entry(db->driver, row, 0),
           apr_dbd_get_entry(db->driver, row, 1),
           apr_dbd_get_entry(db->driver, row, 2));
}

static int print_history(testapi_admin_db *db)
{
    int rv = testapi_admin_each(db,
                                "SELECT version, applied, applied_by "
                                "FROM schema_version ORDER BY version",
                                0, NULL, print_version, NULL);

    return rv ? testapi_admin_db_error(db, rv, "reading schema_version")
              : TESTAPI_ADMIN_DONE;
}

/* The version of the database, said; *version 0 (empty, said as a
 * refusal) stops the caller. */
static int database_version(testapi_admin_db *db, int *version)
{
    int rv;

    if ((rv = testapi_admin_schema_of(db, version)) != 0) {
        return testapi_admin_db_error(db, rv, "reading the schema version");
    }
    if (*version == 0) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "the database has no tables: make it with "
                                  "sql/schema.sql (which records the newest "
                                  "version, %d)",
                                  TESTAPI_SCHEMA_VERSION);
    }
    return TESTAPI_ADMIN_DONE;
}

int testapi_admin_schema_status(testapi_admin_db *db, const char *sql_dir)
{
    apr_array_header_t *steps;
    const char *err;
    int version, status, i;

    if ((status = database_version(db, &version)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    printf("database: version %d%s\n", version,
           version == 1 ? " (no schema_version table)" : "");
    if (version > 1 && (status = print_history(db)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    if (version > TESTAPI_SCHEMA_VERSION) {
        printf("newest known to this testapi-admin: version %d; the database "
               "is newer (a later testapi-admin upgraded it)\n",
               TESTAPI_SCHEMA_VERSION);
        return TESTAPI_ADMIN_DONE;
    }
    printf("newest: version %d\n", TESTAPI_SCHEMA_VERSION);
    if (version == TESTAPI_SCHEMA_VERSION) {
        printf("current\n");
        return TESTAPI_ADMIN_DONE;
    }
    err = missing_steps(db->pool, sql_dir, version, 0, &steps);
    printf("missing:\n");
    for (i = 0; i < steps->nelts; i++) {
        printf("  %s\n", APR_ARRAY_IDX(steps, i, step).migration->path);
    }
    if (err) {
        printf("  %s\n", err);
    }
    printf("run: testapi-admin schema upgrade\n");
    return TESTAPI_ADMIN_REFUSED;
}

/* Its first line, for messages. */
static const char *first_line(apr_pool_t *pool, const char *statement)
{
    return apr_pstrndup(pool, statement, strcspn(statement, "\n"));
}

/* One migration, in one transaction with the record of its version. */
static int apply(testapi_admin_db *db, const step *s)
{
    const testapi_migration *m = s->migration;
    apr_dbd_transaction_t *tx = NULL;
    apr_time_t start = apr_time_now();
    const char *args[2];
    int rv, nrows, i;

    if ((rv = apr_dbd_transaction_start(db->driver, db->pool, db->handle,
                                        &tx)) != 0) {
        return testapi_admin_db_error(db, rv, "starting a transaction");
    }
    for (i = 0; i < s->statements->nelts; i++) {
        const char *statement = APR_ARRAY_IDX(s->statements, i, const char *);

        /* The text of a migration file of sql/ (never input), run as it is:
         * prepared, its '%' and '?' would be taken for placeholders. */
        if ((rv = apr_dbd_query(db->driver, db->handle, &nrows, statement)) !=
            0) {
            testapi_admin_db_error(
                db, rv,
                apr_psprintf(db->pool, "%s, statement %d (%s)", m->name, i + 1,
                             first_line(db->pool, statement)));
            apr_dbd_transaction_end(db->driver, db->pool, tx);
            return testapi_admin_fail(TESTAPI_ADMIN_DB,
                                      "the database stays at version %d; the "
                                      "statements before it may have been "
                                      "applied: correct the cause and run the "
                                      "upgrade again",
                                      m->version - 1);
        }
    }
    args[0] = apr_itoa(db->pool, m->version);
    args[1] =
        apr_pstrcat(db->pool, "testapi-admin schema upgrade: ", m->name, NULL);
    rv = testapi_admin_exec(db,
                            "INSERT INTO schema_version "
                            "(version, applied, applied_by) "
                            "VALUES (%s, UTC_TIMESTAMP(6), %s)",
                            &nrows, 2, args);
    if (rv == TESTAPI_ER_DUP_ENTRY) {
        /* Another upgrade applied and recorded it meanwhile: its rows are
         * there, ours roll back. */
        apr_dbd_transaction_end(db->driver, db->pool, tx);
        printf("%s: applied and recorded by another upgrade meanwhile: "
               "version %d\n",
               m->name, m->version);
        return TESTAPI_ADMIN_DONE;
    }
    if (rv) {
        testapi_admin_db_error(db, rv, "recording the version");
        apr_dbd_transaction_end(db->driver, db->pool, tx);
        return TESTAPI_ADMIN_DB;
    }
    if ((rv = apr_dbd_transaction_end(db->driver, db->pool, tx)) != 0) {
        return testapi_admin_db_error(db, rv, "committing");
    }
    printf("%s: %d statement%s in %.2f s: version %d\n", m->name,
           s->statements->nelts, s->statements->nelts == 1 ? "" : "s",
           (double)(apr_time_now() - start) / APR_USEC_PER_SEC, m->version);
    return TESTAPI_ADMIN_DONE;
}

int testapi_admin_schema_upgrade(testapi_admin_db *db, const char *sql_dir)
{
    apr_array_header_t *steps;
    const char *err;
    int version, status, i;

    if ((status = database_version(db, &version)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    if (version >= TESTAPI_SCHEMA_VERSION) {
        printf("database: version %d, %s: nothing to do\n", version,
               version == TESTAPI_SCHEMA_VERSION
                   ? "current"
                   : "newer than this testapi-admin knows");
        return TESTAPI_ADMIN_DONE;
    }
    /* Every file read and split before the first statement runs. */
    if ((err = missing_steps(db->pool, sql_dir, version, 1, &steps)) != NULL) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "%s; nothing was changed", err);
    }
    printf("database: version %d, upgrading to version %d with %d "
           "migration%s of %s/migrations\n",
           version, TESTAPI_SCHEMA_VERSION, steps->nelts,
           steps->nelts == 1 ? "" : "s", sql_dir);
    for (i = 0; i < steps->nelts; i++) {
        if ((status = apply(db, &APR_ARRAY_IDX(steps, i, step))) !=
            TESTAPI_ADMIN_DONE) {
            return status;
        }
    }
    printf("database: version %d, current\n", TESTAPI_SCHEMA_VERSION);
    return TESTAPI_ADMIN_DONE;
}
