import json
import os
import re
import threading
from urllib.parse import urlencode

import pytest

from conftest import assert_error, delete, get, post, put, quote, request

SAMPLES = os.path.join(os.path.dirname(__file__), "..", "data", "samples")
ID = re.compile(r"^[0-9a-f]{24}$")


@pytest.fixture
def refs(unique):
    """A pod, a project and a testcase of that project, all new."""
    assert post("/api/v1/pods", {"name": unique + "-pod"}).status == 200
    assert post("/api/v1/projects", {"name": unique + "-prj"}).status == 200
    r = post("/api/v1/projects/%s-prj/cases" % unique, {"name": unique + "-case"})
    assert r.status == 200, r
    return {"pod_name": unique + "-pod", "project_name": unique + "-prj",
            "case_name": unique + "-case"}


def create(refs, **fields):
    body = dict(refs)
    body.update(fields)
    r = post("/api/v1/results", body)
    assert r.status == 200, r
    return r.json["href"].rsplit("/", 1)[1]


def query(**params):
    r = get("/api/v1/results?" + urlencode(params))
    assert r.status == 200, r
    return r.json


# ---- create and read ---------------------------------------------------------

def test_create_and_get_every_field(refs, base_url):
    r = post("/api/v1/results", dict(refs, installer="fuel", version="colorado",
                                     scenario="os-nosdn-nofeature-ha",
                                     build_tag="jenkins-functest-fuel-108",
                                     criteria="PASS",
                                     start_date="2016-05-23 07:16:09.477097",
                                     stop_date="2016-05-23 07:17:09",
                                     details={"duration": 12.5, "status": "OK"}))
    assert r.status == 200, r
    href = r.json["href"]
    assert href.startswith(base_url + "/api/v1/results/")
    rid = href.rsplit("/", 1)[1]
    assert ID.match(rid)
    res = get("/api/v1/results/" + rid).json
    assert res == {"_id": rid, **refs, "installer": "fuel", "version": "colorado",
                   "scenario": "os-nosdn-nofeature-ha",
                   "build_tag": "jenkins-functest-fuel-108", "criteria": "PASS",
                   "start_date": "2016-05-23 07:16:09.477097",
                   "stop_date": "2016-05-23 07:17:09",
                   "details": {"duration": 12.5, "status": "OK"},
                   "trust_indicator": {"current": 0, "histories": []}}


def test_absent_fields_are_null(refs):
    res = get("/api/v1/results/" + create(refs)).json
    for key in ("installer", "version", "scenario", "build_tag", "criteria",
                "start_date", "stop_date", "details"):
        assert res[key] is None, key


def test_required_references(refs):
    for key in ("pod_name", "project_name", "case_name"):
        body = {k: v for k, v in refs.items() if k != key}
        assert_error(post("/api/v1/results", body), 400, key + " missing")
        assert_error(post("/api/v1/results", dict(body, **{key: ""})), 400,
                     key + " missing")
    assert_error(post("/api/v1/results"), 400, "no body")


def test_unknown_references_are_404(refs):
    assert_error(post("/api/v1/results", dict(refs, pod_name="nope-x")), 404,
                 "Could not find pod [nope-x]")
    assert_error(post("/api/v1/results", dict(refs, project_name="nope-x")), 404,
                 "Could not find project [nope-x]")
    assert_error(post("/api/v1/results", dict(refs, case_name="nope-x")), 404,
                 "Could not find testcase [nope-x] in project [%s]" % refs["project_name"])
    assert query(case=refs["case_name"])["results"] == []


def test_wrong_types_store_nothing(refs):
    for key in ("installer", "version", "scenario", "build_tag", "criteria",
                "start_date", "stop_date"):
        assert_error(post("/api/v1/results", dict(refs, **{key: 5})), 400,
                     key + " must be a string")
    assert_error(post("/api/v1/results", dict(refs, pod_name=1)), 400,
                 "pod_name must be a string")
    assert query(case=refs["case_name"])["results"] == []


