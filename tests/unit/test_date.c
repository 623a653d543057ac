#include <stdio.h>
#include <string.h>

#include "test_suites.h"
#include "core/testapi_date.h"

#define DAY_USEC (APR_INT64_C(86400) * APR_USEC_PER_SEC)

/* Parses a NUL-terminated literal; -1 stays in *t on failure. */
static int parse(const char *s, apr_time_t *t)
{
    *t = -1;
    return testapi_date_parse(s, strlen(s), t);
}

static void assert_date(const char *s, apr_time_t want)
{
    apr_time_t t;
    ck_assert_msg(parse(s, &t) == 0, "refused: %s", s);
    ck_assert_msg(t == want, "%s: %" APR_INT64_T_FMT " != %" APR_INT64_T_FMT, s,
                  t, want);
}

static void assert_refused(const char *s)
{
    apr_time_t t;
    ck_assert_msg(parse(s, &t) == -1, "accepted: %s", s);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): an independent check of the APR-based conversion. */
static apr_int64_t days_from_civil(apr_int64_t y, int m, int d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Expected values computed with python3 datetime. */
START_TEST(real_client_dates_parse)
{
    assert_date("2016-05-23 07:16:09.477097", 1463987769477097);
    assert_date("2016-05-28T14:41:58.384Z", 1464446518384000);
    assert_date("2016-09-30", 1475193600000000);
    assert_date("2016-09-30T10:11:12", 1475230272000000);
    assert_date("2016-09-30 10:11:12+02:00", 1475223072000000);
}
END_TEST

START_TEST(minutes_without_seconds)
{
    assert_date("2016-09-30T10:11", 1475230260000000);
    assert_date("2016-09-30 10:11Z", 1475230260000000);
    assert_date("2016-09-30T10:11+0100", 1475230260000000 - 3600000000);
}
END_TEST

START_TEST(fraction_kept_to_microseconds)
{
    assert_date("2016-09-30T10:11:12.9", 1475230272900000);
    assert_date("2016-09-30T10:11:12.1234567", 1475230272123456);
    assert_date("2016-09-30T10:11:12.999999999", 1475230272999999);
    assert_date("2016-09-30T10:11:12.000001Z", 1475230272000001);
    assert_date("2016-09-30T10:11:12.50+01:00", 1475226672500000);
    assert_refused("2016-09-30T10:11:12.1234567890");
    assert_refused("2016-09-30T10:11:12.");
    assert_refused("2016-09-30T10:11:12.Z");
    assert_refused("2016-09-30T10:11.5");
    assert_refused("2016-09-30T10:11:12,5");
}
END_TEST

START_TEST(leap_years)
{
    assert_date("2016-02-29", 1456704000000000);
    assert_date("2000-02-29", 951782400000000);
    assert_date("1600-02-29", -11670998400000000);
    assert_refused("2015-02-29");
    assert_refused("1900-02-29");
    assert_refused("2100-02-29");
    assert_refused("2016-02-30");
}
END_TEST

START_TEST(day_within_month)
{
    assert_date("2016-01-31", 1454198400000000);
    assert_date("2016-12-31", 1483142400000000);
    assert_refused("2016-04-31");
    assert_refused("2016-06-31");
    assert_refused("2016-09-31");
    assert_refused("2016-11-31");
    assert_refused("2016-01-32");
    assert_refused("2016-01-00");
    assert_refused("2016-00-10");
    assert_refused("2016-13-10");
}
END_TEST

START_TEST(time_fields_in_range)
{
    assert_date("2016-09-30T23:59:59", 1475193600000000 + DAY_USEC - 1000000);
    assert_date("2016-09-30T00:00:00", 1475193600000000);
    assert_refused("2016-09-30T24:00:00");
    assert_refused("2016-09-30T24:00");
    assert_refused("2016-09-30T10:60");
    assert_refused("2016-09-30T10:11:61");
    assert_refused("2016-09-30T10:11:99");
}
END_TEST

START_TEST(leap_second_is_next_minute)
{
    /* 2016-12-31T23:59:60Z was a real leap second. */
    assert_date("2016-12-31T23:59:60Z", 1483228800000000);
    assert_date("2016-12-31T23:59:60.5Z", 1483228800500000);
}
END_TEST

START_TEST(zone_forms)
{
    apr_time_t utc = 1475230272000000; /* 2016-09-30T10:11:12Z */
    apr_time_t h = 3600000000, m = 60000000;

    assert_date("2016-09-30T10:11:12Z", utc);
    assert_date("2016-09-30T10:11:12+00:00", utc);
    assert_date("2016-09-30T10:11:12-00:00", utc);
    assert_date("2016-09-30T10:11:12+05:30", utc - 5 * h - 30 * m);
    assert_date("2016-09-30T10:11:12+0530", utc - 5 * h - 30 * m);
    assert_date("2016-09-30T10:11:12-03:45", utc + 3 * h + 45 * m);
    assert_date("2016-09-30T10:11:12-0345", utc + 3 * h + 45 * m);
    assert_date("2016-09-30T10:11:12+23:59", utc - 23 * h - 59 * m);
    assert_refused("2016-09-30T10:11:12+24:00");
    assert_refused("2016-09-30T10:11:12+01:60");
    assert_refused("2016-09-30T10:11:12+01");
    assert_refused("2016-09-30T10:11:12+1:00");
    assert_refused("2016-09-30T10:11:12+01:0");
    assert_refused("2016-09-30T10:11:12+01:000");
    assert_refused("2016-09-30T10:11:12+01-00");
    assert_refused("2016-09-30T10:11:12z");
    assert_refused("2016-09-30T10:11:12 +01:00");
    assert_refused("2016-09-30T10:11:12ZZ");
}
END_TEST

START_TEST(offsets_cross_midnight_and_year)
{
    /* All three are 2016-12-31T23:30:00Z. */
    assert_date("2016-12-31T23:30:00Z", 1483227000000000);
    assert_date("2017-01-01T00:30:00+01:00", 1483227000000000);
    assert_date("2016-12-31T22:30:00-01:00", 1483227000000000);
    /* 2016-12-31T23:30-01:00 is 2017-01-01T00:30Z. */
    assert_date("2016-12-31T23:30:00-01:00", 1483230600000000);
    /* Across a leap day. */
    assert_date("2016-03-01T00:15+00:30", 1456789500000000);
}
END_TEST

START_TEST(plain_date_takes_no_zone)
{
    assert_refused("2016-09-30Z");
    assert_refused("2016-09-30+02:00");
}
END_TEST

START_TEST(exact_digit_counts)
{
    assert_refused("2016-5-3");
    assert_refused("2016-05-3");
    assert_refused("2016-5-03");
    assert_refused("16-09-30");
    assert_refused("02016-09-30");
    assert_refused("20160930");
    assert_refused("2016/09/30");
    assert_refused("2016-09-30T1:11:12");
    assert_refused("2016-09-30T10:1:12");
    assert_refused("2016-09-30T10:11:1");
    assert_refused("2016-09-30T101112");
    assert_refused("2016-09-30T10");
    assert_refused("2016-0a-30");
    assert_refused("-016-09-30");
}
END_TEST

START_TEST(nothing_leading_or_trailing)
{
    assert_refused("");
    assert_refused(" 2016-09-30");
    assert_refused("2016-09-30 ");
    assert_refused("2016-09-30T");
    assert_refused("2016-09-30x");
    assert_refused("2016-09-30t10:11:12");
    assert_refused("2016-09-30_10:11:12");
    assert_refused("2016-09-30T10:11:12 ");
    assert_refused("2016-09-30T10:11:12Zx");
    assert_refused("2016-09-30T10:11:12.5x");
    assert_refused("2016-09-30T10:11:12:13");
}
END_TEST

START_TEST(nul_inside_len_refused)
{
    apr_time_t t = 7;
    ck_assert_int_eq(testapi_date_parse("2016-09-30\0", 11, &t), -1);
    ck_assert_int_eq(testapi_date_parse("2016-09\0-30", 10, &t), -1);
    ck_assert_int_eq(testapi_date_parse("2016-09-30T10:11\0", 17, &t), -1);
    ck_assert_int_eq(testapi_date_parse(NULL, 0, &t), -1);
    ck_assert(t == 7); /* untouched on failure */
}
END_TEST

START_TEST(len_bounds_the_input)
{
    apr_time_t t;
    ck_assert_int_eq(testapi_date_parse("2016-09-30T10:11:12", 10, &t), 0);
    ck_assert(t == 1475193600000000);
    ck_assert_int_eq(testapi_date_parse("2016-09-30T10:11:12", 16, &t), 0);
    ck_assert(t == 1475230260000000);
    ck_assert_int_eq(testapi_date_parse("2016-09-30", 9, &t), -1);
}
END_TEST

START_TEST(years_0001_to_9999)
{
    assert_date("0001-01-01", TESTAPI_DATE_MIN);
    assert_date("0001-01-01", -62135596800000000);
    assert_date("9999-12-31T23:59:59.999999", TESTAPI_DATE_MAX);
    assert_date("9999-12-31T23:59:59.999999", 253402300799999999);
    assert_refused("0000-01-01");
    assert_refused("0000-12-31");
    /* In range locally, out of range in UTC. */
    assert_refused("0001-01-01T00:30+01:00");
    assert_refused("9999-12-31T23:30-01:00");
    assert_refused("9999-12-31T23:59:60");
    assert_date("0001-01-01T00:30-01:00", TESTAPI_DATE_MIN + 5400000000);
}
END_TEST

START_TEST(dates_before_1970)
{
    assert_date("1969-12-31T23:59:59", -1000000);
    assert_date("1969-12-31T23:59:59.5", -500000);
    assert_date("1970-01-01T00:00:00+00:01", -60000000);
    assert_date("1900-03-01", -2203891200000000);
}
END_TEST

START_TEST(every_day_matches_civil_arithmetic)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                  31, 31, 30, 31, 30, 31};
    char buf[48], bad[48] = "";
    long checked = 0;

    /* Plain ifs in the loop: every ck_assert is a message to the parent
     * process, too slow for 3.6 million dates. */
    for (int y = 1; y <= 9999 && !*bad; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        for (int m = 1; m <= 12; m++) {
            int last = mdays[m - 1] + (m == 2 && leap);
            for (int d = 1; d <= last + 1; d++) {
                apr_time_t t;
                int rc;
                snprintf(buf, sizeof(buf), "%04d-%02d-%02dT12:34:56", y, m, d);
                rc = parse(buf, &t);
                if (d > last
                        ? rc != -1
                        : rc != 0 ||
                              t != days_from_civil(y, m, d) * DAY_USEC +
                                       APR_INT64_C(45296) * APR_USEC_PER_SEC) {
                    memcpy(bad, buf, sizeof(bad));
                }
                checked++;
            }
        }
    }
    ck_assert_msg(!*bad, "wrong result for %s", bad);
    ck_assert_int_eq(checked, 3652059 + 9999 * 12);
}
END_TEST

