/*
 * testapi-admin: the accounts of mod_testapi, from the command line, and
 * the operations commands (schema, purge, dump, restore) whose work is
 * done in testapi_admin_schema.c, testapi_admin_purge.c and
 * testapi_admin_backup.c.
 *
 * It talks to the module's database directly, through apr_dbd's mysql
 * driver and the same DBDParams string the module uses, with prepared
 * statements only.  Passwords are read from standard input, or prompted
 * for twice without echo on a terminal: never from the command line,
 * where anyone on the machine could read them.  They are stored as bcrypt
 * hashes with a random salt.
 *
 * The commands are the rows of one table (commands[], at the end): a
 * command is a row there and a function; the table also makes the usage
 * and the help.  apr_getopt_long reads the options, the program's before
 * the command and the command's own anywhere after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_crypto.h>
#include <apr_cstr.h>
#include <apr_dbd.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_getopt.h>
#include <apr_hash.h>
#include <apr_lib.h>
#include <apr_md5.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "core/testapi_file.h"
#include "core/testapi_name.h"
#include "tools/testapi_admin_operations.h"

#define BCRYPT_MAX_PASSWORD 72 /* bytes bcrypt reads; the rest is ignored */
#define DEFAULT_COST 10
#define HELP_WIDTH 79          /* the help is wrapped to this many columns */
#define PARAMS_MAX_BYTES 65536 /* a DBDParams file larger is surely not one */

/* Exit statuses. */
enum { EXIT_DONE = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

/* An option, as apr_getopt_long reads it, and its value's name in the help
 * (NULL when it takes none). */
typedef struct option {
    apr_getopt_option_t getopt;
    const char *value;
} option;

struct command;

typedef struct admin {
    apr_pool_t *pool;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    int cost;
    const struct command *command; /* what runs; NULL before it is known */
    apr_hash_t *given; /* its options: long name (or letter) -> value */
} admin;

static int usage(admin *a, const struct command *c, const char *why);

/* ---- names ---------------------------------------------------------- */

/* An account name is sent in HTTP Basic credentials: no ':' (it ends the
 * name there) and no control characters; 1..255 bytes of UTF-8. */
static const char *account_check(const char *name)
{
    apr_size_t len = strlen(name), i;

    if (len == 0 || len > TESTAPI_NAME_MAX) {
        return "an account name has 1 to 255 bytes";
    }
    if (!testapi_utf8_valid(name, len)) {
        return "an account name must be UTF-8";
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c == ':' || c < 0x20 || c == 0x7f) {
            return "an account name may not hold ':' or control characters";
        }
    }
    return NULL;
}

/* Names as printed: control characters and backslashes escaped. */
static const char *printable(apr_pool_t *pool, const char *s)
{
    char *out = apr_palloc(pool, 4 * strlen(s) + 1), *o = out;

    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f || c == '\\') {
            o += sprintf(o, "\\x%02x", c);
        } else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

/* ---- database ------------------------------------------------------- */

static int db_error(admin *a, int rv, const char *what)
{
    return testapi_admin_fail(EXIT_DB, "%s: %s", what,
                              apr_dbd_error(a->driver, a->handle, rv));
}

/* The DBDParams string of a file (its trailing blanks and newline off). */
static const char *read_params_file(apr_pool_t *pool, const char *path,
                                    const char **err)
{
    char *buf;
    apr_size_t len;

    if ((*err = testapi_file_read(pool, path, PARAMS_MAX_BYTES, &buf, &len))) {
        return NULL;
    }
    while (len > 0 && apr_isspace(buf[len - 1])) {
        buf[--len] = '\0';
    }
    return buf;
}

static int db_open(admin *a, const char *params)
{
    const char *err = NULL;
    apr_status_t rv;

    if ((rv = apr_dbd_init(a->pool)) != APR_SUCCESS ||
        (rv = apr_dbd_get_driver(a->pool, "mysql", &a->driver)) !=
            APR_SUCCESS) {
        return testapi_admin_fail(EXIT_DB,
                                  "apr_dbd's mysql driver cannot be loaded (is "
                                  "libaprutil1-dbd-mysql installed?)");
    }
    if ((rv = apr_dbd_open_ex(a->driver, a->pool, params, &a->handle, &err)) !=
        APR_SUCCESS) {
        return testapi_admin_fail(EXIT_DB, "cannot connect to the database: %s",
                                  err ? err : "(no reason given)");
    }
    return EXIT_DONE;
}

/* The database as the operations commands and their helpers take it
 * (tools/testapi_admin_database.h). */
static testapi_admin_db database(admin *a)
{
    testapi_admin_db db = {a->pool, a->driver, a->handle};
    return db;
}

/* Runs a prepared statement that changes rows. */
static int exec(admin *a, const char *sql, int *nrows, int nargs,
                const char **args)
{
    testapi_admin_db db = database(a);
    return testapi_admin_exec(&db, sql, nrows, nargs, args);
}

