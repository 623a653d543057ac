"""Backup of the site's own state: `testapi-admin dump` writes accounts
(their password hashes), grants (with their projects) and the declaration
files named, in one versioned JSON file of mode 0600; `testapi-admin
restore` loads it into a database that holds no such state.  Results are
backed up with the database's own tools: a `mariadb-dump
--single-transaction` loaded into another database serves the same
answers.

Each test uses scratch databases and Apache instances of its own
(own_server.py)."""
import json
import os
import shutil
import stat
import subprocess

import pytest

import loadgen

TOP = loadgen.TOP
SQL_DIR = os.path.join(TOP, "sql")
DECLARATIONS = os.path.join(TOP, "conf", "dashboard.json")
# name: (password, admin, granted projects)
ACCOUNTS = {"site-admin": ("admin-pw", True, []),
            "ci-bot": ("bot-pw", False, ["functest"]),
            "ci-two": ("two-pw", False, ["functest", "yardstick"]),
            "reader": ("reader-pw", False, [])}
PROJECTS = ("functest", "yardstick", "bottlenecks")


def new_database(scratch_database):
    db = scratch_database()
    db.load(os.path.join(SQL_DIR, "schema.sql"))
    return db


@pytest.fixture
def site(scratch_database, own_apache):
    """A database from schema.sql with ACCOUNTS, their grants, and projects
    made through the API of its server (.server)."""
    db = new_database(scratch_database)
    for name, (password, admin, _) in ACCOUNTS.items():
        r = db.admin("-c", "4", "add", name, *(["--admin"] if admin else []),
                     password=password)
        assert r.returncode == 0, r.stderr
    server = own_apache(db)
    for project in PROJECTS:
        r = server.request("POST", "/api/v1/projects",
                           {"name": project, "description": "the " + project},
                           auth="site-admin:admin-pw")
        assert r.status == 200, r
    for name, (_, _, projects) in ACCOUNTS.items():
        for project in projects:
            assert db.admin("grant", name, project).returncode == 0
    db.server = server
    return db


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def can_write(server, account, project):
    """The status of a write that needs a grant on project."""
    name, password = account, ACCOUNTS[account][0]
    return server.request("POST", "/api/v1/projects/%s/cases" % project,
                          {"name": "case-of-" + name},
                          auth="%s:%s" % (name, password)).status


def test_a_restored_dump_keeps_every_account_its_password_and_rights(site, scratch_database, own_apache, tmp_path):
    declarations = tmp_path / "testapi-dashboard.json"
    shutil.copy(DECLARATIONS, declarations)
    out = tmp_path / "site.json"
    r = site.admin("dump", "-o", str(out), str(declarations))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("wrote %s (mode 0600): 4 accounts, 2 projects, 3 grants, "
                        "1 declaration file\n" % out)
    assert mode(out) == 0o600
    dump = json.loads(out.read_text())
    assert (dump["format"], dump["format_version"]) == ("mod_testapi site state", 1)
    hashes = {a["name"]: a["password"] for a in dump["tables"]["accounts"]}
    assert all(h.startswith("$2y$") for h in hashes.values())
    assert not any(pw in out.read_text() for pw, _, _ in ACCOUNTS.values())

    target = new_database(scratch_database)
    files = tmp_path / "restored"
    files.mkdir()
    r = target.admin("restore", str(out), "--files-dir", str(files))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("restored 4 accounts, 2 projects, 3 grants from %s" % out)
    assert (files / declarations.name).read_bytes() == declarations.read_bytes()
    assert target.admin("list").stdout == site.admin("list").stdout
    server = own_apache(target)
    for name, (password, admin, projects) in ACCOUNTS.items():
        for project in ("functest", "yardstick"):
            want = 200 if admin or project in projects else 403
            assert can_write(server, name, project) == want, (name, project)
        wrong = server.request("POST", "/api/v1/projects/functest/cases",
                               {"name": "x"}, auth=name + ":not-" + password)
        assert wrong.status == 401, name
    assert server.request("POST", "/api/v1/pods", {"name": "p"},
                          auth="site-admin:admin-pw").status == 200
    # the granted projects came along as they were; the others did not
    projects = server.get("/api/v1/projects").json["projects"]
    before = {p["name"]: p for p in
              site.server.get("/api/v1/projects").json["projects"]}
    assert [p["name"] for p in projects] == ["functest", "yardstick"]
    for p in projects:
        assert p == before[p["name"]]


def test_a_dump_over_a_file_makes_it_private_and_to_stdout_is_json(site, tmp_path):
    out = tmp_path / "site.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    assert site.admin("dump", "-o", str(out)).returncode == 0
    assert mode(out) == 0o600
    assert json.loads(out.read_text())["tables"]["grants"]
    r = site.admin("dump")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["tables"] == json.loads(out.read_text())["tables"]
    assert r.stderr == ("testapi-admin: dumped 4 accounts, 2 projects, 3 grants, "
                        "0 declaration files\n")


