from conftest import assert_error, get, request


def test_versions_lists_v1():
    r = get("/versions")
    assert r.status == 200
    assert r.header("content-type") == "application/json"
    assert r.json == {"versions": [{"version": "v1.0", "description": "basics"}]}


def test_versions_head_has_no_body():
    r = request("HEAD", "/versions")
    assert r.status == 200
    assert r.raw == b""
    assert r.header("content-type") == "application/json"


def test_versions_post_is_405_with_allow():
    r = request("POST", "/versions", {})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, OPTIONS"


def test_unknown_api_path_is_json_404():
    assert_error(get("/api/v1/nothing-here"), 404)
    assert_error(get("/api/v2/pods"), 404)
    assert_error(get("/api/error"), 404)


def test_responses_carry_nosniff():
    assert get("/versions").header("x-content-type-options") == "nosniff"
    assert get("/api/v1/nothing").header("x-content-type-options") == "nosniff"