/* *found: 1 when the select of one count returns a non-zero count. */
static int exists(admin *a, const char *sql, const char *arg, int *found)
{
    testapi_admin_db db = database(a);
    const char *count;
    int rv = testapi_admin_value(&db, sql, 1, &arg, &count);

    *found = count && strcmp(count, "0") != 0;
    return rv;
}

static int account_exists(admin *a, const char *name, int *found)
{
    return exists(a, "SELECT COUNT(*) FROM accounts WHERE name = %s", name,
                  found);
}

static int project_exists(admin *a, const char *name, int *found)
{
    return exists(a, "SELECT COUNT(*) FROM projects WHERE name = %s", name,
                  found);
}

/* A name that breaks the naming rules names nothing: refused before any
 * statement. */
static int check_names(admin *a, const char *account, const char *project)
{
    const char *err;

    if ((err = account_check(account))) {
        return testapi_admin_fail(EXIT_REFUSED, "no account [%s]: %s",
                                  printable(a->pool, account), err);
    }
    if (project && (err = testapi_name_check(project, strlen(project)))) {
        return testapi_admin_fail(EXIT_REFUSED, "no project [%s]: %s",
                                  printable(a->pool, project), err);
    }
    return EXIT_DONE;
}

/* Says which of account and project does not exist; EXIT_DONE if both do. */
static int missing(admin *a, const char *account, const char *project)
{
    int found, rv;

    if ((rv = check_names(a, account, project)) != EXIT_DONE) {
        return rv;
    }
    if ((rv = account_exists(a, account, &found)) != 0) {
        return db_error(a, rv, "looking the account up");
    }
    if (!found) {
        return testapi_admin_fail(EXIT_REFUSED, "no account [%s]",
                                  printable(a->pool, account));
    }
    if (!project) {
        return EXIT_DONE;
    }
    if ((rv = project_exists(a, project, &found)) != 0) {
        return db_error(a, rv, "looking the project up");
    }
    if (!found) {
        return testapi_admin_fail(EXIT_REFUSED, "no project [%s]",
                                  printable(a->pool, project));
    }
    return EXIT_DONE;
}

/* ---- passwords ------------------------------------------------------ */

/* The first line of standard input, or twice from the terminal. */
static int read_password(admin *a, const char *name, char *buf, apr_size_t size)
{
    apr_size_t len;

    if (!isatty(STDIN_FILENO)) {
        if (!fgets(buf, (int)size, stdin)) {
            return testapi_admin_fail(EXIT_REFUSED,
                                      "no password on standard input");
        }
        len = strcspn(buf, "\r\n");
        if (buf[len] == '\0' && len == size - 1) {
            apr_crypto_memzero(buf, size);
            return testapi_admin_fail(EXIT_REFUSED, "password too long");
        }
        buf[len] = '\0';
    } else {
        char again[256];
        apr_size_t n = sizeof(again);
        const char *prompt = apr_psprintf(
            a->pool, "Password for [%s]: ", printable(a->pool, name));

        len = size;
        if (apr_password_get(prompt, buf, &len) != APR_SUCCESS ||
            apr_password_get("Again: ", again, &n) != APR_SUCCESS) {
            apr_crypto_memzero(again, sizeof(again));
            apr_crypto_memzero(buf, size);
            return testapi_admin_fail(EXIT_REFUSED, "cannot read the password");
        }
        if (strcmp(buf, again)) {
            apr_crypto_memzero(again, sizeof(again));
            apr_crypto_memzero(buf, size);
            return testapi_admin_fail(EXIT_REFUSED, "the passwords differ");
        }
        apr_crypto_memzero(again, sizeof(again));
    }
    if (buf[0] == '\0') {
        return testapi_admin_fail(EXIT_REFUSED, "empty password");
    }
    if (strlen(buf) > BCRYPT_MAX_PASSWORD) {
        apr_crypto_memzero(buf, size);
        return testapi_admin_fail(
            EXIT_REFUSED,
            "password longer than %d bytes (bcrypt ignores the "
            "rest)",
            BCRYPT_MAX_PASSWORD);
    }
    return EXIT_DONE;
}

/* Reads a password and makes its bcrypt hash (a fresh random salt). */
static int new_hash(admin *a, const char *name, char *hash, apr_size_t size)
{
    char pw[256];
    unsigned char salt[16];
    apr_status_t rv;
    int status;

    if ((status = read_password(a, name, pw, sizeof(pw))) != EXIT_DONE) {
        return status;
    }
    if ((rv = apr_generate_random_bytes(salt, sizeof(salt))) != APR_SUCCESS) {
        apr_crypto_memzero(pw, sizeof(pw));
        return testapi_admin_fail(EXIT_DB, "no random bytes for a salt");
    }
    rv = apr_bcrypt_encode(pw, (unsigned int)a->cost, salt, sizeof(salt), hash,
                           size);
    apr_crypto_memzero(pw, sizeof(pw));
    if (rv != APR_SUCCESS) {
        return testapi_admin_fail(EXIT_DB, "bcrypt failed");
    }
    return EXIT_DONE;
}

