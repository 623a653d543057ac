"""Testcases: GET/POST /api/v1/projects/{p}/cases,
GET/PUT/DELETE /api/v1/projects/{p}/cases/{c}.  Every refusal also checks
that nothing was stored or changed.  What happens to results when their
testcase, project or pod is renamed, moved or deleted is in
test_results.py."""
import re

import pytest

from conftest import (assert_error, delete, get, post, put, quote, request,
                      together)

ID = re.compile(r"^[0-9a-f]{24}$")
DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
FIELDS = {"_id", "name", "project_name", "description", "url",
          "creation_date"}


def ppath(project):
    return "/api/v1/projects/" + quote(project)


def cases(project):
    return ppath(project) + "/cases"


def cpath(project, case):
    return cases(project) + "/" + quote(case)


def make_project(name):
    r = post("/api/v1/projects", {"name": name})
    assert r.status == 200, r


def make(project, name, **fields):
    r = post(cases(project), dict(name=name, **fields))
    assert r.status == 200, r
    return r


def fetch(project, case):
    r = get(cpath(project, case))
    assert r.status == 200, r
    return r.json


def listed(project):
    r = get(cases(project))
    assert r.status == 200, r
    return r.json["testcases"]


def names(project):
    return [c["name"] for c in listed(project)]


@pytest.fixture
def project(unique):
    make_project(unique)
    return unique


# ---- create and read --------------------------------------------------------

def test_create_returns_href(project, base_url):
    r = make(project, "vping", description="d", url="http://u")
    assert r.header("content-type") == "application/json"
    assert r.json == {"href": "%s/api/v1/projects/%s/cases/vping"
                              % (base_url, project)}


def test_get_one_has_every_field(project):
    make(project, "vping", description="d", url="http://u")
    c = fetch(project, "vping")
    assert set(c) == FIELDS
    assert ID.match(c["_id"])
    assert DATE.match(c["creation_date"])
    assert (c["name"], c["project_name"], c["description"], c["url"]) == (
        "vping", project, "d", "http://u")


def test_optional_fields_default_to_empty_strings(project):
    make(project, "a")
    make(project, "b", description=None, url=None)
    for name in ("a", "b"):
        c = fetch(project, name)
        assert (c["description"], c["url"]) == ("", "")


def test_list_is_per_project(unique):
    make_project(unique + "1")
    make_project(unique + "2")
    make(unique + "1", "a", url="1a")
    make(unique + "1", "b")
    make(unique + "2", "a", url="2a")
    one = listed(unique + "1")
    assert [c["name"] for c in one] == ["a", "b"]
    assert one[0]["url"] == "1a"
    assert {c["project_name"] for c in one} == {unique + "1"}
    two = listed(unique + "2")
    assert [(c["name"], c["url"]) for c in two] == [("a", "2a")]
    for c in one + two:
        assert set(c) == FIELDS
    r = get(cases(unique + "1"))
    assert r.header("content-type") == "application/json"
    assert set(r.json) == {"testcases"}


def test_list_of_unknown_project_is_empty(unique):
    r = get(cases(unique))
    assert r.status == 200
    assert r.json == {"testcases": []}


def test_list_of_project_without_testcases_is_empty(project):
    assert get(cases(project)).json == {"testcases": []}


def test_unknown_testcase_is_404(project, unique):
    assert_error(get(cpath(project, "nope")), 404,
                 "Could not find testcase [nope] in project [%s]" % project)
    assert_error(get(cpath(unique + "x", "nope")), 404)


def test_same_name_in_two_projects(unique):
    make_project(unique + "1")
    make_project(unique + "2")
    make(unique + "1", "c", url="one")
    make(unique + "2", "c", url="two")
    assert fetch(unique + "1", "c")["url"] == "one"
    assert fetch(unique + "2", "c")["url"] == "two"
    assert fetch(unique + "1", "c")["_id"] != fetch(unique + "2", "c")["_id"]


def test_extra_fields_are_ignored(project, unique):
    # project_name in a create body does not choose the project: the path does
    make(project, "c", project_name=unique + "other", creation_date="x")
    assert fetch(project, "c")["project_name"] == project


# ---- create: validation, nothing stored on refusal ---------------------------------

def test_no_body_is_400(project):
    for raw in (None, b"", b" ", b"null"):
        assert_error(post(cases(project), raw=raw), 400, "no body")
    assert names(project) == []


def test_invalid_json_is_400(project):
    for raw in (b'{"name": ', b'{"name": "c"} x', b"[NaN]"):
        assert_error(post(cases(project), raw=raw), 400,
                     prefix="Bad Json format [")
    assert_error(post(cases(project), ["c"]), 400, prefix="Bad Json format [")
    assert names(project) == []


