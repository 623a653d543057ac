"""Retention: `testapi-admin purge --before DATE [--project P] [--case C]
[--dry-run] [--batch N]` deletes the results older than DATE, in
transactions of at most N results, and every answer afterwards is what
the answers before it were without the purged results.

Each test fills a scratch database of its own through the API of an
Apache of its own (own_server.py), so that unfiltered lists and the
dashboard see only its results."""
import json
import os
import re
from urllib.parse import urlencode

import pytest

import loadgen

SAMPLES = os.path.join(loadgen.TOP, "tests", "data", "samples")
SQL_DIR = os.path.join(loadgen.TOP, "sql")
ADMIN = ("purger", "purger-pw")
CUTOFF = "2016-09-05"
# testcases: (project, case, sample)
CASES = [("functest", "vPing", "functest/vPing.json"),
         ("functest", "vPing_userdata", "functest/vPing_userdata.json"),
         ("yardstick", "Ping", "yardstick/Ping.json"),
         ("yardstick", "vPing", "functest/vPing.json")]


def sample(path):
    with open(os.path.join(SAMPLES, path)) as f:
        return json.load(f)


@pytest.fixture
def site(scratch_database, own_apache):
    """A scratch database from schema.sql with results from 2016-09-01 to
    2016-09-08 of four testcases (two named vPing, in two projects), five
    of them at the same instant, served by an Apache of the test's own."""
    db = scratch_database()
    db.load(os.path.join(SQL_DIR, "schema.sql"))
    r = db.admin("-c", "4", "add", ADMIN[0], "--admin", password=ADMIN[1])
    assert r.returncode == 0, r.stderr
    server = own_apache(db)
    auth = "%s:%s" % ADMIN
    for pod in ("pod-a", "pod-b"):
        assert server.request("POST", "/api/v1/pods", {"name": pod},
                              auth=auth).status == 200
    for project in ("functest", "yardstick"):
        assert server.request("POST", "/api/v1/projects", {"name": project},
                              auth=auth).status == 200
    for project, case, _ in CASES:
        assert server.request("POST", "/api/v1/projects/%s/cases" % project,
                              {"name": case}, auth=auth).status == 200
    n = 0
    for project, case, path in CASES:
        days = [1, 2, 3, 4, 4, 4, 4, 4, 5, 6, 7, 8] if case == "vPing" and \
            project == "functest" else [1, 2, 4, 5, 5, 8]
        for day in days:
            body = sample(path)
            body.update({"project_name": project, "case_name": case,
                         "pod_name": ("pod-a", "pod-b")[n % 2],
                         "installer": ("fuel", "apex")[n % 3 == 0],
                         "criteria": ("PASS", "FAIL")[n % 4 == 0],
                         "build_tag": "b-%d" % n,
                         "start_date": "2016-09-%02d 00:00:00" % day})
            if "status" in body.get("details", {}):
                body["details"]["status"] = ("OK", "FAIL")[n % 5 == 0]
            n += 1
            assert server.request("POST", "/api/v1/results", body,
                                  auth=auth).status == 200
    return db, server


def results(server, **params):
    r = server.get("/api/v1/results?" + urlencode(params))
    assert r.status == 200, r
    return r.json["results"]


def dashboard(server, **params):
    r = server.get("/dashboard/v1/results?" + urlencode(params))
    assert r.status == 200, r
    return r.json


def kept(listed, project=None, case=None):
    """The results of a list before the purge that a purge before CUTOFF
    (of project, case) keeps, in their order."""
    return [r for r in listed
            if r["start_date"] >= CUTOFF or
            (project and r["project_name"] != project) or
            (case and r["case_name"] != case)]


LISTS = [{}, {"project": "functest"}, {"project": "yardstick"},
         {"project": "functest", "case": "vPing"}, {"case": "vPing"},
         {"pod": "pod-a"}, {"installer": "apex"}, {"criteria": "FAIL"},
         {"project": "functest", "installer": "fuel", "pod": "pod-b"}]
DASHBOARDS = [{"project": "functest", "case": "vPing"},
              {"project": "functest", "case": "vPing_userdata"},
              {"project": "functest", "case": "status"},
              {"project": "yardstick", "case": "Ping"},
              {"project": "functest", "case": "vPing", "installer": "fuel"}]


def purge(db, *args):
    return db.admin("purge", "--before", CUTOFF, *args)