/* ---- commands ------------------------------------------------------- */

static int cmd_add(admin *a, const char *const *operand)
{
    const char *name = operand[0];
    int is_admin = apr_hash_get(a->given, "admin", APR_HASH_KEY_STRING) != NULL;
    char hash[128];
    const char *args[3];
    const char *err;
    int status, rv, nrows, found;

    if ((err = account_check(name))) {
        return testapi_admin_fail(EXIT_REFUSED, "%s", err);
    }
    /* Before asking for a password that would be thrown away. */
    if ((rv = account_exists(a, name, &found)) != 0) {
        return db_error(a, rv, "looking the account up");
    }
    if (found) {
        return testapi_admin_fail(EXIT_REFUSED, "account [%s] already exists",
                                  printable(a->pool, name));
    }
    if ((status = new_hash(a, name, hash, sizeof(hash))) != EXIT_DONE) {
        return status;
    }
    args[0] = name;
    args[1] = hash;
    args[2] = is_admin ? "1" : "0";
    rv = exec(a,
              "INSERT INTO accounts (name, password, admin) "
              "VALUES (%s, %s, %s)",
              &nrows, 3, args);
    if (rv == TESTAPI_ER_DUP_ENTRY) {
        return testapi_admin_fail(EXIT_REFUSED, "account [%s] already exists",
                                  printable(a->pool, name));
    }
    if (rv) {
        return db_error(a, rv, "adding the account");
    }
    printf("account [%s] added%s\n", printable(a->pool, name),
           is_admin ? " (admin)" : "");
    return EXIT_DONE;
}

static int cmd_passwd(admin *a, const char *const *operand)
{
    const char *name = operand[0];
    char hash[128];
    const char *args[2];
    int status, rv, nrows;

    if ((status = missing(a, name, NULL)) != EXIT_DONE) {
        return status;
    }
    if ((status = new_hash(a, name, hash, sizeof(hash))) != EXIT_DONE) {
        return status;
    }
    args[0] = hash;
    args[1] = name;
    rv = exec(a, "UPDATE accounts SET password = %s WHERE name = %s", &nrows, 2,
              args);
    if (rv) {
        return db_error(a, rv, "setting the password");
    }
    if (nrows == 0) {
        return testapi_admin_fail(EXIT_REFUSED, "no account [%s]",
                                  printable(a->pool, name));
    }
    printf("password of [%s] changed\n", printable(a->pool, name));
    return EXIT_DONE;
}

static int cmd_admin(admin *a, const char *const *operand)
{
    const char *name = operand[0], *flag = operand[1];
    const char *args[2];
    int status, rv, nrows, on;

    if (!strcmp(flag, "on")) {
        on = 1;
    } else if (!strcmp(flag, "off")) {
        on = 0;
    } else {
        return usage(a, a->command, "admin takes on or off");
    }
    if ((status = missing(a, name, NULL)) != EXIT_DONE) {
        return status;
    }
    args[0] = on ? "1" : "0";
    args[1] = name;
    rv = exec(a, "UPDATE accounts SET admin = %s WHERE name = %s", &nrows, 2,
              args);
    if (rv) {
        return db_error(a, rv, "changing the account");
    }
    printf("account [%s] is %s\n", printable(a->pool, name),
           on ? "an admin" : "not an admin");
    return EXIT_DONE;
}

static int cmd_grant(admin *a, const char *const *operand)
{
    const char *name = operand[0], *project = operand[1];
    const char *args[2] = {name, project};
    int status, rv, nrows;

    if ((status = check_names(a, name, project)) != EXIT_DONE) {
        return status;
    }
    rv = exec(a,
              "INSERT INTO grants (account, project_id) "
              "SELECT a.name, p.id FROM accounts a, projects p "
              "WHERE a.name = %s AND p.name = %s",
              &nrows, 2, args);
    if (rv == TESTAPI_ER_DUP_ENTRY) {
        printf("account [%s] already may write to project [%s]\n",
               printable(a->pool, name), printable(a->pool, project));
        return EXIT_DONE;
    }
    if (rv) {
        return db_error(a, rv, "granting");
    }
    if (nrows == 0) {
        status = missing(a, name, project);
        return status != EXIT_DONE
                   ? status
                   : testapi_admin_fail(EXIT_DB, "nothing was granted");
    }
    printf("account [%s] may write to project [%s]\n", printable(a->pool, name),
           printable(a->pool, project));
    return EXIT_DONE;
}