START_TEST(minus_days_subtracts_whole_days)
{
    apr_time_t now = 1475230272123456;
    ck_assert(testapi_time_minus_days(now, 1) == now - DAY_USEC);
    ck_assert(testapi_time_minus_days(now, 30) == now - 30 * DAY_USEC);
    ck_assert(testapi_time_minus_days(-1, 1) == -1 - DAY_USEC);
    ck_assert(testapi_time_minus_days(0, 0) == 0);
}
END_TEST

START_TEST(minus_days_clamps_at_year_1)
{
    apr_time_t now = 1475230272123456;
    /* 0001-01-01 is 719162 days before the epoch. */
    ck_assert(testapi_time_minus_days(TESTAPI_DATE_MIN + DAY_USEC, 1) ==
              TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(TESTAPI_DATE_MIN + DAY_USEC + 5, 1) ==
              TESTAPI_DATE_MIN + 5);
    ck_assert(testapi_time_minus_days(TESTAPI_DATE_MIN + DAY_USEC - 1, 1) ==
              TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(TESTAPI_DATE_MIN + DAY_USEC, 2) ==
              TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(0, 719162) == TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(0, 719163) == TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(now, APR_INT64_MAX) == TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(APR_INT64_MAX, APR_INT64_MAX) ==
              TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(APR_INT64_MIN, 1) == TESTAPI_DATE_MIN);
    ck_assert(testapi_time_minus_days(APR_INT64_MAX, 1) ==
              APR_INT64_MAX - DAY_USEC);
}
END_TEST