def test_purge_deletes_the_results_before_the_date_and_every_answer_follows(site):
    db, server = site
    lists = [(p, results(server, **p)) for p in LISTS]
    ids = [r["_id"] for r in results(server)]
    # the server's own computation over what the purge keeps
    dashboards = [(p, dashboard(server, **dict(p, **{"from": CUTOFF})))
                  for p in DASHBOARDS]
    gone = len(ids) - len(kept(lists[0][1]))
    assert gone > 0
    r = purge(db, "--batch", "3")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == (
        "deleting %d results before 2016-09-05 00:00:00.000000 UTC (4 "
        "testcases), at most 3 per transaction" % gone)
    # 8 + 3 + 3 + 3 results to delete: 3 + 1 + 1 + 1 transactions of 3 or less
    assert re.match(r"^deleted %d results in 6 transactions, [0-9.]+ s$" % gone,
                    r.stdout.splitlines()[1]), r.stdout
    for params, before in lists:
        assert results(server, **params) == kept(before), params
    for params, recomputed in dashboards:
        assert dashboard(server, **params) == recomputed, params
    assert results(server, last=5) == kept(lists[0][1])[:5]
    page = server.get("/api/v1/results?page=1")
    assert page.json["results"] == kept(lists[0][1])[:20]
    for r in lists[0][1]:
        got = server.get("/api/v1/results/" + r["_id"])
        if r["start_date"] >= CUTOFF:
            assert got.status == 200 and got.json == r, got
        else:
            assert got.status == 404, got


def test_purge_of_one_project_and_case_leaves_every_other_result(site):
    db, server = site
    lists = [(p, results(server, **p)) for p in LISTS]
    untouched = [(p, dashboard(server, **p)) for p in DASHBOARDS
                 if p["case"] not in ("vPing", "status")]
    purged = [(p, dashboard(server, **dict(p, **{"from": CUTOFF})))
              for p in DASHBOARDS if p["case"] == "vPing"]
    r = purge(db, "--project", "functest", "--case", "vPing")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(
        "deleting 8 results of project [functest], testcase [vPing] before "
        "2016-09-05 00:00:00.000000 UTC (1 testcase), at most 1000 per "
        "transaction\n"), r.stdout
    for params, before in lists:
        assert results(server, **params) == kept(before, "functest", "vPing"), params
    for params, same in untouched:
        assert dashboard(server, **params) == same, params
    for params, recomputed in purged:
        assert dashboard(server, **params) == recomputed, params


def test_purge_of_a_case_name_covers_it_in_every_project(site):
    db, server = site
    before = results(server)
    r = purge(db, "--case", "vPing")
    assert r.returncode == 0, r.stderr
    assert "of testcases [vPing]" in r.stdout and "(2 testcases)" in r.stdout
    assert results(server) == kept(before, case="vPing")


def test_a_dry_run_says_what_would_go_and_deletes_nothing(site):
    db, server = site
    before = results(server)
    r = purge(db, "--project", "yardstick", "--dry-run")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (
        "would delete 6 results of project [yardstick] before 2016-09-05 "
        "00:00:00.000000 UTC (2 testcases), at most 1000 per transaction\n"
        "deleted nothing (dry run)\n")
    assert results(server) == before


def test_purge_refuses_what_names_nothing(site):
    db, server = site
    before = results(server)
    for args, status, message in (
            (["--project", "nope"], 1, "testapi-admin: no project [nope]\n"),
            (["--project", "yardstick", "--case", "vPing_userdata"], 1,
             "testapi-admin: no testcase [vPing_userdata] in project [yardstick]\n"),
            (["--case", "nope"], 1, "testapi-admin: no testcase [nope]\n")):
        r = purge(db, *args)
        assert (r.returncode, r.stderr) == (status, message), args
    r = db.admin("purge", "--before", "last week")
    assert r.returncode == 2 and "--before takes a date" in r.stderr, r
    r = db.admin("purge", "--project", "functest")
    assert r.returncode == 2, r
    assert results(server) == before


def test_a_long_purge_keeps_few_statements_open(site):
    """Each batch's statements are closed with it: MariaDB caps the prepared
    statements of all its connections (max_prepared_stmt_count, 16382 by
    default), and a purge of millions of results runs thousands of
    batches.  Here 17 batches of 1 under a cap of what is open now plus
    20."""
    db, server = site
    before = results(server)
    was = loadgen.sql("SELECT @@GLOBAL.max_prepared_stmt_count")[0][0]
    open_now = int(loadgen.sql("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")[0][1])
    loadgen.sql("SET GLOBAL max_prepared_stmt_count = %d" % (open_now + 20))
    try:
        r = purge(db, "--batch", "1")
    finally:
        loadgen.sql("SET GLOBAL max_prepared_stmt_count = %s" % was)
    assert r.returncode == 0, r.stderr
    assert re.search(r"^deleted 17 results in 17 transactions", r.stdout, re.M), r.stdout
    assert results(server) == kept(before)