static int cmd_revoke(admin *a, const char *const *operand)
{
    const char *name = operand[0], *project = operand[1];
    const char *args[2] = {name, project};
    int status, rv, nrows;

    if ((status = check_names(a, name, project)) != EXIT_DONE) {
        return status;
    }
    rv = exec(a,
              "DELETE g FROM grants g JOIN projects p ON p.id = g.project_id "
              "WHERE g.account = %s AND p.name = %s",
              &nrows, 2, args);
    if (rv) {
        return db_error(a, rv, "revoking");
    }
    if (nrows == 0) {
        status = missing(a, name, project);
        return status != EXIT_DONE
                   ? status
                   : testapi_admin_fail(
                         EXIT_REFUSED,
                         "account [%s] has no grant on project [%s]",
                         printable(a->pool, name), printable(a->pool, project));
    }
    printf("account [%s] may no longer write to project [%s]\n",
           printable(a->pool, name), printable(a->pool, project));
    return EXIT_DONE;
}

static int cmd_remove(admin *a, const char *const *operand)
{
    const char *name = operand[0];
    int status, rv, nrows;

    if ((status = check_names(a, name, NULL)) != EXIT_DONE) {
        return status;
    }
    rv = exec(a, "DELETE FROM accounts WHERE name = %s", &nrows, 1, &name);
    if (rv) {
        return db_error(a, rv, "removing the account");
    }
    if (nrows == 0) {
        return testapi_admin_fail(EXIT_REFUSED, "no account [%s]",
                                  printable(a->pool, name));
    }
    printf("account [%s] removed\n", printable(a->pool, name));
    return EXIT_DONE;
}

/* A row of cmd_list: a new account starts a line, its grants follow. */
static void list_row(testapi_admin_db *db, apr_dbd_row_t *row, void *ctx)
{
    const char **current = ctx;
    const char *name = apr_dbd_get_entry(db->driver, row, 0);
    const char *adm = apr_dbd_get_entry(db->driver, row, 1);
    const char *project = apr_dbd_get_entry(db->driver, row, 2);

    if (!*current || strcmp(*current, name)) {
        if (*current) {
            putchar('\n');
        }
        *current = apr_pstrdup(db->pool, name);
        printf("%s\t%s", printable(db->pool, name),
               strcmp(adm, "0") ? "admin" : "-");
    }
    if (project) {
        printf("\t%s", printable(db->pool, project));
    }
}

/* One line per account: NAME TAB admin|- [TAB PROJECT]... */
static int cmd_list(admin *a, const char *const *operand)
{
    testapi_admin_db db = database(a);
    const char *current = NULL;
    int rv;

    (void)operand;
    rv = testapi_admin_each(&db,
                            "SELECT a.name, a.admin, p.name FROM accounts a "
                            "LEFT JOIN grants g ON g.account = a.name "
                            "LEFT JOIN projects p ON p.id = g.project_id "
                            "ORDER BY a.name, p.name",
                            0, NULL, list_row, &current);
    if (current) {
        putchar('\n');
    }
    return rv ? db_error(a, rv, "listing the accounts") : EXIT_DONE;
}

/* ---- operations (testapi_admin_operations.h) ------------------------ */

/* The value of the command's option name, or NULL. */
static const char *given(admin *a, const char *name)
{
    return apr_hash_get(a->given, name, APR_HASH_KEY_STRING);
}

static int cmd_schema(admin *a, const char *const *operand)
{
    testapi_admin_db db = database(a);
    const char *dir =
        given(a, "sql-dir") ? given(a, "sql-dir") : TESTAPI_SQL_DIR;

    if (!strcmp(operand[0], "status")) {
        return testapi_admin_schema_status(&db, dir);
    }
    if (!strcmp(operand[0], "upgrade")) {
        return testapi_admin_schema_upgrade(&db, dir);
    }
    return usage(a, a->command, "schema takes status or upgrade");
}

static int cmd_purge(admin *a, const char *const *operand)
{
    testapi_admin_db db = database(a);
    testapi_admin_purge_request req = {
        given(a, "before"), given(a, "project"), given(a, "case"),
        given(a, "dry-run") != NULL, TESTAPI_ADMIN_PURGE_BATCH};
    apr_int64_t batch;

    (void)operand;
    if (!req.before) {
        return usage(a, a->command, "purge needs --before DATE");
    }
    if (given(a, "batch")) {
        if (apr_cstr_strtoi64(&batch, given(a, "batch"), 1, 1000000, 10) !=
            APR_SUCCESS) {
            return usage(a, a->command,
                         "--batch takes a number from 1 to 1000000");
        }
        req.batch = (int)batch;
    }
    return testapi_admin_purge(&db, &req);
}

static int cmd_dump(admin *a, const char *const *operand)
{
    testapi_admin_db db = database(a);
    return testapi_admin_dump(&db, given(a, "output"), operand);
}

static int cmd_restore(admin *a, const char *const *operand)
{
    testapi_admin_db db = database(a);
    return testapi_admin_restore(&db, operand[0], given(a, "files-dir"));
}

static int cmd_help(admin *a, const char *const *operand);

