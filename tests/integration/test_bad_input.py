"""The bad-input catalogue: every malformed request gets a clear JSON error
(never a 500, never an HTML page) and stores nothing.

Each refusal runs inside `nothing_stored()`, which compares the row counts
of every table before and after (read from the database itself when
build/dev gives its socket, else from the API's lists), and the targets
of refused updates are compared field by field.  Names that must round-trip
are checked byte for byte, through paths and as filter values."""
import contextlib
import json
import os
import subprocess
from urllib.parse import quote as urlquote

import pytest

from conftest import (AUTH, URL, assert_error, delete, get, post, put, quote,
                      raw_exchange, request)

DB_SOCKET = os.environ.get("TESTAPI_DB_SOCKET")
ERROR_LOG = os.environ.get("TESTAPI_ERROR_LOG")
BIG = 9 << 20                     # over the default TestAPIMaxBodySize (8 MiB)
SMALL_LIMIT_PROJECT = "testapi-small-body"   # conf/dev-httpd.conf.in: 1024 bytes


# ---- helpers ----------------------------------------------------------------

def counts():
    """Rows in every table."""
    if DB_SOCKET:
        out = subprocess.run(
            ["mariadb", "--no-defaults", "--socket=" + DB_SOCKET, "-uroot", "-N",
             "-B", "testapi", "-e",
             "SELECT (SELECT COUNT(*) FROM pods), (SELECT COUNT(*) FROM projects),"
             " (SELECT COUNT(*) FROM testcases), (SELECT COUNT(*) FROM results)"],
            check=True, capture_output=True, text=True).stdout.split()
        return dict(zip(("pods", "projects", "testcases", "results"), map(int, out)))
    return {"pods": len(get("/api/v1/pods").json["pods"]),
            "projects": len(get("/api/v1/projects").json["projects"])}


@contextlib.contextmanager
def nothing_stored(*paths):
    """No table gains or loses a row, and each of paths (GETs) answers the
    same before and after."""
    before = counts()
    seen = [(p, get(p).raw) for p in paths]
    yield
    assert counts() == before
    for p, raw in seen:
        assert get(p).raw == raw, p


@pytest.fixture(autouse=True)
def no_server_failure():
    """No request of these tests may fail inside the server: no statement
    error (TESTAPI00003 is a 500), no crashed child."""
    if not ERROR_LOG or not os.path.exists(ERROR_LOG):
        yield
        return
    start = os.path.getsize(ERROR_LOG)
    yield
    with open(ERROR_LOG, "rb") as fh:
        fh.seek(start)
        new = fh.read().decode("utf-8", "replace")
    for bad in ("TESTAPI00003", "TESTAPI00005", "AH00052", "Segmentation fault",
                "AddressSanitizer", "runtime error"):
        assert bad not in new, new


def raw_request(method, target, headers=(), body=b""):
    """A request written byte for byte (raw UTF-8 paths, no Content-Type)."""
    head = b"%s %s HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n" % (
        method.encode(), target, URL.hostname.encode(), URL.port)
    for h in headers:
        head += h + b"\r\n"
    if body:
        head += b"Content-Length: %d\r\n" % len(body)
    return raw_exchange(head + b"\r\n" + body, method=method)


@pytest.fixture
def world(unique):
    """A pod, a project, a testcase and a result, all new."""
    w = {"pod": unique + "-pod", "project": unique + "-prj", "case": unique + "-case"}
    assert post("/api/v1/pods", {"name": w["pod"]}).status == 200
    assert post("/api/v1/projects", {"name": w["project"], "description": "d"}).status == 200
    r = post("/api/v1/projects/%s/cases" % w["project"], {"name": w["case"], "url": "u"})
    assert r.status == 200, r
    r = post("/api/v1/results", {"pod_name": w["pod"], "project_name": w["project"],
                                 "case_name": w["case"], "trust_indicator": 0.5})
    assert r.status == 200, r
    w["result"] = r.json["href"].rsplit("/", 1)[1]
    w["refs"] = {"pod_name": w["pod"], "project_name": w["project"],
                 "case_name": w["case"]}
    w["paths"] = ["/api/v1/pods/" + w["pod"], "/api/v1/projects/" + w["project"],
                  "/api/v1/projects/%s/cases/%s" % (w["project"], w["case"]),
                  "/api/v1/results/" + w["result"]]
    return w


