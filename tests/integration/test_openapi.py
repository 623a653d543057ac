"""The OpenAPI document: served with Swagger UI, and proven to describe the
server (every response of the suite is checked against it at the end)."""
import http.client
import json

import pytest

import openapi_check
from conftest import URL, get, post, request
from openapi_check import Exchange, Spec, check

SPEC = Spec.load()


# ---- served by the module's Apache ------------------------------------------------

def test_spec_is_served_as_in_the_repository():
    r = get("/swagger/spec.json")
    assert r.status == 200
    assert r.header("content-type").split(";")[0] == "application/json"
    with open(openapi_check.SPEC_FILE, "rb") as fh:
        assert r.raw == fh.read()
    assert r.json["openapi"].startswith("3.0.")


def test_swagger_ui_is_served():
    r = get("/swagger/")
    assert r.status == 200
    assert r.header("content-type").split(";")[0] == "text/html"
    assert b"swagger-ui-bundle.js" in r.raw and b"swagger-initializer.js" in r.raw
    for asset, ctype in (("swagger-ui-bundle.js", "text/javascript"),
                         ("swagger-ui-standalone-preset.js", "text/javascript"),
                         ("swagger-ui.css", "text/css")):
        a = get("/swagger/" + asset)
        assert a.status == 200, asset
        assert a.header("content-type").split(";")[0] == ctype, asset
        assert len(a.raw) > 1000, asset


def test_swagger_ui_loads_our_document():
    r = get("/swagger/swagger-initializer.js")
    assert r.status == 200
    assert b'url: "/swagger/spec.json"' in r.raw
    assert b"petstore" not in r.raw


def test_swagger_without_slash_redirects():
    r = get("/swagger")
    assert r.status == 301
    assert r.header("location").endswith("/swagger/")


# ---- the document lists exactly what the server serves ------------------------------

def concrete(template):
    """A request path for a template (OPTIONS only routes: any name does)."""
    return (template.replace("{id}", "0" * 24).replace("{pod}", "p")
            .replace("{project}", "p").replace("{case}", "c"))


def probe_options(path):
    """OPTIONS outside request(): a path that this build does not serve yet
    must not count as a response of the suite."""
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=30)
    conn.request("OPTIONS", path)
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status


@pytest.mark.parametrize("template", sorted(SPEC.doc["paths"]))
def test_documented_path_serves_exactly_its_methods(template):
    path = concrete(template)
    if template.startswith("/dashboard/") and probe_options(path) == 404:
        pytest.skip("the dashboard is not served by this build")
    r = request("OPTIONS", path, auth=False)
    assert r.status == 200, r
    allow = [m.strip() for m in r.header("allow").split(",")]
    assert set(allow) == SPEC.methods(template)
    # and the document states that exact header
    documented = SPEC.doc["paths"][template]["options"]["responses"]["200"]
    assert documented["headers"]["Allow"]["schema"]["enum"] == [r.header("allow")]


def test_head_of_a_result_is_documented_and_served(unique):
    """The one HEAD that no other test sends."""
    assert post("/api/v1/pods", {"name": unique}).status == 200
    assert post("/api/v1/projects", {"name": unique}).status == 200
    assert post("/api/v1/projects/%s/cases" % unique, {"name": unique}).status == 200
    r = post("/api/v1/results", {"pod_name": unique, "project_name": unique,
                                 "case_name": unique})
    assert r.status == 200, r
    r = request("HEAD", "/api/v1/results/" + r.json["href"].rsplit("/", 1)[1])
    assert r.status == 200 and r.raw == b""
    assert r.header("content-type") == "application/json"
    r = request("HEAD", "/api/v1/results/" + "0" * 24)
    assert r.status == 404 and r.raw == b""


def test_every_write_needs_basic_auth_in_the_document():
    for path, item in SPEC.doc["paths"].items():
        for method, op in item.items():
            if method in ("post", "put", "delete"):
                assert op["security"] == [{"basicAuth": []}], (method, path)
                assert "401" in op["responses"], (method, path)
            elif method in ("get", "head", "options"):
                assert op["security"] == [], (method, path)


def test_schemas_compile():
    for name, schema in SPEC.doc["components"]["schemas"].items():
        SPEC.validator(("component", name), schema)


# ---- the checker itself can fail --------------------------------------------------

POD = {"_id": "5" * 24, "name": "p", "mode": "", "details": "", "role": "",
       "creation_date": "2016-09-30 10:11:12.123456"}
JSON = {"content-type": "application/json"}


def ex(method, target, status, body=b"", headers=JSON):
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return Exchange(method, target, status, dict(headers), body)


def test_checker_accepts_a_documented_answer():
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, POD)) == []
    assert check(SPEC, ex("GET", "/api/v1/pods", 200, {"pods": [POD]})) == []
    assert check(SPEC, ex("DELETE", "/api/v1/pods/p", 200, headers={})) == []
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 404,
                          {"code": 404, "message": "Could not find pod [p]"})) == []


def test_checker_ignores_what_is_not_the_api():
    assert check(SPEC, ex("GET", "/swagger/", 200, b"<html>", {})) is None
    assert check(SPEC, ex("GET", "/versionsx", 200, b"", {})) is None


