#include <string.h>

#include <apr_strings.h>
#include <apr_time.h>

#include "core/testapi_date.h"

#define DAY_USEC (APR_INT64_C(86400) * APR_USEC_PER_SEC)
/* The Gregorian calendar repeats every 400 years, which are 146097 days. */
#define CYCLE_YEARS 400
#define CYCLE_USEC (APR_INT64_C(146097) * DAY_USEC)

/* The value of the n decimal digits at s, or -1 if one is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;

    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int days_in_month(int year, int mon)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30,
                                 31, 31, 30, 31, 30, 31};

    if (mon == 2 && ((year % 4 == 0 && year % 100 != 0) || year % 400 == 0)) {
        return 29;
    }
    return days[mon - 1];
}

/* Parses the zone at s[0..n): returns 0 and *off (seconds east of UTC). */
static int parse_zone(const char *s, apr_size_t n, int *off)
{
    int hh, mm, sign;

    if (n == 1 && s[0] == 'Z') {
        *off = 0;
        return 0;
    }
    if (s[0] != '+' && s[0] != '-') {
        return -1;
    }
    sign = s[0] == '-' ? -1 : 1;
    if (n == 6 && s[3] == ':') {
        hh = digits(s + 1, 2);
        mm = digits(s + 4, 2);
    } else if (n == 5) {
        hh = digits(s + 1, 2);
        mm = digits(s + 3, 2);
    } else {
        return -1;
    }
    if (hh < 0 || hh > 23 || mm < 0 || mm > 59) {
        return -1;
    }
    *off = sign * (hh * 3600 + mm * 60);
    return 0;
}

/* Hand-written: APR parses RFC 822/1123 dates only, not ISO 8601. */
int testapi_date_parse(const char *s, apr_size_t len, apr_time_t *t)
{
    int year, mon, day, hour = 0, min = 0, sec = 0, off = 0, cycles = 0;
    apr_int32_t usec = 0;
    apr_size_t i;
    apr_time_exp_t xt;
    apr_time_t v;

    /* Fixed positions: every field has exactly its digit count, so a
     * length check plus digits() rejects NUL and anything out of place. */
    if (!s || len < 10 || memchr(s, '\0', len)) {
        return -1;
    }
    year = digits(s, 4);
    mon = digits(s + 5, 2);
    day = digits(s + 8, 2);
    if (year < 1 || s[4] != '-' || mon < 1 || mon > 12 || s[7] != '-' ||
        day < 1 || day > days_in_month(year, mon)) {
        return -1;
    }
    i = 10;
    if (i < len) {
        if ((s[i] != 'T' && s[i] != ' ') || len - i < 6 || s[13] != ':') {
            return -1;
        }
        hour = digits(s + 11, 2);
        min = digits(s + 14, 2);
        if (hour < 0 || hour > 23 || min < 0 || min > 59) {
            return -1;
        }
        i = 16;
        if (i < len && s[i] == ':') {
            if (len - i < 3) {
                return -1;
            }
            sec = digits(s + 17, 2);
            if (sec < 0 || sec > 60) {
                return -1;
            }
            i = 19;
            if (i < len && s[i] == '.') {
                apr_size_t n = 0;

                for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++) {
                    if (n < 6) {
                        usec = usec * 10 + (s[i] - '0');
                    }
                }
                if (n < 1 || n > 9) {
                    return -1;
                }
                /* ".9" is 900000 microseconds. */
                for (; n < 6; n++) {
                    usec *= 10;
                }
            }
        }
        if (i < len && parse_zone(s + i, len - i, &off)) {
            return -1;
        }
    }

    /* apr_time_exp_get() refuses dates before 1970 (and its leap-year
     * arithmetic assumes years from 1900 on), so move earlier dates forward
     * by whole 400-year cycles, which keeps month lengths and weekdays, and
     * take the cycles off again afterwards. */
    if (year < 1970) {
        cycles = (1970 - year + CYCLE_YEARS - 1) / CYCLE_YEARS;
    }
    memset(&xt, 0, sizeof(xt));
    xt.tm_year = year + cycles * CYCLE_YEARS - 1900;
    xt.tm_mon = mon - 1;
    xt.tm_mday = day;
    xt.tm_hour = hour;
    xt.tm_min = min;
    xt.tm_sec = sec;
    xt.tm_usec = usec;
    if (apr_time_exp_gmt_get(&v, &xt) != APR_SUCCESS) {
        return -1;
    }
    /* No overflow: years 1..9999 (plus at most five cycles) stay below
     * 2^58 microseconds either side of the epoch. */
    v -= cycles * CYCLE_USEC;
    v -= (apr_time_t)off * APR_USEC_PER_SEC;
    if (v < TESTAPI_DATE_MIN || v > TESTAPI_DATE_MAX) {
        return -1;
    }
    *t = v;
    return 0;
}

apr_time_t testapi_time_minus_days(apr_time_t now, apr_int64_t days)
{
    /* Split now into whole days qn (rounded down) and a remainder rn in
     * [0, DAY_USEC); TESTAPI_DATE_MIN is a whole number of days qm.  The
     * result (qn - days) * DAY_USEC + rn is below the minimum exactly when
     * qn - days < qm, and qn - qm cannot overflow where qn - days could. */
    apr_int64_t qn = now / DAY_USEC, rn = now % DAY_USEC;
    const apr_int64_t qm = TESTAPI_DATE_MIN / DAY_USEC;

    if (days <= 0) {
        return now;
    }
    if (rn < 0) {
        rn += DAY_USEC;
        qn--;
    }
    if (days > qn - qm) {
        return TESTAPI_DATE_MIN;
    }
    return (qn - days) * DAY_USEC + rn;
}

void testapi_time_format(apr_time_t t, char *out)
{
    apr_time_exp_t tm;

    apr_time_exp_gmt(&tm, t);
    apr_snprintf(out, TESTAPI_TIME_LEN + 1,
                 "%04d-%02d-%02d %02d:%02d:%02d.%06d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                 tm.tm_usec);
}