def write_routes(w, unique):
    """Every write route, with a body it accepts: (method, path, body)."""
    return [
        ("POST", "/api/v1/pods", {"name": unique + "-p2", "mode": "metal"}),
        ("POST", "/api/v1/projects", {"name": unique + "-j2", "description": "x"}),
        ("POST", "/api/v1/projects/%s/cases" % w["project"], {"name": unique + "-c2"}),
        ("POST", "/api/v1/results", dict(w["refs"], installer="fuel",
                                         start_date="2016-09-30 10:11:12",
                                         details={"duration": 1})),
        ("PUT", "/api/v1/projects/" + w["project"], {"description": "new"}),
        ("PUT", "/api/v1/projects/%s/cases/%s" % (w["project"], w["case"]),
         {"url": "new"}),
        ("PUT", "/api/v1/results/" + w["result"], {"trust_indicator": 0.75}),
    ]


def body_bytes(body):
    return json.dumps(body, ensure_ascii=False).encode()


# ---- JSON that does not parse ---------------------------------------------------

INVALID_JSON = [
    b"{", b"}", b"[", b"{]", b'{"name": }', b'{"name" "x"}', b'{"name": "x",}',
    b"[1, 2,]", b"{'name': 'x'}", b'{name: "x"}', b'{"name": "x"} x',
    b'{"name": "x"} {}', b'{"name": "x"}}', b"tru", b"nul", b"01", b"1.",
    b'{"a": 06.5}', b'{"a": 1.}', b'{"a": -}', b'{"a": 1e}', b'{"a": 0x10}',
    b'{"a": +1}', b'{"a": .5}', b'{"a": NaN}', b'{"a": Infinity}',
    b'{"a": -Infinity}', b'{"a": tRue}', b'{"a": "\\x"}', b'{"a": "\\u00"}',
    b'{"a": "\\u00zz"}', b'{"a": "tab\there"}', b'{"a": "nl\nhere"}',
    b'/* comment */ {"a": 1}', b'{"a": 1} // comment',
    b"\xef\xbb\xbf{}", b"\xff\xfe{\x00}\x00",
]


def test_invalid_json_is_400_on_every_write_route(world, unique):
    with nothing_stored(*world["paths"]):
        for method, path, _ in write_routes(world, unique):
            for raw in INVALID_JSON:
                r = request(method, path, raw=raw)
                assert_error(r, 400, prefix="Bad Json format ["), (method, path, raw)


def test_truncated_json_is_400_at_every_cut(world, unique):
    with nothing_stored(*world["paths"]):
        for method, path, body in write_routes(world, unique):
            whole = body_bytes(body)
            for cut in range(len(whole)):
                r = request(method, path, raw=whole[:cut])
                if cut == 0:
                    assert_error(r, 400, "no body" if method == "POST" else "No payload")
                else:
                    assert_error(r, 400, prefix="Bad Json format ["), (path, whole[:cut])


def test_bodies_that_are_not_objects(world, unique):
    with nothing_stored(*world["paths"]):
        for method, path, _ in write_routes(world, unique):
            for raw in (b"[]", b"[{}]", b'"name"', b"5", b"true", b"-0.5e3"):
                assert_error(request(method, path, raw=raw), 400,
                             "Bad Json format [the body must be a JSON object]")
            for raw in (b"", b"  \r\n\t", b"null", b" null "):
                assert_error(request(method, path, raw=raw), 400,
                             "no body" if method == "POST" else "No payload")


def nested(depth, inner=b"0"):
    return b"[" * depth + inner + b"]" * depth


def test_nesting_100_accepted_101_and_10000_refused(world, unique):
    # the body object is level 1
    ok = b'{"name": "%s", "extra": %s}' % ((unique + "-deep").encode(), nested(99))
    r = post("/api/v1/pods", raw=ok)
    assert r.status == 200, r
    rid = create_result(world, b'"details": %s' % nested(99))
    assert get("/api/v1/results/" + rid).json["details"] == json.loads(nested(99))
    with nothing_stored(*world["paths"]):
        for depth in (100, 10000):
            for method, path, body in write_routes(world, unique):
                whole = body_bytes(body)[:-1] + b', "deep": %s}' % nested(depth)
                assert_error(request(method, path, raw=whole), 400,
                             "Bad Json format [nesting too deep]")
        # objects count like arrays; an unclosed 10,000 too
        deep_obj = b'{"a":' * 101 + b"1" + b"}" * 101
        assert_error(post("/api/v1/pods", raw=deep_obj), 400,
                     "Bad Json format [nesting too deep]")
        assert_error(post("/api/v1/results", raw=b"[" * 10000), 400,
                     "Bad Json format [nesting too deep]")


