/*
 * Whole files read into memory: the dashboard declarations, and
 * testapi-admin's migrations, backups and parameter files.
 */
#ifndef TESTAPI_FILE_H
#define TESTAPI_FILE_H

#include <apr_pools.h>

/*
 * Reads the file at path, of at most max bytes, into *text (NUL-terminated,
 * *len bytes without the NUL).  Returns NULL, or why not: "<path>: cannot
 * open: <reason>", "<path>: cannot read: <reason>" or "<path>: larger than
 * <max> bytes".
 */
const char *testapi_file_read(apr_pool_t *pool, const char *path,
                              apr_size_t max, char **text, apr_size_t *len);

#endif
