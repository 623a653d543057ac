/*
 * db_ceiling: the database's own ceiling for a workload of tests/bench/run.
 * MariaDB runs the module's prepared statement for the request, driven
 * from C by N threads with one connection each (autocommit, as mod_dbd's
 * connections), to the same server the same way (TCP port or UNIX socket)
 * with the same account, for a given time.  No HTTP, no JSON, no
 * authentication, no mod_dbd: what is left is the database's cost of the
 * statement, and the fastest any module can be that asks it per request.
 *
 *   db_ceiling MODE HOST PORT|SOCKET USER PASS DB THREADS SECONDS FILE
 *
 * (a PORT starting with '/' is the path of a UNIX socket)
 *   insert  W1's row: TESTAPI_SQL_RESULT_INSERT; FILE has lines
 *           "pod<TAB>project<TAB>case<TAB>details" (the W1 bodies)
 *   get     W2's read: the module's select of one result by id; FILE has
 *           one id per line (W2's ids)
 *   last    W3's read: the module's select of the newest 10 of a project
 *           and case; FILE has lines "project case" (W3's)
 * The selects are the module's own text, composed by testapi_rsql() from
 * mod_testapi/core/testapi_result_sql.c (linked in), placeholders turned into '?';
 * every row is fetched, details included.  Prints one line "BENCH {json}"
 * like bench.lua.
 */
#include <mysql.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <apr_general.h>

#include "core/testapi_result_sql.h"

#define MAX_LINES 65536
#define MAX_FIELDS 4
#define MAX_SAMPLES (1 << 20)
#define MAX_COLS 16
#define COL_SIZE 65536

static const char insert_sql[] =
    "INSERT INTO results (oid, pod_id, testcase_id, project_id, installer, "
    "version, scenario, build_tag, criteria, start_date, stop_date, t, "
    "trust_current, trust, details) "
    "SELECT ?, pd.id, tc.id, tc.project_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "FROM pods pd, testcases tc JOIN projects pr ON pr.id = tc.project_id "
    "WHERE pd.name = ? AND pr.name = ? AND tc.name = ?";

enum mode { INSERT, GET, LAST };

static enum mode mode;
static const char *host, *user, *pass, *db, *sock;
static unsigned port;
static double seconds;
static char *sql;
static char *lines[MAX_LINES][MAX_FIELDS];
static int nlines;

typedef struct worker {
    pthread_t tid;
    int n;
    long requests, errors;
    uint32_t *lat_us; /* latency samples */
    long nlat;
} worker;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void bind_str(MYSQL_BIND *b, const char *s, unsigned long *len)
{
    memset(b, 0, sizeof(*b));
    b->buffer_type = MYSQL_TYPE_STRING;
    b->buffer = (void *)s;
    *len = strlen(s);
    b->buffer_length = *len;
    b->length = len;
}

/* The parameters of one insert: W1's fixed fields and a body's refs. */
static void insert_params(MYSQL_BIND *b, unsigned long *len, char **line,
                          const char *oid, const char *t)
{
    static const char *const fixed[] = {
        "fuel", "colorado", "os-nosdn-nofeature-ha",
        "jenkins-functest-fuel-baremetal-daily-colorado-1", "PASS",
        "2016-09-29 05:12:03", "2016-09-29 05:12:41"};
    int i;

    bind_str(&b[0], oid, &len[0]);
    for (i = 0; i < 7; i++) {
        bind_str(&b[1 + i], fixed[i], &len[1 + i]);
    }
    bind_str(&b[8], t, &len[8]);
    bind_str(&b[9], "0", &len[9]);
    bind_str(&b[10], "{\"current\":0,\"histories\":[]}", &len[10]);
    bind_str(&b[11], line[3], &len[11]);
    bind_str(&b[12], line[0], &len[12]);
    bind_str(&b[13], line[1], &len[13]);
    bind_str(&b[14], line[2], &len[14]);
}