def create_result(world, member):
    raw = body_bytes(world["refs"])[:-1] + b", " + member + b"}"
    r = post("/api/v1/results", raw=raw)
    assert r.status == 200, r
    return r.json["href"].rsplit("/", 1)[1]


# ---- wrong types ----------------------------------------------------------------

WRONG = [5, -1.5, True, False, [], ["a"], {}, {"a": "b"}]


def test_wrong_type_for_every_field(world, unique):
    pods = ("POST", "/api/v1/pods", {"name": unique + "-wt"},
            ("name", "mode", "details", "role"))
    projects = ("POST", "/api/v1/projects", {"name": unique + "-wt"},
                ("name", "description"))
    cases = ("POST", "/api/v1/projects/%s/cases" % world["project"],
             {"name": unique + "-wt"}, ("name", "description", "url"))
    project_put = ("PUT", "/api/v1/projects/" + world["project"], {},
                   ("name", "description"))
    case_put = ("PUT", "/api/v1/projects/%s/cases/%s" % (world["project"], world["case"]),
                {}, ("name", "description", "url", "project_name"))
    results = ("POST", "/api/v1/results", world["refs"],
               ("pod_name", "project_name", "case_name", "installer", "version",
                "scenario", "build_tag", "criteria", "start_date", "stop_date"))
    with nothing_stored(*world["paths"]):
        for method, path, base, fields in (pods, projects, cases, project_put,
                                           case_put, results):
            for field in fields:
                for value in WRONG:
                    body = dict(base, **{field: value})
                    assert_error(request(method, path, body), 400,
                                 field + " must be a string"), (path, body)


def test_wrong_trust_indicator(world):
    bad = [("0.5", "trust_indicator must be a number or an object"),
           (True, "trust_indicator must be a number or an object"),
           ([0.5], "trust_indicator must be a number or an object"),
           (1.5, "trust_indicator must be between 0 and 1"),
           (-0.01, "trust_indicator must be between 0 and 1"),
           (1e300, "trust_indicator must be between 0 and 1"),
           ({"current": "1"}, "trust_indicator.current must be a number"),
           ({"current": [1]}, "trust_indicator.current must be a number"),
           ({"current": 2}, "trust_indicator must be between 0 and 1"),
           ({"current": 0.5, "histories": {}}, "trust_indicator.histories must be an array"),
           ({"current": 0.5, "histories": "x"}, "trust_indicator.histories must be an array")]
    with nothing_stored(*world["paths"]):
        for value, message in bad:
            assert_error(post("/api/v1/results", dict(world["refs"], trust_indicator=value)),
                         400, message)
            assert_error(put("/api/v1/results/" + world["result"],
                             {"trust_indicator": value}), 400, message)
        # huge numbers in the text: a double that is out of range
        assert_error(put("/api/v1/results/" + world["result"],
                         raw=b'{"trust_indicator": 99999999999999999999}'), 400,
                     "trust_indicator must be between 0 and 1")
        assert_error(put("/api/v1/results/" + world["result"],
                         raw=b'{"trust_indicator": 1e400}'), 400,
                     "trust_indicator must be between 0 and 1")


TRUST_MAX = 65535                  # bytes of the trust_indicator's JSON text


def trust_of_size(n):
    """A trust_indicator whose compact JSON text is n bytes long."""
    value = {"current": 0.5, "histories": [""]}
    pad = n - len(json.dumps(value, separators=(",", ":")))
    value["histories"][0] = "x" * pad
    assert len(json.dumps(value, separators=(",", ":"))) == n
    return value


def test_a_trust_indicator_over_65535_bytes_is_400(world):
    """The trust_indicator is kept as JSON text of at most 65,535 bytes
    (compact, as the server returns it): one byte more is refused on POST
    and on PUT, and nothing is stored."""
    message = "trust_indicator larger than 65535 bytes of JSON text"
    with nothing_stored(*world["paths"]):
        for n in (TRUST_MAX + 1, 1 << 20):
            big = trust_of_size(n)
            assert_error(post("/api/v1/results", dict(world["refs"], trust_indicator=big)),
                         400, message)
            assert_error(put("/api/v1/results/" + world["result"],
                             {"trust_indicator": big}), 400, message)
    # exactly the limit is kept whole
    whole = trust_of_size(TRUST_MAX)
    r = put("/api/v1/results/" + world["result"], {"trust_indicator": whole})
    assert r.status == 200, r
    assert get("/api/v1/results/" + world["result"]).json["trust_indicator"] == whole
    r = post("/api/v1/results", dict(world["refs"], trust_indicator=whole))
    assert r.status == 200, r
    assert get(r.json["href"][r.json["href"].index("/api/"):]).json["trust_indicator"] == whole


