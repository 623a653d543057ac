/*
 * Dates: ISO 8601 from query strings, converted to UTC, and the stored
 * format, written in UTC; without looking at TZ, the C library's mktime
 * or the SQL session: only APR's calendar arithmetic.
 */
#ifndef TESTAPI_DATE_H
#define TESTAPI_DATE_H

#include <apr_time.h>

/* The instants a query may name: 0001-01-01T00:00:00Z and
 * 9999-12-31T23:59:59.999999Z, so that every accepted value formats with a
 * four-digit year and no arithmetic on it can overflow. */
#define TESTAPI_DATE_MIN APR_INT64_C(-62135596800000000)
#define TESTAPI_DATE_MAX APR_INT64_C(253402300799999999)

/*
 * Parses an ISO 8601 date or date-time; returns 0 and *t (microseconds
 * since the epoch, UTC) or -1.  Accepted, and nothing else:
 *   YYYY-MM-DD
 *   YYYY-MM-DD[T or space]HH:MM
 *   YYYY-MM-DD[T or space]HH:MM:SS[.f]  (f: 1..9 digits, kept to the
 *                                        microsecond, the rest truncated)
 * A time may be followed by a zone: Z, +HH:MM, -HH:MM, +HHMM or -HHMM; a
 * value without zone (and a plain date, which takes none) is UTC.  Second
 * 60 (a leap second) is accepted and counts as the first second of the
 * next minute.  Results outside TESTAPI_DATE_MIN..MAX are refused.
 */
int testapi_date_parse(const char *s, apr_size_t len, apr_time_t *t);

/*
 * Subtracts days*86400 s from now, clamped so it never overflows: the
 * result is never earlier than TESTAPI_DATE_MIN.  days <= 0 returns now
 * (huge or negative days are the caller's business; days > 0 here).
 */
apr_time_t testapi_time_minus_days(apr_time_t now, apr_int64_t days);

/* "YYYY-MM-DD HH:MM:SS.ffffff" and a NUL. */
#define TESTAPI_TIME_LEN 26

/* Writes t in that format (UTC) into out[TESTAPI_TIME_LEN + 1]. */
void testapi_time_format(apr_time_t t, char *out);

#endif