/* ---- the command table ---------------------------------------------- */

/* Letters above 255 name options that have a long name only. */
enum {
    OPT_ADMIN = 256,
    OPT_SQL_DIR,
    OPT_BEFORE,
    OPT_PROJECT,
    OPT_CASE,
    OPT_DRY_RUN,
    OPT_BATCH,
    OPT_FILES_DIR
};

/* The program's options, before the command. */
static const option global_options[] = {
    {{NULL, 'f', 1,
      "read the database parameters (the module's DBDParams string) from "
      "FILE"},
     "FILE"},
    {{NULL, 'p', 1,
      "the database parameters themselves (visible to other users of the "
      "machine: prefer -f or the environment)"},
     "PARAMS"},
    {{"cost", 'c', 1,
      "bcrypt cost of the passwords that add and passwd store, 4 to 31 "
      "(default 10)"},
     "COST"},
    {{NULL, 0, 0, NULL}, NULL}};

/* Every command, and the program itself, takes it. */
static const option help_option = {{"help", 'h', 0, "this help"}, NULL};

static const option add_options[] = {
    {{"admin", OPT_ADMIN, 0, "make it an admin, which may write everything"},
     NULL},
    {{NULL, 0, 0, NULL}, NULL}};

static const option schema_options[] = {
    {{"sql-dir", OPT_SQL_DIR, 1,
      "where schema.sql and migrations/ are (default " TESTAPI_SQL_DIR ")"},
     "DIR"},
    {{NULL, 0, 0, NULL}, NULL}};

static const option purge_options[] = {
    {{"before", OPT_BEFORE, 1,
      "the results older than this: YYYY-MM-DD, or a date and time as the "
      "API's from and to take it (UTC unless it names a zone); needed"},
     "DATE"},
    {{"project", OPT_PROJECT, 1, "only the results of project P"}, "P"},
    {{"case", OPT_CASE, 1,
      "only the results of the testcases named C (of P, or of every "
      "project)"},
     "C"},
    {{"dry-run", OPT_DRY_RUN, 0, "say what would be deleted, delete nothing"},
     NULL},
    {{"batch", OPT_BATCH, 1, "results per transaction, at most (1000)"}, "N"},
    {{NULL, 0, 0, NULL}, NULL}};

static const option dump_options[] = {
    {{"output", 'o', 1,
      "write it to FILE (mode 0600, renamed into place once complete) "
      "rather than to standard output"},
     "FILE"},
    {{NULL, 0, 0, NULL}, NULL}};

static const option restore_options[] = {
    {{"files-dir", OPT_FILES_DIR, 1,
      "write the dump's declaration files into DIR (never over a file)"},
     "DIR"},
    {{NULL, 0, 0, NULL}, NULL}};

typedef struct command {
    const char *name;
    const char *operands;   /* as the usage shows them */
    int min_args, max_args; /* how many operands it takes */
    const option *options;  /* its own, or NULL */
    int offline;            /* nonzero: it runs without the database */
    /* operand: the operands, NULL-terminated */
    int (*run)(admin *a, const char *const *operand);
    const char *summary;     /* its line in the usage */
    const char *description; /* what help COMMAND says of it */
} command;