# ---- names: empty, too long, NUL, invalid UTF-8 ----------------------------------

def name_routes(w, unique):
    """Where a name is sent in a body: (method, path, body maker, field)."""
    return [
        ("POST", "/api/v1/pods", lambda n: {"name": n}, "name"),
        ("POST", "/api/v1/projects", lambda n: {"name": n}, "name"),
        ("POST", "/api/v1/projects/%s/cases" % w["project"], lambda n: {"name": n}, "name"),
        ("PUT", "/api/v1/projects/" + w["project"], lambda n: {"name": n}, "name"),
        ("PUT", "/api/v1/projects/%s/cases/%s" % (w["project"], w["case"]),
         lambda n: {"name": n}, "name"),
        ("PUT", "/api/v1/projects/%s/cases/%s" % (w["project"], w["case"]),
         lambda n: {"project_name": n}, "project_name"),
        ("POST", "/api/v1/results", lambda n: dict(w["refs"], pod_name=n), "pod_name"),
        ("POST", "/api/v1/results", lambda n: dict(w["refs"], project_name=n),
         "project_name"),
        ("POST", "/api/v1/results", lambda n: dict(w["refs"], case_name=n), "case_name"),
    ]


def test_empty_and_256_byte_names(world, unique):
    long = (unique + "x" * 256)[:256]
    long_utf8 = "é" * 128                      # 128 characters, 256 bytes
    with nothing_stored(*world["paths"]):
        for method, path, make, field in name_routes(world, unique):
            assert_error(request(method, path, make("")), 400, field + " missing")
            for name in (long, long_utf8):
                assert_error(request(method, path, make(name)), 400,
                             field + ": name longer than 255 bytes")
        for name in (long, quote(long_utf8)):
            for method, path in (("GET", "/api/v1/pods/" + name),
                                 ("DELETE", "/api/v1/pods/" + name),
                                 ("GET", "/api/v1/projects/" + name),
                                 ("PUT", "/api/v1/projects/" + name),
                                 ("POST", "/api/v1/projects/%s/cases" % name),
                                 ("GET", "/api/v1/projects/%s/cases/%s" % (world["project"], name))):
                assert_error(request(method, path, {"name": unique + "-x"}), 400,
                             "name longer than 255 bytes")


def test_nul_bytes_in_names_and_values(world, unique):
    with nothing_stored(*world["paths"]):
        # escaped in JSON strings: decoded to NUL, refused before the database
        for method, path, make, field in name_routes(world, unique):
            for name in (unique + "\u0000", "\u0000" + unique, "a\u0000b"):
                assert_error(request(method, path, make(name)), 400,
                             field + ": name must not contain '/' or NUL")
        for method, path, body, field in (
                ("POST", "/api/v1/pods", {"name": unique + "-n"}, "mode"),
                ("POST", "/api/v1/pods", {"name": unique + "-n"}, "role"),
                ("POST", "/api/v1/projects", {"name": unique + "-n"}, "description"),
                ("POST", "/api/v1/projects/%s/cases" % world["project"],
                 {"name": unique + "-n"}, "url"),
                ("PUT", "/api/v1/projects/" + world["project"], {}, "description"),
                ("POST", "/api/v1/results", world["refs"], "installer"),
                ("POST", "/api/v1/results", world["refs"], "criteria"),
                ("POST", "/api/v1/results", world["refs"], "stop_date")):
            assert_error(request(method, path, dict(body, **{field: "x\u0000y"})), 400,
                         field + " must not contain NUL")
        # raw NUL bytes anywhere in a body
        for raw in (b'{"name": "a\x00b"}', b'{"name": "x"}\x00', b"\x00",
                    b'{"name": "x", "details": {"k\x00": 1}}'):
            assert_error(post("/api/v1/pods", raw=raw), 400,
                         "Bad Json format [NUL byte in the body]")
        # %00 in paths names nothing: a JSON 404, not Apache's page
        for method, path in (("GET", "/api/v1/pods/a%00b"),
                             ("DELETE", "/api/v1/pods/a%00"),
                             ("GET", "/api/v1/projects/%00"),
                             ("PUT", "/api/v1/projects/x%00y"),
                             ("POST", "/api/v1/projects/%00/cases"),
                             ("GET", "/api/v1/projects/%s/cases/a%%00" % world["project"]),
                             ("GET", "/api/v1/results/%00"),
                             ("PUT", "/api/v1/results/%s%%00" % world["result"])):
            assert_error(request(method, path, {"name": unique + "-x"}), 404, "Not Found")
        # and in query strings, in a value or a parameter's name
        assert_error(get("/api/v1/results?case=a%00b"), 400,
                     "case must be valid UTF-8 without NUL")
        assert_error(get("/api/v1/results?ca%00se=a"), 400,
                     "query parameter names must be valid UTF-8 without NUL")
    # inside details an escaped NUL is just JSON text: kept as sent
    rid = create_result(world, b'"details": {"log": "a\\u0000b"}')
    got = get("/api/v1/results/" + rid)
    assert b'"details":{"log": "a\\u0000b"}' in got.raw
    assert got.json["details"] == {"log": "a\u0000b"}


