"""Accounts and rights: the module's authentication provider (with its
verification cache), "Require testapi-project", the handler's project
checks, the audit lines, and testapi-admin, which makes every account used
here."""
import base64
import hashlib
import http.client
import json
import os
import re
import statistics
import subprocess
import time
import uuid

import pytest

from conftest import (ADMIN_TOOL, URL, Response, assert_error, delete, get,
                      make_account, post, put, quote, request, tool)

ERROR_LOG = os.environ.get("TESTAPI_ERROR_LOG")
DB_PORT = os.environ.get("TESTAPI_DB_PORT")
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))
# A location of the dev server where TestAPIAuthCacheTTL is 0.
NOCACHE = "testapi-nocache"
# ... and one where mod_authn_file authenticates (AuthUserFile below).
HTPASSWD = "testapi-htpasswd"


@pytest.fixture
def account():
    """A new account without rights: (name, password)."""
    name, password = make_account()
    yield name, password
    tool("remove", name)


@pytest.fixture
def admin_account():
    name, password = make_account(admin=True)
    yield name, password
    tool("remove", name)


def cred(acct, password=None):
    return "%s:%s" % (acct[0], acct[1] if password is None else password)


def grant(acct, project):
    r = tool("grant", acct[0], project)
    assert r.returncode == 0, r.stderr


def revoke(acct, project):
    r = tool("revoke", acct[0], project)
    assert r.returncode == 0, r.stderr


def make_project(name):
    r = post("/api/v1/projects", {"name": name})
    assert r.status == 200, r


def make_case(project, name):
    r = post("/api/v1/projects/%s/cases" % quote(project), {"name": name})
    assert r.status == 200, r


@pytest.fixture
def world(unique):
    """Two projects, each with a testcase, and a pod (made by opnfv)."""
    mine, other = unique + "-mine", unique + "-other"
    for p in (mine, other):
        make_project(p)
        make_case(p, "vping")
    pod = unique + "-pod"
    assert post("/api/v1/pods", {"name": pod}).status == 200
    return {"mine": mine, "other": other, "pod": pod}


def result_body(world, project):
    return {"project_name": project, "case_name": "vping",
            "pod_name": world["pod"], "installer": "fuel",
            "criteria": "PASS", "start_date": "2016-09-30 10:11:12"}


def results_of(project):
    r = get("/api/v1/results?project=%s" % quote(project))
    assert r.status == 200, r
    return r.json["results"]


def denied(resp, account, project):
    assert_error(resp, 403, "account [%s] may not write to project [%s]"
                 % (account[0], project))


# ---- authentication ----------------------------------------------------

def test_no_credentials_is_json_401_with_www_authenticate(world):
    r = post("/api/v1/results", result_body(world, world["mine"]), auth=False)
    assert_error(r, 401)
    assert r.header("www-authenticate") == 'Basic realm="TestAPI"'
    assert results_of(world["mine"]) == []


def test_wrong_password_and_unknown_account_are_401(world, account):
    grant(account, world["mine"])
    body = result_body(world, world["mine"])
    r = post("/api/v1/results", body, auth=cred(account, "wrong"))
    assert_error(r, 401)
    assert r.header("www-authenticate") == 'Basic realm="TestAPI"'
    assert_error(post("/api/v1/results", body, auth="nobody-%s:x"
                      % uuid.uuid4().hex), 401)
    # A name that is not UTF-8 is just unknown, not a server error.
    raw = base64.b64encode(b"caf\xe9:x").decode()
    r = request("POST", "/api/v1/results", body, auth=False,
                headers={"Authorization": "Basic " + raw})
    assert_error(r, 401)
    assert results_of(world["mine"]) == []


def test_password_change_refuses_the_old_one_at_once(world, account):
    grant(account, world["mine"])
    path = "/api/v1/projects/%s/cases" % quote(world["mine"])
    with Conn() as c:
        # Verified once, then remembered by this child.
        assert c.post(path, {"name": "a"}, cred(account)).status == 200
        assert c.post(path, {"name": "b"}, cred(account)).status == 200
        r = tool("passwd", account[0], password="new-" + account[1])
        assert r.returncode == 0, r.stderr
        assert_error(c.post(path, {"name": "c"}, cred(account)), 401)
        r = c.post(path, {"name": "d"}, cred(account, "new-" + account[1]))
        assert r.status == 200, r
    names = {t["name"] for t in get(path).json["testcases"]}
    assert names == {"vping", "a", "b", "d"}