static const command commands[] = {
    {"add", "NAME", 1, 1, add_options, 0, cmd_add,
     "create an account (an admin may write everything; another account "
     "only what it is granted)",
     "Creates the account NAME with a password (see Passwords in "
     "testapi-admin --help).  NAME has 1 to 255 bytes of UTF-8, without ':' "
     "(it ends the user name in HTTP Basic) or control characters.  Without "
     "--admin, the account may write nothing until it is granted a project "
     "(grant)."},
    {"passwd", "NAME", 1, 1, NULL, 0, cmd_passwd, "set an account's password",
     "Sets the password of the account NAME, read as add reads it.  The "
     "old password is refused from the next request on."},
    {"admin", "NAME on|off", 2, 2, NULL, 0, cmd_admin,
     "make an account an admin, or not",
     "Makes the account NAME an admin (on), which may write everything: "
     "pods, projects, and the testcases and results of every project; or "
     "no longer (off).  Its grants stay as they are."},
    {"grant", "NAME PROJECT", 2, 2, NULL, 0, cmd_grant,
     "let NAME write the testcases and results of PROJECT",
     "Lets the account NAME create, change, move and delete the testcases "
     "of PROJECT, and create and change its results.  The grant follows "
     "the project when it is renamed and goes with it when it is deleted.  "
     "Granting twice is granting once."},
    {"revoke", "NAME PROJECT", 2, 2, NULL, 0, cmd_revoke, "take that back",
     "Takes back what grant gave: the account NAME may no longer write the "
     "testcases and results of PROJECT.  Refused (status 1) when it had no "
     "such grant."},
    {"list", "", 0, 0, NULL, 0, cmd_list,
     "accounts, admins, and their projects",
     "Prints one line per account, by name: the name, a TAB, admin or -, "
     "and a TAB and the name of each project granted to it.  Control "
     "characters and backslashes in names are printed as \\xNN."},
    {"remove", "NAME", 1, 1, NULL, 0, cmd_remove,
     "remove an account and its grants",
     "Removes the account NAME and its grants; its next request is refused "
     "(401), whatever a server remembers of its password."},
    {"schema", "status|upgrade", 1, 1, schema_options, 0, cmd_schema,
     "the database's schema version; apply the migrations it lacks",
     "status prints the database's schema version (and when each version "
     "was reached), the newest this testapi-admin knows and the migrations "
     "the database lacks; it exits with 0 when the database is current, 1 "
     "when it is behind or has no tables.  upgrade applies the missing "
     "migrations of DIR/migrations in order, each in one transaction with "
     "the row that records its version; run again, it finishes what an "
     "interrupted upgrade left and otherwise does nothing.  It changes "
     "tables: give it an account that may (ALTER, CREATE, DROP, INDEX, "
     "REFERENCES).  A new database is made with sql/schema.sql, not "
     "upgraded."},
    {"purge", "", 0, 0, purge_options, 0, cmd_purge,
     "delete the results older than a date, in small transactions",
     "Deletes the results whose time (start_date, or the time they were "
     "received) is before DATE, testcase by testcase, oldest first, at most "
     "N in one transaction, so that writes wait for one batch at most; "
     "what is derived from results is kept right in the same transaction.  "
     "It says what it will do, then what it did.  Stopped half way, run it "
     "again to go on."},
    {"dump", "[DECLARATION-FILE...]", 0, 64, dump_options, 0, cmd_dump,
     "the site's own state and declaration files, in one JSON file",
     "Writes the accounts (their password hashes), their grants (with the "
     "granted projects) and the declaration files named (the "
     "TestAPIDashboard file, ...) into one versioned JSON file.  It holds "
     "secrets: keep it mode 0600 and encrypt it when it leaves the "
     "machine.  The results are backed up with the database's own tools "
     "(mariadb-dump --single-transaction)."},
    {"restore", "FILE", 1, 1, restore_options, 0, cmd_restore,
     "load a dump into a database without accounts",
     "Loads the accounts, grants and granted projects of a dump into the "
     "database, in one transaction.  It refuses, changing nothing, a "
     "database that holds accounts or grants, a file of another format or "
     "format version, and one made from a newer schema."},
    {"help", "[COMMAND]", 0, 1, NULL, 1, cmd_help,
     "this help, or what COMMAND does",
     "Prints the help of testapi-admin, or what COMMAND does and its "
     "options (as COMMAND --help does)."},
    {NULL, NULL, 0, 0, NULL, 0, NULL, NULL, NULL}};

/* What the help says after the commands and options. */
static const char more_help[] =
    "\n"
    "Operands that begin with '-' follow '--' (testapi-admin remove -- "
    "-bot).\n"
    "\n"
    "Passwords:\n"
    "  add and passwd read the password from the first line of standard\n"
    "  input when it is not a terminal, else prompt for it twice without\n"
    "  echo; never from the command line.  It is stored as a bcrypt hash\n"
    "  with a random salt, of cost -c COST.  Passwords longer than 72 bytes\n"
    "  are refused (bcrypt would ignore the rest).\n"
    "\n"
    "Environment:\n"
    "  TESTAPI_DBD_PARAMS  the database parameters without -f and -p, e.g.\n"
    "    \"host=127.0.0.1 port=3306 user=testapi pass=... dbname=testapi\"\n"
    "\n"
    "Exit status:\n"
    "  0  done\n"
    "  1  refused (no such account or project, name taken, passwords\n"
    "     differ, ...)\n"
    "  2  usage\n"
    "  3  the database cannot be reached or fails\n"
    "\n"
    "Examples:\n"
    "  printf '%s\\n' \"$pw\" |\n"
    "    testapi-admin -f /etc/apache2/testapi-dbd-params add ci-bot\n"
    "  testapi-admin -f /etc/apache2/testapi-dbd-params grant ci-bot "
    "functest\n";

/* ---- the front end -------------------------------------------------- */

#define HELP_COLUMN 24 /* where the text of a command or an option starts */

static const command *find_command(const char *name)
{
    const command *c;

    for (c = commands; c->name; c++) {
        if (!strcmp(c->name, name)) {
            return c;
        }
    }
    return NULL;
}

/* Prints text from column col, where the cursor is, wrapped at HELP_WIDTH;
 * its later lines start at col too (APR has no text wrapper). */