INVALID_UTF8 = [b"\xff", b"\xc3", b"\xc3x", b"\xc0\xaf", b"\xe0\x99\x8a",
                b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xf8\x88\x80\x80\x80",
                b"\x80"]


def test_invalid_utf8_in_names_and_values(world, unique):
    u = unique.encode()
    with nothing_stored(*world["paths"]):
        for bad in INVALID_UTF8:
            for method, path, body in (
                    ("POST", "/api/v1/pods", b'{"name": "%s%s"}' % (u, bad)),
                    ("POST", "/api/v1/pods", b'{"name": "%s", "mode": "%s"}' % (u, bad)),
                    ("POST", "/api/v1/projects", b'{"name": "%s", "description": "a%s"}' % (u, bad)),
                    ("PUT", "/api/v1/projects/" + world["project"],
                     b'{"name": "%s%s"}' % (u, bad)),
                    ("POST", "/api/v1/results", body_bytes(world["refs"])[:-1]
                     + b', "installer": "%s"}' % bad),
                    ("POST", "/api/v1/results", body_bytes(world["refs"])[:-1]
                     + b', "details": {"k": "%s"}}' % bad),
                    ("POST", "/api/v1/results", body_bytes(world["refs"])[:-1]
                     + b', "details": {"%s": 1}}' % bad)):
                assert_error(request(method, path, raw=body), 400,
                             "Bad Json format [invalid utf-8 string]"), (path, body)
            # in a path segment, and in a query string
            enc = "".join("%%%02X" % c for c in bad)
            assert_error(get("/api/v1/pods/a" + enc), 400, "name must be valid UTF-8")
            assert_error(put("/api/v1/projects/a" + enc, {"name": "x"}), 400,
                         "name must be valid UTF-8")
            assert_error(get("/api/v1/results?case=a" + enc), 400,
                         "case must be valid UTF-8 without NUL")
        # UTF-16 escapes that are not characters (json-c would store U+FFFD)
        for esc in (b"\\ud800", b"\\udfff", b"\\ud83dx", b"\\ud83d\\u0041"):
            for body in (b'{"name": "%s%s"}' % (u, esc),
                         body_bytes(world["refs"])[:-1] + b', "details": ["%s"]}' % esc):
                assert_error(post("/api/v1/pods" if body.startswith(b'{"name"')
                                  else "/api/v1/results", raw=body), 400,
                             "Bad Json format [lone surrogate in a \\u escape]")
    # a surrogate pair is a character: accepted, stored as UTF-8
    r = post("/api/v1/pods", raw=b'{"name": "%s\\ud83d\\ude00"}' % u)
    assert r.status == 200, r
    assert get("/api/v1/pods/" + quote(unique + "\U0001F600")).json["name"] == \
        unique + "\U0001F600"


# ---- names that must round-trip exactly ---------------------------------------------

SPECIAL = ["it's", 'say "hi"', "100%", "50%25", "a_b", "_", "%", "%%", "a;b", ";",
           "'; DROP TABLE pods; --", "Robert'); DROP TABLE results;--",
           "1 OR 1=1", "SELECT * FROM projects", "NULL", "null", "\\", "a\\'b",
           "--", "# x", "-- x\n", "`id`", "$where", "a.b", "{\"json\": 1}", "<script>",
           " lead", "trail ", "tab\tin", "é 测 😀", "+plus+", "a&b=c?d#e"]