def test_name_missing_is_400(project):
    assert_error(post(cases(project), {"url": "u"}), 400, "name missing")
    assert_error(post(cases(project), {"name": ""}), 400, "name missing")
    assert_error(post(cases(project), {"name": None}), 400, "name missing")
    assert names(project) == []


def test_wrong_types_are_400(project):
    assert_error(post(cases(project), {"name": 5}), 400, "name must be a string")
    assert_error(post(cases(project), {"name": "c", "description": 1}), 400,
                 "description must be a string")
    assert_error(post(cases(project), {"name": "c", "url": ["u"]}), 400,
                 "url must be a string")
    assert names(project) == []


def test_bad_names_are_400(project):
    for bad in (".", "..", "a/b", "c\u0000", "x" * 256, "é" * 128):
        assert_error(post(cases(project), {"name": bad}), 400)
    assert_error(post(cases(project), {"name": "c", "url": "a\u0000b"}), 400)
    assert names(project) == []


def test_validation_comes_before_the_project(unique):
    assert_error(post(cases(unique), {"url": "u"}), 400, "name missing")
    assert_error(post(cases(unique)), 400, "no body")


def test_unknown_project_is_403(unique):
    assert_error(post(cases(unique), {"name": "c"}), 403,
                 "Could not find project [%s]" % unique)
    assert names(unique) == []
    assert_error(get(ppath(unique)), 404)


def test_duplicate_is_403(project):
    make(project, "c", url="first")
    assert_error(post(cases(project), {"name": "c", "url": "second"}), 403,
                 "c already exists as a testcase in project %s" % project)
    assert names(project) == ["c"]
    assert fetch(project, "c")["url"] == "first"


def test_concurrent_duplicate_create_has_one_winner(project):
    statuses = [r.status for r in together(
        [lambda: post(cases(project), {"name": "c"})] * 12)]
    assert sorted(statuses) == [200] + [403] * 11
    assert names(project) == ["c"]


def test_create_racing_project_delete_leaves_no_orphan(unique):
    """Either the testcase is created (and the project stays, refusing the
    delete), or the project is gone and the create says so."""
    for i in range(10):
        p = "%s-%d" % (unique, i)
        make_project(p)
        created, deleted = together([lambda: post(cases(p), {"name": "c"}),
                                     lambda: delete(ppath(p))])
        if created.status == 200:
            assert_error(deleted, 403,
                         "project [%s] still has testcases" % p)
            assert names(p) == ["c"]
        else:
            assert_error(created, 403, "Could not find project [%s]" % p)
            assert deleted.status == 200
            assert names(p) == []


# ---- names: byte for byte, in paths ----------------------------------------------------

def test_names_compare_byte_for_byte(project):
    for name, url in (("X", "upper"), ("x", "lower"), ("x ", "space"),
                      ("é", "accent"), ("e", "plain")):
        make(project, name, url=url)
    for name, url in (("X", "upper"), ("x", "lower"), ("x ", "space"),
                      ("é", "accent"), ("e", "plain")):
        assert fetch(project, name)["url"] == url


def test_spaces_utf8_and_percent_in_paths(unique, base_url):
    project = unique + " p 50%-été"
    make_project(project)
    name = "case 100%_a+b;%41-测试-😀"
    r = make(project, name)
    assert r.json["href"] == (base_url + "/api/v1/projects/" + quote(project)
                              + "/cases/" + quote(name))
    c = fetch(project, name)
    assert (c["name"], c["project_name"]) == (name, project)
    assert names(project) == [name]
    assert_error(get(cases(project) + "/" + quote(quote(name))), 404)
    assert_error(get(cases(project) + "/" + quote(name).replace("%20", "+")), 404)
    r = put(cpath(project, name), {"url": "u"})
    assert r.status == 200 and r.json["url"] == "u", r
    r = delete(cpath(project, name))
    assert r.status == 200 and r.raw == b""
    assert names(project) == []


# ---- update -----------------------------------------------------------------------------

def test_update_fields(project):
    make(project, "c", description="d", url="u")
    before = fetch(project, "c")
    r = put(cpath(project, "c"), {"description": "d2"})
    assert r.status == 200, r
    assert r.json == dict(before, description="d2")
    r = put(cpath(project, "c"), {"url": "u2", "description": ""})
    assert r.status == 200, r
    assert r.json == dict(before, description="", url="u2")
    assert fetch(project, "c") == r.json