def test_dates_kept_as_sent(refs):
    for sent in ("2016-05-23 07:16:09.477097", "2016-05-28T14:41:58.384Z",
                 "2016-09-30", "2016-09-30T10:11:12+02:00"):
        rid = create(refs, start_date=sent, stop_date="02:41:07")
        res = get("/api/v1/results/" + rid).json
        assert res["start_date"] == sent
        assert res["stop_date"] == "02:41:07"
    assert_error(post("/api/v1/results", dict(refs, start_date="yesterday")), 400,
                 "start_date must be a date")
    assert_error(post("/api/v1/results", dict(refs, start_date="2015-02-29")), 400,
                 "start_date must be a date")


def test_details_any_json_and_odd_keys(refs):
    details = {"a.b": {"$set": [1, 2.5, None, True, "é😀"]}, "#text": "x",
               "Case name:": {"@status": "FAIL"}}
    for d in (details, [1, "two"], "just a string", 42, None, {}):
        rid = create(refs, details=d)
        assert get("/api/v1/results/" + rid).json["details"] == d


def test_details_bytes_are_kept_exactly(refs):
    raw = (b'{"pod_name": "%s", "project_name": "%s", "case_name": "%s", '
           b'"details": {"x" :  1.50, "u": "\\u00e9\\/", "n": [ ]  }}' % (
               refs["pod_name"].encode(), refs["project_name"].encode(),
               refs["case_name"].encode()))
    r = post("/api/v1/results", raw=raw)
    assert r.status == 200, r
    got = get("/api/v1/results/" + r.json["href"].rsplit("/", 1)[1])
    assert b'"details":{"x" :  1.50, "u": "\\u00e9\\/", "n": [ ]  }' in got.raw


def test_four_mib_details_round_trip(refs):
    details = {"log": "é" * (2 << 20)}  # 4 MiB of UTF-8
    rid = create(refs, details=details)
    got = get("/api/v1/results/" + rid)
    assert got.status == 200
    assert got.json["details"] == details


def test_deep_details(refs):
    deep = 0
    for _ in range(98):   # body object + details object + 98 = 100 levels
        deep = [deep]
    create(refs, details={"d": deep})
    too_deep = [deep]
    assert_error(post("/api/v1/results", dict(refs, details={"d": too_deep})), 400,
                 prefix="Bad Json format [")


def test_trust_indicator_forms(refs):
    rid = create(refs, trust_indicator=0.5)
    assert get("/api/v1/results/" + rid).json["trust_indicator"] == {
        "current": 0.5, "histories": []}
    ti = {"current": 1, "histories": [{"date": "2016-09-30", "step": 0.5}]}
    rid = create(refs, trust_indicator=ti)
    assert get("/api/v1/results/" + rid).json["trust_indicator"] == ti
    for bad in (1.5, -0.1, "0.5", [0.5], {"current": 2}, {"current": "x"}):
        assert_error(post("/api/v1/results", dict(refs, trust_indicator=bad)), 400)


def test_get_unknown_or_malformed_id_is_404():
    assert_error(get("/api/v1/results/000000000000000000000000"), 404)
    assert_error(get("/api/v1/results/not-an-id"), 404)
    assert_error(get("/api/v1/results/ZZZ%2Fx"), 404)


def test_put_trust_indicator(refs):
    rid = create(refs, trust_indicator=0.2)
    path = "/api/v1/results/" + rid
    assert_error(put(path), 400, "No payload")
    assert_error(put(path, {"trust_indicator": 0.2}), 403, "Nothing to update")
    assert_error(put(path, {"criteria": "FAIL"}), 403, "Nothing to update")
    assert_error(put(path, {"trust_indicator": 7}), 400)
    r = put(path, {"trust_indicator": 0.9})
    assert r.status == 200, r
    assert r.json["_id"] == rid
    assert r.json["trust_indicator"] == {"current": 0.9, "histories": []}
    assert get(path).json["trust_indicator"]["current"] == 0.9
    assert_error(put("/api/v1/results/000000000000000000000000",
                     {"trust_indicator": 0.5}), 404)


def test_writes_need_credentials(refs):
    assert_error(post("/api/v1/results", refs, auth=False), 401)
    rid = create(refs)
    assert_error(put("/api/v1/results/" + rid, {"trust_indicator": 1}, auth=False), 401)


# ---- queries --------------------------------------------------------------------

