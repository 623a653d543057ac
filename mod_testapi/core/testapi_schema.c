#include <stdlib.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "core/testapi_schema.h"

int testapi_migration_version(const char *name)
{
    apr_size_t n;
    int v = 0, i;

    for (i = 0; i < 4; i++) {
        if (!apr_isdigit(name[i])) {
            return 0;
        }
        v = v * 10 + (name[i] - '0');
    }
    name += 4;
    n = strlen(name);
    if (*name != '-' || n < 6 || strcmp(name + n - 4, ".sql")) {
        return 0;
    }
    for (name++, n -= 5; n > 0; name++, n--) {
        if (!apr_islower(*name) && !apr_isdigit(*name) && *name != '-') {
            return 0;
        }
    }
    return v;
}

static int by_version(const void *a, const void *b)
{
    const testapi_migration *x = a, *y = b;
    return (x->version > y->version) - (x->version < y->version);
}

const char *testapi_migrations_find(apr_pool_t *pool, const char *dir,
                                    apr_array_header_t **found)
{
    apr_array_header_t *list =
        apr_array_make(pool, 8, sizeof(testapi_migration));
    apr_dir_t *d;
    apr_finfo_t fi;
    apr_status_t rv;
    char errbuf[120];
    int i;

    *found = list;
    if ((rv = apr_dir_open(&d, dir, pool)) != APR_SUCCESS) {
        return apr_psprintf(pool, "%s: %s", dir,
                            apr_strerror(rv, errbuf, sizeof(errbuf)));
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME | APR_FINFO_TYPE, d) ==
           APR_SUCCESS) {
        int version = testapi_migration_version(fi.name);
        testapi_migration *m;

        if (fi.filetype != APR_REG || version == 0) {
            continue;
        }
        if (version < 2) {
            apr_dir_close(d);
            return apr_psprintf(pool,
                                "%s/%s: migrations start at 0002 (version 1 "
                                "is the schema they start from)",
                                dir, fi.name);
        }
        m = apr_array_push(list);
        m->version = version;
        m->name = apr_pstrdup(pool, fi.name);
        m->path = apr_pstrcat(pool, dir, "/", fi.name, NULL);
    }
    apr_dir_close(d);
    qsort(list->elts, list->nelts, sizeof(testapi_migration), by_version);
    for (i = 1; i < list->nelts; i++) {
        const testapi_migration *m = (testapi_migration *)list->elts;
        if (m[i].version == m[i - 1].version) {
            return apr_psprintf(pool, "%s: %s and %s have the same number", dir,
                                m[i - 1].name, m[i].name);
        }
    }
    return NULL;
}

/* ---- scripts -------------------------------------------------------- */

typedef struct script {
    apr_pool_t *pool;
    const char *text;
    apr_size_t len, at;
    int line;
} script;

/* Moves past what starts at s->at and ends with end (a quote or the end of
 * a comment), counting lines; 0 when the script ends first. */
static int skip_past(script *s, const char *end, int escapes)
{
    apr_size_t n = strlen(end);

    while (s->at < s->len) {
        char c = s->text[s->at];
        if (escapes && c == '\\') {
            s->line += s->at + 1 < s->len && s->text[s->at + 1] == '\n';
            s->at += 2;
            continue;
        }
        if (s->len - s->at >= n && !memcmp(s->text + s->at, end, n)) {
            /* A quote doubled inside a quoted string stands for itself. */
            if (n == 1 && s->at + 1 < s->len && s->text[s->at + 1] == *end) {
                s->at += 2;
                continue;
            }
            s->at += n;
            return 1;
        }
        s->line += c == '\n';
        s->at++;
    }
    return 0;
}

/* A statement from the script: [from, to) less trailing blanks. */
static const char *statement(script *s, apr_size_t from, apr_size_t to,
                             int line, apr_array_header_t *out)
{
    while (to > from && apr_isspace(s->text[to - 1])) {
        to--;
    }
    if (to - from >= 10 && !strncasecmp(s->text + from, "DELIMITER", 9) &&
        apr_isspace(s->text[from + 9])) {
        return apr_psprintf(s->pool,
                            "line %d: DELIMITER is a command of the mariadb "
                            "client, not SQL",
                            line);
    }
    APR_ARRAY_PUSH(out, const char *) =
        apr_pstrmemdup(s->pool, s->text + from, to - from);
    return NULL;
}

const char *testapi_sql_split(apr_pool_t *pool, const char *text,
                              apr_size_t len, apr_array_header_t **statements)
{
    script s = {pool, text, len, 0, 1};
    apr_array_header_t *out = apr_array_make(pool, 8, sizeof(const char *));
    apr_size_t code = len; /* where the statement's code starts; len: none */
    int code_line = 0;
    const char *err;

    *statements = out;
    while (s.at < len) {
        char c = text[s.at], next = s.at + 1 < len ? text[s.at + 1] : '\0';
        int line = s.line;

        if (c == '#' || (c == '-' && next == '-' &&
                         (s.at + 2 == len || apr_isspace(text[s.at + 2])))) {
            while (s.at < len && text[s.at] != '\n') {
                s.at++;
            }
            continue;
        }
        if (c == ';') {
            if (code < len &&
                (err = statement(&s, code, s.at, code_line, out)) != NULL) {
                return err;
            }
            code = len;
            s.at++;
            continue;
        }
        if (apr_isspace(c)) {
            s.line += c == '\n';
            s.at++;
            continue;
        }
        if (c == '/' && next == '*') {
            /* Code only when it is MariaDB's executable comment, / * ! */
            int executable = s.at + 2 < len && text[s.at + 2] == '!';
            apr_size_t from = s.at;
            s.at += 2;
            if (!skip_past(&s, "*/", 0)) {
                return apr_psprintf(pool,
                                    "line %d: a comment that does not "
                                    "end",
                                    line);
            }
            if (executable && code == len) {
                code = from;
                code_line = line;
            }
            continue;
        }
        if (code == len) {
            code = s.at;
            code_line = line;
        }
        s.at++;
        if (c == '\'' || c == '"' || c == '`') {
            char end[2] = {c, '\0'};
            if (!skip_past(&s, end, c != '`')) {
                return apr_psprintf(pool, "line %d: a quote that does not end",
                                    line);
            }
        }
    }
    if (code < len &&
        (err = statement(&s, code, len, code_line, out)) != NULL) {
        return err;
    }
    return NULL;
}
