"""Requests that httpd refuses while it reads them (a malformed or oversized
request line or header, a bad Content-Length or Transfer-Encoding, an
unknown Expect, no Host, a path that does not decode) get a JSON error on
the API's paths, like every other answer there; elsewhere httpd's own page
is left alone.  Each request is written byte for byte on its own
connection (http.client would refuse to send most of them)."""
import pytest

from conftest import URL, raw_exchange


def exchange(head, body=b"", method="GET"):
    """head: the request line and the headers without Host or Connection."""
    line, _, rest = head.partition(b"\r\n")
    data = line + b"\r\nHost: %s:%d\r\nConnection: close\r\n" % (
        URL.hostname.encode(), URL.port) + rest + b"\r\n" + body
    return raw_exchange(data, method=method)


def assert_json_error(resp, status, message):
    assert resp.status == status, resp
    assert resp.header("content-type") == "application/json", resp.headers
    assert resp.header("x-content-type-options") == "nosniff", resp.headers
    assert resp.json == {"code": status, "message": message}


HEADER_MESSAGE = "malformed request line or header, or headers over the server's limits"
CONTENT_LENGTH_MESSAGE = "invalid Content-Length: one decimal number of bytes expected"


def test_a_header_over_8190_bytes_is_json_400():
    resp = exchange(b"GET /api/v1/pods HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n")
    assert_json_error(resp, 400, HEADER_MESSAGE)


def test_more_than_100_headers_is_json_400():
    headers = b"".join(b"X-H%d: v\r\n" % i for i in range(101))
    assert_json_error(exchange(b"GET /api/v1/pods HTTP/1.1\r\n" + headers), 400,
                      HEADER_MESSAGE)


def test_a_refused_head_request_is_json_400_without_a_body():
    headers = b"".join(b"X-H%d: v\r\n" % i for i in range(101))
    resp = exchange(b"HEAD /api/v1/pods HTTP/1.1\r\n" + headers, method="HEAD")
    assert resp.status == 400 and resp.raw == b""
    assert resp.header("content-type") == "application/json"


@pytest.mark.parametrize("value", [b"-1", b"abc", b"2\r\nContent-Length: 3",
                                   b"9" * 23, b"0x10", b"+5", b""],
                         ids=["negative", "letters", "two-values", "23-digits",
                              "hex", "plus", "empty"])
def test_a_content_length_that_is_not_one_decimal_number_is_json_400(value):
    resp = exchange(b"POST /api/v1/pods HTTP/1.1\r\nContent-Length: " + value +
                    b"\r\n", b"{}")
    assert_json_error(resp, 400, CONTENT_LENGTH_MESSAGE)


@pytest.mark.parametrize("value", [b"gzip", b"chunked, gzip", b"identity"])
def test_a_transfer_encoding_other_than_chunked_is_json_400(value):
    resp = exchange(b"POST /api/v1/pods HTTP/1.1\r\nTransfer-Encoding: " + value +
                    b"\r\n", b"{}")
    assert_json_error(resp, 400, "unsupported Transfer-Encoding: only chunked is accepted")


def test_an_expect_other_than_100_continue_is_json_417():
    resp = exchange(b"POST /api/v1/pods HTTP/1.1\r\nExpect: 200-ok\r\n"
                    b"Content-Length: 2\r\n", b"{}")
    assert_json_error(resp, 417, "unsupported Expect: only 100-continue is known")


def test_an_http_1_1_request_without_host_is_json_400():
    resp = raw_exchange(b"GET /api/v1/pods HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert_json_error(resp, 400, "Host header missing (HTTP/1.1 requires it)")


def test_a_request_line_over_8190_bytes_is_json_414():
    resp = exchange(b"GET /api/v1/results?build_tag=" + b"a" * 20000 + b" HTTP/1.1\r\n")
    assert_json_error(resp, 414, "request line longer than 8190 bytes")


@pytest.mark.parametrize("head", [b"GET /api/v1/pods\rx HTTP/1.1\r\n",
                                  b"GET /api/v1/pods HTTP/1.1\r\nX-A: a\rb\r\n",
                                  b"GET /api/v1/pods HTTP/1.1\r\nX-A\r\n"],
                         ids=["cr-in-request-line", "cr-in-header",
                              "header-without-colon"])
def test_a_malformed_request_line_or_header_is_json_400(head):
    assert_json_error(exchange(head), 400, HEADER_MESSAGE)


@pytest.mark.parametrize("path", [b"/api/v1/pods/%zz", b"/api/v1/results%4",
                                  b"/dashboard/v1/%G0?x=1"])
def test_a_malformed_escape_in_the_path_is_json_400(path):
    resp = exchange(b"GET " + path + b" HTTP/1.1\r\n")
    assert_json_error(resp, 400, "malformed %-escape in path")


@pytest.mark.parametrize("head", [b"GET /swagger/%zz HTTP/1.1\r\n",
                                  b"GET /swagger/ HTTP/1.1\r\nX-Big: " + b"a" * 9000 + b"\r\n",
                                  b"GET /apis HTTP/1.1\r\nContent-Length: abc\r\n"],
                         ids=["escape", "header", "content-length"])
def test_outside_the_api_httpd_keeps_its_own_error_page(head):
    resp = exchange(head)
    assert resp.status == 400
    assert resp.header("content-type").startswith("text/html"), resp.headers


@pytest.mark.parametrize("line", [b"GET\r\n", b"FOO\r\n", b"GET  HTTP/1.1\r\n"],
                         ids=["method-alone", "word", "no-target"])
def test_a_request_line_without_a_path_keeps_httpds_page(line):
    """Documented exception: nothing tells that it was meant for the API."""
    resp = raw_exchange(line + b"\r\n")
    assert resp.status == 400
    assert resp.header("content-type").startswith("text/html"), resp.headers