def test_newest_first_by_start_date(refs):
    ids = [create(refs, start_date="2016-01-0%d" % d) for d in (3, 1, 2)]
    got = [r["_id"] for r in query(case=refs["case_name"])["results"]]
    assert got == [ids[0], ids[2], ids[1]]
    got = [r["_id"] for r in query(case=refs["case_name"], descend="false")["results"]]
    assert got == [ids[1], ids[2], ids[0]]


def test_same_time_ordered_by_id(refs):
    ids = sorted(create(refs, start_date="2016-01-01") for _ in range(3))
    got = [r["_id"] for r in query(case=refs["case_name"])["results"]]
    assert got == ids[::-1]


def test_every_field_filter(refs):
    a = create(refs, installer="fuel", version="v1", scenario="s1",
               build_tag="b1", criteria="PASS", trust_indicator=0.5)
    create(refs, installer="apex", version="v2", scenario="s2",
           build_tag="b2", criteria="FAIL")
    base = {"project": refs["project_name"], "case": refs["case_name"],
            "pod": refs["pod_name"]}
    for key, value in (("installer", "fuel"), ("version", "v1"),
                       ("scenario", "s1"), ("build_tag", "b1"),
                       ("criteria", "PASS"), ("trust_indicator", "0.5")):
        got = query(**base, **{key: value})["results"]
        assert [r["_id"] for r in got] == [a], key
    assert len(query(**base)["results"]) == 2
    assert query(**base, installer="fuel", version="v2")["results"] == []


def test_filters_are_exact(refs):
    create(refs, installer="fu%l_")
    create(refs, installer="fuel")
    got = query(case=refs["case_name"], installer="fu%l_")["results"]
    assert [r["installer"] for r in got] == ["fu%l_"]
    assert query(case=refs["case_name"], installer="FUEL")["results"] == []
    assert query(case=refs["case_name"], installer="fuel ")["results"] == []


def test_last(refs):
    ids = [create(refs, start_date="2016-02-%02d" % d) for d in range(1, 6)]
    got = [r["_id"] for r in query(case=refs["case_name"], last=2)["results"]]
    assert got == [ids[4], ids[3]]
    got = [r["_id"] for r in query(case=refs["case_name"], last=2,
                                   descend="false")["results"]]
    assert got == [ids[3], ids[4]]
    assert len(query(case=refs["case_name"], last=0)["results"]) == 5
    assert len(query(case=refs["case_name"], last=50)["results"]) == 5


def test_period_from_to(refs):
    old = create(refs, start_date="2015-01-01")
    new = create(refs)  # no start_date: the time of receipt
    got = [r["_id"] for r in query(case=refs["case_name"], period=3)["results"]]
    assert got == [new]
    assert len(query(case=refs["case_name"], period=0)["results"]) == 2
    got = query(case=refs["case_name"], **{"from": "2014-12-31", "to": "2015-01-02"})
    assert [r["_id"] for r in got["results"]] == [old]
    got = query(case=refs["case_name"], **{"from": "2015-01-01T00:00:00Z"})
    assert len(got["results"]) == 2
    got = query(case=refs["case_name"], to="2015-01-01 00:00:00")
    assert got["results"] == []


def test_page(refs):
    ids = [create(refs, start_date="2016-03-%02d" % d) for d in range(1, 26)]
    r = query(case=refs["case_name"], page=1)
    assert r["pagination"] == {"current_page": 1, "total_pages": 2}
    assert [x["_id"] for x in r["results"]] == ids[::-1][:20]
    r = query(case=refs["case_name"], page=2)
    assert [x["_id"] for x in r["results"]] == ids[::-1][20:]
    r = query(case=refs["case_name"], page=1, descend="false")
    assert [x["_id"] for x in r["results"]] == ids[:20]
    r = query(case=refs["case_name"], page=1, last=5, descend="false")
    assert [x["_id"] for x in r["results"]] == ids[20:]
    assert r["pagination"] == {"current_page": 1, "total_pages": 1}
    assert_error(get("/api/v1/results?case=%s&page=3" % quote(refs["case_name"])),
                 400, "Request page > total_pages [2]")
    r = query(case=refs["case_name"] + "-none", page=1)
    assert r == {"results": [], "pagination": {"current_page": 1, "total_pages": 0}}