def test_checker_refuses_a_body_that_differs_from_the_schema():
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, dict(POD, extra=1)))
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, dict(POD, mode=None)))
    del_id = dict(POD)
    del del_id["_id"]
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, del_id))
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, dict(POD, _id="X" * 24)))
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, b"not json"))
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 200, POD, {"content-type": "text/html"}))


def test_checker_refuses_an_undocumented_status():
    problems = check(SPEC, ex("GET", "/api/v1/pods", 404, {"code": 404, "message": "x"}))
    assert problems and "status 404 not in the document" in problems[0]
    assert check(SPEC, ex("GET", "/versions", 500, {"code": 500, "message": "x"}))


def test_checker_refuses_error_bodies_out_of_contract():
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 404, {"code": 400, "message": "x"}))
    assert check(SPEC, ex("GET", "/api/v1/pods/p", 404, {"message": "x"}))


def test_checker_refuses_bodies_where_none_is_documented():
    assert check(SPEC, ex("DELETE", "/api/v1/pods/p", 200, b"{}"))
    assert check(SPEC, ex("HEAD", "/api/v1/pods/p", 200, POD))


def test_checker_wants_the_documented_headers():
    ok = {"content-type": "application/json", "www-authenticate": 'Basic realm="TestAPI"'}
    err = {"code": 401, "message": "x"}
    assert check(SPEC, ex("POST", "/api/v1/pods", 401, err, ok)) == []
    assert check(SPEC, ex("POST", "/api/v1/pods", 401, err, JSON))
    assert check(SPEC, ex("OPTIONS", "/api/v1/pods", 200, headers={"allow": "GET, HEAD, POST, OPTIONS"})) == []
    assert check(SPEC, ex("OPTIONS", "/api/v1/pods", 200, headers={"allow": "GET, POST"}))
    assert check(SPEC, ex("OPTIONS", "/api/v1/pods", 200, headers={}))


def test_checker_wants_404_for_unknown_paths():
    err = {"code": 404, "message": "Not Found"}
    assert check(SPEC, ex("GET", "/api/v1/nothing", 404, err)) == []
    assert check(SPEC, ex("GET", "/api/v1/nothing", 200, {}))
    assert check(SPEC, ex("GET", "/api/v1/pods/a%2Fb", 404, err)) == []
    assert check(SPEC, ex("GET", "/api/v1/pods/a%2Fb", 200, POD))


def test_checker_wants_405_with_the_documented_allow():
    err = {"code": 405, "message": "method PUT not allowed here"}
    good = dict(JSON, allow="GET, HEAD, DELETE, OPTIONS")
    assert check(SPEC, ex("PUT", "/api/v1/pods/p", 405, err, good)) == []
    assert check(SPEC, ex("PUT", "/api/v1/pods/p", 405, err, dict(JSON, allow="GET, HEAD, OPTIONS")))
    assert check(SPEC, ex("PUT", "/api/v1/pods/p", 200, POD))
    assert check(SPEC, ex("PATCH", "/api/v1/pods/p", 401, {"code": 401, "message": "x"})) == []


def test_checker_resolves_paths_like_the_module():
    assert openapi_check.split_path("/api/v1/x/../pods/./a%20b/") == [b"api", b"v1", b"pods", b"a b"]
    assert openapi_check.split_path("/api/v1/pods/a+b?x=1") == [b"api", b"v1", b"pods", b"a+b"]
    assert openapi_check.split_path("/api/v1/pods/%zz") is None
    assert openapi_check.split_path("http://h:1/versions") == [b"versions"]
    assert SPEC.match(openapi_check.split_path("/api/v1/projects/x/cases/y")) == \
        "/api/v1/projects/{project}/cases/{case}"
    assert SPEC.match(openapi_check.split_path("/api/v1/pods")) == "/api/v1/pods"


def test_checker_knows_nullable_and_any():
    res = {"_id": "5" * 24, "project_name": "p", "case_name": "c", "pod_name": "d",
           "installer": None, "version": None, "scenario": None, "build_tag": None,
           "criteria": None, "start_date": None, "stop_date": None, "details": None,
           "trust_indicator": {"current": 0, "histories": []}}
    assert check(SPEC, ex("GET", "/api/v1/results/" + "5" * 24, 200, res)) == []
    assert check(SPEC, ex("GET", "/api/v1/results/" + "5" * 24, 200,
                          dict(res, details=[1, {"a.b": None}]))) == []
    assert check(SPEC, ex("GET", "/api/v1/results/" + "5" * 24, 200,
                          dict(res, installer=5)))
    assert check(SPEC, ex("GET", "/api/v1/results/" + "5" * 24, 200,
                          dict(res, trust_indicator={"current": 2, "histories": []})))


# ---- every response of the run --------------------------------------------------

@pytest.mark.openapi_last
def test_every_response_of_the_suite_matches_the_document():
    report = openapi_check.check_all(SPEC, list(openapi_check.EXCHANGES))
    openapi_check.LAST_REPORT[:] = [report]
    assert report.checked > 0
    if report.mismatches:
        pytest.fail("responses that conf/openapi.json does not describe:\n"
                    + report.details() + "\n" + report.summary(), pytrace=False)
