/*
 * libFuzzer target: the date parser (start_date, from, to) and the
 * period arithmetic.
 *
 * Properties: an accepted date lies in TESTAPI_DATE_MIN..MAX; formatting
 * it (APR's calendar, independent of the parser) and parsing that again
 * gives the same instant; now - days never overflows and never goes below
 * TESTAPI_DATE_MIN.
 */
#include <string.h>

#include "fuzz_util.h"
#include "core/testapi_date.h"

#define DAY_USEC (APR_INT64_C(86400) * APR_USEC_PER_SEC)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_time_t t, again, now, back;
    apr_int64_t days;
    char text[TESTAPI_TIME_LEN + 1];

    if (testapi_date_parse((const char *)data, size, &t) == 0) {
        FUZZ_CHECK(t >= TESTAPI_DATE_MIN && t <= TESTAPI_DATE_MAX);
        if (t >= 0) {
            /* apr_time_exp_gmt only explodes instants from 1970 on. */
            testapi_time_format(t, text);
            FUZZ_CHECK(testapi_date_parse(text, strlen(text), &again) == 0);
            FUZZ_CHECK(again == t);
        }
    }
    if (size >= 2 * sizeof(apr_int64_t)) {
        memcpy(&now, data, sizeof(now));
        memcpy(&days, data + sizeof(now), sizeof(days));
        /* now is the server's clock: always a representable date */
        if (now < TESTAPI_DATE_MIN || now > TESTAPI_DATE_MAX) {
            now = TESTAPI_DATE_MIN +
                  (apr_time_t)((apr_uint64_t)now %
                               (apr_uint64_t)(TESTAPI_DATE_MAX -
                                              TESTAPI_DATE_MIN));
        }
        back = testapi_time_minus_days(now, days);
        FUZZ_CHECK(back >= TESTAPI_DATE_MIN && back <= now);
        if (days <= 0) {
            FUZZ_CHECK(back == now);
        } else if (back > TESTAPI_DATE_MIN) {
            FUZZ_CHECK((now - back) % DAY_USEC == 0 &&
                       (now - back) / DAY_USEC == days);
        }
    }
    return 0;
}
