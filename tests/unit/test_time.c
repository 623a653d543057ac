#include "test_suites.h"
#include "testapi_time.h"

START_TEST(formats_utc_with_microseconds)
{
    char out[TESTAPI_TIME_LEN + 1];
    testapi_time_format(apr_time_from_sec(1463987769) + 477097, out);
    ck_assert_str_eq(out, "2016-05-23 07:16:09.477097");
    testapi_time_format(0, out);
    ck_assert_str_eq(out, "1970-01-01 00:00:00.000000");
}
END_TEST

Suite *time_suite(void)
{
    Suite *s = suite_create("time");
    TCase *tc = tcase_create("format");
    tcase_add_test(tc, formats_utc_with_microseconds);
    suite_add_tcase(s, tc);
    return s;
}
