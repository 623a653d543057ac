/*
 * testapi-admin dump [-o FILE] [DECLARATION-FILE...] and restore FILE: the
 * state that only this site holds (accounts with their password hashes,
 * grants, ...) and the declaration files its servers read, in one
 * versioned JSON file.  Results are not in it: the database's own tools
 * back them up (README, "Backups").
 *
 * What goes into the file is the table site_state below, in the order a
 * restore inserts it: a schema version that adds such state (tokens,
 * waivers, subscriptions, ...) adds a row.  The file holds secrets as
 * they are stored (hashes, and whatever a later row adds), so it is made
 * mode 0600.
 */
#include <stdio.h>
#include <string.h>

#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "tools/testapi_admin_operations.h"
#include "core/testapi_date.h"
#include "core/testapi_file.h"
#include "core/testapi_json.h"
#include "core/testapi_name.h"
#include "core/testapi_schema.h"

#define FORMAT "mod_testapi site state"
#define FORMAT_VERSION 1
#define DUMP_MAX_BYTES (256 * 1024 * 1024)
#define DECLARATION_MAX_BYTES (16 * 1024 * 1024)

typedef struct column {
    const char *name; /* its member in a row of the file */
    int integer;      /* a JSON number, else a string (or null) */
} column;

typedef struct site_part {
    const char *name;      /* its member of "tables" */
    const column *columns; /* in the order of select and insert */
    const char *select;    /* its rows, columns in that order */
    const char *insert;    /* one row: a placeholder per column */
    /* Its rows now: a restore goes only into a database where this counts
     * 0, and each row it inserts must be new.  NULL: rows may be there
     * already (the restore then keeps them). */
    const char *count;
} site_part;

static const column account_columns[] = {
    {"name", 0}, {"password", 0}, {"admin", 1}, {NULL, 0}};
static const column project_columns[] = {
    {"oid", 0}, {"name", 0}, {"description", 0}, {"created", 1}, {NULL, 0}};
static const column grant_columns[] = {
    {"account", 0}, {"project", 0}, {NULL, 0}};

static const site_part site_state[] = {
    {"accounts", account_columns,
     "SELECT name, password, admin FROM accounts ORDER BY name",
     "INSERT INTO accounts (name, password, admin) VALUES (%s, %s, %s)",
     "SELECT COUNT(*) FROM accounts"},
    /* The projects that grants name, as they were declared: a grant
     * restored into a database without its project brings it along
     * (empty); a project of that name already there is kept as it is. */
    {"projects", project_columns,
     "SELECT oid, name, description, created FROM projects "
     "WHERE id IN (SELECT project_id FROM grants) ORDER BY id",
     "INSERT INTO projects (oid, name, description, created) "
     "VALUES (%s, %s, %s, %s) ON DUPLICATE KEY UPDATE id = id",
     NULL},
    /* By the project's name, which outlives its id across databases. */
    {"grants", grant_columns,
     "SELECT g.account, p.name FROM grants g JOIN projects p "
     "ON p.id = g.project_id ORDER BY g.account, p.name",
     "INSERT INTO grants (account, project_id) "
     "SELECT %s, id FROM projects WHERE name = %s",
     "SELECT COUNT(*) FROM grants"},
    {NULL, NULL, NULL, NULL, NULL}};

/* ---- dump ----------------------------------------------------------- */

/* Where dump_row puts a part's rows. */
typedef struct part_rows {
    const site_part *part;
    json_object *rows;
} part_rows;

static void dump_row(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    part_rows *p = ctx;
    json_object *obj = json_object_new_object();
    int i;

    for (i = 0; p->part->columns[i].name; i++) {
        const char *v = apr_dbd_get_entry(db->driver, row, i);
        json_object_object_add(obj, p->part->columns[i].name,
                               !v ? NULL
                               : p->part->columns[i].integer
                                   ? json_object_new_int64(apr_atoi64(v))
                                   : json_object_new_string(v));
    }
    json_object_array_add(p->rows, obj);
}