/* Runs one request's statement; returns 0 on success. */
static int one(MYSQL_STMT *st, worker *w, unsigned count, char **cols,
               unsigned long *collen)
{
    MYSQL_BIND b[15], out[MAX_COLS];
    unsigned long len[15];
    long long ten = 10;
    char oid[25], t[24];
    char **line = lines[(w->n * 7919u + count * 31u) % (unsigned)nlines];
    unsigned ncols = mysql_stmt_field_count(st), i;
    int rc;

    switch (mode) {
    case INSERT:
        /* A unique 24-hex id per row: time, pid, thread, counter. */
        snprintf(oid, sizeof(oid), "%08lx%04x%06x%06x",
                 (unsigned long)time(NULL), (unsigned)getpid() & 0xffff,
                 (unsigned)w->n, count & 0xffffff);
        snprintf(t, sizeof(t), "%lld", 1475125923000000LL);
        insert_params(b, len, line, oid, t);
        break;
    case GET:
        bind_str(&b[0], line[0], &len[0]);
        break;
    case LAST:
        bind_str(&b[0], line[0], &len[0]);
        bind_str(&b[1], line[1], &len[1]);
        memset(&b[2], 0, sizeof(b[2]));
        b[2].buffer_type = MYSQL_TYPE_LONGLONG;
        b[2].buffer = &ten;
        break;
    }
    if (mysql_stmt_bind_param(st, b) || mysql_stmt_execute(st)) {
        return -1;
    }
    if (mode == INSERT) {
        return mysql_stmt_affected_rows(st) == 1 ? 0 : -1;
    }
    memset(out, 0, sizeof(out));
    for (i = 0; i < ncols && i < MAX_COLS; i++) {
        out[i].buffer_type = MYSQL_TYPE_STRING;
        out[i].buffer = cols[i];
        out[i].buffer_length = COL_SIZE;
        out[i].length = &collen[i];
    }
    if (mysql_stmt_bind_result(st, out)) {
        return -1;
    }
    while ((rc = mysql_stmt_fetch(st)) == 0 || rc == MYSQL_DATA_TRUNCATED) {
    }
    mysql_stmt_free_result(st);
    return rc == MYSQL_NO_DATA ? 0 : -1;
}

