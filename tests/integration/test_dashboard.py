"""Dashboard: /dashboard/v1/projects and /dashboard/v1/results, computed from
results these tests post.  Every test posts under its own installer (and
pod), so the filters isolate its results from everything else in the
database."""
import datetime
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from urllib.parse import urlencode

import pytest

from conftest import assert_error, get, post, quote, request

HERE = os.path.dirname(__file__)
SAMPLES = os.path.join(HERE, "..", "data", "samples")
DECLARATIONS = os.path.join(HERE, "..", "..", "conf", "dashboard.json")
RECEIVED = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")

with open(DECLARATIONS) as fh:
    DECL = json.load(fh)


def graphs_of(project, case):
    """The declared graphs of a case (templates resolved)."""
    graphs = DECL["projects"][project]["cases"][case]["graphs"]
    return DECL["templates"][graphs] if isinstance(graphs, str) else graphs


def ensure(project, case=None):
    """Projects and testcases may exist already (other tests, other runs)."""
    r = post("/api/v1/projects", {"name": project})
    assert r.status == 200 or (r.status == 403 and "already exists" in r.json["message"]), r
    if case is not None:
        r = post("/api/v1/projects/%s/cases" % quote(project), {"name": case})
        assert r.status == 200 or (r.status == 403 and "already exists" in r.json["message"]), r


@pytest.fixture
def pod(unique):
    assert post("/api/v1/pods", {"name": unique + "-pod"}).status == 200
    return unique + "-pod"


def push(body):
    r = post("/api/v1/results", body)
    assert r.status == 200, (r, body.get("case_name"))
    return r.json["href"].rsplit("/", 1)[1]


def dash(**params):
    r = get("/dashboard/v1/results?" + urlencode(params))
    assert r.status == 200, r
    assert r.header("content-type") == "application/json"
    return r.json


def by_name(answer, name):
    found = [g for g in answer[1:] if g["name"] == name]
    assert len(found) == 1, (name, answer)
    return found[0]


def vping(pod, installer, start, duration, status, case="vPing", **extra):
    body = {"project_name": "functest", "case_name": case, "pod_name": pod,
            "installer": installer, "version": "colorado",
            "scenario": "os-nosdn-nofeature-ha", "criteria": "PASS",
            "start_date": start, "stop_date": start,
            "details": {"timestart": 1475125923.4, "duration": duration,
                        "status": status}}
    body.update(extra)
    return push(body)


# ---- the projects and the errors -------------------------------------------------

def test_projects_are_the_declared_ones():
    r = get("/dashboard/v1/projects")
    assert r.status == 200
    assert r.json == ["bottlenecks", "doctor", "functest", "promise", "qtip",
                      "vsperf", "yardstick"]
    assert request("HEAD", "/dashboard/v1/projects").raw == b""


def test_not_found_messages():
    cases = [("", "Project name missing"),
             ("case=vPing", "Project name missing"),
             ("project=", "Project name missing"),
             ("project=nope&case=vPing", "Project [nope] not dashboard ready"),
             ("project=Functest&case=vPing", "Project [Functest] not dashboard ready"),
             ("project=functest", "Test case missing for project [functest]"),
             ("project=functest&case=", "Test case missing for project [functest]"),
             ("project=functest&case=vping",
              "Test case [vping] not dashboard ready for project [functest]"),
             ("project=yardstick&case=status",
              "Test case [status] not dashboard ready for project [yardstick]"),
             ("project=yardstick&case=scenario_status",
              "Test case [scenario_status] not dashboard ready for project [yardstick]"),
             ("project=functest&case=Ping",
              "Test case [Ping] not dashboard ready for project [functest]")]
    for qs, message in cases:
        assert_error(get("/dashboard/v1/results?" + qs), 404, message)
    r = request("HEAD", "/dashboard/v1/results?project=nope&case=x")
    assert r.status == 404 and r.raw == b""


def test_query_errors_as_for_results():
    cases = [("period=x", "period must be int"),
             ("from=nope", "from must be a date"), ("to=2016-13-01", "to must be a date"),
             ("pod=a&pod=b", "duplicate query parameter [pod]"),
             ("last=3", "unknown query parameter [last]"),
             ("page=1", "unknown query parameter [page]"),
             ("descend=false", "unknown query parameter [descend]"),
             ("criteria=PASS", "unknown query parameter [criteria]"),
             ("build_tag=x", "unknown query parameter [build_tag]")]
    for qs, message in cases:
        assert_error(get("/dashboard/v1/results?project=functest&case=vPing&" + qs),
                     400, message)