def test_rename_keeps_id(project):
    make(project, "c", url="u")
    before = fetch(project, "c")
    r = put(cpath(project, "c"), {"name": "c-new é"})
    assert r.status == 200, r
    assert r.json == dict(before, name="c-new é")
    assert_error(get(cpath(project, "c")), 404)
    assert fetch(project, "c-new é") == r.json
    assert names(project) == ["c-new é"]


def test_move_to_another_project(unique):
    make_project(unique + "a")
    make_project(unique + "b")
    make(unique + "a", "c", url="u")
    before = fetch(unique + "a", "c")
    r = put(cpath(unique + "a", "c"), {"project_name": unique + "b"})
    assert r.status == 200, r
    assert r.json == dict(before, project_name=unique + "b")
    assert_error(get(cpath(unique + "a", "c")), 404)
    assert fetch(unique + "b", "c") == r.json
    assert names(unique + "a") == []
    assert names(unique + "b") == ["c"]
    # the old project is empty now: it can go
    assert delete(ppath(unique + "a")).status == 200


def test_move_and_rename_at_once(unique):
    make_project(unique + "a")
    make_project(unique + "b")
    make(unique + "a", "c")
    before = fetch(unique + "a", "c")
    r = put(cpath(unique + "a", "c"),
            {"project_name": unique + "b", "name": "d", "url": "x"})
    assert r.status == 200, r
    assert r.json == dict(before, project_name=unique + "b", name="d", url="x")
    assert fetch(unique + "b", "d") == r.json
    assert names(unique + "a") == []


def test_move_to_unknown_project_is_403(project, unique):
    make(project, "c", url="u")
    before = fetch(project, "c")
    assert_error(put(cpath(project, "c"), {"project_name": unique + "nope"}),
                 403, "Could not find project [%s]" % (unique + "nope"))
    assert_error(put(cpath(project, "c"),
                     {"project_name": unique + "nope", "url": "x"}),
                 403, "Could not find project [%s]" % (unique + "nope"))
    assert fetch(project, "c") == before
    assert names(unique + "nope") == []


def test_move_onto_a_taken_pair_is_403(unique):
    make_project(unique + "a")
    make_project(unique + "b")
    make(unique + "a", "c", url="a")
    make(unique + "b", "c", url="b")
    a, b = fetch(unique + "a", "c"), fetch(unique + "b", "c")
    assert_error(put(cpath(unique + "a", "c"), {"project_name": unique + "b"}),
                 403, "c already exists as a testcase in project %s"
                 % (unique + "b"))
    assert fetch(unique + "a", "c") == a
    assert fetch(unique + "b", "c") == b


def test_rename_to_a_taken_name_is_403(project):
    make(project, "c1", url="1")
    make(project, "c2", url="2")
    c1, c2 = fetch(project, "c1"), fetch(project, "c2")
    assert_error(put(cpath(project, "c1"), {"name": "c2", "url": "x"}), 403,
                 "c2 already exists as a testcase in project %s" % project)
    assert fetch(project, "c1") == c1
    assert fetch(project, "c2") == c2
    assert names(project) == ["c1", "c2"]


def test_concurrent_moves_onto_one_pair_have_one_winner(unique):
    make_project(unique + "dst")
    for i in range(8):
        make_project("%s-%d" % (unique, i))
        make("%s-%d" % (unique, i), "c", url=str(i))
    statuses = [r.status for r in together(
        [lambda i=i: put(cpath("%s-%d" % (unique, i), "c"),
                         {"project_name": unique + "dst"})
         for i in range(8)])]
    assert sorted(statuses) == [200] + [403] * 7
    assert names(unique + "dst") == ["c"]
    left = sum(names("%s-%d" % (unique, i)) == ["c"] for i in range(8))
    assert left == 7


def test_text_fields_over_65535_bytes_are_400(project):
    assert_error(post(cases(project), {"name": "c", "url": "u" * 65536}), 400)
    assert names(project) == []
    make(project, "c", description="d" * 65535)
    before = fetch(project, "c")
    assert_error(put(cpath(project, "c"), {"description": "d" * 65536}), 400)
    assert fetch(project, "c") == before


def test_update_identical_is_nothing_to_update(project):
    make(project, "c", description="d", url="u")
    before = fetch(project, "c")
    for body in ({"name": "c"}, {"description": "d"}, {"url": "u"},
                 {"project_name": project},
                 {"name": "c", "description": "d", "url": "u",
                  "project_name": project},
                 {}, {"name": None, "url": None}, {"other": 1}):
        assert_error(put(cpath(project, "c"), body), 403, "Nothing to update")
    assert fetch(project, "c") == before