def test_removed_account_is_401_at_once(world, account):
    grant(account, world["mine"])
    path = "/api/v1/projects/%s/cases" % quote(world["mine"])
    with Conn() as c:
        assert c.post(path, {"name": "a"}, cred(account)).status == 200
        assert tool("remove", account[0]).returncode == 0
        assert_error(c.post(path, {"name": "b"}, cred(account)), 401)
    assert get(path + "/b").status == 404


def test_the_cache_spares_bcrypt_and_ttl_0_disables_it(account):
    """An account with an expensive hash: with the cache only the first
    request of a connection verifies; under TestAPIAuthCacheTTL 0 each
    does."""
    slow = make_account(cost=12)
    try:
        project = account[0] + "-p"
        make_project(project)
        r = post("/api/v1/projects", {"name": NOCACHE})
        assert r.status in (200, 403), r
        grant(slow, project)
        grant(slow, NOCACHE)
        cached, uncached = [], []
        with Conn() as c:
            for i in range(5):
                t0 = time.monotonic()
                r = c.post("/api/v1/projects/%s/cases" % project,
                           {"name": "c%d" % i}, cred(slow))
                cached.append(time.monotonic() - t0)
                assert r.status == 200, r
            for i in range(3):
                t0 = time.monotonic()
                r = c.post("/api/v1/projects/%s/cases" % NOCACHE,
                           {"name": "%s-%d" % (project, i)}, cred(slow))
                uncached.append(time.monotonic() - t0)
                assert r.status == 200, r
        first, hits = cached[0], cached[1:]
        # bcrypt at cost 12 takes hundreds of milliseconds; a hit, none.
        assert statistics.median(hits) * 5 < first, (first, hits)
        assert statistics.median(hits) * 5 < min(uncached), (hits, uncached)
    finally:
        tool("remove", slow[0])


# ---- authorization -----------------------------------------------------

def test_scoped_account_writes_its_project(world, account):
    grant(account, world["mine"])
    p = quote(world["mine"])
    me = cred(account)
    r = post("/api/v1/projects/%s/cases" % p, {"name": "new"}, auth=me)
    assert r.status == 200, r
    r = put("/api/v1/projects/%s/cases/new" % p, {"description": "d"},
            auth=me)
    assert r.status == 200, r
    r = post("/api/v1/results", result_body(world, world["mine"]), auth=me)
    assert r.status == 200, r
    rid = r.json["href"].rsplit("/", 1)[1]
    r = put("/api/v1/results/" + rid, {"trust_indicator": 0.5}, auth=me)
    assert r.status == 200, r
    assert r.json["trust_indicator"]["current"] == 0.5
    assert delete("/api/v1/projects/%s/cases/new" % p, auth=me).status == 200
    assert len(results_of(world["mine"])) == 1


def test_rights_of_accounts_authenticated_by_another_provider(account,
                                                               unique):
    """Where another provider authenticates (mod_authn_file in a location
    of the dev server), "Require testapi-project" reads the account's rights
    itself: a granted account writes its project; one that the file knows
    but the accounts table does not is refused, 403."""
    stranger = ("stranger-" + unique, "pw-" + uuid.uuid4().hex)
    with open(os.path.join(os.path.dirname(ERROR_LOG), "htpasswd"), "w") as f:
        for name, password in (account, stranger):
            digest = hashlib.sha1(password.encode()).digest()
            f.write("%s:{SHA}%s\n" % (name, base64.b64encode(digest).decode()))
    if get("/api/v1/projects/" + HTPASSWD).status == 404:
        make_project(HTPASSWD)
    grant(account, HTPASSWD)
    cases = "/api/v1/projects/%s/cases" % HTPASSWD
    r = post(cases, {"name": unique}, auth=cred(account))
    assert r.status == 200, r
    r = post(cases, {"name": unique + "-2"}, auth=cred(stranger))
    assert_error(r, 403, "account [%s] has no rights: it is not in the "
                 "accounts table" % stranger[0])
    r = post(cases, {"name": unique + "-3"}, auth=cred(account, "wrong"))
    assert r.status == 401, r