def test_query_errors():
    cases = [("period=x", "period must be int"), ("last=1.5", "last must be int"),
             ("page=a", "page must be int"), ("page=0", "page must be >= 1"),
             ("last=-1", "last must be >= 0"),
             ("descend=yes", "descend must be true or false"),
             ("case=a&case=a", "duplicate query parameter [case]"),
             ("bogus=1", "unknown query parameter [bogus]"),
             ("from=nope", "from must be a date"), ("to=nope", "to must be a date"),
             ("last=99999999999999999999", "last must be int")]
    for qs, message in cases:
        assert_error(get("/api/v1/results?" + qs), 400, message)


def test_streams_more_than_a_batch(refs):
    def many(n):
        for _ in range(n):
            create(refs, details={"pad": "x" * 100})
    threads = [threading.Thread(target=many, args=(300,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    r = get("/api/v1/results?case=" + quote(refs["case_name"]))
    assert r.status == 200
    got = r.json["results"]
    assert len(got) == 1200
    assert len({x["_id"] for x in got}) == 1200
    keys = [x["_id"] for x in got]
    got = query(case=refs["case_name"], last=700, descend="false")["results"]
    assert [x["_id"] for x in got] == keys[:700][::-1]
    got = query(case=refs["case_name"], descend="false")["results"]
    assert [x["_id"] for x in got] == keys[::-1]


def test_head_of_list_has_no_body():
    r = request("HEAD", "/api/v1/results?project=x")
    assert r.status == 200 and r.raw == b""
    assert_error(request("GET", "/api/v1/results?nope=1"), 400)


# ---- renames, moves and deletes of what results refer to ----------------------

def case_path(project, case):
    return "/api/v1/projects/%s/cases/%s" % (quote(project), quote(case))


def owners(rid):
    r = get("/api/v1/results/" + rid)
    assert r.status == 200, r
    return r.json["project_name"], r.json["case_name"], r.json["pod_name"]


def test_testcase_rename_carries_its_results(refs):
    ids = {create(refs) for _ in range(3)}
    prj, case = refs["project_name"], refs["case_name"]
    r = put(case_path(prj, case), {"name": case + "-new"})
    assert r.status == 200, r
    got = query(project=prj, case=case + "-new")["results"]
    assert {x["_id"] for x in got} == ids
    assert {x["case_name"] for x in got} == {case + "-new"}
    assert query(project=prj, case=case)["results"] == []
    assert owners(ids.pop()) == (prj, case + "-new", refs["pod_name"])


def test_testcase_move_carries_its_results(refs):
    ids = {create(refs) for _ in range(3)}
    prj, case = refs["project_name"], refs["case_name"]
    assert post("/api/v1/projects", {"name": prj + "-to"}).status == 200
    r = put(case_path(prj, case), {"project_name": prj + "-to"})
    assert r.status == 200, r
    # every way of reading them agrees: by testcase, by project, by id
    for params in ({"project": prj + "-to", "case": case},
                   {"project": prj + "-to"}, {"case": case},
                   {"project": prj + "-to", "last": 10},
                   {"project": prj + "-to", "page": 1}):
        got = query(**params)["results"]
        assert {x["_id"] for x in got} == ids, params
        assert {x["project_name"] for x in got} == {prj + "-to"}, params
    assert query(project=prj)["results"] == []
    assert query(project=prj, last=10)["results"] == []
    assert owners(ids.pop())[0] == prj + "-to"
    # and back again
    assert put(case_path(prj + "-to", case), {"project_name": prj}).status == 200
    assert len(query(project=prj, last=10)["results"]) == 3


def test_project_rename_carries_testcases_and_results(refs):
    ids = {create(refs) for _ in range(2)}
    prj = refs["project_name"]
    r = put("/api/v1/projects/" + quote(prj), {"name": prj + "-new"})
    assert r.status == 200, r
    got = query(project=prj + "-new", case=refs["case_name"])["results"]
    assert {x["_id"] for x in got} == ids
    assert query(project=prj)["results"] == []


def test_delete_of_a_referenced_testcase_is_403_and_changes_nothing(refs):
    rid = create(refs)
    prj, case = refs["project_name"], refs["case_name"]
    assert_error(delete(case_path(prj, case)), 403,
                 "testcase [%s] is still referred to by results" % case)
    assert get(case_path(prj, case)).status == 200
    assert owners(rid) == (prj, case, refs["pod_name"])


def test_delete_of_a_referenced_pod_is_403_and_changes_nothing(refs):
    rid = create(refs)
    pod = refs["pod_name"]
    assert_error(delete("/api/v1/pods/" + quote(pod)), 403,
                 "pod [%s] is still referred to by results" % pod)
    assert get("/api/v1/pods/" + quote(pod)).status == 200
    assert owners(rid)[2] == pod


def test_delete_of_a_project_with_testcases_is_403(refs):
    rid = create(refs)
    prj = refs["project_name"]
    r = delete("/api/v1/projects/" + quote(prj))
    assert r.status == 403, r
    assert get("/api/v1/projects/" + quote(prj)).status == 200
    assert owners(rid)[0] == prj


# ---- what the original clients really send -----------------------------------------

def sample_files():
    out = []
    for root, _, files in os.walk(SAMPLES):
        for f in sorted(files):
            if f.endswith(".json"):
                out.append(os.path.join(root, f))
    return sorted(out)


def test_samples_post_as_sent(unique):
    files = sample_files()
    assert len(files) > 50
    for path in files:
        with open(path, "rb") as fh:
            raw = fh.read()
        body = json.loads(raw)
        # each sample in its own pod/project/case of this run
        pod = unique + "-" + body["pod_name"]
        prj = unique + "-" + body["project_name"]
        post("/api/v1/pods", {"name": pod})
        post("/api/v1/projects", {"name": prj})
        post("/api/v1/projects/%s/cases" % quote(prj), {"name": body["case_name"]})
        body.update(pod_name=pod, project_name=prj)
        r = request("POST", "/api/v1/results", raw=json.dumps(body).encode(),
                    headers={"Content-Type": "application/json"})
        if r.status == 400:
            assert r.json["message"] == "start_date must be a date", path
            continue
        assert r.status == 200, (path, r)
        got = get("/api/v1/results/" + r.json["href"].rsplit("/", 1)[1]).json
        assert got["details"] == body.get("details"), path
        assert got["start_date"] == body.get("start_date"), path


def test_reporting_script_queries(refs):
    """The kinds of queries the original reporting scripts ran."""
    create(refs, installer="fuel", version="colorado", scenario="os-odl_l2-nofeature-ha",
           criteria="PASS", start_date="2016-09-29 10:00:00")
    a = create(refs, installer="fuel", version="colorado", scenario="os-odl_l2-nofeature-ha",
               criteria="FAIL")
    create(refs, installer="apex", version="colorado", scenario="os-odl_l2-nofeature-ha")
    got = query(case=refs["case_name"], period=10, installer="fuel", version="colorado",
                scenario="os-odl_l2-nofeature-ha", pod=refs["pod_name"], last=10)
    assert [r["_id"] for r in got["results"]] == [a]


# ---- how lists are sent -----------------------------------------------------

def test_short_list_is_one_answer_with_its_length(refs):
    ids = [create(refs, start_date="2016-01-0%d" % d) for d in (1, 2, 3)]
    r = get("/api/v1/results?" + urlencode({"case": refs["case_name"],
                                            "last": 2}))
    assert r.status == 200, r
    assert r.header("transfer-encoding") is None
    assert int(r.header("content-length")) == len(r.raw)
    assert [x["_id"] for x in r.json["results"]] == ids[:0:-1]
    empty = get("/api/v1/results?" + urlencode({"case": refs["case_name"],
                                                "installer": "none"}))
    assert empty.raw == b'{"results":[]}'
    assert int(empty.header("content-length")) == len(empty.raw)


def test_long_list_is_streamed_whole(refs):
    # Over 64 KB in one batch: sent chunked as it is read, and complete.
    big = {"log": "x" * 30000}
    ids = [create(refs, start_date="2016-02-%02d" % d, details=big)
           for d in range(1, 5)]
    r = get("/api/v1/results?" + urlencode({"case": refs["case_name"]}))
    assert r.status == 200, r
    assert r.header("transfer-encoding") == "chunked"
    assert r.header("content-length") is None
    got = r.json["results"]
    assert [x["_id"] for x in got] == ids[::-1]
    assert all(x["details"] == big for x in got)
