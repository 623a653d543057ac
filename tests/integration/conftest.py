"""Integration tests: a real Apache with mod_testapi over real HTTP, against
the real MariaDB that `build/dev up` started.  Every test makes its own
names (unique suffix), so the suite can run against a database in use."""
import base64
import http.client
import json
import os
import socket
import subprocess
import threading
import urllib.parse
import uuid

import pytest

import openapi_check
import own_server
from loadgen import sql as db_sql

URL = urllib.parse.urlsplit(os.environ.get("TESTAPI_URL", "http://127.0.0.1:8000"))
AUTH = "Basic " + base64.b64encode(b"opnfv:api@opnfv").decode()
ADMIN_TOOL = os.environ.get("TESTAPI_ADMIN", "testapi-admin")


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw

    @property
    def json(self):
        return json.loads(self.raw)

    def header(self, name):
        return self.headers.get(name.lower())

    def __repr__(self):
        return "<%d %r>" % (self.status, self.raw[:200])


def request(method, path, body=None, auth=True, headers=None, raw=None,
            chunked=False, url=None):
    """One HTTP request on a fresh connection.  path is sent as given (so
    tests control percent-encoding); body is JSON-encoded unless raw bytes
    are given.  url: another server than the dev server (own_server.py)."""
    where = urllib.parse.urlsplit(url) if url else URL
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=60)
    hdrs = {"Content-Type": "application/json"}
    if auth is True:
        hdrs["Authorization"] = AUTH
    elif auth:
        hdrs["Authorization"] = "Basic " + base64.b64encode(auth.encode()).decode()
    hdrs.update(headers or {})
    data = raw if raw is not None else (
        None if body is None else json.dumps(body, ensure_ascii=False).encode())
    if chunked:
        conn.putrequest(method, path)
        hdrs["Transfer-Encoding"] = "chunked"
        for k, v in hdrs.items():
            conn.putheader(k, v)
        conn.endheaders()
        for i in range(0, len(data), 65536):
            piece = data[i:i + 65536]
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    else:
        conn.request(method, path, body=data, headers=hdrs)
    resp = conn.getresponse()
    out = Response(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                   resp.read())
    conn.close()
    openapi_check.record(method, path, out.status, out.headers, out.raw)
    return out


def raw_exchange(data, source=None, method="GET", timeout=30):
    """Bytes written as they are on a fresh connection, from the loopback
    address source if given (all of 127.0.0.0/8 is loopback on Linux), and
    the answer; for what http.client refuses to send.  Not recorded for the
    OpenAPI check."""
    sock = socket.socket()
    sock.settimeout(timeout)
    try:
        if source:
            sock.bind((source, 0))
        sock.connect((URL.hostname, URL.port))
        sock.sendall(data)
        resp = http.client.HTTPResponse(sock, method=method)
        resp.begin()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                        resp.read())
    finally:
        sock.close()


def get(path, **kw):
    return request("GET", path, **kw)


def post(path, body=None, **kw):
    return request("POST", path, body, **kw)


def put(path, body=None, **kw):
    return request("PUT", path, body, **kw)


def delete(path, **kw):
    return request("DELETE", path, **kw)


def quote(name):
    """Percent-encode a name as one path segment."""
    return urllib.parse.quote(name, safe="")


def assert_error(resp, status, message=None, prefix=None):
    """Every error is JSON {"code", "message"} with the right status."""
    assert resp.status == status, resp
    assert resp.header("content-type") == "application/json", resp.headers
    body = resp.json
    assert set(body) == {"code", "message"}, body
    assert body["code"] == status
    if message is not None:
        assert body["message"] == message
    if prefix is not None:
        assert body["message"].startswith(prefix), body["message"]
    return body


@pytest.fixture
def unique():
    """A name no other test run uses."""
    return "t-" + uuid.uuid4().hex[:12]