def test_special_names_round_trip(unique):
    for i, special in enumerate(SPECIAL):
        name = "%s-%d-%s" % (unique, i, special)
        for coll in ("pods", "projects"):
            r = post("/api/v1/" + coll, {"name": name})
            assert r.status == 200, (coll, name, r)
            assert r.json["href"].endswith("/api/v1/%s/%s" % (coll, quote(name)))
            got = get("/api/v1/%s/%s" % (coll, quote(name)))
            assert got.status == 200 and got.json["name"] == name, (coll, name)
        r = post("/api/v1/projects/%s/cases" % quote(name), {"name": name})
        assert r.status == 200, r
        got = get("/api/v1/projects/%s/cases/%s" % (quote(name), quote(name))).json
        assert (got["name"], got["project_name"]) == (name, name)
    lists = {c: [x["name"] for x in get("/api/v1/" + c).json[c]]
             for c in ("pods", "projects")}
    for i, special in enumerate(SPECIAL):
        name = "%s-%d-%s" % (unique, i, special)
        assert lists["pods"].count(name) == 1 and lists["projects"].count(name) == 1


def test_special_names_as_filter_values(unique):
    """As filter values '%' and '_' match themselves only (no LIKE), quotes
    and SQL keywords are plain text."""
    names = {}
    for tag, special in (("pct", "%"), ("pct2", "a%"), ("und", "_"),
                         ("und2", "a_"), ("q", "'"), ("sql", "' OR '1'='1"),
                         ("semi", ";"), ("kw", "DROP TABLE results")):
        names[tag] = unique + special
    # look-alikes that a LIKE or a broken escape would also match
    names["plain"] = unique + "a"
    names["plain2"] = unique + "ab"
    for name in names.values():
        assert post("/api/v1/pods", {"name": name}).status == 200
        assert post("/api/v1/projects", {"name": name}).status == 200
        assert post("/api/v1/projects/%s/cases" % quote(name), {"name": name}).status == 200
    rid = {}
    for tag, name in names.items():
        r = post("/api/v1/results", {"pod_name": name, "project_name": name,
                                     "case_name": name, "installer": name,
                                     "scenario": name})
        assert r.status == 200, r
        rid[tag] = r.json["href"].rsplit("/", 1)[1]
    for tag, name in names.items():
        for param in ("pod", "project", "case", "installer", "scenario"):
            r = get("/api/v1/results?%s=%s" % (param, urlquote(name, safe="")))
            assert r.status == 200, r
            got = r.json["results"]
            assert [x["_id"] for x in got] == [rid[tag]], (param, name)
            assert got[0]["pod_name"] == name and got[0]["installer"] == name


def test_percent_encoded_and_utf8_names_in_paths(unique):
    name = unique + " é/测 + 😀 %41"
    assert_error(post("/api/v1/pods", {"name": name}), 400,
                 "name: name must not contain '/' or NUL")
    name = unique + " é测 + 😀 %41 A"
    assert post("/api/v1/pods", {"name": name}).status == 200
    enc_upper = quote(name)
    enc_lower = "".join(c.lower() if i and enc_upper[i - 1] == "%" or
                        (i > 1 and enc_upper[i - 2] == "%") else c
                        for i, c in enumerate(enc_upper))
    # every way of writing the same name reaches it ('+' is a plus in a path)
    for path in (enc_upper, enc_lower, urlquote(name, safe="+"),
                 quote(name)[:-1] + "%41"):
        got = get("/api/v1/pods/" + path)
        assert got.status == 200 and got.json["name"] == name, path
    # raw UTF-8 bytes in the request line
    raw_target = b"/api/v1/pods/" + name.encode().replace(b"%", b"%25").replace(
        b" ", b"%20")
    got = raw_request("GET", raw_target)
    assert got.status == 200 and got.json["name"] == name
    # decoded once: "%2541" is the three characters "%41", not "A"
    assert get("/api/v1/pods/" + quote(name).replace("%2541", "%41")).status == 404
    # %2F decodes to '/': it never names anything
    assert_error(get("/api/v1/pods/%s%%2F" % quote(name)), 404)


# ---- query strings ------------------------------------------------------------------

RESULT_PARAMS = ["project", "case", "pod", "installer", "version", "scenario",
                 "build_tag", "criteria", "trust_indicator", "period", "last",
                 "from", "to", "descend", "page"]
