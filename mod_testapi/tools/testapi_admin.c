/*
 * testapi-admin: the accounts of mod_testapi, from the command line.
 *
 * It talks to the module's database directly, through apr_dbd's mysql
 * driver and the same DBDParams string the module uses, with prepared
 * statements only.  Passwords are read from standard input, or prompted
 * for twice without echo on a terminal: never from the command line,
 * where anyone on the machine could read them.  They are stored as bcrypt
 * hashes with a random salt.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <apr_dbd.h>
#include <apr_file_io.h>
#include <apr_general.h>
#include <apr_lib.h>
#include <apr_md5.h>
#include <apr_strings.h>

#include "core/testapi_name.h"

#define ER_DUP_ENTRY 1062
#define BCRYPT_MAX_PASSWORD 72 /* bytes bcrypt reads; the rest is ignored */
#define DEFAULT_COST 10

/* Exit statuses. */
enum { EXIT_DONE = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_DB = 3 };

static const char usage_text[] =
    "Usage: testapi-admin [-f FILE | -p PARAMS] [-c COST] COMMAND [ARGS]\n"
    "\n"
    "Accounts that may write to mod_testapi, in its database.\n"
    "\n"
    "Commands:\n"
    "  add NAME [--admin]    create an account (an admin may write\n"
    "                        everything; another account only what it is\n"
    "                        granted)\n"
    "  passwd NAME           set an account's password\n"
    "  admin NAME on|off     make an account an admin, or not\n"
    "  grant NAME PROJECT    let NAME write the testcases and results of\n"
    "                        PROJECT\n"
    "  revoke NAME PROJECT   take that back\n"
    "  list                  accounts, admins, and their projects\n"
    "  remove NAME           remove an account and its grants\n"
    "\n"
    "add and passwd read the password from standard input (its first\n"
    "line) or, on a terminal, prompt for it twice without echo.  It is\n"
    "never taken from the command line.\n"
    "\n"
    "Options:\n"
    "  -f FILE    read the database parameters (the module's DBDParams\n"
    "             string) from FILE\n"
    "  -p PARAMS  the database parameters themselves (visible to other\n"
    "             users of the machine: prefer -f or the environment)\n"
    "  -c COST    bcrypt cost, 4 to 31 (default 10)\n"
    "  -h         this help\n"
    "Without -f and -p the parameters come from TESTAPI_DBD_PARAMS, e.g.\n"
    "  \"host=127.0.0.1 port=3306 user=testapi pass=... dbname=testapi\"\n"
    "\n"
    "Exit status: 0 done, 1 refused (no such account or project, name\n"
    "taken, passwords differ, ...), 2 usage, 3 database unreachable or\n"
    "failing.\n";

typedef struct admin {
    apr_pool_t *pool;
    const apr_dbd_driver_t *driver;
    apr_dbd_t *handle;
    int cost;
} admin;

static int fail(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(int status, const char *fmt, ...)
{
    va_list ap;

    fputs("testapi-admin: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return status;
}

static int usage(const char *why)
{
    if (why) {
        fprintf(stderr, "testapi-admin: %s\n\n", why);
    }
    fputs(usage_text, stderr);
    return EXIT_USAGE;
}

/* Overwrites a secret so that it does not linger in freed memory. */
static void wipe(void *buf, apr_size_t len)
{
    volatile unsigned char *p = buf;
    while (len--) {
        *p++ = 0;
    }
}

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
    return fail(EXIT_DB, "%s: %s", what,
                apr_dbd_error(a->driver, a->handle, rv));
}

static const char *read_params_file(apr_pool_t *pool, const char *path,
                                    const char **err)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_size_t len;
    apr_status_t rv;
    char *buf, errbuf[120];

    if ((rv = apr_file_open(&f, path, APR_FOPEN_READ, 0, pool)) !=
            APR_SUCCESS ||
        (rv = apr_file_info_get(&fi, APR_FINFO_SIZE, f)) != APR_SUCCESS) {
        *err = apr_psprintf(pool, "%s: %s", path,
                            apr_strerror(rv, errbuf, sizeof(errbuf)));
        return NULL;
    }
    len = (apr_size_t)fi.size;
    buf = apr_palloc(pool, len + 1);
    if ((rv = apr_file_read_full(f, buf, len, &len)) != APR_SUCCESS &&
        rv != APR_EOF) {
        *err = apr_psprintf(pool, "%s: %s", path,
                            apr_strerror(rv, errbuf, sizeof(errbuf)));
        return NULL;
    }
    apr_file_close(f);
    buf[len] = '\0';
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
        return fail(EXIT_DB, "apr_dbd's mysql driver cannot be loaded (is "
                             "libaprutil1-dbd-mysql installed?)");
    }
    if ((rv = apr_dbd_open_ex(a->driver, a->pool, params, &a->handle, &err)) !=
        APR_SUCCESS) {
        return fail(EXIT_DB, "cannot connect to the database: %s",
                    err ? err : "(no reason given)");
    }
    return EXIT_DONE;
}

