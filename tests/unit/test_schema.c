#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include "test_suites.h"
#include "core/testapi_file.h"
#include "core/testapi_schema.h"

/* The statements of a script, or the error, joined by '|'. */
static const char *split(const char *text)
{
    apr_array_header_t *st;
    const char *err = testapi_sql_split(test_pool, text, strlen(text), &st);
    const char *out = "";
    int i;

    if (err) {
        return apr_pstrcat(test_pool, "error: ", err, NULL);
    }
    for (i = 0; i < st->nelts; i++) {
        out = apr_pstrcat(test_pool, out, i ? "|" : "",
                          APR_ARRAY_IDX(st, i, const char *), NULL);
    }
    return out;
}

START_TEST(statements_end_at_semicolons)
{
    ck_assert_str_eq(split("CREATE TABLE a (x INT);\nALTER TABLE a ADD y INT;"),
                     "CREATE TABLE a (x INT)|ALTER TABLE a ADD y INT");
    ck_assert_str_eq(split("  SELECT 1 ;  \n\n"), "SELECT 1");
}
END_TEST

START_TEST(the_last_statement_needs_no_semicolon)
{
    ck_assert_str_eq(split("SELECT 1;\nSELECT 2\n"), "SELECT 1|SELECT 2");
}
END_TEST

START_TEST(semicolons_in_quotes_and_comments_do_not_end_statements)
{
    ck_assert_str_eq(split("INSERT INTO t VALUES ('a;b', \"c;d\");"),
                     "INSERT INTO t VALUES ('a;b', \"c;d\")");
    ck_assert_str_eq(split("SELECT `odd;name` FROM t;"),
                     "SELECT `odd;name` FROM t");
    ck_assert_str_eq(split("SELECT 1 /* a; b */ + 1;"),
                     "SELECT 1 /* a; b */ + 1");
    ck_assert_str_eq(split("SELECT 1 -- a; b\n + 1;"),
                     "SELECT 1 -- a; b\n + 1");
    ck_assert_str_eq(split("SELECT 1 # a; b\n + 1;"), "SELECT 1 # a; b\n + 1");
}
END_TEST

START_TEST(escaped_and_doubled_quotes_stay_inside)
{
    ck_assert_str_eq(split("SELECT 'it''s; fine', 'a\\'; b';SELECT 2"),
                     "SELECT 'it''s; fine', 'a\\'; b'|SELECT 2");
    ck_assert_str_eq(split("SELECT `a``;b`;"), "SELECT `a``;b`");
}
END_TEST

START_TEST(leading_comments_are_dropped_and_empty_pieces_skipped)
{
    ck_assert_str_eq(split("-- Version 9: more\n-- and more;\n\n"
                           "/* a; block */ ALTER TABLE t ADD c INT;;\n"
                           "-- the end\n"),
                     "ALTER TABLE t ADD c INT");
    ck_assert_str_eq(split("-- nothing\n# at all\n;\n"), "");
}
END_TEST

START_TEST(double_dash_without_a_blank_is_not_a_comment)
{
    ck_assert_str_eq(split("SELECT 1--1;"), "SELECT 1--1");
}
END_TEST

START_TEST(executable_comments_are_code)
{
    ck_assert_str_eq(split("/*!40101 SET NAMES utf8mb4 */;"),
                     "/*!40101 SET NAMES utf8mb4 */");
}
END_TEST

START_TEST(unclosed_quotes_and_comments_are_refused_with_their_line)
{
    ck_assert_str_eq(split("SELECT 1;\nSELECT 'a;\n"),
                     "error: line 2: a quote that does not end");
    ck_assert_str_eq(split("SELECT 1;\n\n/* no end; SELECT 2;"),
                     "error: line 3: a comment that does not end");
    ck_assert_str_eq(split("SELECT `a;"),
                     "error: line 1: a quote that does not end");
}
END_TEST

START_TEST(the_clients_delimiter_command_is_refused)
{
    ck_assert_str_eq(split("SELECT 1;\n-- a procedure\ndelimiter //\n"),
                     "error: line 3: DELIMITER is a command of the mariadb "
                     "client, not SQL");
}
END_TEST