/* The rows of a part, as an array of objects. */
static int dump_part(testapi_admin_db *db, const site_part *part,
                     json_object *tables)
{
    part_rows p = {part, json_object_new_array()};
    int rv;

    json_object_object_add(tables, part->name, p.rows);
    rv = testapi_admin_each(db, part->select, 0, NULL, dump_row, &p);
    return rv ? testapi_admin_db_error(
                    db, rv, apr_pstrcat(db->pool, "reading ", part->name, NULL))
              : TESTAPI_ADMIN_DONE;
}

/* The declaration files, as they are. */
static int dump_files(testapi_admin_db *db, const char *const *files,
                      json_object *root, int *nfiles)
{
    json_object *list = json_object_new_array();
    const char *err;
    char *text;
    apr_size_t len;

    *nfiles = 0;
    json_object_object_add(root, "files", list);
    for (; files && *files; files++, ++*nfiles) {
        json_object *obj;

        if ((err = testapi_file_read(db->pool, *files, DECLARATION_MAX_BYTES,
                                     &text, &len))) {
            return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "%s", err);
        }
        if (!testapi_utf8_valid(text, len) || strlen(text) != len) {
            return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                      "%s: not a text file (UTF-8)", *files);
        }
        obj = json_object_new_object();
        testapi_json_add_str(obj, "path", *files);
        testapi_json_add_strn(obj, "content", text, len);
        json_object_array_add(list, obj);
    }
    return TESTAPI_ADMIN_DONE;
}

/* Writes text to path through a file of mode 0600 next to it, renamed
 * over it once complete: the dump is never seen half written, nor by
 * others. */
static int write_private(apr_pool_t *pool, const char *path, const char *text)
{
    char *tmp = apr_pstrcat(pool, path, ".XXXXXX", NULL), errbuf[120];
    apr_size_t len = strlen(text);
    apr_file_t *f;
    apr_status_t rv;

    /* apr_file_mktemp makes it with mode 0600 (mkstemp). */
    if ((rv = apr_file_mktemp(&f, tmp,
                              APR_FOPEN_CREATE | APR_FOPEN_READ |
                                  APR_FOPEN_WRITE | APR_FOPEN_EXCL,
                              pool)) != APR_SUCCESS) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "%s: %s", tmp,
                                  apr_strerror(rv, errbuf, sizeof(errbuf)));
    }
    if ((rv = apr_file_write_full(f, text, len, NULL)) != APR_SUCCESS ||
        (rv = apr_file_flush(f)) != APR_SUCCESS ||
        (rv = apr_file_sync(f)) != APR_SUCCESS ||
        (rv = apr_file_close(f)) != APR_SUCCESS ||
        (rv = apr_file_rename(tmp, path, pool)) != APR_SUCCESS) {
        apr_file_remove(tmp, pool);
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "%s: %s", path,
                                  apr_strerror(rv, errbuf, sizeof(errbuf)));
    }
    return TESTAPI_ADMIN_DONE;
}

/* "2 accounts, 1 projects, ..." of a "tables" object. */
static const char *summary(apr_pool_t *pool, json_object *tables)
{
    const site_part *part;
    const char *out = "";
    json_object *rows;

    for (part = site_state; part->name; part++) {
        if (json_object_object_get_ex(tables, part->name, &rows)) {
            out = apr_psprintf(pool, "%s%s%d %s", out, *out ? ", " : "",
                               (int)json_object_array_length(rows), part->name);
        }
    }
    return out;
}