/* Runs a prepared statement that changes rows. */
static int exec(admin *a, const char *sql, int *nrows, int nargs,
                const char **args)
{
    apr_dbd_prepared_t *stmt = NULL; /* the driver allocates only when NULL */
    int rv;

    *nrows = 0;
    if ((rv = apr_dbd_prepare(a->driver, a->pool, a->handle, sql, NULL,
                              &stmt)) != 0) {
        return rv;
    }
    return apr_dbd_pquery(a->driver, a->pool, a->handle, nrows, stmt, nargs,
                          args);
}

/* Runs a prepared select; every row is read. */
static int select_rows(admin *a, const char *sql, int nargs, const char **args,
                       apr_dbd_results_t **res)
{
    apr_dbd_prepared_t *stmt = NULL; /* the driver allocates only when NULL */
    int rv;

    if ((rv = apr_dbd_prepare(a->driver, a->pool, a->handle, sql, NULL,
                              &stmt)) != 0) {
        return rv;
    }
    return apr_dbd_pselect(a->driver, a->pool, a->handle, res, stmt, 0, nargs,
                           args);
}

/* *found: 1 when the select of one count returns a non-zero count. */
static int exists(admin *a, const char *sql, const char *arg, int *found)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    int rv;

    *found = 0;
    if ((rv = select_rows(a, sql, 1, &arg, &res)) != 0) {
        return rv;
    }
    while ((rv = apr_dbd_get_row(a->driver, a->pool, res, &row, -1)) == 0) {
        *found = strcmp(apr_dbd_get_entry(a->driver, row, 0), "0") != 0;
    }
    return rv == -1 ? 0 : rv;
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

