/*
 * The module's configuration: the directives' values per directory and per
 * server (httpd/testapi_config.c), and what each request reads of them.
 */
#ifndef TESTAPI_CONFIG_H
#define TESTAPI_CONFIG_H

#include "httpd/testapi_private.h"
#include "core/testapi_id.h"
#include "core/testapi_verification_cache.h"

struct testapi_dashdecl;

#define TESTAPI_HANDLER "testapi"
#define TESTAPI_DEFAULT_MAX_BODY (8 * 1024 * 1024)

/* Per-directory (Location) configuration; -1 means "not set here". */
typedef struct testapi_dir_conf {
    apr_off_t max_body;
    int per_page;
    int auth_ttl;    /* seconds; 0: no cache */
    int audit_level; /* APLOG_*, or TESTAPI_AUDIT_OFF */
} testapi_dir_conf;

#define TESTAPI_DEFAULT_PER_PAGE 20
#define TESTAPI_DEFAULT_AUTH_TTL 60
#define TESTAPI_DEFAULT_AUDIT_LEVEL APLOG_NOTICE
#define TESTAPI_AUDIT_OFF (-2)

/* Per-server configuration; idgen is per process, set in child_init. */
typedef struct testapi_srv_conf {
    testapi_idgen *idgen;
    testapi_authcache *authcache;             /* NULL: none could be made */
    const char *dashboard_file;               /* TestAPIDashboard, or NULL */
    const struct testapi_dashdecl *dashboard; /* loaded in post_config */
    /* Per process, set in child_init: nonzero while the database was found
     * unreachable (atomic; see testapi_db_open). */
    apr_uint32_t *db_down;
    /* Per process, set in child_init: what it knows of the database's
     * schema (TESTAPI_SCHEMA_*, atomic; see testapi_schema_check.h). */
    apr_uint32_t *schema_state;
} testapi_srv_conf;

apr_off_t testapi_max_body(request_rec *r);
int testapi_per_page(request_rec *r);
testapi_idgen *testapi_idgen_of(request_rec *r);
int testapi_auth_ttl(request_rec *r);
int testapi_audit_level(request_rec *r);
testapi_authcache *testapi_authcache_of(request_rec *r);

/*
 * Loads the TestAPIDashboard file: NULL and *decl, or why not, tagged
 * TESTAPI00150 for the error log (post_config) or for a configuration
 * test's message (the directive).
 */
const char *testapi_dashboard_load(apr_pool_t *pool, const char *file,
                                   struct testapi_dashdecl **decl);

/* The dashboard declarations of the request's server; NULL when none. */
const struct testapi_dashdecl *testapi_dashboard_of(request_rec *r);

/* The command table and the configuration constructors of the module. */
extern const command_rec testapi_directives[];
void *testapi_create_dir_conf(apr_pool_t *p, char *dir);
void *testapi_merge_dir_conf(apr_pool_t *p, void *basev, void *addv);
void *testapi_create_srv_conf(apr_pool_t *p, server_rec *s);
void *testapi_merge_srv_conf(apr_pool_t *p, void *basev, void *addv);

#endif