def test_restore_refuses_a_database_that_holds_accounts(site, scratch_database, tmp_path):
    out = tmp_path / "site.json"
    assert site.admin("dump", "-o", str(out)).returncode == 0
    target = new_database(scratch_database)
    assert target.admin("-c", "4", "add", "someone", password="pw").returncode == 0
    r = target.admin("restore", str(out))
    assert r.returncode == 1, r
    assert r.stderr.startswith("testapi-admin: the database holds site state "
                               "already (1 accounts): ")
    assert "nothing was changed" in r.stderr
    assert target.sql("SELECT name FROM accounts") == [["someone"]]
    assert target.sql("SELECT COUNT(*) FROM projects") == [["0"]]


def test_restore_refuses_a_file_of_another_format(site, scratch_database, tmp_path):
    out = tmp_path / "site.json"
    assert site.admin("dump", "-o", str(out)).returncode == 0
    target = new_database(scratch_database)
    dump = json.loads(out.read_text())
    for change, message in (
            ({"format_version": 2}, "a dump of format version 2; this "
             "testapi-admin reads version 1"),
            ({"format": "something else"}, "not a dump of testapi-admin"),
            ({"schema_version": 999}, "made from a database at schema version "
             "999")):
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(dict(dump, **change)))
        r = target.admin("restore", str(bad))
        assert r.returncode == 1, (change, r)
        assert message in r.stderr, (change, r.stderr)
    assert target.sql("SELECT COUNT(*) FROM accounts") == [["0"]]


def test_restore_writes_no_declaration_file_over_another(site, scratch_database, tmp_path):
    declarations = tmp_path / "decl.json"
    shutil.copy(DECLARATIONS, declarations)
    out = tmp_path / "site.json"
    assert site.admin("dump", "-o", str(out), str(declarations)).returncode == 0
    target = new_database(scratch_database)
    r = target.admin("restore", str(out), "--files-dir", str(tmp_path))
    assert r.returncode == 1, r
    assert "%s exists already: nothing was restored" % declarations in r.stderr
    assert target.sql("SELECT COUNT(*) FROM accounts") == [["0"]]
    r = target.admin("restore", str(out))
    assert r.returncode == 0, r.stderr
    assert "file %s (%d bytes) not written: --files-dir DIR writes it there" % (
        declarations, os.path.getsize(declarations)) in r.stdout


def test_a_mariadb_dump_of_the_database_serves_the_same_answers(site, scratch_database, own_apache):
    """The plain backup of results (README, "Backups")."""
    source = site.server
    auth = "site-admin:admin-pw"
    assert source.request("POST", "/api/v1/pods", {"name": "pod"}, auth=auth).status == 200
    assert source.request("POST", "/api/v1/projects/functest/cases",
                          {"name": "vPing"}, auth=auth).status == 200
    for i in range(3):
        assert source.request("POST", "/api/v1/results", {
            "project_name": "functest", "case_name": "vPing", "pod_name": "pod",
            "start_date": "2016-09-0%d 10:00:00" % (i + 1),
            "details": {"duration": i}}, auth=auth).status == 200
    backup = site.dump("--single-transaction")
    copy = scratch_database()
    subprocess.run(["mariadb", "--no-defaults", "--socket=" + loadgen.DB_SOCKET,
                    "-uroot", copy.name], input=backup, check=True,
                   capture_output=True, timeout=120)
    restored = own_apache(copy)
    for path in ("/api/v1/pods", "/api/v1/projects", "/api/v1/results",
                 "/api/v1/projects/functest/cases",
                 "/dashboard/v1/results?project=functest&case=vPing"):
        assert restored.get(path).json == source.get(path).json, path
    assert restored.request("POST", "/api/v1/pods", {"name": "pod-2"},
                            auth=auth).status == 200


def test_a_large_restore_keeps_few_statements_open(site, scratch_database, tmp_path):
    """Each row's insert is closed with the row: MariaDB caps the prepared
    statements of all its connections (max_prepared_stmt_count).  Here 40
    accounts under a cap of what is open now plus 20."""
    out = tmp_path / "site.json"
    assert site.admin("dump", "-o", str(out)).returncode == 0
    dump = json.loads(out.read_text())
    model = dump["tables"]["accounts"][0]
    dump["tables"]["accounts"] += [dict(model, name="bulk-%02d" % i)
                                   for i in range(40)]
    out.write_text(json.dumps(dump))
    target = new_database(scratch_database)
    was = loadgen.sql("SELECT @@GLOBAL.max_prepared_stmt_count")[0][0]
    open_now = int(loadgen.sql("SHOW GLOBAL STATUS LIKE 'Prepared_stmt_count'")[0][1])
    loadgen.sql("SET GLOBAL max_prepared_stmt_count = %d" % (open_now + 20))
    try:
        r = target.admin("restore", str(out))
    finally:
        loadgen.sql("SET GLOBAL max_prepared_stmt_count = %s" % was)
    assert r.returncode == 0, r.stderr
    assert target.sql("SELECT COUNT(*) FROM accounts") == [["44"]]