def together(calls):
    """Runs the callables at the same moment (threads that one barrier
    releases) and returns what each returned, in their order."""
    barrier = threading.Barrier(len(calls))
    out = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        out[i] = call()

    threads = [threading.Thread(target=run, args=(i, call))
               for i, call in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def tool(*args, password=None):
    """Runs testapi-admin; a password goes to its standard input."""
    return subprocess.run([ADMIN_TOOL, *args], capture_output=True, text=True,
                          input="" if password is None else password + "\n",
                          timeout=60)


def make_account(admin=False, cost=4):
    """A new account (testapi-admin add): (name, password)."""
    name = "acct-" + uuid.uuid4().hex[:10]
    password = "pw-" + uuid.uuid4().hex
    args = ["-c", str(cost), "add", name] + (["--admin"] if admin else [])
    r = tool(*args, password=password)
    assert r.returncode == 0, r.stderr
    return name, password


@pytest.fixture
def refs(unique):
    """A new pod, project and testcase of that project, and one result of
    them (build_tag "seed"): their names under "pod", "project" and "case",
    the result's id under "result".  (test_results.py has its own.)"""
    names = {"pod": unique + "-pod", "project": unique + "-prj",
             "case": unique + "-case"}
    assert post("/api/v1/pods", {"name": names["pod"]}).status == 200
    assert post("/api/v1/projects", {"name": names["project"]}).status == 200
    assert post("/api/v1/projects/%s/cases" % names["project"],
                {"name": names["case"]}).status == 200
    r = post("/api/v1/results", {"pod_name": names["pod"],
                                 "project_name": names["project"],
                                 "case_name": names["case"],
                                 "build_tag": "seed"})
    assert r.status == 200, r
    names["result"] = r.json["href"].rsplit("/", 1)[1]
    return names


@pytest.fixture
def base_url():
    return "%s://%s:%d" % (URL.scheme, URL.hostname, URL.port)


# ---- the database underneath (set-up and inspection only) --------------------
# db_sql (loadgen.sql): rows of SQL run as MariaDB's root on the dev
# server's socket, for bulk set-up and for looking at what the server did;
# the module under test only ever uses its own account.


def bulk_results(refs, n, details='{"duration": 1}', t0=1500000000000000):
    """Insert n results for refs (pod, project, testcase) straight into the
    database, one second apart from t0 (µs), with ids unique to this call;
    for tests that need more rows than POSTing one by one can make quickly."""
    prefix = uuid.uuid4().hex[:14]
    db_sql("""
        INSERT INTO results (oid, pod_id, testcase_id, project_id, installer,
            start_date, t, trust_current, trust, details)
        SELECT CONCAT('%s', LPAD(LOWER(HEX(s.seq)), 10, '0')), pd.id, tc.id,
            tc.project_id, 'bulk', NULL, %d + s.seq * 1000000, 0,
            '{"current":0,"histories":[]}', '%s'
        FROM seq_1_to_%d s, pods pd, testcases tc
            JOIN projects pr ON pr.id = tc.project_id
        WHERE pd.name = '%s' AND pr.name = '%s' AND tc.name = '%s'
    """ % (prefix, t0, details.replace("'", "''"), n, refs["pod_name"],
           refs["project_name"], refs["case_name"]))


# ---- servers of a test's own (own_server.py) ------------------------------


@pytest.fixture
def scratch_database():
    """Makes databases of the test's own (own_server.ScratchDatabase);
    dropped when the test ends."""
    made = []

    def make():
        made.append(own_server.ScratchDatabase())
        return made[-1]
    yield make
    for db in made:
        db.drop()


@pytest.fixture
def own_apache():
    """Starts Apache instances of the test's own (own_server.OwnApache, the
    first on PORT + 10000, the next 1000 above); stopped when the test
    ends.  own_apache(database, module=..., dashboard=...)."""
    started = []

    def start(database, **kw):
        server = own_server.OwnApache(database, index=len(started), **kw)
        started.append(server)
        return server.start()
    yield start
    for server in started:
        server.stop()


# ---- the OpenAPI document against every response of the run ---------------
# request() records each exchange; the test marked `openapi_last`
# (test_openapi.py) checks them all, so it runs after every other test.

def pytest_configure(config):
    config.addinivalue_line(
        "markers", "openapi_last: runs after all other tests (checks what they received)")


def pytest_collection_modifyitems(session, config, items):
    last = [i for i in items if i.get_closest_marker("openapi_last")]
    items[:] = [i for i in items if not i.get_closest_marker("openapi_last")] + last


def pytest_terminal_summary(terminalreporter):
    for report in openapi_check.LAST_REPORT:
        terminalreporter.write_line("OpenAPI: " + report.summary())