START_TEST(migration_names_carry_their_version)
{
    ck_assert_int_eq(testapi_migration_version("0002-schema-version.sql"), 2);
    ck_assert_int_eq(testapi_migration_version("0117-a.sql"), 117);
    ck_assert_int_eq(testapi_migration_version("0001-base.sql"), 1);
    ck_assert_int_eq(testapi_migration_version("0000-zero.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("2-short.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("00002-long.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("0002_under.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("0002-.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("0002-Upper.sql"), 0);
    ck_assert_int_eq(testapi_migration_version("0002-x.sql~"), 0);
    ck_assert_int_eq(testapi_migration_version("0002-x.sql.orig"), 0);
    ck_assert_int_eq(testapi_migration_version("README"), 0);
}
END_TEST

typedef struct scratch_dir {
    const char *path;
    const char *const *names;
} scratch_dir;

static apr_status_t scratch_dir_remove(void *data)
{
    scratch_dir *d = data;
    const char *const *name;

    for (name = d->names; *name; name++) {
        apr_file_remove(apr_pstrcat(test_pool, d->path, "/", *name, NULL),
                        test_pool);
    }
    return apr_dir_remove(d->path, test_pool);
}

/* A directory of the test's own with these (empty) files, removed with
 * the test's pool. */
static const char *dir_with(const char *const *names)
{
    scratch_dir *d = apr_palloc(test_pool, sizeof(*d));
    const char *tmp;
    char *path;
    const char *const *name;
    apr_file_t *f;

    ck_assert_int_eq(apr_temp_dir_get(&tmp, test_pool), APR_SUCCESS);
    path = apr_pstrcat(test_pool, tmp, "/testapi-migrations-XXXXXX", NULL);
    ck_assert_ptr_nonnull(mkdtemp(path));
    d->path = path;
    d->names = names;
    apr_pool_cleanup_register(test_pool, d, scratch_dir_remove,
                              apr_pool_cleanup_null);
    for (name = names; *name; name++) {
        ck_assert_int_eq(
            apr_file_open(&f, apr_pstrcat(test_pool, path, "/", *name, NULL),
                          APR_FOPEN_WRITE | APR_FOPEN_CREATE,
                          APR_FPROT_OS_DEFAULT, test_pool),
            APR_SUCCESS);
        apr_file_close(f);
    }
    return path;
}

START_TEST(migrations_are_found_in_order_and_other_files_ignored)
{
    static const char *const names[] = {"0010-ten.sql", "0003-three.sql",
                                        "README", "0004-four.sql~", NULL};
    const char *dir = dir_with(names);
    apr_array_header_t *found;
    testapi_migration *m;

    ck_assert_ptr_null(testapi_migrations_find(test_pool, dir, &found));
    ck_assert_int_eq(found->nelts, 2);
    m = (testapi_migration *)found->elts;
    ck_assert_int_eq(m[0].version, 3);
    ck_assert_str_eq(m[0].name, "0003-three.sql");
    ck_assert_str_eq(m[0].path,
                     apr_pstrcat(test_pool, dir, "/0003-three.sql", NULL));
    ck_assert_int_eq(m[1].version, 10);
}
END_TEST

START_TEST(two_migrations_of_one_number_are_refused)
{
    static const char *const names[] = {"0003-a.sql", "0003-b.sql", NULL};
    const char *dir = dir_with(names);
    apr_array_header_t *found;
    const char *err = testapi_migrations_find(test_pool, dir, &found);

    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "have the same number"));
}
END_TEST

START_TEST(a_migration_to_version_1_is_refused)
{
    static const char *const names[] = {"0001-base.sql", NULL};
    const char *dir = dir_with(names);
    apr_array_header_t *found;
    const char *err = testapi_migrations_find(test_pool, dir, &found);

    ck_assert_ptr_nonnull(err);
    ck_assert_ptr_nonnull(strstr(err, "migrations start at 0002"));
}
END_TEST

/* ---- the shipped sql/ ---------------------------------------------------- */

static const char *read_file(const char *path, apr_size_t *len)
{
    char *text;
    const char *err = testapi_file_read(test_pool, path, 1 << 20, &text, len);
    ck_assert_msg(!err, "%s", err);
    return text;
}

START_TEST(the_migrations_lead_from_version_1_to_TESTAPI_SCHEMA_VERSION)
{
    apr_array_header_t *found, *st;
    const testapi_migration *m;
    apr_size_t len;
    const char *text;
    int i;

    ck_assert_ptr_null(testapi_migrations_find(
        test_pool, TESTAPI_SRCDIR "/sql/migrations", &found));
    ck_assert_int_eq(found->nelts, TESTAPI_SCHEMA_VERSION - 1);
    m = (const testapi_migration *)found->elts;
    for (i = 0; i < found->nelts; i++) {
        ck_assert_int_eq(m[i].version, i + 2);
        text = read_file(m[i].path, &len);
        ck_assert_msg(!testapi_sql_split(test_pool, text, len, &st), "%s",
                      m[i].name);
        ck_assert_int_gt(st->nelts, 0);
    }
}
END_TEST

START_TEST(schema_sql_records_TESTAPI_SCHEMA_VERSION)
{
    apr_array_header_t *st;
    apr_size_t len;
    const char *text = read_file(TESTAPI_SRCDIR "/sql/schema.sql", &len);
    const char *last;
    int version = 0;

    ck_assert_ptr_null(testapi_sql_split(test_pool, text, len, &st));
    last = APR_ARRAY_IDX(st, st->nelts - 1, const char *);
    ck_assert_msg(sscanf(last,
                         "INSERT INTO schema_version (version, applied, "
                         "applied_by)\nVALUES (%d,",
                         &version) == 1,
                  "the last statement of schema.sql records its version: %s",
                  last);
    ck_assert_int_eq(version, TESTAPI_SCHEMA_VERSION);
}
END_TEST

Suite *schema_suite(void)
{
    Suite *s = suite_create("schema");
    TCase *tc = tcase_create("scripts");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, statements_end_at_semicolons);
    tcase_add_test(tc, the_last_statement_needs_no_semicolon);
    tcase_add_test(tc, semicolons_in_quotes_and_comments_do_not_end_statements);
    tcase_add_test(tc, escaped_and_doubled_quotes_stay_inside);
    tcase_add_test(tc, leading_comments_are_dropped_and_empty_pieces_skipped);
    tcase_add_test(tc, double_dash_without_a_blank_is_not_a_comment);
    tcase_add_test(tc, executable_comments_are_code);
    tcase_add_test(tc,
                   unclosed_quotes_and_comments_are_refused_with_their_line);
    tcase_add_test(tc, the_clients_delimiter_command_is_refused);
    suite_add_tcase(s, tc);
    tc = tcase_create("migrations");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, migration_names_carry_their_version);
    tcase_add_test(tc, migrations_are_found_in_order_and_other_files_ignored);
    tcase_add_test(tc, two_migrations_of_one_number_are_refused);
    tcase_add_test(tc, a_migration_to_version_1_is_refused);
    tcase_add_test(
        tc, the_migrations_lead_from_version_1_to_TESTAPI_SCHEMA_VERSION);
    tcase_add_test(tc, schema_sql_records_TESTAPI_SCHEMA_VERSION);
    suite_add_tcase(s, tc);
    return s;
}
