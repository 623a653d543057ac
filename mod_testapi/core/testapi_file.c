#include <apr_file_io.h>
#include <apr_strings.h>

#include "core/testapi_file.h"

const char *testapi_file_read(apr_pool_t *pool, const char *path,
                              apr_size_t max, char **text, apr_size_t *len)
{
    apr_file_t *f;
    apr_finfo_t info;
    apr_status_t rv;
    char buf[120];

    *text = NULL;
    *len = 0;
    if ((rv = apr_file_open(&f, path, APR_FOPEN_READ, APR_OS_DEFAULT, pool)) !=
        APR_SUCCESS) {
        return apr_psprintf(pool, "%s: cannot open: %s", path,
                            apr_strerror(rv, buf, sizeof(buf)));
    }
    if ((rv = apr_file_info_get(&info, APR_FINFO_SIZE, f)) != APR_SUCCESS ||
        info.size > (apr_off_t)max) {
        apr_file_close(f);
        return rv ? apr_psprintf(pool, "%s: cannot read: %s", path,
                                 apr_strerror(rv, buf, sizeof(buf)))
                  : apr_psprintf(pool,
                                 "%s: larger than %" APR_SIZE_T_FMT " bytes",
                                 path, max);
    }
    *len = (apr_size_t)info.size;
    *text = apr_palloc(pool, *len + 1);
    rv = *len ? apr_file_read_full(f, *text, *len, len) : APR_SUCCESS;
    apr_file_close(f);
    if (rv != APR_SUCCESS) {
        return apr_psprintf(pool, "%s: cannot read: %s", path,
                            apr_strerror(rv, buf, sizeof(buf)));
    }
    (*text)[*len] = '\0';
    return NULL;
}