START_TEST(formats_utc_with_microseconds)
{
    char out[TESTAPI_TIME_LEN + 1];
    testapi_time_format(apr_time_from_sec(1463987769) + 477097, out);
    ck_assert_str_eq(out, "2016-05-23 07:16:09.477097");
    testapi_time_format(0, out);
    ck_assert_str_eq(out, "1970-01-01 00:00:00.000000");
}
END_TEST

Suite *date_suite(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("parse");
    /* every day of years 1..9999: about 0.5 s of CPU; Check's default of
     * 4 s failed it on a loaded machine (load average 18) */
    tcase_set_timeout(tc, 60);
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, real_client_dates_parse);
    tcase_add_test(tc, minutes_without_seconds);
    tcase_add_test(tc, fraction_kept_to_microseconds);
    tcase_add_test(tc, leap_years);
    tcase_add_test(tc, day_within_month);
    tcase_add_test(tc, time_fields_in_range);
    tcase_add_test(tc, leap_second_is_next_minute);
    tcase_add_test(tc, zone_forms);
    tcase_add_test(tc, offsets_cross_midnight_and_year);
    tcase_add_test(tc, plain_date_takes_no_zone);
    tcase_add_test(tc, exact_digit_counts);
    tcase_add_test(tc, nothing_leading_or_trailing);
    tcase_add_test(tc, nul_inside_len_refused);
    tcase_add_test(tc, len_bounds_the_input);
    tcase_add_test(tc, years_0001_to_9999);
    tcase_add_test(tc, dates_before_1970);
    tcase_add_test(tc, every_day_matches_civil_arithmetic);
    suite_add_tcase(s, tc);
    tc = tcase_create("minus_days");
    tcase_add_checked_fixture(tc, test_pool_setup, test_pool_teardown);
    tcase_add_test(tc, minus_days_subtracts_whole_days);
    tcase_add_test(tc, minus_days_clamps_at_year_1);
    suite_add_tcase(s, tc);
    tc = tcase_create("format");
    tcase_add_test(tc, formats_utc_with_microseconds);
    suite_add_tcase(s, tc);
    return s;
}
