#include <apr_strings.h>

#include <apr_time.h>

#include "testapi_time.h"

void testapi_time_format(apr_time_t t, char *out)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    apr_snprintf(out, TESTAPI_TIME_LEN + 1,
                 "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 tm.tm_usec);
}