def test_methods():
    r = post("/dashboard/v1/results?project=functest&case=vPing", {"a": 1})
    assert_error(r, 405)
    assert "GET" in r.header("allow")
    r = request("HEAD", "/dashboard/v1/results?project=functest&case=vPing")
    assert r.status == 200 and r.raw == b""
    assert r.header("content-type") == "application/json"


# ---- graphs and bars ----------------------------------------------------------------

def test_vping_graph_bar_and_aliases(unique, pod):
    ensure("functest", "vPing")
    ensure("functest", "vping_ssh")
    vping(pod, unique, "2016-05-23 07:16:09.477097", 31.4, "OK")
    vping(pod, unique, "2016-05-28T14:41:58.384Z", "9s", "NOK")
    vping(pod, unique, "2016-09-30 05:11:58", 29.8, "PASS", case="vping_ssh")
    # a result lacking the path is skipped in the graph, counted in the bar
    push({"project_name": "functest", "case_name": "vPing", "pod_name": pod,
          "installer": unique, "start_date": "2016-10-01", "details": {"x": 1}})
    want_graph = {"name": "vPing duration",
                  "info": {"type": "graph", "xlabel": "time", "ylabel": "duration (s)"},
                  "data_set": [{"x": "2016-05-23 07:16:09.477097", "y": 31.4},
                               {"x": "2016-05-28T14:41:58.384Z", "y": "9s"},
                               {"x": "2016-09-30 05:11:58", "y": 29.8}]}
    want_bar = {"name": "vPing status", "info": {"type": "bar"},
                "data_set": [{"Nb tests": 4, "Nb Success": 2}]}
    for case in ("vPing", "vping_ssh"):
        assert dash(project="functest", case=case, installer=unique) == [
            {"description": case + " results for Dashboard"}, want_graph, want_bar]
    # the pod selects the same; another installer nothing
    assert dash(project="functest", case="vPing", pod=pod)[1] == want_graph
    assert dash(project="functest", case="vPing", installer=unique + "x")[2][
        "data_set"] == [{"Nb tests": 0, "Nb Success": 0}]


def test_tempest_series_totals_and_success_rate(unique, pod):
    ensure("functest", "Tempest")
    ensure("functest", "tempest_smoke_serial")
    runs = [("2016-09-28 06:01:55", "Tempest", 412, 211, 2),
            ("2016-09-29 06:01:55", "tempest_smoke_serial", 380, 200, 0),
            ("2016-09-30 06:01:55", "Tempest", 30, 0, 0)]
    for start, case, duration, tests, failures in runs:
        push({"project_name": "functest", "case_name": case, "pod_name": pod,
              "installer": unique, "start_date": start, "criteria": "PASS",
              "details": {"duration": duration, "tests": tests,
                          "failures": failures, "errors": ""}})
    ans = dash(project="functest", case="Tempest", installer=unique)
    assert [g["name"] for g in ans[1:]] == [
        "Tempest duration", "Tempest nb tests/nb failures",
        "Total number of tests run/failure tests", "Tempest success rate"]
    assert by_name(ans, "Tempest duration")["data_set"] == [
        {"x": s, "y": d} for s, _, d, _, _ in runs]
    g = by_name(ans, "Tempest nb tests/nb failures")
    assert g["info"] == {"type": "graph", "xlabel": "time",
                         "y1label": "Number of tests", "y2label": "Number of failures"}
    assert g["data_set"] == [{"x": s, "y1": t, "y2": f} for s, _, _, t, f in runs]
    assert by_name(ans, "Total number of tests run/failure tests")["data_set"] == [
        {"Run": 411, "Failed": 2}]
    # 100 * (211 - 2) / 211 = 99.05 -> 99; no tests: no rate
    assert by_name(ans, "Tempest success rate")["data_set"] == [
        {"x": "2016-09-28 06:01:55", "y": 99}, {"x": "2016-09-29 06:01:55", "y": 100}]


