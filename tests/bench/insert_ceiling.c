/*
 * insert_ceiling: the ceiling of W1 in tests/bench/run.  MariaDB's own
 * prepared INSERT of the row that POST /api/v1/results stores, with the
 * module's statement text (TESTAPI_SQL_RESULT_INSERT, placeholders as '?'),
 * to the same server the same way (TCP port or UNIX socket) with the same
 * account, from N threads with one connection each (autocommit, as
 * mod_dbd's connections), for a given time.  No HTTP, no JSON, no
 * authentication: what is left is the database's cost of the write at the same
 * durability settings.
 *
 *   insert_ceiling HOST PORT|SOCKET USER PASS DB THREADS SECONDS BODIES
 *
 * (a second argument starting with '/' is the path of a UNIX socket)
 * BODIES is a file of lines "pod<TAB>project<TAB>case<TAB>details": the
 * same references and details as the W1 request bodies.  Prints one line
 * "BENCH {json}" like bench.lua.
 */
#include <mysql.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODIES 256
#define MAX_SAMPLES (1 << 20)

static const char insert_sql[] =
    "INSERT INTO results (oid, pod_id, testcase_id, project_id, installer, "
    "version, scenario, build_tag, criteria, start_date, stop_date, t, "
    "trust_current, trust, details) "
    "SELECT ?, pd.id, tc.id, tc.project_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? "
    "FROM pods pd, testcases tc JOIN projects pr ON pr.id = tc.project_id "
    "WHERE pd.name = ? AND pr.name = ? AND tc.name = ?";

static const char *host, *user, *pass, *db, *sock;
static unsigned port;
static double seconds;
static char *bodies[MAX_BODIES][4];
static int nbodies;

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

static void *run(void *arg)
{
    worker *w = arg;
    MYSQL *m = mysql_init(NULL);
    MYSQL_STMT *st;
    MYSQL_BIND b[15];
    unsigned long len[15];
    char oid[25], t[24];
    const char *fixed[9] = {"fuel",
                            "colorado",
                            "os-nosdn-nofeature-ha",
                            "jenkins-functest-fuel-baremetal-daily-colorado-1",
                            "PASS",
                            "2016-09-29 05:12:03",
                            "2016-09-29 05:12:41",
                            NULL,
                            "0"};
    const char *trust = "{\"current\":0,\"histories\":[]}";
    double end;
    unsigned count = 0;
    int i;

    if (!mysql_real_connect(m, host, user, pass, db, port, sock, 0)) {
        fprintf(stderr, "connect: %s\n", mysql_error(m));
        exit(1);
    }
    st = mysql_stmt_init(m);
    if (mysql_stmt_prepare(st, insert_sql, sizeof(insert_sql) - 1)) {
        fprintf(stderr, "prepare: %s\n", mysql_stmt_error(st));
        exit(1);
    }
    end = now_s() + seconds;
    while (1) {
        double t0 = now_s(), t1;
        char **body = bodies[(w->n * 31 + count) % nbodies];

        if (t0 >= end) {
            break;
        }
        /* A unique 24-hex id per row: time, "ce11", thread, counter. */
        snprintf(oid, sizeof(oid), "%08lx%04x%06x%06x",
                 (unsigned long)time(NULL), (unsigned)getpid() & 0xffff,
                 (unsigned)w->n, count++ & 0xffffff);
        snprintf(t, sizeof(t), "%lld", 1475125923000000LL);
        fixed[7] = t;
        bind_str(&b[0], oid, &len[0]);
        for (i = 0; i < 7; i++) {
            bind_str(&b[1 + i], fixed[i], &len[1 + i]);
        }
        bind_str(&b[8], t, &len[8]);
        bind_str(&b[9], fixed[8], &len[9]);
        bind_str(&b[10], trust, &len[10]);
        bind_str(&b[11], body[3], &len[11]);
        bind_str(&b[12], body[0], &len[12]);
        bind_str(&b[13], body[1], &len[13]);
        bind_str(&b[14], body[2], &len[14]);
        if (mysql_stmt_bind_param(st, b) || mysql_stmt_execute(st) ||
            mysql_stmt_affected_rows(st) != 1) {
            w->errors++;
        } else {
            w->requests++;
        }
        t1 = now_s();
        if (w->nlat < MAX_SAMPLES) {
            w->lat_us[w->nlat++] = (uint32_t)((t1 - t0) * 1e6);
        }
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

int main(int argc, char **argv)
{
    int nthreads, i;
    long requests = 0, errors = 0, n = 0;
    uint32_t *all;
    worker *w;
    double t0, t1;
    FILE *f;
    char line[65536];

    if (argc != 9) {
        fprintf(stderr,
                "usage: %s HOST PORT USER PASS DB THREADS SECONDS "
                "BODIES\n",
                argv[0]);
        return 2;
    }
    host = argv[1];
    if (argv[2][0] == '/') {
        sock = argv[2];
    } else {
        port = (unsigned)atoi(argv[2]);
    }
    user = argv[3];
    pass = argv[4];
    db = argv[5];
    nthreads = atoi(argv[6]);
    seconds = atof(argv[7]);
    if (!(f = fopen(argv[8], "r"))) {
        perror(argv[8]);
        return 1;
    }
    while (nbodies < MAX_BODIES && fgets(line, sizeof(line), f)) {
        char *save = NULL, *p = line;
        line[strcspn(line, "\n")] = '\0';
        for (i = 0; i < 4; i++, p = NULL) {
            char *tok = strtok_r(p, "\t", &save);
            bodies[nbodies][i] = strdup(tok ? tok : "");
        }
        nbodies++;
    }
    fclose(f);
    if (!nbodies || nthreads < 1) {
        fprintf(stderr, "no bodies or no threads\n");
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
    return 0;
}