static void *run(void *arg)
{
    worker *w = arg;
    MYSQL *m = mysql_init(NULL);
    MYSQL_STMT *st;
    unsigned long collen[MAX_COLS];
    char *cols[MAX_COLS];
    unsigned count = 0;
    double end;
    int i;

    if (!mysql_real_connect(m, host, user, pass, db, port, sock, 0)) {
        fprintf(stderr, "connect: %s\n", mysql_error(m));
        exit(1);
    }
    st = mysql_stmt_init(m);
    if (mysql_stmt_prepare(st, sql, strlen(sql))) {
        fprintf(stderr, "prepare: %s\n%s\n", mysql_stmt_error(st), sql);
        exit(1);
    }
    for (i = 0; i < MAX_COLS; i++) {
        cols[i] = malloc(COL_SIZE);
    }
    end = now_s() + seconds;
    for (;;) {
        double t0 = now_s(), t1;

        if (t0 >= end) {
            break;
        }
        if (one(st, w, count++, cols, collen)) {
            w->errors++;
        } else {
            w->requests++;
        }
        t1 = now_s();
        if (w->nlat < MAX_SAMPLES) {
            w->lat_us[w->nlat++] = (uint32_t)((t1 - t0) * 1e6);
        }
    }
    for (i = 0; i < MAX_COLS; i++) {
        free(cols[i]);
    }
    mysql_stmt_close(st);
    mysql_close(m);
    return NULL;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* mod_dbd's placeholders (%s, %lld, %lf, ...) as MariaDB's '?'. */
static char *question_marks(const char *text)
{
    char *out = malloc(strlen(text) + 1), *o = out;

    while (*text) {
        if (text[0] == '%' && text[1] && text[1] != '%') {
            *o++ = '?';
            text += 1 + strspn(text + 1, "l");
            text++; /* the conversion letter */
        } else {
            *o++ = *text++;
        }
    }
    *o = '\0';
    return out;
}

static int read_lines(const char *path, const char *sep)
{
    static char line[65536];
    FILE *f = fopen(path, "r");

    if (!f) {
        perror(path);
        return -1;
    }
    while (nlines < MAX_LINES && fgets(line, sizeof(line), f)) {
        char *save = NULL, *p = line;
        int i;
        line[strcspn(line, "\n")] = '\0';
        if (!*line) {
            continue;
        }
        for (i = 0; i < MAX_FIELDS; i++, p = NULL) {
            char *tok = strtok_r(p, sep, &save);
            lines[nlines][i] = strdup(tok ? tok : "");
        }
        nlines++;
    }
    fclose(f);
    return 0;
}

int main(int argc, char **argv)
{
    int nthreads, i;
    long requests = 0, errors = 0, n = 0;
    uint32_t *all;
    worker *w;
    double t0, t1;
    apr_pool_t *pool;

    if (argc != 10) {
        fprintf(stderr,
                "usage: %s insert|get|last HOST PORT USER PASS DB THREADS "
                "SECONDS FILE\n",
                argv[0]);
        return 2;
    }
    apr_initialize();
    apr_pool_create(&pool, NULL);
    if (!strcmp(argv[1], "insert")) {
        mode = INSERT;
        sql = (char *)insert_sql;
    } else if (!strcmp(argv[1], "get")) {
        mode = GET;
        sql = question_marks(testapi_rsql(pool, 0, TESTAPI_RSQL_BY_ID));
    } else if (!strcmp(argv[1], "last")) {
        mode = LAST;
        sql = question_marks(testapi_rsql(
            pool, TESTAPI_Q_PROJECT | TESTAPI_Q_CASE, TESTAPI_RSQL_BATCH));
    } else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    host = argv[2];
    if (argv[3][0] == '/') {
        sock = argv[3];
    } else {
        port = (unsigned)atoi(argv[3]);
    }
    user = argv[4];
    pass = argv[5];
    db = argv[6];
    nthreads = atoi(argv[7]);
    seconds = atof(argv[8]);
    if (read_lines(argv[9], mode == INSERT ? "\t" : " ") || !nlines ||
        nthreads < 1) {
        fprintf(stderr, "no input lines or no threads\n");
        return 2;
    }
    mysql_library_init(0, NULL, NULL);
    w = calloc((size_t)nthreads, sizeof(*w));
    t0 = now_s();
    for (i = 0; i < nthreads; i++) {
        w[i].n = i;
        w[i].lat_us = malloc(MAX_SAMPLES * sizeof(uint32_t));
        pthread_create(&w[i].tid, NULL, run, &w[i]);
    }
    for (i = 0; i < nthreads; i++) {
        pthread_join(w[i].tid, NULL);
        requests += w[i].requests;
        errors += w[i].errors;
        n += w[i].nlat;
    }
    t1 = now_s();
    all = malloc((size_t)(n ? n : 1) * sizeof(uint32_t));
    n = 0;
    for (i = 0; i < nthreads; i++) {
        memcpy(all + n, w[i].lat_us, (size_t)w[i].nlat * sizeof(uint32_t));
        n += w[i].nlat;
    }
    qsort(all, (size_t)n, sizeof(uint32_t), cmp_u32);
    printf("BENCH {\"requests\":%ld,\"duration_us\":%ld,\"bytes\":0,"
           "\"p50_us\":%u,\"p99_us\":%u,\"max_us\":%u,\"status_errors\":%ld,"
           "\"socket_errors\":0}\n",
           requests, (long)((t1 - t0) * 1e6), n ? all[n / 2] : 0,
           n ? all[(long)(n * 0.99)] : 0, n ? all[n - 1] : 0, errors);
    mysql_library_end();
    apr_pool_destroy(pool);
    apr_terminate();
    return 0;
}