int testapi_admin_dump(testapi_admin_db *db, const char *out,
                       const char *const *files)
{
    json_object *root = testapi_json_object(db->pool);
    json_object *tables = json_object_new_object();
    apr_dbd_transaction_t *tx = NULL;
    const site_part *part;
    char made[TESTAPI_TIME_LEN + 1];
    const char *text, *done;
    int status, nfiles, to_stdout = !out || !strcmp(out, "-");

    if ((status = testapi_admin_schema_needed(db)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    testapi_time_format(apr_time_now(), made);
    testapi_json_add_str(root, "format", FORMAT);
    json_object_object_add(root, "format_version",
                           json_object_new_int(FORMAT_VERSION));
    json_object_object_add(root, "schema_version",
                           json_object_new_int(TESTAPI_SCHEMA_VERSION));
    testapi_json_add_str(root, "made",
                         apr_pstrcat(db->pool, made, " UTC", NULL));
    json_object_object_add(root, "tables", tables);
    /* One transaction: every table read in the same snapshot. */
    if ((status = apr_dbd_transaction_start(db->driver, db->pool, db->handle,
                                            &tx)) != 0) {
        return testapi_admin_db_error(db, status, "starting a transaction");
    }
    for (part = site_state; part->name && status == TESTAPI_ADMIN_DONE;
         part++) {
        status = dump_part(db, part, tables);
    }
    apr_dbd_transaction_end(db->driver, db->pool, tx);
    if (status != TESTAPI_ADMIN_DONE ||
        (status = dump_files(db, files, root, &nfiles)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    text = apr_pstrcat(
        db->pool,
        json_object_to_json_string_ext(
            root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE),
        "\n", NULL);
    done =
        apr_psprintf(db->pool, "%s, %d declaration file%s",
                     summary(db->pool, tables), nfiles, nfiles == 1 ? "" : "s");
    if (to_stdout) {
        fputs(text, stdout);
        fflush(stdout);
        fprintf(stderr, "testapi-admin: dumped %s\n", done);
        return TESTAPI_ADMIN_DONE;
    }
    if ((status = write_private(db->pool, out, text)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    printf("wrote %s (mode 0600): %s\n", out, done);
    return TESTAPI_ADMIN_DONE;
}

/* ---- restore -------------------------------------------------------- */

/* The file, checked: its format and version, and a schema this
 * testapi-admin knows. */
static int read_dump(testapi_admin_db *db, const char *in, json_object **root)
{
    json_object *v;
    const char *err;
    char *text;
    apr_size_t len;
    int version;

    if ((err = testapi_file_read(db->pool, in, DUMP_MAX_BYTES, &text, &len))) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "%s", err);
    }
    if (testapi_json_parse(db->pool, text, len, root, &err) !=
            TESTAPI_PARSE_OK ||
        !json_object_is_type(*root, json_type_object) ||
        strcmp(testapi_json_member_str(*root, "format"), FORMAT)) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "%s: not a dump of testapi-admin (%s)", in,
                                  err ? err : "no \"format\": \"" FORMAT "\"");
    }
    if (testapi_json_member(*root, "format_version", json_type_int, &v) !=
            TESTAPI_FIELD_OK ||
        (version = json_object_get_int(v)) != FORMAT_VERSION) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "%s: a dump of format version %s; this "
                                  "testapi-admin reads version %d",
                                  in, v ? json_object_get_string(v) : "(none)",
                                  FORMAT_VERSION);
    }
    if (testapi_json_member(*root, "schema_version", json_type_int, &v) !=
            TESTAPI_FIELD_OK ||
        json_object_get_int(v) > TESTAPI_SCHEMA_VERSION) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "%s: made from a database at schema version "
                                  "%s; this testapi-admin knows version %d: "
                                  "restore it with a newer one",
                                  in, v ? json_object_get_string(v) : "(none)",
                                  TESTAPI_SCHEMA_VERSION);
    }
    return TESTAPI_ADMIN_DONE;
}

/* Refuses a database that holds site state already. */
static int check_empty(testapi_admin_db *db)
{
    const site_part *part;
    const char *held = "", *value;
    int rv;

    for (part = site_state; part->name; part++) {
        if (!part->count) {
            continue;
        }
        if ((rv = testapi_admin_value(db, part->count, 0, NULL, &value)) != 0) {
            return testapi_admin_db_error(db, rv, "counting what is there");
        }
        if (value && strcmp(value, "0")) {
            held = apr_psprintf(db->pool, "%s%s%s %s", held, *held ? ", " : "",
                                value, part->name);
        }
    }
    if (*held) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "the database holds site state already (%s): "
                                  "restore only into one without (a new "
                                  "database made with sql/schema.sql, or one "
                                  "restored from a results backup); nothing "
                                  "was changed",
                                  held);
    }
    return TESTAPI_ADMIN_DONE;
}

