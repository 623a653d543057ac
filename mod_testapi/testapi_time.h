/* Dates: formatting in UTC, with no dependence on TZ or the SQL session. */
#ifndef TESTAPI_TIME_H
#define TESTAPI_TIME_H

#include <apr_time.h>

/* "YYYY-MM-DD HH:MM:SS.ffffff" and a NUL. */
#define TESTAPI_TIME_LEN 26

void testapi_time_format(apr_time_t t, char *out);

#endif
