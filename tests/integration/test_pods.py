import re

from conftest import (assert_error, delete, get, post, put, quote, request,
                      together, AUTH)

ID = re.compile(r"^[0-9a-f]{24}$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")


def make(name, **fields):
    r = post("/api/v1/pods", dict(name=name, **fields))
    assert r.status == 200, r
    return r


def names():
    r = get("/api/v1/pods")
    assert r.status == 200
    return [p["name"] for p in r.json["pods"]]


# ---- create and read ------------------------------------------------------

def test_create_returns_href(unique, base_url):
    r = make(unique, mode="metal", role="ci-pod", details="lab 1")
    assert r.header("content-type") == "application/json"
    assert r.json == {"href": "%s/api/v1/pods/%s" % (base_url, unique)}


def test_get_one_has_every_field(unique):
    make(unique, mode="metal", role="ci-pod", details="lab 1")
    r = get("/api/v1/pods/" + unique)
    assert r.status == 200
    pod = r.json
    assert set(pod) == {"_id", "name", "mode", "details", "role", "creation_date"}
    assert ID.match(pod["_id"])
    assert DATE.match(pod["creation_date"])
    assert (pod["name"], pod["mode"], pod["role"], pod["details"]) == (
        unique, "metal", "ci-pod", "lab 1")


def test_optional_fields_default_to_empty_strings(unique):
    make(unique, mode=None)
    pod = get("/api/v1/pods/" + unique).json
    assert (pod["mode"], pod["details"], pod["role"]) == ("", "", "")


def test_list_contains_created_pods(unique):
    make(unique + "a")
    make(unique + "b")
    listed = names()
    assert unique + "a" in listed and unique + "b" in listed
    r = get("/api/v1/pods")
    for pod in r.json["pods"]:
        assert set(pod) == {"_id", "name", "mode", "details", "role",
                            "creation_date"}


def test_ids_are_unique(unique):
    ids = {post("/api/v1/pods", {"name": unique + str(i)}).status for i in range(5)}
    assert ids == {200}
    got = {get("/api/v1/pods/%s%d" % (unique, i)).json["_id"] for i in range(5)}
    assert len(got) == 5


def test_extra_fields_are_ignored(unique):
    make(unique, description="old clients send this", creation_date="x")
    assert get("/api/v1/pods/" + unique).status == 200


# ---- validation: nothing stored on refusal ----------------------------------

def test_no_body_is_400():
    assert_error(post("/api/v1/pods"), 400, "no body")
    assert_error(post("/api/v1/pods", raw=b""), 400, "no body")
    assert_error(post("/api/v1/pods", raw=b"  \n"), 400, "no body")
    assert_error(post("/api/v1/pods", raw=b"null"), 400, "no body")


def test_invalid_json_is_400(unique):
    for raw in (b'{"name": ', b'{"name": "%s"' % unique.encode(),
                b"{'name': 'x'}", b'{"name": "%s"} x' % unique.encode(),
                b"[NaN]", b"\xff\xfe"):
        assert_error(post("/api/v1/pods", raw=raw), 400, prefix="Bad Json format [")
    assert unique not in names()


def test_non_object_body_is_400():
    assert_error(post("/api/v1/pods", [1, 2]), 400, prefix="Bad Json format [")
    assert_error(post("/api/v1/pods", "name"), 400, prefix="Bad Json format [")


def test_wrong_types_are_400(unique):
    assert_error(post("/api/v1/pods", {"name": 5}), 400, "name must be a string")
    assert_error(post("/api/v1/pods", {"name": ["a"]}), 400, "name must be a string")
    for field in ("mode", "details", "role"):
        assert_error(post("/api/v1/pods", {"name": unique, field: 1}), 400,
                     "%s must be a string" % field)
    assert unique not in names()


def test_name_missing_or_empty_is_400():
    assert_error(post("/api/v1/pods", {"mode": "metal"}), 400, "name missing")
    assert_error(post("/api/v1/pods", {"name": ""}), 400, "name missing")
    assert_error(post("/api/v1/pods", {"name": None}), 400, "name missing")


def test_name_limits(unique):
    ok = (unique + "x" * 255)[:255]
    make(ok)
    assert get("/api/v1/pods/" + ok).json["name"] == ok
    too_long = ok + "y"
    assert_error(post("/api/v1/pods", {"name": too_long}), 400)
    assert_error(get("/api/v1/pods/" + too_long), 400)
    # 255 bytes, fewer characters: the limit counts bytes
    assert_error(post("/api/v1/pods", {"name": "é" * 128}), 400)
    for bad in (".", "..", "a/b", unique + "\u0000"):
        assert_error(post("/api/v1/pods", {"name": bad}), 400)


def test_duplicate_name_is_403(unique):
    make(unique)
    assert_error(post("/api/v1/pods", {"name": unique}), 403,
                 "%s already exists as a pod" % unique)
    assert names().count(unique) == 1


# ---- names compare byte for byte ------------------------------------------

def test_names_differing_in_case_are_different(unique):
    make(unique + "X", mode="upper")
    make(unique + "x", mode="lower")
    assert get("/api/v1/pods/%sX" % unique).json["mode"] == "upper"
    assert get("/api/v1/pods/%sx" % unique).json["mode"] == "lower"