/* Says which of account and project does not exist; EXIT_DONE if both do. */
static int missing(admin *a, const char *account, const char *project)
{
    int found, rv;

    if ((rv = account_exists(a, account, &found)) != 0) {
        return db_error(a, rv, "looking the account up");
    }
    if (!found) {
        return fail(EXIT_REFUSED, "no account [%s]",
                    printable(a->pool, account));
    }
    if (!project) {
        return EXIT_DONE;
    }
    if ((rv = project_exists(a, project, &found)) != 0) {
        return db_error(a, rv, "looking the project up");
    }
    if (!found) {
        return fail(EXIT_REFUSED, "no project [%s]",
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
            return fail(EXIT_REFUSED, "no password on standard input");
        }
        len = strcspn(buf, "\r\n");
        if (buf[len] == '\0' && len == size - 1) {
            wipe(buf, size);
            return fail(EXIT_REFUSED, "password too long");
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
            wipe(again, sizeof(again));
            wipe(buf, size);
            return fail(EXIT_REFUSED, "cannot read the password");
        }
        if (strcmp(buf, again)) {
            wipe(again, sizeof(again));
            wipe(buf, size);
            return fail(EXIT_REFUSED, "the passwords differ");
        }
        wipe(again, sizeof(again));
    }
    if (buf[0] == '\0') {
        return fail(EXIT_REFUSED, "empty password");
    }
    if (strlen(buf) > BCRYPT_MAX_PASSWORD) {
        wipe(buf, size);
        return fail(EXIT_REFUSED,
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
        wipe(pw, sizeof(pw));
        return fail(EXIT_DB, "no random bytes for a salt");
    }
    rv = apr_bcrypt_encode(pw, (unsigned int)a->cost, salt, sizeof(salt), hash,
                           size);
    wipe(pw, sizeof(pw));
    if (rv != APR_SUCCESS) {
        return fail(EXIT_DB, "bcrypt failed");
    }
    return EXIT_DONE;
}

/* ---- commands ------------------------------------------------------- */

static int cmd_add(admin *a, const char *name, int is_admin)
{
    char hash[128];
    const char *args[3];
    const char *err;
    int status, rv, nrows, found;

    if ((err = account_check(name))) {
        return fail(EXIT_REFUSED, "%s", err);
    }
    /* Before asking for a password that would be thrown away. */
    if ((rv = account_exists(a, name, &found)) != 0) {
        return db_error(a, rv, "looking the account up");
    }
    if (found) {
        return fail(EXIT_REFUSED, "account [%s] already exists",
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
    if (rv == ER_DUP_ENTRY) {
        return fail(EXIT_REFUSED, "account [%s] already exists",
                    printable(a->pool, name));
    }
    if (rv) {
        return db_error(a, rv, "adding the account");
    }
    printf("account [%s] added%s\n", printable(a->pool, name),
           is_admin ? " (admin)" : "");
    return EXIT_DONE;
}

static int cmd_passwd(admin *a, const char *name)
{
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
        return fail(EXIT_REFUSED, "no account [%s]", printable(a->pool, name));
    }
    printf("password of [%s] changed\n", printable(a->pool, name));
    return EXIT_DONE;
}

static int cmd_admin(admin *a, const char *name, const char *flag)
{
    const char *args[2];
    int status, rv, nrows, on;

    if (!strcmp(flag, "on")) {
        on = 1;
    } else if (!strcmp(flag, "off")) {
        on = 0;
    } else {
        return usage("admin takes on or off");
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

static int cmd_grant(admin *a, const char *name, const char *project)
{
    const char *args[2] = {name, project};
    int status, rv, nrows;

    rv = exec(a,
              "INSERT INTO grants (account, project_id) "
              "SELECT a.name, p.id FROM accounts a, projects p "
              "WHERE a.name = %s AND p.name = %s",
              &nrows, 2, args);
    if (rv == ER_DUP_ENTRY) {
        printf("account [%s] already may write to project [%s]\n",
               printable(a->pool, name), printable(a->pool, project));
        return EXIT_DONE;
    }
    if (rv) {
        return db_error(a, rv, "granting");
    }
    if (nrows == 0) {
        status = missing(a, name, project);
        return status != EXIT_DONE ? status
                                   : fail(EXIT_DB, "nothing was granted");
    }
    printf("account [%s] may write to project [%s]\n", printable(a->pool, name),
           printable(a->pool, project));
    return EXIT_DONE;
}

static int cmd_revoke(admin *a, const char *name, const char *project)
{
    const char *args[2] = {name, project};
    int status, rv, nrows;

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
                   : fail(EXIT_REFUSED,
                          "account [%s] has no grant on project [%s]",
                          printable(a->pool, name),
                          printable(a->pool, project));
    }
    printf("account [%s] may no longer write to project [%s]\n",
           printable(a->pool, name), printable(a->pool, project));
    return EXIT_DONE;
}

static int cmd_remove(admin *a, const char *name)
{
    int rv, nrows;

    rv = exec(a, "DELETE FROM accounts WHERE name = %s", &nrows, 1, &name);
    if (rv) {
        return db_error(a, rv, "removing the account");
    }
    if (nrows == 0) {
        return fail(EXIT_REFUSED, "no account [%s]", printable(a->pool, name));
    }
    printf("account [%s] removed\n", printable(a->pool, name));
    return EXIT_DONE;
}

/* One line per account: NAME TAB admin|- [TAB PROJECT]... */
static int cmd_list(admin *a)
{
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    const char *current = NULL;
    int rv;

    rv = select_rows(a,
                     "SELECT a.name, a.admin, p.name FROM accounts a "
                     "LEFT JOIN grants g ON g.account = a.name "
                     "LEFT JOIN projects p ON p.id = g.project_id "
                     "ORDER BY a.name, p.name",
                     0, NULL, &res);
    if (rv) {
        return db_error(a, rv, "listing the accounts");
    }
    while ((rv = apr_dbd_get_row(a->driver, a->pool, res, &row, -1)) == 0) {
        const char *name = apr_dbd_get_entry(a->driver, row, 0);
        const char *adm = apr_dbd_get_entry(a->driver, row, 1);
        const char *project = apr_dbd_get_entry(a->driver, row, 2);

        if (!current || strcmp(current, name)) {
            if (current) {
                putchar('\n');
            }
            current = apr_pstrdup(a->pool, name);
            printf("%s\t%s", printable(a->pool, name),
                   strcmp(adm, "0") ? "admin" : "-");
        }
        if (project) {
            printf("\t%s", printable(a->pool, project));
        }
    }
    if (current) {
        putchar('\n');
    }
    return rv == -1 ? EXIT_DONE : db_error(a, rv, "listing the accounts");
}

/* ---- main ----------------------------------------------------------- */

static int run(admin *a, int argc, const char *const *argv)
{
    const char *params = NULL, *file = NULL, *err = NULL, *cmd;
    const char *args[3];
    int i, nargs = 0, is_admin = 0, status;

    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        const char *opt = argv[i];
        if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
            fputs(usage_text, stdout);
            return EXIT_DONE;
        }
        if (!strcmp(opt, "--")) {
            i++;
            break;
        }
        if (i + 1 >= argc) {
            return usage(apr_psprintf(a->pool, "%s needs a value", opt));
        }
        if (!strcmp(opt, "-p")) {
            params = argv[++i];
        } else if (!strcmp(opt, "-f")) {
            file = argv[++i];
        } else if (!strcmp(opt, "-c") || !strcmp(opt, "--cost")) {
            char *end;
            long c = strtol(argv[++i], &end, 10);
            if (*end || c < 4 || c > 31) {
                return usage("the bcrypt cost is a number from 4 to 31");
            }
            a->cost = (int)c;
        } else {
            return usage(apr_psprintf(a->pool, "unknown option %s", opt));
        }
    }
    if (i >= argc) {
        return usage(NULL);
    }
    cmd = argv[i++];
    for (; i < argc; i++) {
        if (!strcmp(cmd, "add") && !strcmp(argv[i], "--admin")) {
            is_admin = 1;
        } else if (nargs < 3) {
            args[nargs++] = argv[i];
        } else {
            return usage("too many arguments");
        }
    }
    if (!((!strcmp(cmd, "add") && nargs == 1) ||
          (!strcmp(cmd, "passwd") && nargs == 1) ||
          (!strcmp(cmd, "admin") && nargs == 2) ||
          (!strcmp(cmd, "grant") && nargs == 2) ||
          (!strcmp(cmd, "revoke") && nargs == 2) ||
          (!strcmp(cmd, "list") && nargs == 0) ||
          (!strcmp(cmd, "remove") && nargs == 1))) {
        return usage(apr_psprintf(a->pool, "wrong use of %s", cmd));
    }
    for (i = 0; i < nargs; i++) {
        if (!strcmp(cmd, "admin") && i == 1) {
            continue;
        }
        err = i == 0 ? account_check(args[i])
                     : testapi_name_check(args[i], strlen(args[i]));
        if (err && strcmp(cmd, "add")) {
            /* Nothing by that name can exist. */
            return fail(EXIT_REFUSED, "no %s [%s]: %s",
                        i == 0 ? "account" : "project",
                        printable(a->pool, args[i]), err);
        }
    }
    if (file) {
        if (!(params = read_params_file(a->pool, file, &err))) {
            return fail(EXIT_USAGE, "%s", err);
        }
    } else if (!params) {
        params = getenv("TESTAPI_DBD_PARAMS");
    }
    if (!params || !*params) {
        return usage("no database parameters: -f FILE, -p PARAMS or "
                     "TESTAPI_DBD_PARAMS");
    }
    if ((status = db_open(a, params)) != EXIT_DONE) {
        return status;
    }
    if (!strcmp(cmd, "add")) {
        return cmd_add(a, args[0], is_admin);
    } else if (!strcmp(cmd, "passwd")) {
        return cmd_passwd(a, args[0]);
    } else if (!strcmp(cmd, "admin")) {
        return cmd_admin(a, args[0], args[1]);
    } else if (!strcmp(cmd, "grant")) {
        return cmd_grant(a, args[0], args[1]);
    } else if (!strcmp(cmd, "revoke")) {
        return cmd_revoke(a, args[0], args[1]);
    } else if (!strcmp(cmd, "remove")) {
        return cmd_remove(a, args[0]);
    }
    return cmd_list(a);
}

int main(int argc, const char *const *argv)
{
    admin a;
    int status;

    if (apr_app_initialize(&argc, &argv, NULL) != APR_SUCCESS) {
        return fail(EXIT_DB, "cannot initialise APR");
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