def test_status_is_the_real_pass_rate(unique, pod):
    for case in ("vPing", "vping_ssh", "Tempest", "Rally", "rally_sanity", "ODL"):
        ensure("functest", case)
    vping(pod, unique, "2016-09-01", 30, "OK")
    vping(pod, unique, "2016-09-02", 30, "NOK")
    vping(pod, unique, "2016-09-03", 30, "PASS", case="vping_ssh")
    vping(pod, unique, "2016-09-04", 30, "FAIL", case="vping_ssh")
    for case, criteria in (("Tempest", "FAIL"), ("Rally", "PASS"),
                           ("rally_sanity", "PASS"), ("Rally", "FAIL"),
                           ("ODL", "passed")):
        push({"project_name": "functest", "case_name": case, "pod_name": pod,
              "installer": unique, "criteria": criteria, "details": {}})
    cases = ["vPing", "vPing_userdata", "vIMS", "Tempest", "ODL", "ONOS", "Rally"]
    tests = dict.fromkeys(cases, 0)
    tests.update({"vPing": 4, "Tempest": 1, "Rally": 3, "ODL": 1})
    ok = dict.fromkeys(cases, 0)
    ok.update({"vPing": 2, "Rally": 2, "ODL": 1})
    rate = dict.fromkeys(cases, 0)
    rate.update({"vPing": 50, "Rally": 66.67, "ODL": 100})
    ans = dash(project="functest", case="status", installer=unique)
    assert ans == [
        {"description": "Functest status"},
        {"name": "pass rate (%)", "info": {"type": "bar"}, "data_set": [rate]},
        {"name": "Nb tests", "info": {"type": "bar"}, "data_set": [tests]},
        {"name": "Nb Success", "info": {"type": "bar"}, "data_set": [ok]}]
    assert list(ans[1]["data_set"][0]) == cases
    empty = dash(project="functest", case="status", installer=unique + "-none")
    assert empty[1]["data_set"] == [dict.fromkeys(cases, 0)]


def test_filters_select_as_results_do(unique, pod):
    ensure("functest", "vPing")
    assert post("/api/v1/pods", {"name": unique + "-pod2"}).status == 200
    pod2 = unique + "-pod2"
    now = datetime.datetime.now(datetime.timezone.utc)
    recent = (now - datetime.timedelta(days=2)).strftime("%Y-%m-%d %H:%M:%S")
    rows = [(pod, "v1", "s1", "2016-01-10 00:00:00"),
            (pod, "v2", "s1", "2016-02-10 00:00:00"),
            (pod2, "v1", "s2", "2016-03-10 00:00:00"),
            (pod2, "v2", "s2", recent),
            (pod, "v1", "s2", recent)]
    for p, version, scenario, start in rows:
        vping(p, unique, start, 1, "OK", version=version, scenario=scenario)
    checks = [({}, 5), ({"pod": pod}, 3), ({"pod": pod2}, 2), ({"version": "v1"}, 3),
              ({"scenario": "s2"}, 3), ({"version": "v2", "scenario": "s1"}, 1),
              ({"period": 10}, 2), ({"period": 0}, 5),
              ({"from": "2016-02-10", "to": "2016-03-10 00:00:00"}, 1),
              ({"from": "2016-02-10T00:00:00Z"}, 4), ({"to": "2016-02-10"}, 1),
              ({"pod": pod, "from": "2016-02-01", "period": 30}, 1)]
    for params, n in checks:
        ans = dash(project="functest", case="vPing", installer=unique, **params)
        assert ans[2]["data_set"] == [{"Nb tests": n, "Nb Success": n}], params
        assert len(ans[1]["data_set"]) == n
        raw = get("/api/v1/results?" + urlencode(dict(
            project="functest", case="vPing", installer=unique, **params))).json
        assert len(raw["results"]) == n, params
        # points come oldest first, x as stored
        assert [p["x"] for p in ans[1]["data_set"]] == [
            r["start_date"] for r in raw["results"]][::-1]