def test_scoped_account_is_refused_other_projects(world, account):
    grant(account, world["mine"])
    me = cred(account)
    other = world["other"]
    o = quote(other)
    # a result of the other project, made by an admin
    r = post("/api/v1/results", result_body(world, other))
    assert r.status == 200, r
    rid = r.json["href"].rsplit("/", 1)[1]

    denied(post("/api/v1/projects/%s/cases" % o, {"name": "x"}, auth=me),
           account, other)
    denied(put("/api/v1/projects/%s/cases/vping" % o, {"description": "x"},
               auth=me), account, other)
    denied(delete("/api/v1/projects/%s/cases/vping" % o, auth=me),
           account, other)
    denied(post("/api/v1/results", result_body(world, other), auth=me),
           account, other)
    denied(put("/api/v1/results/" + rid, {"trust_indicator": 0.9}, auth=me),
           account, other)
    # moving its own testcase into the other project
    denied(put("/api/v1/projects/%s/cases/vping" % quote(world["mine"]),
               {"project_name": other}, auth=me), account, other)

    # nothing was stored
    cases = get("/api/v1/projects/%s/cases" % o).json["testcases"]
    assert [(t["name"], t["description"]) for t in cases] == [("vping", "")]
    assert get("/api/v1/projects/%s/cases/vping"
               % quote(world["mine"])).status == 200
    assert [x["_id"] for x in results_of(other)] == [rid]
    assert get("/api/v1/results/" + rid).json["trust_indicator"]["current"] == 0
    assert results_of(world["mine"]) == []


def test_scoped_account_may_not_write_pods_or_projects(world, account,
                                                       unique):
    grant(account, world["mine"])
    me = cred(account)
    mine = quote(world["mine"])
    for r in (post("/api/v1/pods", {"name": unique + "-x"}, auth=me),
              delete("/api/v1/pods/" + world["pod"], auth=me),
              post("/api/v1/projects", {"name": unique + "-x"}, auth=me),
              put("/api/v1/projects/" + mine, {"description": "x"}, auth=me),
              delete("/api/v1/projects/" + mine, auth=me)):
        body = assert_error(r, 403)
        assert body["message"].startswith(
            "account [%s] is not an admin: only admins may " % account[0]), body
    assert get("/api/v1/pods/%s-x" % unique).status == 404
    assert get("/api/v1/projects/%s-x" % unique).status == 404
    assert get("/api/v1/pods/" + world["pod"]).status == 200
    assert get("/api/v1/projects/" + mine).json["description"] == ""


def test_account_without_projects_may_not_post_results(world, account):
    r = post("/api/v1/results", result_body(world, world["mine"]),
             auth=cred(account))
    assert_error(r, 403, "account [%s] may not write results: it has no "
                 "project" % account[0])
    assert results_of(world["mine"]) == []


def test_admin_account_may_write_everything(world, admin_account, unique):
    me = cred(admin_account)
    assert post("/api/v1/pods", {"name": unique + "-apod"},
                auth=me).status == 200
    assert post("/api/v1/projects", {"name": unique + "-aproj"},
                auth=me).status == 200
    assert post("/api/v1/projects/%s/cases" % quote(world["other"]),
                {"name": "adm"}, auth=me).status == 200
    assert post("/api/v1/results", result_body(world, world["other"]),
                auth=me).status == 200
    assert delete("/api/v1/projects/%s-aproj" % unique, auth=me).status == 200


def test_revoked_grant_is_refused_at_once(world, account):
    grant(account, world["mine"])
    path = "/api/v1/projects/%s/cases" % quote(world["mine"])
    with Conn() as c:
        assert c.post(path, {"name": "a"}, cred(account)).status == 200
        revoke(account, world["mine"])
        denied(c.post(path, {"name": "b"}, cred(account)), account,
               world["mine"])
        r = c.post("/api/v1/results", result_body(world, world["mine"]),
                   cred(account))
        assert_error(r, 403)
    assert get(path + "/b").status == 404
    assert results_of(world["mine"]) == []