VALUE = {"trust_indicator": "0.5", "period": "1", "last": "1", "from": "2016-01-01",
         "to": "2017-01-01", "descend": "true", "page": "1"}


def test_duplicated_query_parameters():
    for p in RESULT_PARAMS:
        v = VALUE.get(p, "x")
        other = "installer=y" if p != "installer" else "pod=y"
        # the name is compared after decoding: %63ase is case
        enc = "%%%02x" % ord(p[0]) + p[1:]
        for qs in ("%s=%s&%s=%s" % (p, v, p, v), "%s=%s&%s=" % (p, v, p),
                   "%s=%s&%s" % (p, v, p), "%s=%s&%s=%s&%s=%s" % (p, v, p, v, p, v),
                   "%s=%s&%s&%s=%s" % (p, v, other, p, v),
                   "%s=%s&%s=%s" % (p, v, enc, v)):
            assert_error(get("/api/v1/results?" + qs), 400,
                         "duplicate query parameter [%s]" % p)


def test_huge_integers_in_last_page_period(world):
    case = quote(world["case"])
    for p in ("last", "page", "period"):
        for v in ("99999999999999999999", "9223372036854775808",
                  "-9223372036854775809", "1e3", "0x10", "+1", " 1", "1 ",
                  "1.0", "", "--1", "１"):
            assert_error(get("/api/v1/results?case=%s&%s=%s" % (case, p, urlquote(v))),
                         400, "%s must be int" % p)
    # the largest int64 values are valid numbers, and work
    big = "9223372036854775807"
    r = get("/api/v1/results?case=%s&last=%s" % (case, big))
    assert r.status == 200 and [x["_id"] for x in r.json["results"]] == [world["result"]]
    r = get("/api/v1/results?case=%s&last=%s&descend=false" % (case, big))
    assert r.status == 200 and len(r.json["results"]) == 1
    r = get("/api/v1/results?case=%s&period=%s" % (case, big))
    assert r.status == 200 and len(r.json["results"]) == 1
    r = get("/api/v1/results?case=%s&period=-%s" % (case, big))
    assert r.status == 200 and len(r.json["results"]) == 1
    assert_error(get("/api/v1/results?case=%s&page=%s" % (case, big)), 400,
                 "Request page > total_pages [1]")
    r = get("/api/v1/results?case=%s-none&page=%s" % (case, big))
    assert r.status == 200
    assert r.json == {"results": [], "pagination": {"current_page": int(big),
                                                    "total_pages": 0}}
    assert_error(get("/api/v1/results?page=-9223372036854775808"), 400,
                 "page must be >= 1")
    assert_error(get("/api/v1/results?last=-9223372036854775808"), 400,
                 "last must be >= 0")
    for v in ("1e999", "-1e999", "nan", "inf", "x", ""):
        assert_error(get("/api/v1/results?trust_indicator=" + v), 400,
                     "trust_indicator must be a number")


def test_malformed_query_strings():
    for qs, message in (("case=%", "malformed %-escape in query string"),
                        ("case=%4", "malformed %-escape in query string"),
                        ("case=%zz", "malformed %-escape in query string"),
                        ("%zz=1", "malformed %-escape in query string"),
                        ("=1", "unknown query parameter []"),
                        ("from=2016-02-30", "from must be a date"),
                        ("to=2016-01-01T25:00", "to must be a date"),
                        ("from=0000-01-01", "from must be a date")):
        assert_error(get("/api/v1/results?" + qs), 400, message)


# ---- body size ------------------------------------------------------------------------

def test_bodies_over_the_limit_are_json_413(world, unique):
    with nothing_stored(*world["paths"]):
        for method, path, body in write_routes(world, unique):
            big = body_bytes(body)[:-1] + b', "pad": "%s"}' % (b"x" * BIG)
            for chunked in (False, True):
                assert_error(request(method, path, raw=big, chunked=chunked), 413,
                             "request body larger than 8388608 bytes")


def small_limit_project():
    r = post("/api/v1/projects", {"name": SMALL_LIMIT_PROJECT})
    assert r.status in (200, 403), r