def test_every_declared_graph_is_there_when_nothing_is_selected(unique):
    for project, pdecl in DECL["projects"].items():
        for case in pdecl["cases"]:
            ans = dash(project=project, case=case, installer=unique)
            assert ans[0] == {"description": case + " results for Dashboard"}
            graphs = graphs_of(project, case)
            assert [g["name"] for g in ans[1:]] == [g["name"] for g in graphs]
            for got, decl in zip(ans[1:], graphs):
                assert got["info"]["type"] == decl["type"]
                if decl["type"] == "graph":
                    assert got["data_set"] == []
                elif "bars" in decl:
                    assert got["data_set"] == [{b["label"]: 0 for b in decl["bars"]}]
                else:
                    assert got["data_set"] == [{}]


def test_streams_more_than_a_batch(unique, pod):
    """600 results under two names of one case, interleaved in time: several
    keyset batches per name, merged in time order, none lost."""
    ensure("functest", "vPing")
    ensure("functest", "vping_ssh")

    def many(k):
        for i in range(150):
            n = k * 150 + i
            vping(pod, unique, "2016-01-01 00:%02d:%02d" % (n // 60, n % 60), n,
                  "OK" if n % 3 else "NOK", case="vping_ssh" if k % 2 else "vPing")
    threads = [threading.Thread(target=many, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ans = dash(project="functest", case="vPing", installer=unique)
    assert [p["y"] for p in ans[1]["data_set"]] == list(range(600))
    assert ans[2]["data_set"] == [{"Nb tests": 600, "Nb Success": 400}]


# ---- the real payloads ---------------------------------------------------------------

def sample_bodies(sub=""):
    out = []
    for project in sorted(os.listdir(SAMPLES)):
        d = os.path.join(SAMPLES, project, sub)
        if not os.path.isdir(d) or project.startswith("."):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".json"):
                with open(os.path.join(d, f)) as fh:
                    out.append((f[:-5], json.load(fh)))
    return out


def push_samples(bodies, pod, installer):
    for _, body in bodies:
        ensure(body["project_name"], body["case_name"])
        push(dict(body, pod_name=pod, installer=installer))


def test_samples_of_every_shipped_case_give_graphs(unique, pod):
    bodies = sample_bodies()
    push_samples(bodies, pod, unique)
    have = {(b["project_name"], b["case_name"]) for _, b in bodies}
    for project, pdecl in DECL["projects"].items():
        for case in pdecl["cases"]:
            assert (project, case) in have, "no sample for %s/%s" % (project, case)
            ans = dash(project=project, case=case, installer=unique)
            assert len(ans) == len(graphs_of(project, case)) + 1
            assert len(ans) > 1, (project, case)
            for g in ans[1:]:
                assert g["data_set"], (project, case, g)
                if g["info"]["type"] == "graph":
                    for point in g["data_set"]:
                        assert set(point) - {"x"}, (project, case, g)
                        for k, v in point.items():
                            if k != "x":
                                assert isinstance(v, (int, float)), (project, case, g)
                else:
                    assert g["data_set"][0], (project, case, g)
                    assert any(g["data_set"][0].values()), (project, case, g)

    def one(project, case, name):
        return by_name(dash(project=project, case=case, installer=unique), name)

    # a few exact numbers from the payloads
    assert one("functest", "ONOS", "ONOS FUNCvirNet duration")["data_set"] == [
        {"x": "2016-09-29 11:02:41", "y": 11}]
    assert one("functest", "ONOS", "ONOS FUNCvirNetL3 nb tests/nb failures")[
        "data_set"] == [{"x": "2016-09-29 11:02:41", "y1": 12, "y2": 0}]
    assert one("functest", "Rally", "rally duration")["data_set"][0]["y"] == 1602
    assert one("functest", "Rally", "rally success rate")["data_set"][0]["y"] == 99.26
    assert one("functest", "ODL", "ODL nb tests/nb failures")["data_set"][0] == {
        "x": "2016-08-17 03:22:10", "y1": 10, "y2": 1}
    assert one("functest", "vIMS", "vIMS nb tests passed/failed/skipped")[
        "data_set"][0] == {"x": "2016-09-29 13:20:02", "y1": 12, "y2": 1, "y3": 4}
    assert one("functest", "vIMS", "Total number of tests run/failure tests")[
        "data_set"] == [{"Run": 13, "Failed": 1}]
    rtt = [0.613, 0.497, 0.552, 0.701, 0.489, 0.53]
    assert one("yardstick", "Ping", "ping rtt")["data_set"][0]["y"] == pytest.approx(
        sum(rtt) / len(rtt))
    assert one("yardstick", "Cyclictest", "cyclictest latency")["data_set"][0] == {
        "x": "2016-09-29 03:49:52", "y1": 5, "y2": 13.25, "y3": 55}
    assert one("yardstick", "Netperf", "netperf throughput")["data_set"][0]["y"] == 934.12
    assert one("vsperf", "b2b_ovs", "B2B frames")["data_set"][0] == {
        "x": "2016-09-30 00:15:00", "y1": 2365916, "y2": 2067863, "y3": 781423,
        "y4": 499575, "y5": 407335}
    tu1 = dash(project="bottlenecks", case="tu1", installer=unique)
    assert tu1[1]["data_set"][0] == {"x": 64, "y": 312}
    assert tu1[2]["data_set"] == [{"64": 312, "128": 296, "256": 263, "512": 221,
                                   "1024": 154}]
    assert [p["x"] for p in one("bottlenecks", "rubbos",
                                "Rubbos throughput vs client number")["data_set"]] == [
        500, 1000, 1500, 2000, 2500, 3000, 3500, 4000]
    assert one("qtip", "compute_test_suite", "compute suite index")["data_set"] == [
        {"x": "2016-09-30T04:15:42.123456", "y": 0.9417}]
    status = dash(project="functest", case="status", installer=unique)
    assert status[2]["data_set"] == [dict.fromkeys(
        ["vPing", "vPing_userdata", "vIMS", "Tempest", "ODL", "ONOS", "Rally"], 1)]


def test_samples_as_sent(unique, pod):
    push_samples(sample_bodies("as-sent"), pod, unique)

    def ans(project, case):
        return dash(project=project, case=case, installer=unique)

    # vPing's PASS counts as success, under the old name too
    v = ans("functest", "vping_ssh")
    assert v[1]["data_set"] == [{"x": "2016-09-30 05:11:58", "y": 29.8}]
    assert v[2]["data_set"] == [{"Nb tests": 1, "Nb Success": 1}]
    assert ans("functest", "vPing")[1:] == v[1:]
    # ODL's September 2016 shape
    assert ans("functest", "odl")[1]["data_set"] == [
        {"x": "2016-09-29 09:03:12", "y1": 4, "y2": 0}]
    # a failed vIMS deployment: durations, but no test counts
    vims = ans("functest", "vIMS")
    assert vims[1]["data_set"] == [
        {"x": "2016-09-30 13:19:44", "y1": 998.1, "y2": 0, "y3": 0}]
    assert vims[2]["data_set"] == []
    assert vims[3]["data_set"] == [{"Run": 0, "Failed": 0}]
    # yardstick's rtt keyed by VM name, an SLA error, and no start_date
    ping = ans("yardstick", "opnfv_yardstick_tc002")
    rtt = [0.58, 0.611, 12.402, 0.544, 0.509, 0.62]
    (point,) = ping[1]["data_set"]
    assert point["y"] == pytest.approx(sum(rtt) / len(rtt))
    assert RECEIVED.match(point["x"]), point
    assert ping[2]["data_set"] == [{"Nb tests": 1, "Nb Success": 0}]
    # vsperf: "" is a size that was not measured
    (point,) = ans("vsperf", "tput_ovsdpdk")[1]["data_set"]
    assert {k: v for k, v in point.items() if k != "x"} == {
        "y1": 10712400.519, "y4": 1197318.008, "y5": 812743.823}
    tu1 = ans("bottlenecks", "tu1")
    assert tu1[1]["data_set"][:2] == [{"x": 64, "y": 305}, {"x": 128, "y": 291}]
    assert tu1[2]["data_set"] == [{"64": 305, "128": 291, "256": 259, "512": 218,
                                   "1024": 151}]
    assert ans("qtip", "storage_test_suite")[1]["data_set"] == [
        {"x": "2016-09-30T05:02:17.884109", "y1": 0.8637, "y2": 0.8637}]


# ---- startup -------------------------------------------------------------------------

def start_with(declarations):
    """Starts a second Apache with the dev configuration but another dashboard
    file, on another loopback address: (exit status, its error log, the
    file).  A configuration test (-t) must fail the same way."""
    dev = os.path.dirname(os.path.dirname(os.environ.get(
        "TESTAPI_ERROR_LOG", os.path.join(HERE, "..", "..", ".dev", "apache", "error.log"))))
    with open(os.path.join(dev, "httpd.conf")) as fh:
        conf = fh.read()
    tmp = tempfile.mkdtemp(prefix="testapi-dash-")
    os.chmod(tmp, 0o755)
    decl = os.path.join(tmp, "dashboard.json")
    if declarations is not None:
        with open(decl, "w") as fh:
            fh.write(declarations)
    where = {"DefaultRuntimeDir": tmp, "PidFile": tmp + "/httpd.pid",
             "ErrorLog": tmp + "/error.log", "CustomLog": tmp + "/access.log"}
    conf = re.sub(r'(?m)^(DefaultRuntimeDir|PidFile|ErrorLog|CustomLog) "[^"]*"',
                  lambda m: '%s "%s"' % (m.group(1), where[m.group(1)]), conf)
    conf = re.sub(r"(?m)^Listen 127\.0\.0\.1:", "Listen 127.0.0.2:", conf)
    conf = re.sub(r'(?m)^Define TESTAPI_DASHBOARD "[^"]*"',
                  'Define TESTAPI_DASHBOARD "%s"' % decl, conf)
    conf_file = os.path.join(tmp, "httpd.conf")
    with open(conf_file, "w") as fh:
        fh.write(conf)
    apache = shutil.which("apache2") or "/usr/sbin/apache2"
    test = subprocess.run([apache, "-f", conf_file, "-t"], capture_output=True,
                          timeout=60)
    start = subprocess.run([apache, "-f", conf_file, "-k", "start"],
                           capture_output=True, timeout=60)
    rc = start.returncode
    if rc == 0:
        # It started: stop it once it is up, and wait until it has gone.
        pidfile = os.path.join(tmp, "httpd.pid")
        for _ in range(100):
            if os.path.exists(pidfile):
                break
            time.sleep(0.1)
        subprocess.run([apache, "-f", conf_file, "-k", "stop"], timeout=60)
        for _ in range(100):
            if not os.path.exists(pidfile):
                break
            time.sleep(0.1)
    try:
        with open(os.path.join(tmp, "error.log")) as fh:
            log = fh.read()
    except FileNotFoundError:
        log = start.stderr.decode()
    shutil.rmtree(tmp, ignore_errors=True)
    # A configuration test (no post_config) refuses it too.
    assert test.returncode == rc, test
    if rc:
        tested = test.stderr.decode()
        assert "TESTAPI00150: TestAPIDashboard %s: " % decl in tested, tested
        assert log.split("TESTAPI00150: ")[1].splitlines()[0] in tested, tested
    return rc, log, decl


def test_malformed_declarations_stop_startup():
    bad = {"projects": {"functest": {"cases": {"vPing": {"graphs": [
        {"name": "vPing status", "type": "bar",
         "bars": [{"label": "Nb", "value": {"cnt": True}}]}]}}}}}
    rc, log, decl = start_with(json.dumps(bad))
    assert rc != 0
    assert ('TESTAPI00150: TestAPIDashboard %s: project "functest", case "vPing", '
            'graph 1 ("vPing status"), bar "Nb": unknown member "cnt"' % decl) in log, log
    rc, log, decl = start_with('{"projects": {"p": {"cases": {"c": {"graphs": '
                               '[{"name": "g", "type": "graph", "series": '
                               '[{"label": "l", "value": "details..x"}]}]}}}}}')
    assert rc != 0
    assert ('TESTAPI00150: TestAPIDashboard %s: project "p", case "c", graph 1 ("g"), '
            'series 1: path "details..x": empty member name' % decl) in log, log
    rc, log, decl = start_with(open(DECLARATIONS).read())
    assert rc == 0, log
    assert "TESTAPI00151: TestAPIDashboard %s: 7 projects declared" % decl in log
    rc, log, decl = start_with("{not json")
    assert rc != 0
    assert "TESTAPI00150: TestAPIDashboard %s: not valid JSON" % decl in log, log
    rc, log, decl = start_with(None)
    assert rc != 0
    assert "TESTAPI00150: TestAPIDashboard %s: cannot open" % decl in log, log