/* The arguments of a row's insert (*n of them); NULL and *why when it is
 * malformed. */
static const char **row_args(apr_pool_t *pool, const site_part *part,
                             json_object *row, int *n, const char **why)
{
    const char **args;
    json_object *v;
    int i;

    for (*n = 0; part->columns[*n].name; ++*n) {
    }
    args = apr_pcalloc(pool, *n * sizeof(*args));
    for (i = 0; i < *n; i++) {
        const column *c = &part->columns[i];
        testapi_field_rc rc = testapi_json_member(
            row, c->name, c->integer ? json_type_int : json_type_string, &v);
        if (rc == TESTAPI_FIELD_WRONG_TYPE ||
            (rc == TESTAPI_FIELD_ABSENT &&
             !json_object_object_get_ex(row, c->name, NULL))) {
            *why = apr_psprintf(pool, "\"%s\" missing or not a %s", c->name,
                                c->integer ? "number" : "string");
            return NULL;
        }
        args[i] = !v           ? NULL
                  : c->integer ? apr_psprintf(pool, "%" APR_INT64_T_FMT,
                                              json_object_get_int64(v))
                               : json_object_get_string(v);
    }
    return args;
}

/* One row of a part, its statement closed with it (testapi_admin_scratch). */
static int restore_row(testapi_admin_db *db, const char *in,
                       const site_part *part, json_object *row, int i)
{
    testapi_admin_db r;
    const char *why, **args, *key;
    int rv = 0, nrows = 0, nargs, status = TESTAPI_ADMIN_DONE;

    testapi_admin_scratch(db, &r);
    if (!(args = row_args(r.pool, part, row, &nargs, &why))) {
        status = testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                    "%s: %s, row %d: %s; nothing was restored",
                                    in, part->name, i + 1, why);
    } else if ((rv = testapi_admin_exec(&r, part->insert, &nrows, nargs,
                                        args)) != 0 ||
               (part->count && nrows != 1)) {
        /* The row by its first column (the name): no secret in messages. */
        key = args[0] ? args[0] : "null";
        status =
            rv ? testapi_admin_db_error(&r, rv,
                                        apr_psprintf(r.pool, "%s, row %d (%s)",
                                                     part->name, i + 1, key))
               : testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                    "%s, row %d (%s): not restored (what it "
                                    "names is missing); nothing was restored",
                                    part->name, i + 1, key);
    }
    apr_pool_destroy(r.pool);
    return status;
}

/* Every row of every part, in one transaction. */
static int restore_tables(testapi_admin_db *db, const char *in,
                          json_object *tables)
{
    apr_dbd_transaction_t *tx = NULL;
    const site_part *part;
    json_object *rows;
    int rv, i, n, status = TESTAPI_ADMIN_DONE;

    if ((rv = apr_dbd_transaction_start(db->driver, db->pool, db->handle,
                                        &tx)) != 0) {
        return testapi_admin_db_error(db, rv, "starting a transaction");
    }
    for (part = site_state; part->name && status == TESTAPI_ADMIN_DONE;
         part++) {
        if (!json_object_object_get_ex(tables, part->name, &rows)) {
            continue; /* made before that part existed */
        }
        if (!json_object_is_type(rows, json_type_array)) {
            status = testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                        "%s: \"%s\" is not an array", in,
                                        part->name);
            break;
        }
        n = (int)json_object_array_length(rows);
        for (i = 0; i < n && status == TESTAPI_ADMIN_DONE; i++) {
            status = restore_row(db, in, part,
                                 json_object_array_get_idx(rows, i), i);
        }
    }
    if (status != TESTAPI_ADMIN_DONE) {
        apr_dbd_transaction_mode_set(db->driver, tx,
                                     APR_DBD_TRANSACTION_ROLLBACK);
        apr_dbd_transaction_end(db->driver, db->pool, tx);
        return status;
    }
    if ((rv = apr_dbd_transaction_end(db->driver, db->pool, tx)) != 0) {
        return testapi_admin_db_error(db, rv, "committing");
    }
    return TESTAPI_ADMIN_DONE;
}

