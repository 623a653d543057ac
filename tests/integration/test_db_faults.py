"""Database faults under load: MariaDB stopped, restarted, killed.

These stop and start build/dev's private MariaDB (build/dev db-stop,
db-kill, db-start), so they run only against the dev server (build/dev test
sets TESTAPI_DB_PORT and friends).  Each restores MariaDB before it ends."""
import os
import time

import pytest

import loadgen
from conftest import assert_error, get, post
from loadgen import Load, dev, sql
from test_security import LEAKS

pytestmark = pytest.mark.skipif(
    not loadgen.dev_available(),
    reason="needs build/dev's private MariaDB (run through build/dev test)")

# No answer may take longer than this, whatever the database does.
MAX_LATENCY = 10.0

# While the database is down a write can fail before the handler runs:
# mod_authn_dbd cannot look the account up and Apache answers 500 (rendered
# as JSON by the ErrorDocument).  The caching authn provider of the auth
# branch turns that into 503: then WRITE_DOWN becomes (503,).
WRITE_DOWN = (503,)


@pytest.fixture
def error_log():
    """The Apache error log from now on (to look for crashed children)."""
    path = os.environ.get("TESTAPI_ERROR_LOG")
    start = os.path.getsize(path) if path and os.path.exists(path) else 0

    def read():
        if not path or not os.path.exists(path):
            return ""
        with open(path, errors="replace") as f:
            f.seek(start)
            return f.read()
    return read


@pytest.fixture
def db_restored():
    """Whatever a test does to MariaDB, it runs again afterwards."""
    yield
    dev("db-start")
    for _ in range(100):
        if get("/api/v1/projects").status == 200:
            return
        time.sleep(0.1)
    pytest.fail("the service did not come back after MariaDB restarted")


def result_body(refs, tag):
    return {"pod_name": refs["pod"], "project_name": refs["project"],
            "case_name": refs["case"], "installer": "fuel",
            "version": "colorado", "criteria": "PASS", "build_tag": tag,
            "start_date": "2016-09-30 10:11:12",
            "details": {"tag": tag, "payload": [tag] * 20}}


def read_paths(refs):
    p, c, pod = refs["project"], refs["case"], refs["pod"]
    return ["/api/v1/pods", "/api/v1/pods/" + pod, "/api/v1/projects",
            "/api/v1/projects/" + p, "/api/v1/projects/%s/cases" % p,
            "/api/v1/projects/%s/cases/%s" % (p, c),
            "/api/v1/results?project=%s&case=%s" % (p, c),
            "/api/v1/results?project=%s&page=1" % p,
            "/api/v1/results/" + refs["result"]]


def reader(refs):
    paths = read_paths(refs)

    def step(client, i):
        return client.send("GET", paths[i % len(paths)])
    return step


def writer(refs, name):
    def step(client, i):
        tag = "%s-%d" % (name, i)
        return client.send("POST", "/api/v1/results", result_body(refs, tag),
                           auth=True, tag=tag)
    return step


def assert_json_error(a, status):
    assert a.status == status, a
    assert a.headers.get("content-type") == "application/json", a
    assert a.headers.get("x-content-type-options") == "nosniff", a
    body = a.json
    assert set(body) == {"code", "message"} and body["code"] == status, a
    assert not LEAKS.search(body["message"]), a


def cut_list(a):
    """A streamed list whose database went away after its first bytes: the
    module cuts the response (no last chunk), as the contract wants."""
    return a.error.startswith("IncompleteRead") and \
        a.path.startswith("/api/v1/results?")


def assert_no_hang(answers, error_log):
    errors = [a for a in answers if a.error and not cut_list(a)]
    assert not errors, "requests without an answer: %r" % errors[:5]
    if any(a.error for a in answers):
        assert "TESTAPI00007" in error_log(), \
            "a list was cut without its log line"
    worst = max(a.latency for a in answers)
    assert worst < MAX_LATENCY, "slowest answer took %.1f s" % worst
    log = error_log()
    assert "exit signal" not in log, "an Apache child crashed"
    return worst


