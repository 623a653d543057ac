/*
 * Errors that httpd raises itself on the API's paths, as JSON: the messages
 * of those that reach the module through ErrorDocument, and a filter for
 * those that httpd answers itself with its HTML page (refused while it read
 * the request, before any <Location> applied).
 */
#ifndef TESTAPI_HTTPD_ERRORS_H
#define TESTAPI_HTTPD_ERRORS_H

#include "httpd/testapi_private.h"

/* Is the request in the API's URI space, i.e. does SetHandler name this
 * module in the configuration merged for it? */
int testapi_in_api_space(request_rec *r);

/* The message of an error status that httpd raised itself. */
const char *testapi_httpd_error_message(int status);

/* Registers the insert_error_filter hook and its filter. */
void testapi_httpd_errors_register(apr_pool_t *p);

#endif
