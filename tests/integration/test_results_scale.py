"""Results at scale: what the database reads for `last=N`, and what a client
sees when the database fails in the middle of a streamed list.  Rows are
bulk-inserted straight into MariaDB (POSTing tens of thousands would take
longer than the rest of the suite)."""
import http.client
import json

import pytest

from conftest import URL, bulk_results, db_sql, get, post, quote

ROWS_READ = ("HANDLER_READ_FIRST", "HANDLER_READ_KEY", "HANDLER_READ_LAST",
             "HANDLER_READ_NEXT", "HANDLER_READ_PREV", "HANDLER_READ_RND",
             "HANDLER_READ_RND_NEXT")


def rows_read():
    """Rows read by every storage-engine access since MariaDB started (all
    sessions); the suite runs one request at a time, so a difference is
    what that request made the database read."""
    names = ",".join("'%s'" % n for n in ROWS_READ)
    return int(db_sql("SELECT SUM(VARIABLE_VALUE) FROM information_schema."
                      "GLOBAL_STATUS WHERE VARIABLE_NAME IN (%s)" % names)[0][0])


def read_cost(path):
    before = rows_read()
    r = get(path)
    cost = rows_read() - before
    assert r.status == 200, r
    return cost, r.json


@pytest.fixture(scope="module")
def big(request):
    """One pod and one project with two testcases of 20,000 results each
    (case a's with 2 KB details: 40 MB, more than loopback sockets buffer);
    removed again afterwards so that the dev database does not grow."""
    import uuid
    u = "scale-" + uuid.uuid4().hex[:10]
    assert post("/api/v1/pods", {"name": u + "-pod"}).status == 200
    assert post("/api/v1/projects", {"name": u}).status == 200
    refs = []
    for i, case in enumerate(("a", "b")):
        assert post("/api/v1/projects/%s/cases" % u, {"name": case}).status == 200
        ref = {"pod_name": u + "-pod", "project_name": u, "case_name": case}
        bulk_results(ref, 20000, t0=1400000000000000 + i * 500000,
                     details='{"pad": "%s"}' % ("x" * (2000 if case == "a" else 20)))
        refs.append(ref)
    # No ANALYZE TABLE: the plan must not depend on fresh statistics.
    yield refs
    db_sql("DELETE r FROM results r JOIN pods pd ON pd.id = r.pod_id "
           "WHERE pd.name = '%s'" % (u + "-pod"))
    db_sql("DELETE tc FROM testcases tc JOIN projects pr ON pr.id = tc.project_id "
           "WHERE pr.name = '%s'" % u)
    db_sql("DELETE FROM projects WHERE name = '%s'; DELETE FROM pods WHERE name = '%s'"
           % (u, u + "-pod"))


@pytest.mark.parametrize("query", [
    "project={p}&case=a&last=10",
    "project={p}&last=10",
    "pod={p}-pod&last=10",
    "project={p}&pod={p}-pod&case=b&installer=bulk&last=10",
    "project={p}&last=10&descend=false",
    "project={p}&case=a&last=10&period=0",
    "last=10",
])
def test_last_reads_the_index_not_the_table(big, query):
    p = big[0]["project_name"]
    cost, body = read_cost("/api/v1/results?" + query.format(p=quote(p)))
    assert len(body["results"]) == 10
    # 40,000 rows match the project: reading them would cost 40,000+.
    # The newest ten cost about 10 index rows plus the joined names.
    assert cost < 200, cost


def test_last_returns_the_newest(big):
    p = big[0]["project_name"]
    _, body = read_cost("/api/v1/results?project=%s&last=3" % quote(p))
    got = [(r["case_name"], r["_id"][-10:]) for r in body["results"]]
    # case b's rows are half a second later than a's of the same second
    assert got == [("b", "%010x" % 20000), ("a", "%010x" % 20000),
                   ("b", "%010x" % 19999)]


def test_database_failure_mid_stream_cuts_the_response(big):
    """Once the first bytes are out, a database failure must not end the
    list cleanly: the client gets a response that does not complete (no
    last chunk), never a shorter list that parses."""
    case = big[0]
    path = "/api/v1/results?project=%s&case=a" % quote(case["project_name"])
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    assert resp.status == 200
    head = resp.read(65536)
    assert head.startswith(b'{"results":[')
    # The module is blocked writing (the client does not read), holding its
    # pooled connection between two batches; that connection ran the last
    # query of any of the module's connections: kill it.
    (cid,), = db_sql("SELECT ID FROM information_schema.PROCESSLIST "
                     "WHERE USER = 'testapi' ORDER BY TIME_MS LIMIT 1")
    db_sql("KILL CONNECTION %s" % cid)
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()
    # The next request gets a fresh connection (the module asks mod_dbd
    # again when a pooled one turns out dead), and the same list read whole
    # is complete JSON (so the check above can fail).
    r = get(path)
    assert r.status == 200, r
    # The killed connection went back to its child's pool: whichever request
    # of that child takes it next finds it dead and asks for another.
    for _ in range(40):
        assert get("/api/v1/results?last=1").status == 200
    assert len(json.loads(r.raw)["results"]) == 20000