def test_stopped_database_gives_503_quickly_and_service_recovers(
        refs, db_restored, error_log):
    master = loadgen.apache_master_pid()
    load = Load([reader(refs)] * 8 +
                [writer(refs, "w%d" % n) for n in range(3)]).start()
    time.sleep(1.0)
    t_stop0 = time.monotonic()
    dev("db-stop")
    t_down = time.monotonic()
    time.sleep(2.0)
    # Apache itself is up: what needs no database still answers.
    assert get("/versions").status == 200
    t_up0 = time.monotonic()
    dev("db-start")
    t_up = time.monotonic()
    t_ok = load.wait_for(lambda a: a.method == "GET" and a.status == 200, 10)
    assert t_ok, "no read succeeded within 10 s of MariaDB's restart"
    time.sleep(1.5)
    answers = load.stop()

    worst = assert_no_hang(answers, error_log)
    refused = [a.latency for a in answers if a.status in (500, 503)]
    print("stop took %.2f s; %d answers, slowest %.3f s; %d refused, slowest "
          "refusal %.3f s" % (t_down - t_stop0, len(answers), worst,
                              len(refused), max(refused or [0])))
    assert loadgen.apache_master_pid() == master, "Apache was restarted"
    reads = [a for a in answers if a.method == "GET"]
    writes = [a for a in answers if a.method == "POST"]
    for a in reads:
        if a.error and cut_list(a):
            continue  # streaming when the database went: cut, as it must
        assert a.status in (200, 503), a
        if a.status == 503:
            assert_json_error(a, 503)
            assert a.headers.get("retry-after"), a
    for a in writes:
        assert a.status in (200,) + WRITE_DOWN, a
        if a.status != 200:
            assert_json_error(a, a.status)
    # Entirely inside the outage: refused, never hung, never a 500 (reads).
    down = [a for a in answers if a.start > t_down and a.end < t_up0]
    assert len([a for a in down if a.method == "GET"]) >= 20, len(down)
    assert all(a.status == 503 for a in down if a.method == "GET")
    assert all(a.status in WRITE_DOWN for a in down if a.method == "POST")
    # Back without restarting Apache: everything after the first success
    # succeeds, writes included.
    after = [a for a in answers if a.start > t_ok]
    assert len(after) >= 20
    assert [a for a in after if a.status != 200] == []
    assert any(a.method == "POST" for a in after)
    # Every acknowledged write is there.
    for a in writes:
        if a.status == 200:
            r = get("/api/v1/results/" + a.json["href"].rsplit("/", 1)[1])
            assert r.status == 200 and r.json["build_tag"] == a.tag, r


def test_after_a_restart_no_request_fails_on_a_stale_pooled_connection(
        refs, db_restored):
    """Pooled connections left idle across a restart are dead; mod_dbd
    notices one per acquire.  The module tries again instead of answering
    503 while the database is back."""
    def burst(steps, n_each):
        load = Load(steps)
        load.start()
        t0 = time.monotonic()
        while len(load.snapshot()) < len(steps) * n_each and \
                time.monotonic() - t0 < 30:
            time.sleep(0.02)
        return load.stop()

    # Fill every child's pool with connections, then restart MariaDB while
    # nothing uses them.
    assert all(a.status == 200 for a in burst([reader(refs)] * 24, 20))
    dev("db-stop")
    dev("db-start")
    # Reads, and writes (their authentication reads the account first).
    answers = burst([reader(refs)] * 16 +
                    [writer(refs, "after%d" % i) for i in range(8)], 10)
    bad = [a for a in answers if a.status != 200]
    assert bad == [], "%d of %d failed, e.g. %r" % (len(bad), len(answers),
                                                    bad[:3])


