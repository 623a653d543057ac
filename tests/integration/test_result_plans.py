"""Result lists read rows in index order: whatever the filters, the newest
N come from an index scan that stops after N rows, never from sorting
every match in a temporary table (which grows with the table, and spills
to disk because of the details column).  Measured with MariaDB's own
counters around the requests, so it checks the statements the module
really runs."""
import pytest

import loadgen
from conftest import get, post

pytestmark = pytest.mark.skipif(
    not loadgen.dev_available(),
    reason="needs build/dev's private MariaDB (its status counters)")

COUNTERS = ("Sort_scan", "Sort_range", "Created_tmp_disk_tables")


def counters():
    rows = loadgen.sql("SHOW GLOBAL STATUS WHERE Variable_name IN (%s)"
                       % ", ".join("'%s'" % c for c in COUNTERS))
    return {k: int(v) for k, v in rows}


@pytest.fixture
def results(unique):
    pod, prj, case = unique + "-pod", unique + "-prj", unique + "-case"
    assert post("/api/v1/pods", {"name": pod}).status == 200
    assert post("/api/v1/projects", {"name": prj}).status == 200
    assert post("/api/v1/projects/%s/cases" % prj, {"name": case}).status == 200
    for i in range(30):
        r = post("/api/v1/results", {
            "pod_name": pod, "project_name": prj, "case_name": case,
            "installer": "fuel" if i % 2 else "apex", "criteria": "PASS",
            "start_date": "2016-09-%02d 10:00:00" % (i % 28 + 1),
            "details": {"i": i}})
        assert r.status == 200
    return {"pod": pod, "project": prj, "case": case}


def test_result_lists_come_in_index_order_without_sorting(results):
    p, c, pod = results["project"], results["case"], results["pod"]
    queries = [
        "project=%s&case=%s&last=5" % (p, c),
        "project=%s&case=%s" % (p, c),
        "project=%s&case=%s&installer=fuel&last=3" % (p, c),
        "project=%s&case=%s&page=2" % (p, c),
        "project=%s&case=%s&last=4&descend=false" % (p, c),
        "project=%s&last=5" % p,
        "case=%s&last=5" % c,
        "pod=%s&last=5" % pod,
        "installer=fuel&last=5",
        "last=5",
        "page=1",
    ]
    for q in queries:
        before = counters()
        r = get("/api/v1/results?" + q)
        after = counters()
        assert r.status == 200, (q, r)
        assert r.json["results"], q
        grew = {k: after[k] - before[k] for k in COUNTERS if after[k] != before[k]}
        assert grew == {}, "GET /api/v1/results?%s sorted: %r" % (q, grew)