def test_update_compares_byte_for_byte(project):
    make(project, "c", url="u")
    r = put(cpath(project, "c"), {"url": "u "})
    assert r.status == 200 and r.json["url"] == "u ", r
    r = put(cpath(project, "c"), {"name": "C"})
    assert r.status == 200 and r.json["name"] == "C", r
    assert names(project) == ["C"]


def test_update_no_body_is_400(project):
    make(project, "c", url="u")
    before = fetch(project, "c")
    for raw in (None, b"", b"null"):
        assert_error(put(cpath(project, "c"), raw=raw), 400, "No payload")
    assert fetch(project, "c") == before


def test_update_unknown_is_404(project, unique):
    assert_error(put(cpath(project, "nope"), {"url": "x"}), 404,
                 "Could not find testcase [nope] in project [%s]" % project)
    assert_error(put(cpath(unique + "x", "nope"), {"url": "x"}), 404)
    assert names(project) == []


def test_update_validation_is_400(project):
    make(project, "c", url="u")
    before = fetch(project, "c")
    assert_error(put(cpath(project, "c"), {"name": ""}), 400, "name missing")
    assert_error(put(cpath(project, "c"), {"project_name": ""}), 400,
                 "project_name missing")
    for field in ("name", "description", "url", "project_name"):
        assert_error(put(cpath(project, "c"), {field: 1}), 400,
                     "%s must be a string" % field)
    assert_error(put(cpath(project, "c"), {"url": "x", "name": 2}), 400,
                 "name must be a string")
    for bad in (".", "..", "a/b", "x" * 256):
        assert_error(put(cpath(project, "c"), {"name": bad}), 400)
        assert_error(put(cpath(project, "c"), {"project_name": bad}), 400)
    assert_error(put(cpath(project, "c"), ["c"]), 400,
                 prefix="Bad Json format [")
    assert fetch(project, "c") == before


# ---- delete ----------------------------------------------------------------------------

def test_delete_then_gone(project):
    make(project, "c")
    make(project, "keep")
    r = delete(cpath(project, "c"))
    assert r.status == 200 and r.raw == b""
    assert_error(get(cpath(project, "c")), 404)
    assert_error(delete(cpath(project, "c")), 404,
                 "Could not find testcase [c] in project [%s]" % project)
    assert names(project) == ["keep"]
    make(project, "c")  # the name is free again


def test_delete_only_in_its_project(unique):
    make_project(unique + "a")
    make_project(unique + "b")
    make(unique + "a", "c")
    assert_error(delete(cpath(unique + "b", "c")), 404)
    assert_error(delete(cpath(unique + "nope", "c")), 404)
    assert names(unique + "a") == ["c"]


# ---- authentication, methods -----------------------------------------------------------

def test_writes_without_credentials_are_401(project):
    r = post(cases(project), {"name": "c"}, auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate").startswith("Basic")
    assert names(project) == []
    make(project, "c", url="u")
    before = fetch(project, "c")
    r = put(cpath(project, "c"), {"url": "x"}, auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate").startswith("Basic")
    assert_error(delete(cpath(project, "c"), auth=False), 401)
    assert_error(delete(cpath(project, "c"), auth="opnfv:wrong"), 401)
    assert fetch(project, "c") == before


def test_reads_are_public(project):
    make(project, "c")
    assert get(cpath(project, "c"), auth=False).status == 200
    assert get(cases(project), auth=False).status == 200


def test_head(project):
    make(project, "c")
    r = request("HEAD", cpath(project, "c"))
    assert r.status == 200 and r.raw == b""
    assert r.header("content-type") == "application/json"
    r = request("HEAD", cases(project))
    assert r.status == 200 and r.raw == b""
    assert request("HEAD", cpath(project, "zz")).status == 404


def test_method_not_allowed_has_allow(project):
    r = delete(cases(project))
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = put(cases(project), {"name": "c"})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = post(cpath(project, "c"), {"name": "c"})
    assert_error(r, 405)
    assert r.header("allow") == "GET, HEAD, PUT, DELETE, OPTIONS"
    assert names(project) == []


def test_options_lists_methods(project):
    r = request("OPTIONS", cases(project), auth=False)
    assert r.status == 200
    assert r.header("allow") == "GET, HEAD, POST, OPTIONS"
    r = request("OPTIONS", cpath(project, "c"), auth=False)
    assert r.status == 200
    assert r.header("allow") == "GET, HEAD, PUT, DELETE, OPTIONS"
