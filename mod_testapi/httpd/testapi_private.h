/*
 * Included by every httpd glue file of mod_testapi (never by core/, which is
 * compiled without httpd's headers).
 */
#ifndef TESTAPI_PRIVATE_H
#define TESTAPI_PRIVATE_H

#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>

extern module AP_MODULE_DECLARE_DATA testapi_module;
#ifndef TESTAPI_MODULE_FILE /* AP_DECLARE_MODULE does it there */
APLOG_USE_MODULE(testapi);
#endif

/*
 * Stable, greppable tags for every error-log line the module writes, in the
 * manner of httpd's own APLOGNO: "TESTAPI00001: ...".  Numbers are never
 * reused; the README's "Error log" lists every one (make check verifies it).
 */
#define TESTAPI_LOGNO(n) "TESTAPI" #n ": "

#endif
