"""Result lists cost what they return, not what the table holds: the
newest N of a testcase, of a pod or of everything come from an index scan
that stops after N rows, never from sorting every match in a temporary
table (which spills to disk because of the details column); a list of a
small project reads that project's results, not the whole table.
Measured with MariaDB's own counters around each request, so it checks the
statements the module really runs."""
import pytest

import loadgen
from conftest import get, post

pytestmark = pytest.mark.skipif(
    not loadgen.dev_available(),
    reason="needs build/dev's private MariaDB (its status counters)")

SORTS = ("Sort_scan", "Sort_range", "Created_tmp_disk_tables")
READS = ("Handler_read_first", "Handler_read_key", "Handler_read_last",
         "Handler_read_next", "Handler_read_prev", "Handler_read_rnd",
         "Handler_read_rnd_next")
# The table holds at least this many results while the lists run.
TABLE_ROWS = 3000


def counters():
    rows = loadgen.sql("SHOW GLOBAL STATUS WHERE Variable_name IN (%s)"
                       % ", ".join("'%s'" % c for c in SORTS + READS))
    return {k: int(v) for k, v in rows}


def rows_read(before, after):
    return sum(after[k] - before[k] for k in READS)


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
    # Enough other results that reading the table shows.
    (count,), = loadgen.sql("SELECT COUNT(*) FROM results")
    if int(count) < TABLE_ROWS:
        fill = unique + "-fill"
        assert post("/api/v1/pods", {"name": fill}).status == 200
        assert post("/api/v1/projects", {"name": fill}).status == 200
        assert post("/api/v1/projects/%s/cases" % fill, {"name": fill}).status == 200
        loadgen.sql(
            "INSERT INTO results (oid, pod_id, testcase_id, project_id, "
            "installer, t, trust_current, trust) SELECT "
            "LOWER(HEX(RANDOM_BYTES(12))), pd.id, tc.id, tc.project_id, "
            "'compass', 1400000000000000 + seq, 0, "
            "'{\"current\":0,\"histories\":[]}' FROM seq_1_to_%d, pods pd, "
            "testcases tc WHERE pd.name = '%s' AND tc.name = '%s'"
            % (TABLE_ROWS, fill, fill))
    return {"pod": pod, "project": prj, "case": case}


def test_result_lists_cost_what_they_return(results):
    p, c, pod = results["project"], results["case"], results["pod"]
    # (query, may it sort?, may it read the table?)
    queries = [
        ("project=%s&case=%s&last=5" % (p, c), False, False),
        ("project=%s&case=%s" % (p, c), False, False),
        ("project=%s&case=%s&installer=fuel&last=3" % (p, c), False, False),
        # A page: the ids come from the index in order (OFFSET skips index
        # entries), then the page's own keys, at most 20, are sorted.
        ("project=%s&case=%s&page=2" % (p, c), True, False),
        ("project=%s&case=%s&last=4&descend=false" % (p, c), False, False),
        ("pod=%s&last=5" % pod, False, False),
        ("pod=%s&installer=apex&page=1" % pod, True, False),
        # Several testcases: their results are sorted, the table is not read.
        ("project=%s&last=5" % p, True, False),
        ("case=%s&last=5" % c, True, False),
        # Everything, newest first: a scan that stops after 5.
        ("last=5", False, False),
        ("installer=fuel&last=5", False, True),
        ("page=1", True, True),  # counting everything reads everything
    ]
    (table,), = loadgen.sql("SELECT COUNT(*) FROM results")
    table = int(table)
    # What reading the counters costs by itself.
    a, b = counters(), counters()
    idle = rows_read(a, b)
    for q, may_sort, may_scan in queries:
        before = counters()
        r = get("/api/v1/results?" + q)
        after = counters()
        assert r.status == 200, (q, r)
        assert r.json["results"], q
        if not may_sort:
            grew = {k: after[k] - before[k] for k in SORTS
                    if after[k] != before[k]}
            assert grew == {}, "GET /api/v1/results?%s sorted: %r" % (q, grew)
        if not may_scan:
            read = rows_read(before, after) - idle
            assert read < table // 4, \
                "GET /api/v1/results?%s read %d rows of %d" % (q, read, table)