static void wrap(FILE *out, int col, const char *text)
{
    int at = col;

    while (*text) {
        int n = (int)strcspn(text, " ");
        int gap = (int)strspn(text + n, " ");

        fprintf(out, "%.*s", n, text);
        at += n;
        text += n + gap;
        if (!*text) {
            break;
        }
        n = (int)strcspn(text, " ");
        if (at + gap + n > HELP_WIDTH) {
            fprintf(out, "\n%*s", col, "");
            at = col;
        } else {
            fprintf(out, "%*s", gap, "");
            at += gap;
        }
    }
    fputc('\n', out);
}

/* "  term", then text from HELP_COLUMN (on a line of its own when the term
 * reaches that far). */
static void item(FILE *out, const char *term, const char *text)
{
    int n = fprintf(out, "  %s", term);

    if (n >= HELP_COLUMN - 1) {
        fputc('\n', out);
        n = 0;
    }
    fprintf(out, "%*s", HELP_COLUMN - n, "");
    wrap(out, HELP_COLUMN, text);
}

/* "-c, --cost COST", "-f FILE", "--admin". */
static const char *option_term(apr_pool_t *p, const option *o)
{
    const char *letter =
        o->getopt.optch < 256 ? apr_psprintf(p, "-%c", o->getopt.optch) : NULL;
    const char *term =
        !o->getopt.name ? letter
        : letter        ? apr_pstrcat(p, letter, ", --", o->getopt.name, NULL)
                        : apr_pstrcat(p, "--", o->getopt.name, NULL);

    return o->value ? apr_pstrcat(p, term, " ", o->value, NULL) : term;
}

static void options_help(admin *a, FILE *out, const option *opts)
{
    for (; opts && opts->getopt.optch; opts++) {
        item(out, option_term(a->pool, opts), opts->getopt.description);
    }
    item(out, option_term(a->pool, &help_option),
         help_option.getopt.description);
}

/* "add NAME [--admin]" */
static const char *synopsis(admin *a, const command *c)
{
    const char *s = *c->operands
                        ? apr_pstrcat(a->pool, c->name, " ", c->operands, NULL)
                        : c->name;
    const option *o;

    for (o = c->options; o && o->getopt.optch; o++) {
        const char *term =
            o->getopt.name ? apr_pstrcat(a->pool, "--", o->getopt.name, NULL)
                           : apr_psprintf(a->pool, "-%c", o->getopt.optch);
        s = apr_pstrcat(a->pool, s, " [", term, o->value ? " " : "",
                        o->value ? o->value : "", "]", NULL);
    }
    return s;
}

/* The usage, and with full the whole help. */
static void overview(admin *a, FILE *out, int full)
{
    const command *c;

    fputs("Usage: testapi-admin [OPTIONS] COMMAND [ARGS]\n"
          "\n"
          "The accounts that may write to mod_testapi, in its database.\n"
          "\n"
          "Commands:\n",
          out);
    for (c = commands; c->name; c++) {
        item(out, synopsis(a, c), c->summary);
    }
    fputs("\nOptions:\n", out);
    options_help(a, out, global_options);
    fputs(full ? more_help
               : "\nMore: testapi-admin --help; what COMMAND does: "
                 "testapi-admin help COMMAND.\n",
          out);
}

static void command_help(admin *a, FILE *out, const command *c)
{
    fprintf(out, "Usage: testapi-admin [OPTIONS] %s\n\n", synopsis(a, c));
    wrap(out, 0, c->description);
    fprintf(out, "\nOptions of %s:\n", c->name);
    options_help(a, out, c->options);
    fputs("\nThe OPTIONS before it are those of testapi-admin --help.\n", out);
}

/* Says why (when there is a why) and how to use c, or the program. */
static int usage(admin *a, const command *c, const char *why)
{
    if (why) {
        fprintf(stderr, "testapi-admin: %s\n\n", why);
    }
    if (c) {
        command_help(a, stderr, c);
    } else {
        overview(a, stderr, 0);
    }
    return EXIT_USAGE;
}

static int cmd_help(admin *a, const char *const *operand)
{
    const command *c = operand[0] ? find_command(operand[0]) : NULL;

    if (operand[0] && !c) {
        return usage(a, NULL,
                     apr_psprintf(a->pool, "unknown command %s", operand[0]));
    }
    if (c) {
        command_help(a, stdout, c);
    } else {
        overview(a, stdout, 1);
    }
    return EXIT_DONE;
}

/*
 * Reads the options of os up to its operands into given (long name, or the
 * letter, -> value, "" for an option without one; a hash, not an apr_table,
 * whose keys ignore case): EXIT_DONE, or the status of a usage error.
 */