def test_a_smaller_limit_for_one_location(unique):
    """conf/dev-httpd.conf.in sets TestAPIMaxBodySize 1024 for the paths
    under /api/v1/projects/testapi-small-body only."""
    small_limit_project()
    path = "/api/v1/projects/" + SMALL_LIMIT_PROJECT

    def sized(n, key="description"):
        body = b'{"%s": "%s", "pad": "' % (key.encode(), unique.encode())
        return body + b"x" * (n - len(body) - 2) + b'"}'

    with nothing_stored(path):
        for chunked in (False, True):
            for n in (1025, 4096, 100000):
                assert_error(put(path, raw=sized(n), chunked=chunked), 413,
                             "request body larger than 1024 bytes")
                assert_error(post(path + "/cases", raw=sized(n, "name"),
                                  chunked=chunked), 413,
                             "request body larger than 1024 bytes")
    # exactly the limit is accepted
    r = put(path, raw=sized(1024))
    assert r.status == 200, r
    assert r.json["description"] == unique
    r = post(path + "/cases", raw=sized(1024, "name"))
    assert r.status == 200, r
    # elsewhere the default applies
    r = post("/api/v1/projects", raw=sized(4096, "name"))
    assert r.status == 200, r


# ---- Content-Type ---------------------------------------------------------------------

def test_content_type_is_not_checked(unique):
    """The contract parses every body as JSON whatever its Content-Type
    (the original clients all send JSON)."""
    for i, ctype in enumerate(("text/plain", "application/x-www-form-urlencoded",
                               "multipart/form-data; boundary=x",
                               "application/json; charset=utf-8", "garbage")):
        name = "%s-ct%d" % (unique, i)
        r = post("/api/v1/pods", {"name": name}, headers={"Content-Type": ctype})
        assert r.status == 200, (ctype, r)
    r = raw_request("POST", b"/api/v1/pods", [b"Authorization: " + AUTH.encode()],
                    b'{"name": "%s-noct"}' % unique.encode())
    assert r.status == 200, r
    assert get("/api/v1/pods/%s-noct" % unique).status == 200
    # a form or a multipart body is not JSON: refused, nothing stored
    with nothing_stored():
        for ctype, raw in (("application/x-www-form-urlencoded",
                            b"name=%s-form&mode=metal" % unique.encode()),
                           ("multipart/form-data; boundary=x",
                            b'--x\r\nContent-Disposition: form-data; name="name"'
                            b"\r\n\r\nx\r\n--x--\r\n")):
            assert_error(post("/api/v1/pods", raw=raw, headers={"Content-Type": ctype}),
                         400, prefix="Bad Json format [")


# ---- methods --------------------------------------------------------------------------

def route_table(w):
    """Every path of the API with the methods it allows."""
    return [
        ("/versions", {"GET"}),
        ("/api/v1/pods", {"GET", "POST"}),
        ("/api/v1/pods/" + w["pod"], {"GET", "DELETE"}),
        ("/api/v1/projects", {"GET", "POST"}),
        ("/api/v1/projects/" + w["project"], {"GET", "PUT", "DELETE"}),
        ("/api/v1/projects/%s/cases" % w["project"], {"GET", "POST"}),
        ("/api/v1/projects/%s/cases/%s" % (w["project"], w["case"]),
         {"GET", "PUT", "DELETE"}),
        ("/api/v1/results", {"GET", "POST"}),
        ("/api/v1/results/" + w["result"], {"GET", "PUT"}),
    ]


def test_unsupported_methods_are_json_405_with_allow(world):
    with nothing_stored(*world["paths"]):
        for path, allowed in route_table(world):
            allow = set(allowed) | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed else set())
            for method in ("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE",
                           "PROPFIND", "MKCOL", "COPY", "LOCK", "FOO"):
                if method in allowed:
                    continue
                r = request(method, path, {"name": "x"})
                assert_error(r, 405, "method %s not allowed here" % method)
                assert set(r.header("allow").split(", ")) == allow, (path, method)
                # without credentials, authentication comes first: a JSON 401
                if method not in ("GET",):
                    r = request(method, path, {"name": "x"}, auth=False)
                    assert_error(r, 401)
                    assert r.header("www-authenticate")
            r = request("OPTIONS", path)
            assert r.status == 200 and set(r.header("allow").split(", ")) == allow


def test_trace_is_not_echoed(world):
    """httpd would echo a TRACE itself (message/http): in the API's space it
    is a method like any other the API does not have."""
    r = raw_request("TRACE", b"/api/v1/pods",
                    [b"Authorization: " + AUTH.encode(), b"X-Secret: echo-me"])
    assert_error(r, 405, "method TRACE not allowed here")
    assert b"echo-me" not in r.raw
    assert set(r.header("allow").split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}