/* The declaration files of the dump, checked: *list (NULL when none) and
 * where each goes in files_dir (targets[i]; never over a file). */
static int dump_files_of(testapi_admin_db *db, const char *in,
                         json_object *root, const char *files_dir,
                         json_object **list, const char ***targets)
{
    apr_finfo_t fi;
    int i, n;

    *list = json_object_object_get(root, "files");
    n = *list && json_object_is_type(*list, json_type_array)
            ? (int)json_object_array_length(*list)
            : 0;
    *targets = apr_pcalloc(db->pool, (n + 1) * sizeof(**targets));
    for (i = 0; i < n; i++) {
        json_object *file = json_object_array_get_idx(*list, i), *content;
        const char *path = testapi_json_member_str(file, "path");
        const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;

        if (testapi_json_member(file, "content", json_type_string, &content) !=
                TESTAPI_FIELD_OK ||
            !*base) {
            return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                      "%s: file %d is malformed", in, i + 1);
        }
        if (files_dir) {
            (*targets)[i] = apr_pstrcat(db->pool, files_dir, "/", base, NULL);
            if (apr_stat(&fi, (*targets)[i], APR_FINFO_TYPE, db->pool) ==
                APR_SUCCESS) {
                return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                          "%s exists already: nothing was "
                                          "restored",
                                          (*targets)[i]);
            }
        }
    }
    return TESTAPI_ADMIN_DONE;
}

/* Writes the declaration files where dump_files_of said, or names them. */
static int restore_files(testapi_admin_db *db, json_object *list,
                         const char *const *targets)
{
    char errbuf[120];
    int i;

    for (i = 0; list && i < (int)json_object_array_length(list); i++) {
        json_object *file = json_object_array_get_idx(list, i);
        json_object *content = json_object_object_get(file, "content");
        const char *path = testapi_json_member_str(file, "path");
        apr_file_t *f;
        apr_status_t rv;

        if (!targets[i]) {
            printf("file %s (%d bytes) not written: --files-dir DIR writes it "
                   "there\n",
                   path, json_object_get_string_len(content));
            continue;
        }
        if ((rv = apr_file_open(
                 &f, targets[i],
                 APR_FOPEN_CREATE | APR_FOPEN_EXCL | APR_FOPEN_WRITE,
                 APR_FPROT_OS_DEFAULT, db->pool)) != APR_SUCCESS ||
            (rv = apr_file_write_full(f, json_object_get_string(content),
                                      json_object_get_string_len(content),
                                      NULL)) != APR_SUCCESS ||
            (rv = apr_file_close(f)) != APR_SUCCESS) {
            return testapi_admin_fail(TESTAPI_ADMIN_REFUSED, "%s: %s",
                                      targets[i],
                                      apr_strerror(rv, errbuf, sizeof(errbuf)));
        }
        printf("wrote %s (was %s)\n", targets[i], path);
    }
    return TESTAPI_ADMIN_DONE;
}

int testapi_admin_restore(testapi_admin_db *db, const char *in,
                          const char *files_dir)
{
    json_object *root, *tables, *files;
    const char **targets;
    int status;

    if ((status = testapi_admin_schema_needed(db)) != TESTAPI_ADMIN_DONE ||
        (status = read_dump(db, in, &root)) != TESTAPI_ADMIN_DONE ||
        (status = dump_files_of(db, in, root, files_dir, &files, &targets)) !=
            TESTAPI_ADMIN_DONE ||
        (status = check_empty(db)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    if (testapi_json_member(root, "tables", json_type_object, &tables) !=
        TESTAPI_FIELD_OK) {
        return testapi_admin_fail(TESTAPI_ADMIN_REFUSED,
                                  "%s: no \"tables\" object", in);
    }
    if ((status = restore_tables(db, in, tables)) != TESTAPI_ADMIN_DONE) {
        return status;
    }
    printf("restored %s from %s (made %s)\n", summary(db->pool, tables), in,
           testapi_json_member_str(root, "made"));
    return restore_files(db, files, targets);
}
