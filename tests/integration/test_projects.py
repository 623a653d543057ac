"""Projects: GET/POST /api/v1/projects, GET/PUT/DELETE /api/v1/projects/{p}.
Every refusal also checks that nothing was stored or changed."""
import re

from conftest import (assert_error, delete, get, post, put, quote, request,
                      together)

ID = re.compile(r"^[0-9a-f]{24}$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
FIELDS = {"_id", "name", "description", "creation_date"}


def path(name):
    return "/api/v1/projects/" + quote(name)


def make(name, **fields):
    r = post("/api/v1/projects", dict(name=name, **fields))
    assert r.status == 200, r
    return r


def fetch(name):
    r = get(path(name))
    assert r.status == 200, r
    return r.json


def names():
    r = get("/api/v1/projects")
    assert r.status == 200
    return [p["name"] for p in r.json["projects"]]


def make_case(project, name, **fields):
    r = post(path(project) + "/cases", dict(name=name, **fields))
    assert r.status == 200, r
    return r


def case_names(project):
    r = get(path(project) + "/cases")
    assert r.status == 200, r
    return [c["name"] for c in r.json["testcases"]]


# ---- create and read --------------------------------------------------------

def test_create_returns_href(unique, base_url):
    r = make(unique, description="the project")
    assert r.header("content-type") == "application/json"
    assert r.json == {"href": "%s/api/v1/projects/%s" % (base_url, unique)}


def test_get_one_has_every_field(unique):
    make(unique, description="the project")
    p = fetch(unique)
    assert set(p) == FIELDS
    assert ID.match(p["_id"])
    assert DATE.match(p["creation_date"])
    assert (p["name"], p["description"]) == (unique, "the project")


def test_description_defaults_to_empty_string(unique):
    make(unique)
    assert fetch(unique)["description"] == ""
    make(unique + "n", description=None)
    assert fetch(unique + "n")["description"] == ""


def test_list_contains_created_projects(unique):
    make(unique + "a")
    make(unique + "b", description="b")
    r = get("/api/v1/projects")
    assert r.status == 200
    assert r.header("content-type") == "application/json"
    assert set(r.json) == {"projects"}
    listed = {p["name"]: p for p in r.json["projects"]}
    assert listed[unique + "b"]["description"] == "b"
    assert unique + "a" in listed
    for p in r.json["projects"]:
        assert set(p) == FIELDS


def test_extra_fields_are_ignored(unique):
    make(unique, creation_date="x", _id="0" * 24, url="u")
    p = fetch(unique)
    assert p["_id"] != "0" * 24 and p["creation_date"] != "x"


def test_unknown_project_is_404(unique):
    assert_error(get(path(unique)), 404, "Could not find project [%s]" % unique)


# ---- create: validation, nothing stored on refusal ----------------------------

def test_no_body_is_400():
    for raw in (None, b"", b"  \n", b"null"):
        assert_error(post("/api/v1/projects", raw=raw), 400, "no body")


def test_invalid_json_is_400(unique):
    for raw in (b'{"name": ', b'{"name": "%s"} x' % unique.encode(), b"[NaN]"):
        assert_error(post("/api/v1/projects", raw=raw), 400,
                     prefix="Bad Json format [")
    assert_error(post("/api/v1/projects", [unique]), 400,
                 prefix="Bad Json format [")
    assert unique not in names()


def test_name_missing_is_400(unique):
    assert_error(post("/api/v1/projects", {"description": unique}), 400,
                 "name missing")
    assert_error(post("/api/v1/projects", {"name": ""}), 400, "name missing")
    assert_error(post("/api/v1/projects", {"name": None}), 400, "name missing")
    assert unique not in [p["description"] for p in
                          get("/api/v1/projects").json["projects"]]


def test_wrong_types_are_400(unique):
    assert_error(post("/api/v1/projects", {"name": 5}), 400,
                 "name must be a string")
    assert_error(post("/api/v1/projects", {"name": {"a": 1}}), 400,
                 "name must be a string")
    assert_error(post("/api/v1/projects", {"name": unique, "description": 1}),
                 400, "description must be a string")
    assert_error(post("/api/v1/projects", {"name": unique, "description": []}),
                 400, "description must be a string")
    assert unique not in names()


def test_bad_names_are_400(unique):
    for bad in (".", "..", "a/b", unique + "\u0000", "x" * 256, "é" * 128):
        assert_error(post("/api/v1/projects", {"name": bad}), 400)
    assert_error(post("/api/v1/projects",
                      {"name": unique, "description": "a\u0000b"}), 400)
    assert unique not in names()


def test_name_of_255_bytes(unique):
    name = (unique + "x" * 255)[:255]
    make(name)
    assert fetch(name)["name"] == name


def test_description_over_65535_bytes_is_400(unique):
    assert_error(post("/api/v1/projects",
                      {"name": unique, "description": "d" * 65536}), 400)
    assert unique not in names()
    make(unique, description="é" * 32767)
    before = fetch(unique)
    assert_error(put(path(unique), {"description": "é" * 32768}), 400)
    assert fetch(unique) == before


def test_duplicate_name_is_403(unique):
    make(unique, description="first")
    assert_error(post("/api/v1/projects", {"name": unique, "description": "2"}),
                 403, "%s already exists as a project" % unique)
    assert names().count(unique) == 1
    assert fetch(unique)["description"] == "first"


def test_concurrent_duplicate_create_has_one_winner(unique):
    statuses = [r.status for r in together(
        [lambda: post("/api/v1/projects", {"name": unique})] * 12)]
    assert sorted(statuses) == [200] + [403] * 11
    assert names().count(unique) == 1


# ---- names: byte for byte, in paths -----------------------------------------------

def test_names_compare_byte_for_byte(unique):
    make(unique + "X", description="upper")
    make(unique + "x", description="lower")
    make(unique + "x ", description="space")
    make(unique + "é", description="accent")
    make(unique + "e", description="plain")
    assert fetch(unique + "X")["description"] == "upper"
    assert fetch(unique + "x")["description"] == "lower"
    assert fetch(unique + "x ")["description"] == "space"
    assert fetch(unique + "é")["description"] == "accent"
    assert fetch(unique + "e")["description"] == "plain"


def test_spaces_utf8_and_percent_in_names(unique, base_url):
    name = unique + " 100%_a+b;%41-été-测试-😀"
    r = make(name)
    assert r.json["href"] == base_url + "/api/v1/projects/" + quote(name)
    assert fetch(name)["name"] == name
    assert name in names()
    # decoded exactly once; '+' is a literal plus
    assert_error(get("/api/v1/projects/" + quote(quote(name))), 404)
    assert_error(get("/api/v1/projects/" + quote(name).replace("%20", "+")), 404)
    r = delete(path(name))
    assert r.status == 200 and r.raw == b""


def test_encoded_slash_names_nothing(unique):
    make(unique)
    assert_error(get("/api/v1/projects/%s%%2Fx" % unique), 404)


# ---- update ----------------------------------------------------------------------

def test_update_description(unique):
    make(unique, description="old")
    before = fetch(unique)
    r = put(path(unique), {"description": "new"})
    assert r.status == 200, r
    assert r.header("content-type") == "application/json"
    assert r.json == dict(before, description="new")
    assert fetch(unique) == r.json


def test_update_name_keeps_id(unique):
    make(unique, description="d")
    before = fetch(unique)
    r = put(path(unique), {"name": unique + "-new"})
    assert r.status == 200, r
    assert r.json == dict(before, name=unique + "-new")
    assert_error(get(path(unique)), 404)
    assert fetch(unique + "-new") == r.json
    assert unique not in names()


def test_update_both_fields(unique):
    make(unique, description="d")
    before = fetch(unique)
    r = put(path(unique), {"name": unique + " 2 é%", "description": ""})
    assert r.status == 200, r
    assert r.json == dict(before, name=unique + " 2 é%", description="")
    assert fetch(unique + " 2 é%") == r.json


def test_rename_carries_testcases(unique):
    make(unique)
    make_case(unique, "c1", url="u1")
    make_case(unique, "c 2 é")
    cases = get(path(unique) + "/cases").json["testcases"]
    r = put(path(unique), {"name": unique + "-renamed"})
    assert r.status == 200, r
    moved = get(path(unique + "-renamed") + "/cases").json["testcases"]
    assert [c["_id"] for c in moved] == [c["_id"] for c in cases]
    assert {c["project_name"] for c in moved} == {unique + "-renamed"}
    assert get(path(unique + "-renamed") + "/cases/c1").json["url"] == "u1"
    # the old name has no testcases any more (and is no project)
    assert case_names(unique) == []
    assert_error(get(path(unique) + "/cases/c1"), 404)


def test_update_no_body_is_400(unique):
    make(unique, description="d")
    for raw in (None, b"", b"null"):
        assert_error(put(path(unique), raw=raw), 400, "No payload")
    assert fetch(unique)["description"] == "d"


def test_update_unknown_is_404(unique):
    assert_error(put(path(unique), {"description": "x"}), 404,
                 "Could not find project [%s]" % unique)
    assert unique not in names()


def test_update_empty_name_is_400(unique):
    make(unique, description="d")
    before = fetch(unique)
    assert_error(put(path(unique), {"name": ""}), 400, "name missing")
    assert_error(put(path(unique), {"name": "", "description": "x"}), 400,
                 "name missing")
    assert fetch(unique) == before


def test_update_wrong_types_are_400(unique):
    make(unique, description="d")
    before = fetch(unique)
    assert_error(put(path(unique), {"name": 1}), 400, "name must be a string")
    assert_error(put(path(unique), {"description": False}), 400,
                 "description must be a string")
    assert_error(put(path(unique), {"name": unique + "z", "description": 2}),
                 400, "description must be a string")
    assert_error(put(path(unique), ["x"]), 400, prefix="Bad Json format [")
    assert_error(put(path(unique), raw=b'{"name": '), 400,
                 prefix="Bad Json format [")
    for bad in (".", "..", "a/b", "x" * 256):
        assert_error(put(path(unique), {"name": bad}), 400)
    assert fetch(unique) == before
    assert unique + "z" not in names()


def test_update_to_taken_name_is_403(unique):
    make(unique + "a", description="a")
    make(unique + "b", description="b")
    a, b = fetch(unique + "a"), fetch(unique + "b")
    assert_error(put(path(unique + "a"), {"name": unique + "b"}), 403,
                 "%s already exists as a project" % (unique + "b"))
    assert_error(put(path(unique + "a"),
                     {"name": unique + "b", "description": "changed"}), 403,
                 "%s already exists as a project" % (unique + "b"))
    assert fetch(unique + "a") == a
    assert fetch(unique + "b") == b


def test_update_identical_is_nothing_to_update(unique):
    make(unique, description="d")
    before = fetch(unique)
    for body in ({"name": unique}, {"description": "d"},
                 {"name": unique, "description": "d"}, {},
                 {"name": None, "description": None}, {"other": 1}):
        assert_error(put(path(unique), body), 403, "Nothing to update")
    assert fetch(unique) == before


def test_update_compares_byte_for_byte(unique):
    make(unique, description="d")
    r = put(path(unique), {"description": "d "})
    assert r.status == 200 and r.json["description"] == "d ", r
    r = put(path(unique), {"description": "D "})
    assert r.status == 200 and r.json["description"] == "D ", r
    r = put(path(unique), {"name": unique + " "})
    assert r.status == 200 and r.json["name"] == unique + " ", r
    assert_error(get(path(unique)), 404)
    assert fetch(unique + " ")["description"] == "D "


def test_concurrent_renames_to_one_name_have_one_winner(unique):
    for i in range(8):
        make("%s-%d" % (unique, i))
    statuses = [r.status for r in together(
        [lambda i=i: put(path("%s-%d" % (unique, i)), {"name": unique + "-final"})
         for i in range(8)])]
    assert sorted(statuses) == [200] + [403] * 7
    listed = names()
    assert listed.count(unique + "-final") == 1
    assert sum(n.startswith(unique + "-") for n in listed) == 8


# ---- delete ------------------------------------------------------------------------

def test_delete_then_gone(unique):
    make(unique)
    r = delete(path(unique))
    assert r.status == 200 and r.raw == b""
    assert_error(get(path(unique)), 404)
    assert_error(delete(path(unique)), 404,
                 "Could not find project [%s]" % unique)
    make(unique)  # the name is free again


def test_delete_refused_while_it_has_testcases(unique):
    make(unique)
    make_case(unique, "c1")
    before = fetch(unique)
    r = delete(path(unique))
    assert_error(r, 403, "project [%s] still has testcases" % unique)
    assert fetch(unique) == before
    assert case_names(unique) == ["c1"]
    assert delete(path(unique) + "/cases/c1").status == 200
    assert delete(path(unique)).status == 200
    assert_error(get(path(unique)), 404)


# ---- authentication, methods -----------------------------------------------------------

def test_writes_without_credentials_are_401(unique):
    r = post("/api/v1/projects", {"name": unique}, auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate").startswith("Basic")
    assert unique not in names()
    make(unique, description="d")
    before = fetch(unique)
    r = put(path(unique), {"description": "x"}, auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate").startswith("Basic")
    assert_error(put(path(unique), {"description": "x"}, auth="opnfv:wrong"),
                 401)
    r = delete(path(unique), auth=False)
    assert_error(r, 401)
    assert fetch(unique) == before


def test_reads_are_public(unique):
    make(unique)
    assert get(path(unique), auth=False).status == 200
    assert get("/api/v1/projects", auth=False).status == 200


def test_head(unique):
    make(unique)
    r = request("HEAD", path(unique))
    assert r.status == 200 and r.raw == b""
    assert r.header("content-type") == "application/json"
    r = request("HEAD", "/api/v1/projects")
    assert r.status == 200 and r.raw == b""
    assert request("HEAD", path(unique + "zz")).status == 404


def test_method_not_allowed_has_allow(unique):
    r = delete("/api/v1/projects")
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = put("/api/v1/projects", {"name": unique})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = post(path(unique), {"name": unique})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, PUT, DELETE, OPTIONS"
    assert unique not in names()


def test_options_lists_methods(unique):
    r = request("OPTIONS", "/api/v1/projects", auth=False)
    assert r.status == 200
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = request("OPTIONS", path(unique), auth=False)
    assert r.status == 200
    assert r.header("allow") == "GET, HEAD, PUT, DELETE, OPTIONS"


def test_description_over_text_limit_is_400(unique):
    r = post("/api/v1/projects", {"name": unique, "description": "d" * 65536})
    assert_error(r, 400, "description longer than 65535 bytes")
    assert_error(get("/api/v1/projects/" + unique), 404)
    assert post("/api/v1/projects",
                {"name": unique, "description": "d" * 65535}).status == 200