def test_killed_database_keeps_every_acknowledged_result(
        refs, db_restored, error_log):
    sent = {}
    writers = []
    for n in range(6):
        step = writer(refs, "k%d" % n)

        def remember(client, i, step=step, n=n):
            a = step(client, i)
            sent[a.tag] = result_body(refs, a.tag)
            return a
        writers.append(remember)
    load = Load(writers).start()
    time.sleep(1.0)
    dev("db-kill")
    t_killed = time.monotonic()
    time.sleep(1.0)
    dev("db-start")
    t_ok = load.wait_for(lambda a: a.status == 200, 20)
    assert t_ok, "no write succeeded within 20 s of MariaDB's restart"
    time.sleep(1.0)
    answers = load.stop()

    worst = assert_no_hang(answers, error_log)
    print("%d writes, slowest answer %.3f s, %d acknowledged"
          % (len(answers), worst, sum(a.status == 200 for a in answers)))
    acked = {}
    for a in answers:
        assert a.status in (200,) + WRITE_DOWN, a
        if a.status == 200:
            acked[a.json["href"].rsplit("/", 1)[1]] = a.tag
        else:
            assert_json_error(a, a.status)
    assert any(a.status == 200 and a.end < t_killed for a in answers)
    assert any(a.status != 200 for a in answers), "the kill was not seen"
    assert any(a.status == 200 and a.start > t_ok for a in answers)

    # Every acknowledged result is there, whole.
    for oid, tag in acked.items():
        r = get("/api/v1/results/" + oid)
        assert r.status == 200, (oid, r)
        assert r.json["build_tag"] == tag
        assert r.json["details"] == sent[tag]["details"]
    # What is stored is what was sent: acknowledged, or in flight at the
    # kill (committed, answer lost); never a partial row.
    r = get("/api/v1/results?project=%s&case=%s" % (refs["project"],
                                                     refs["case"]))
    assert r.status == 200
    stored = {x["_id"]: x for x in r.json["results"]}
    assert set(acked) <= set(stored)
    failed = sum(1 for a in answers if a.status != 200)
    assert len(stored) - 1 - len(acked) <= failed  # 1: the seed result
    for oid, x in stored.items():
        if x["build_tag"] != "seed":
            assert x["details"] == sent[x["build_tag"]]["details"], x
            assert (x["pod_name"], x["case_name"]) == (refs["pod"],
                                                       refs["case"])
    # The database agrees: the API's count is the table's, and no result
    # anywhere points at a missing pod, testcase or project.
    (count,), = sql(
        "SELECT COUNT(*) FROM results r JOIN testcases t ON t.id = "
        "r.testcase_id JOIN projects p ON p.id = t.project_id "
        "WHERE p.name = '%s' AND t.name = '%s'" % (refs["project"],
                                                   refs["case"]))
    assert int(count) == len(stored)
    (orphans,), = sql(
        "SELECT COUNT(*) FROM results r LEFT JOIN pods d ON d.id = r.pod_id "
        "LEFT JOIN testcases t ON t.id = r.testcase_id "
        "LEFT JOIN projects p ON p.id = t.project_id "
        "WHERE d.id IS NULL OR t.id IS NULL OR p.id IS NULL")
    assert orphans == "0"


def recommended_settings():
    """[mariadbd] of conf/mariadb-testapi.cnf: {variable: value}."""
    conf, section = {}, None
    with open(os.path.join(loadgen.TOP, "conf", "mariadb-testapi.cnf")) as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if line.startswith("["):
                section = line.strip("[]")
            elif "=" in line and section == "mariadbd":
                k, v = (x.strip() for x in line.split("=", 1))
                conf[k.replace("-", "_")] = v
    return conf


def as_server_value(v):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if v[-1:].upper() in units and v[:-1].isdigit():
        return str(int(v[:-1]) * units[v[-1].upper()])
    return {"ON": "1", "OFF": "0"}.get(v.upper(), v)


def test_database_runs_with_durable_commits():
    """An acknowledged write survives a crash of MariaDB or of the machine:
    the redo log is flushed at every commit (and the binary log synced, if
    there is one).  The dev MariaDB runs with the settings recommended in
    conf/mariadb-testapi.cnf."""
    conf = recommended_settings()
    assert conf["innodb_flush_log_at_trx_commit"] == "1"
    assert conf["innodb_doublewrite"] == "1" and conf["sync_binlog"] == "1"
    names = sorted(conf)
    row, = sql("SELECT " + ", ".join("@@" + n for n in names))
    running = {n: as_server_value(v) for n, v in zip(names, row)}
    assert running == {n: as_server_value(conf[n]) for n in names}
    (engines,), = sql(
        "SELECT GROUP_CONCAT(DISTINCT engine) FROM information_schema.tables "
        "WHERE table_schema = 'testapi'")
    assert engines == "InnoDB"