def test_trailing_space_makes_another_name(unique):
    make(unique, mode="plain")
    make(unique + " ", mode="space")
    assert get("/api/v1/pods/" + quote(unique)).json["mode"] == "plain"
    assert get("/api/v1/pods/" + quote(unique + " ")).json["mode"] == "space"


def test_accents_are_not_folded(unique):
    make(unique + "e", mode="plain")
    make(unique + "é", mode="accent")
    assert get("/api/v1/pods/" + quote(unique + "é")).json["mode"] == "accent"


# ---- names in paths --------------------------------------------------------

def test_percent_encoded_names_are_decoded_once(unique, base_url):
    name = unique + " 100%_a+b;%41"
    r = make(name)
    assert r.json["href"] == base_url + "/api/v1/pods/" + quote(name)
    got = get("/api/v1/pods/" + quote(name))
    assert got.status == 200 and got.json["name"] == name
    # '+' is a literal plus, not a space
    assert_error(get("/api/v1/pods/" + quote(name).replace("%2B", "+").replace("%20", "+")), 404)


def test_utf8_names_round_trip(unique):
    name = unique + "-été-测试-😀"
    make(name)
    assert get("/api/v1/pods/" + quote(name)).json["name"] == name
    assert name in names()


def test_encoded_slash_names_nothing(unique):
    make(unique)
    assert_error(get("/api/v1/pods/%s%%2Fx" % unique), 404)
    assert_error(get("/api/v1/pods/%s%%2fx" % unique), 404)
    assert_error(get("/api/v1/pods/%s/x" % unique), 404)


def test_invalid_utf8_in_path_is_400():
    assert_error(get("/api/v1/pods/%FF%FE"), 400)


def test_unknown_pod_is_404(unique):
    assert_error(get("/api/v1/pods/" + unique), 404)


# ---- HEAD, OPTIONS, 405 ---------------------------------------------------------

def test_head_one_and_list(unique):
    make(unique)
    r = request("HEAD", "/api/v1/pods/" + unique)
    assert r.status == 200 and r.raw == b""
    assert r.header("content-type") == "application/json"
    r = request("HEAD", "/api/v1/pods")
    assert r.status == 200 and r.raw == b""
    assert request("HEAD", "/api/v1/pods/" + unique + "zz").status == 404


def test_method_not_allowed_has_allow():
    r = delete("/api/v1/pods")
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = put("/api/v1/pods/x", {"name": "y"})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, DELETE, OPTIONS"
    r = request("PATCH", "/api/v1/pods/x", {})
    assert_error(r, 405)


def test_options_lists_methods():
    r = request("OPTIONS", "/api/v1/pods", auth=False)
    assert r.status == 200
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"


# ---- authentication ----------------------------------------------------------

def test_write_without_credentials_is_json_401(unique):
    r = post("/api/v1/pods", {"name": unique}, auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate", ).startswith("Basic")
    assert unique not in names()


def test_wrong_password_is_401(unique):
    r = post("/api/v1/pods", {"name": unique}, auth="opnfv:wrong")
    assert_error(r, 401)
    r = post("/api/v1/pods", {"name": unique}, auth="nobody:api@opnfv")
    assert_error(r, 401)
    assert unique not in names()


def test_delete_without_credentials_is_401(unique):
    make(unique)
    assert_error(delete("/api/v1/pods/" + unique, auth=False), 401)
    assert get("/api/v1/pods/" + unique).status == 200


def test_reads_are_public(unique):
    make(unique)
    assert get("/api/v1/pods/" + unique, auth=False).status == 200
    assert get("/api/v1/pods", auth=False).status == 200


# ---- delete -----------------------------------------------------------------------

def test_delete_then_gone(unique):
    make(unique)
    r = delete("/api/v1/pods/" + unique)
    assert r.status == 200 and r.raw == b""
    assert_error(get("/api/v1/pods/" + unique), 404)
    assert_error(delete("/api/v1/pods/" + unique), 404)
    make(unique)  # the name is free again


# ---- body size -------------------------------------------------------------------

def test_body_over_limit_is_json_413(unique):
    big = b'{"name": "%s", "details": "%s"}' % (unique.encode(), b"x" * (9 << 20))
    assert_error(post("/api/v1/pods", raw=big), 413)
    assert_error(post("/api/v1/pods", raw=big, chunked=True), 413)
    assert unique not in names()


def test_chunked_body_is_read(unique):
    r = post("/api/v1/pods", raw=b'{"name": "%s"}' % unique.encode(), chunked=True)
    assert r.status == 200, r


# ---- concurrency -------------------------------------------------------------------

def test_concurrent_duplicate_create_has_one_winner(unique):
    statuses = [r.status for r in together(
        [lambda: post("/api/v1/pods", {"name": unique})] * 16)]
    assert sorted(statuses) == [200] + [403] * 15
    assert names().count(unique) == 1


def test_literal_percent_2f_in_a_name(unique):
    name = unique + "%2F"
    make(name)
    assert get("/api/v1/pods/" + quote(name)).json["name"] == name


def test_paths_are_normalised_like_apache(unique):
    make(unique)
    assert get("/api/v1/pods/./" + unique).status == 200
    assert get("/api/v1/x/../pods/" + unique).status == 200
    assert get("/api/v1/pods/").status == 200