static int read_options(admin *a, apr_getopt_t *os, const option *opts,
                        apr_hash_t *given)
{
    apr_array_header_t *table =
        apr_array_make(a->pool, 4, sizeof(apr_getopt_option_t));
    const apr_getopt_option_t *o;
    const char *value, *bad;
    apr_status_t rv;
    int ch;

    for (; opts && opts->getopt.optch; opts++) {
        APR_ARRAY_PUSH(table, apr_getopt_option_t) = opts->getopt;
    }
    APR_ARRAY_PUSH(table, apr_getopt_option_t) = help_option.getopt;
    memset(apr_array_push(table), 0, sizeof(apr_getopt_option_t));
    os->errfn = NULL; /* APR's messages would name the command as a program */
    while ((rv = apr_getopt_long(os, (apr_getopt_option_t *)table->elts, &ch,
                                 &value)) == APR_SUCCESS) {
        for (o = (apr_getopt_option_t *)table->elts; o->optch != ch; o++) {
            /* to the row that matched */
        }
        apr_hash_set(given, o->name ? o->name : apr_psprintf(a->pool, "%c", ch),
                     APR_HASH_KEY_STRING, value ? value : "");
    }
    if (rv == APR_EOF) {
        return EXIT_DONE;
    }
    bad = os->argv[os->ind - 1];
    if (rv == APR_BADCH) {
        return usage(a, a->command,
                     apr_psprintf(a->pool, "unknown option %s", bad));
    }
    /* A long option that takes no value got one, or one lacks its value. */
    return usage(a, a->command,
                 apr_psprintf(a->pool,
                              strchr(bad, '=') ? "%s takes no value"
                                               : "%s needs a value",
                              bad));
}

/* Opens the database that -f FILE, else -p PARAMS, else TESTAPI_DBD_PARAMS
 * names. */
static int connect_db(admin *a, apr_hash_t *global)
{
    const char *file = apr_hash_get(global, "f", APR_HASH_KEY_STRING);
    const char *params = apr_hash_get(global, "p", APR_HASH_KEY_STRING);
    const char *err = NULL;

    if (file) {
        if (!(params = read_params_file(a->pool, file, &err))) {
            return testapi_admin_fail(EXIT_USAGE, "%s", err);
        }
    } else if (!params) {
        params = getenv("TESTAPI_DBD_PARAMS");
    }
    if (!params || !*params) {
        return usage(a, NULL,
                     "no database parameters: -f FILE, -p PARAMS or "
                     "TESTAPI_DBD_PARAMS");
    }
    return db_open(a, params);
}

static int run(admin *a, int argc, const char *const *argv)
{
    apr_hash_t *global = apr_hash_make(a->pool);
    apr_getopt_t *os;
    const char *value, **operand;
    apr_int64_t cost;
    int status, nargs;

    apr_getopt_init(&os, a->pool, argc, argv);
    if ((status = read_options(a, os, global_options, global)) != EXIT_DONE) {
        return status;
    }
    if (apr_hash_get(global, "help", APR_HASH_KEY_STRING)) {
        overview(a, stdout, 1);
        return EXIT_DONE;
    }
    if ((value = apr_hash_get(global, "cost", APR_HASH_KEY_STRING))) {
        if (apr_cstr_strtoi64(&cost, value, 4, 31, 10) != APR_SUCCESS) {
            return usage(a, NULL, "the bcrypt cost is a number from 4 to 31");
        }
        a->cost = (int)cost;
    }
    if (os->ind >= argc) {
        return usage(a, NULL, NULL);
    }
    if (!(a->command = find_command(os->argv[os->ind]))) {
        return usage(
            a, NULL,
            apr_psprintf(a->pool, "unknown command %s", os->argv[os->ind]));
    }
    /* The command's own options, also after its operands (add NAME
     * --admin); its name is the argv[0] of that reading. */
    apr_getopt_init(&os, a->pool, argc - os->ind, os->argv + os->ind);
    os->interleave = 1;
    a->given = apr_hash_make(a->pool);
    if ((status = read_options(a, os, a->command->options, a->given)) !=
        EXIT_DONE) {
        return status;
    }
    if (apr_hash_get(a->given, "help", APR_HASH_KEY_STRING)) {
        command_help(a, stdout, a->command);
        return EXIT_DONE;
    }
    nargs = os->argc - os->ind;
    if (nargs < a->command->min_args || nargs > a->command->max_args) {
        return usage(
            a, a->command,
            apr_psprintf(a->pool, "wrong use of %s", a->command->name));
    }
    operand = apr_pcalloc(a->pool, (nargs + 1) * sizeof(*operand));
    memcpy(operand, os->argv + os->ind, nargs * sizeof(*operand));
    if (!a->command->offline && (status = connect_db(a, global)) != EXIT_DONE) {
        return status;
    }
    return a->command->run(a, operand);
}

int main(int argc, const char *const *argv)
{
    admin a;
    int status;

    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS) {
        return testapi_admin_fail(EXIT_DB, "cannot initialise APR");
    }
    memset(&a, 0, sizeof(a));
    a.cost = DEFAULT_COST;
    apr_pool_create(&a.pool, NULL);
    status = run(&a, argc, argv);
    if (a.handle) {
        apr_dbd_close(a.driver, a.handle);
    }
    fflush(stdout);
    apr_pool_destroy(a.pool);
    apr_terminate();
    return status;
}
