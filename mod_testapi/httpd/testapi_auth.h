/*
 * Accounts, rights and audit: the authentication provider "testapi",
 * "Require testapi-project", the checks only the handler can make, and the
 * audit line of every write.
 */
#ifndef TESTAPI_AUTH_H
#define TESTAPI_AUTH_H

#include "httpd/testapi_private.h"

/*
 * Request notes between the authentication and authorization providers,
 * the handler and the error document (which finds them in r->prev).
 */
#define TESTAPI_NOTE_ADMIN "testapi-admin"     /* verified admin account */
#define TESTAPI_NOTE_SCOPED "testapi-scoped"   /* handler checks project */
#define TESTAPI_NOTE_DENIED "testapi-denied"   /* why authz refused */
#define TESTAPI_NOTE_DB_DOWN "testapi-db-down" /* auth met no database */
#define TESTAPI_NOTE_RIGHTS "testapi-rights"   /* read with the hash */

/* Registers the authn provider "testapi" and "Require testapi-project". */
void testapi_auth_register(apr_pool_t *p);

struct testapi_db;

/*
 * For writes whose project only the handler knows (a result's, a testcase
 * moved elsewhere): 1 when the authenticated account may write to
 * project, or when "Require testapi-project" left nothing to check.
 * Otherwise the answer (403, 503, 500) has been sent, *ret is for httpd,
 * and 0 is returned.
 */
int testapi_auth_project(request_rec *r, struct testapi_db *db,
                         const char *project, int *ret);

/* The same for the project of the stored result oid (1 when there is no
 * such result: the handler answers 404). */
int testapi_auth_result(request_rec *r, struct testapi_db *db, const char *oid,
                        int *ret);

/* log_transaction: one audit line per write to the API. */
int testapi_audit(request_rec *r);

#endif