def test_moving_a_testcase_between_granted_projects(world, account):
    grant(account, world["mine"])
    grant(account, world["other"])
    r = put("/api/v1/projects/%s/cases/vping" % quote(world["mine"]),
            {"name": "moved", "project_name": world["other"]},
            auth=cred(account))
    assert r.status == 200, r
    assert r.json["project_name"] == world["other"]


def test_grants_follow_a_renamed_project(world, account):
    grant(account, world["mine"])
    renamed = world["mine"] + "-renamed"
    r = put("/api/v1/projects/" + quote(world["mine"]), {"name": renamed})
    assert r.status == 200, r
    r = post("/api/v1/projects/%s/cases" % quote(renamed), {"name": "x"},
             auth=cred(account))
    assert r.status == 200, r
    assert "\t" + renamed in tool("list").stdout


def test_a_deleted_project_takes_its_grants_along(account, unique):
    make_project(unique)
    grant(account, unique)
    assert delete("/api/v1/projects/" + unique).status == 200
    make_project(unique)
    denied(post("/api/v1/projects/%s/cases" % unique, {"name": "x"},
                auth=cred(account)), account, unique)


def test_reads_stay_public(world):
    for path in ("/api/v1/pods", "/api/v1/projects",
                 "/api/v1/projects/%s/cases" % quote(world["mine"]),
                 "/api/v1/results?project=" + quote(world["mine"])):
        assert get(path, auth=False).status == 200
        assert request("HEAD", path, auth=False).status == 200
        assert request("OPTIONS", path, auth=False).status == 200


# ---- audit -------------------------------------------------------------

def audit_lines(pattern, timeout=5):
    """Lines of the error log matching pattern (written as the request is
    logged, just after the answer: wait a little)."""
    assert ERROR_LOG, "TESTAPI_ERROR_LOG is not set"
    deadline = time.monotonic() + timeout
    while True:
        with open(ERROR_LOG, encoding="utf-8", errors="replace") as f:
            found = [line for line in f if re.search(pattern, line)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def test_every_write_leaves_an_audit_line(world, account, unique):
    grant(account, world["mine"])
    ok = "/api/v1/projects/%s/cases" % quote(world["mine"])
    assert post(ok, {"name": unique + "ok"}, auth=cred(account)).status == 200
    refused = "/api/v1/projects/%s/cases" % quote(world["other"])
    assert post(refused, {"name": "x"}, auth=cred(account)).status == 403
    assert post(ok + "?u=" + unique, {"name": "y"},
                auth=cred(account, "bad")).status == 401
    assert delete("/api/v1/pods/%s-gone" % unique).status == 404
    assert get(ok + "?u=" + unique).status == 200

    def line(user, method, uri, status):
        return audit_lines(r"TESTAPI00110: audit user=%s client=127\.0\.0\.1 "
                           r"method=%s uri=\"%s\" status=%d$"
                           % (user, method, re.escape(uri), status))

    assert line('"%s"' % account[0], "POST", ok, 200)
    assert line('"%s"' % account[0], "POST", refused, 403)
    assert line('- tried="%s"' % account[0], "POST", ok + "?u=" + unique, 401)
    assert line('"opnfv"', "DELETE", "/api/v1/pods/%s-gone" % unique, 404)
    # a name cannot forge fields or lines
    evil = 'x%" status=200\nTESTAPI00110 audit user="opnfv\\' + unique
    assert post(ok, {"name": "z"}, auth=evil + ":pw").status == 401
    found = audit_lines(r'audit user=- tried="x%%25%%22 status=200%%0A'
                        r'TESTAPI00110 audit user=%%22opnfv%%5C%s" '
                        r'client=\S+ method=POST uri="[^"]*" status=401$'
                        % unique)
    assert len(found) == 1, found
    assert not audit_lines(r'^TESTAPI00110 audit user="opnfv', timeout=0)
    # reads are not audited
    assert not audit_lines(r"audit .* method=GET uri=\"%s" % re.escape(ok),
                           timeout=0.5)


def test_audit_level_off_writes_no_line(account, unique):
    project = "testapi-unaudited"
    r = post("/api/v1/projects", {"name": project})
    assert r.status in (200, 403), r
    path = "/api/v1/projects/%s/cases" % project
    assert post(path, {"name": unique}).status == 200
    # a later write elsewhere is logged: the first one had its chance
    assert delete("/api/v1/pods/%s-gone" % unique).status == 404
    assert audit_lines(r"audit .* uri=\"/api/v1/pods/%s-gone\"" % unique)
    assert not audit_lines(r"audit .* uri=\"%s\"" % re.escape(path),
                           timeout=0)


def configtest(tmp_path, lines):
    """apache2 -t on the dev server's configuration plus lines in a
    <Location>."""
    conf = os.path.join(TOP, ".dev", "httpd.conf")
    if not os.path.exists(conf):
        pytest.skip("needs build/dev's Apache configuration")
    bad = tmp_path / "httpd.conf"
    with open(conf) as f:
        text = f.read()
    bad.write_text(text + '\n<Location "/x">\n%s\n</Location>\n' % lines)
    return subprocess.run(["apache2", "-t", "-f", str(bad)],
                          capture_output=True, text=True, timeout=60)


def test_directives_refuse_bad_values(tmp_path):
    for line, message in (
            ("TestAPIAuthCacheTTL -1", "TestAPIAuthCacheTTL must be a number "
             "of seconds from 0 (no cache) to 86400"),
            ("TestAPIAuthCacheTTL 1h", "TestAPIAuthCacheTTL must be"),
            ("TestAPIAuditLevel loud", "TestAPIAuditLevel must be off or a "
             "log level from emerg to debug"),
            ("Require testapi-project alice", "Require testapi-project takes "
             "no arguments")):
        r = configtest(tmp_path, line)
        assert r.returncode != 0, line
        assert message in r.stderr, (line, r.stderr)
    r = configtest(tmp_path, "TestAPIAuditLevel Info\nTestAPIAuthCacheTTL 0")
    assert r.returncode == 0, r.stderr


def test_directive_numbers_are_decimal_and_within_their_range(tmp_path):
    per_page = "TestAPIResultsPerPage must be a number from 1 to 10000"
    body = "TestAPIMaxBodySize must be a positive number of bytes"
    ttl = "TestAPIAuthCacheTTL must be a number of seconds from 0"
    for line, message in (
            ("TestAPIResultsPerPage 0", per_page),
            ("TestAPIResultsPerPage 10001", per_page),
            ("TestAPIResultsPerPage 20x", per_page),
            ("TestAPIResultsPerPage 0x10", per_page),
            ("TestAPIResultsPerPage -5", per_page),
            ("TestAPIMaxBodySize 0", body),
            ("TestAPIMaxBodySize -1", body),
            ("TestAPIMaxBodySize 8M", body),
            ("TestAPIMaxBodySize 9223372036854775808", body),
            ("TestAPIAuthCacheTTL 86401", ttl)):
        r = configtest(tmp_path, line)
        assert r.returncode != 0, line
        assert message in r.stderr, (line, r.stderr)
    r = configtest(tmp_path, "TestAPIResultsPerPage 10000\n"
                   "TestAPIMaxBodySize 9223372036854775807\n"
                   "TestAPIAuthCacheTTL 86400")
    assert r.returncode == 0, r.stderr


# ---- the database goes away --------------------------------------------

def dev(command):
    """build/dev COMMAND for this checkout's dev server."""
    env = dict(os.environ, PORT=str(URL.port), DB_PORT=DB_PORT)
    subprocess.run([os.path.join(TOP, "build", "dev"), command], env=env,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=180)


@pytest.fixture
def database_down():
    """Stops the dev MariaDB for one test and brings it back.  Then `up`
    restarts Apache gracefully, so that no connection left dead in mod_dbd's
    pools answers a later test with 503 (recovering from that is not what
    these tests are about)."""
    if not DB_PORT:
        pytest.skip("needs build/dev's MariaDB (run through build/dev test)")
    dev("db-stop")
    try:
        yield
    finally:
        dev("up")
        deadline = time.monotonic() + 60
        while get("/api/v1/pods").status != 200:
            assert time.monotonic() < deadline, "the database did not return"
            time.sleep(0.5)


def test_database_down_during_authentication_is_json_503(database_down,
                                                          unique):
    for auth in (True, "nobody:x"):
        r = post("/api/v1/pods", {"name": unique}, auth=auth)
        assert_error(r, 503, "database unavailable, try again later")
        assert r.header("retry-after") == "5"
    # without credentials, authentication never asks the database
    assert_error(post("/api/v1/pods", {"name": unique}, auth=False), 401)


# ---- testapi-admin -----------------------------------------------------

def test_admin_tool_manages_accounts(world, unique):
    name = "acct-" + unique
    r = tool("-c", "4", "add", name, password="first")
    assert r.returncode == 0, r.stderr
    try:
        r = tool("add", name, password="again")
        assert (r.returncode, r.stderr.strip()) == (
            1, "testapi-admin: account [%s] already exists" % name)
        assert tool("list").stdout.count(name + "\t-\n") == 1
        assert tool("grant", name, world["mine"]).returncode == 0
        assert tool("grant", name, world["other"]).returncode == 0
        listed = [l for l in tool("list").stdout.splitlines()
                  if l.startswith(name + "\t")]
        assert listed == ["%s\t-\t%s\t%s" % ((name,) + tuple(
            sorted([world["mine"], world["other"]])))]
        r = tool("grant", name, unique + "-none")
        assert (r.returncode, r.stderr.strip()) == (
            1, "testapi-admin: no project [%s-none]" % unique)
        r = tool("revoke", name, world["other"])
        assert r.returncode == 0
        r = tool("revoke", name, world["other"])
        assert r.returncode == 1 and "has no grant" in r.stderr
        assert tool("admin", name, "on").returncode == 0
        assert name + "\tadmin\t" in tool("list").stdout
        # an admin now: pods are allowed
        assert post("/api/v1/pods", {"name": unique + "-adm"},
                    auth=name + ":first").status == 200
        assert tool("admin", name, "off").returncode == 0
        assert_error(post("/api/v1/pods", {"name": unique + "-adm2"},
                          auth=name + ":first"), 403)
    finally:
        assert tool("remove", name).returncode == 0
    r = tool("remove", name)
    assert (r.returncode, r.stderr.strip()) == (
        1, "testapi-admin: no account [%s]" % name)
    r = tool("passwd", name, password="x")
    assert r.returncode == 1


def test_admin_tool_refuses_bad_input(unique):
    for args, pw, status, message in (
            (["add", "a:b"], "x", 1, "may not hold ':'"),
            (["add", "acct-%s" % unique], "", 1, "empty password"),
            (["add", "acct-%s" % unique], "x" * 73, 1, "longer than 72"),
            (["add"], None, 2, "Usage:"),
            (["frobnicate", "x"], None, 2, "Usage:"),
            (["-c", "3", "add", "x"], "x", 2, "cost"),
            (["-p", "host=127.0.0.1 port=1 user=x pass=y dbname=z",
              "list"], None, 3, "cannot connect to the database")):
        r = tool(*args, password=pw)
        assert r.returncode == status, (args, r.stderr)
        assert message in r.stderr, (args, r.stderr)
    # nothing was made by these
    assert "acct-%s\t" % unique not in tool("list").stdout


def test_admin_tool_reads_parameters_from_a_file(tmp_path):
    f = tmp_path / "params"
    f.write_text(os.environ["TESTAPI_DBD_PARAMS"] + "\n")
    env = {k: v for k, v in os.environ.items() if k != "TESTAPI_DBD_PARAMS"}
    r = subprocess.run([ADMIN_TOOL, "-f", str(f), "list"], capture_output=True,
                       text=True, env=env, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "opnfv\tadmin" in r.stdout
    r = subprocess.run([ADMIN_TOOL, "list"], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 2 and "no database parameters" in r.stderr


# Every command as its usage line shows it (README, "testapi-admin").
ADMIN_COMMANDS = ("add NAME [--admin]", "passwd NAME", "admin NAME on|off",
                  "grant NAME PROJECT", "revoke NAME PROJECT", "list",
                  "remove NAME", "help [COMMAND]")


def offline_tool(*args):
    """Runs testapi-admin without database parameters."""
    env = {k: v for k, v in os.environ.items() if k != "TESTAPI_DBD_PARAMS"}
    return subprocess.run([ADMIN_TOOL, *args], capture_output=True, text=True,
                          env=env, input="", timeout=60)


def usage_error(*args):
    """The standard error of a usage error, which needs no database."""
    r = offline_tool(*args)
    assert (r.returncode, r.stdout) == (2, ""), (args, r.stderr)
    return r.stderr


def test_admin_tool_refuses_an_unknown_command_with_the_usage():
    err = usage_error("frobnicate", "x")
    assert err.startswith("testapi-admin: unknown command frobnicate\n\n"
                          "Usage: testapi-admin [OPTIONS] COMMAND [ARGS]\n"), err
    for synopsis in ADMIN_COMMANDS:
        assert "\n  %s " % synopsis in err, synopsis


def test_admin_tool_refuses_a_wrong_number_of_operands_with_the_usage():
    for args, synopsis in ((["add"], "add NAME [--admin]"),
                           (["add", "a", "b"], "add NAME [--admin]"),
                           (["passwd"], "passwd NAME"),
                           (["admin", "a"], "admin NAME on|off"),
                           (["grant", "a"], "grant NAME PROJECT"),
                           (["revoke", "a", "p", "q"], "revoke NAME PROJECT"),
                           (["list", "x"], "list"),
                           (["remove"], "remove NAME"),
                           (["help", "add", "list"], "help [COMMAND]")):
        err = usage_error(*args)
        assert err.startswith("testapi-admin: wrong use of %s\n\n"
                              "Usage: testapi-admin [OPTIONS] %s\n"
                              % (args[0], synopsis)), err


def test_admin_tool_refuses_an_unknown_option_with_the_usage():
    for args, message in ((["--frobnicate", "list"], "unknown option --frobnicate"),
                          (["-x", "list"], "unknown option -x"),
                          (["add", "x", "--frobnicate"], "unknown option --frobnicate"),
                          (["list", "--admin"], "unknown option --admin"),
                          (["-c"], "-c needs a value"),
                          (["--cost"], "--cost needs a value"),
                          (["add", "x", "--admin=yes"], "--admin=yes takes no value")):
        err = usage_error(*args)
        assert err.startswith("testapi-admin: %s\n\nUsage: testapi-admin "
                              % message), err


def test_admin_tool_help_says_what_every_command_does():
    for args in (["--help"], ["-h"], ["help"]):
        r = offline_tool(*args)
        assert (r.returncode, r.stderr) == (0, ""), args
        assert r.stdout.startswith("Usage: testapi-admin [OPTIONS] COMMAND")
        for synopsis in ADMIN_COMMANDS:
            assert "\n  %s " % synopsis in r.stdout, synopsis
        for section in ("Options:", "Passwords:", "Environment:",
                        "Exit status:", "Examples:"):
            assert "\n%s\n" % section in r.stdout, section
    for synopsis in ADMIN_COMMANDS:
        name = synopsis.split()[0]
        helped = offline_tool("help", name)
        assert (helped.returncode, helped.stderr) == (0, ""), name
        assert helped.stdout.startswith(
            "Usage: testapi-admin [OPTIONS] %s\n\n" % synopsis)
        for args in ([name, "--help"], [name, "-h"]):
            assert offline_tool(*args).stdout == helped.stdout, args
    err = usage_error("help", "frobnicate")
    assert err.startswith("testapi-admin: unknown command frobnicate\n"), err


def test_admin_tool_takes_a_name_that_begins_with_a_dash_after_double_dash(unique):
    name = "-acct-" + unique
    r = tool("-c", "4", "add", "--admin", "--", name, password="x")
    assert r.returncode == 0, r.stderr
    try:
        assert "\n%s\tadmin\n" % name in "\n" + tool("list").stdout
        r = tool("remove", name)
        assert r.returncode == 2 and "unknown option " + name in r.stderr
    finally:
        assert tool("remove", "--", name).returncode == 0


# ---- one keep-alive connection: the same child, the same cache ----------

class Conn:
    def __enter__(self):
        self.c = http.client.HTTPConnection(URL.hostname, URL.port, timeout=60)
        return self

    def __exit__(self, *exc):
        self.c.close()

    def post(self, path, body, auth):
        self.c.request("POST", path, body=json.dumps(body).encode(), headers={
            "Content-Type": "application/json",
            "Authorization": "Basic " + base64.b64encode(auth.encode()).decode()})
        resp = self.c.getresponse()
        return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()},
                        resp.read())
