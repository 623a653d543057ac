"""Schema versions: the database records its version; `testapi-admin
schema status|upgrade` reports it and applies the numbered migrations of
sql/migrations/ that it lacks; the module answers 503 naming that command
while the database is behind, says so once per process in the error log,
and answers again, without a restart, once it is upgraded.

Each test works on scratch databases and an Apache of its own
(own_server.py); the dev server's database is not touched."""
import json
import os
import re
import subprocess

import pytest

import loadgen
import own_server

TOP = loadgen.TOP
SQL_DIR = os.path.join(TOP, "sql")
FIXTURE = os.path.join(TOP, "tests", "data", "upgrade-from-v1")
UPGRADE_MESSAGE = re.compile(
    r"^database schema at version (\d+), this server needs version (\d+): "
    r"run testapi-admin schema upgrade$")

# Members that migrations after version 1 add to the answers, with the
# value they have for what was stored before them (their documented
# default).  A migration that adds one lists it here.
ADDED_FIELDS = {}

# The fixture's accounts (tests/data/upgrade-from-v1/make_fixture.py).
FIXTURE_ADMIN = "fixture-admin:fixture-admin-pw"
FIXTURE_BOT = "ci-bot:ci-bot-pw"


def schema(db, command, sql_dir=SQL_DIR):
    return db.admin("schema", command, "--sql-dir", sql_dir)


def newest_version():
    """The version this build needs: that of its newest migration (make
    check holds TESTAPI_SCHEMA_VERSION to it)."""
    return max(int(f[:4]) for f in os.listdir(os.path.join(SQL_DIR, "migrations"))
               if re.match(r"^\d{4}-[a-z0-9-]+\.sql$", f))


@pytest.fixture
def v1_database(scratch_database):
    """A database at schema version 1 holding the fixture's data."""
    db = scratch_database()
    db.load(os.path.join(FIXTURE, "schema-v1.sql"))
    db.load(os.path.join(FIXTURE, "dump.sql"))
    return db


def same_answer(old, new, where="answer"):
    """What the version-1 module answered is in the new answer, unchanged;
    anything more is a member a migration added, with its default."""
    if isinstance(old, dict):
        assert isinstance(new, dict), where
        for key, value in old.items():
            assert key in new, "%s: %s is gone" % (where, key)
            same_answer(value, new[key], "%s.%s" % (where, key))
        for key in set(new) - set(old):
            assert key in ADDED_FIELDS, "%s: %s is new and not in ADDED_FIELDS" % (where, key)
            assert new[key] == ADDED_FIELDS[key], "%s.%s" % (where, key)
    elif isinstance(old, list):
        assert isinstance(new, list) and len(new) == len(old), where
        for i, (a, b) in enumerate(zip(old, new)):
            same_answer(a, b, "%s[%d]" % (where, i))
    else:
        assert new == old, "%s: %r became %r" % (where, old, new)


def create_tables(db):
    return {t: db.create_table(t) for t in db.tables()}


def recorded_version(db):
    return int(db.sql("SELECT MAX(version) FROM schema_version")[0][0])


# ---- upgrades --------------------------------------------------------------


def test_a_version_1_database_upgrades_with_every_answer_unchanged(v1_database, own_apache):
    status = schema(v1_database, "status")
    assert status.returncode == 1, status
    assert "database: version 1 (no schema_version table)" in status.stdout
    assert "0002-schema-version.sql" in status.stdout
    up = schema(v1_database, "upgrade")
    assert up.returncode == 0, up.stderr
    assert "database: version %d, current" % newest_version() in up.stdout
    assert schema(v1_database, "status").returncode == 0
    server = own_apache(v1_database,
                        dashboard=os.path.join(FIXTURE, "dashboard.json"))
    with open(os.path.join(FIXTURE, "answers.json")) as f:
        answers = json.load(f)
    assert len(answers) > 60
    for recorded in answers:
        r = server.request(recorded["method"], recorded["path"])
        assert r.status == recorded["status"], (recorded["path"], r)
        same_answer(recorded["body"], r.json, recorded["path"])


def test_an_upgraded_database_keeps_its_accounts_and_their_rights(v1_database, own_apache):
    assert schema(v1_database, "upgrade").returncode == 0
    server = own_apache(v1_database)
    result = {"project_name": "functest", "case_name": "vPing",
              "pod_name": "lf-pod2", "installer": "fuel",
              "start_date": "2016-10-01 00:00:00"}
    assert server.request("POST", "/api/v1/results", result,
                          auth=FIXTURE_BOT).status == 200
    r = server.request("POST", "/api/v1/results",
                       dict(result, project_name="yardstick", case_name="Ping"),
                       auth=FIXTURE_BOT)
    assert r.status == 403, r
    assert server.request("POST", "/api/v1/results", result,
                          auth="ci-bot:wrong").status == 401
    assert server.request("POST", "/api/v1/pods", {"name": "new-pod"},
                          auth=FIXTURE_ADMIN).status == 200


def test_upgrading_again_changes_nothing(v1_database):
    assert schema(v1_database, "upgrade").returncode == 0
    tables = create_tables(v1_database)
    history = v1_database.sql("SELECT * FROM schema_version")
    again = schema(v1_database, "upgrade")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "database: version %d, current: nothing to do\n" % newest_version()
    assert create_tables(v1_database) == tables
    assert v1_database.sql("SELECT * FROM schema_version") == history


def test_a_database_made_from_schema_sql_equals_an_upgraded_one(v1_database, scratch_database):
    fresh = scratch_database()
    fresh.load(os.path.join(SQL_DIR, "schema.sql"))
    assert schema(v1_database, "upgrade").returncode == 0
    assert fresh.tables() == v1_database.tables()
    fresh_tables, upgraded_tables = create_tables(fresh), create_tables(v1_database)
    for table in fresh_tables:
        assert fresh_tables[table] == upgraded_tables[table], table
    assert recorded_version(fresh) == recorded_version(v1_database) == newest_version()
    assert fresh.sql("SELECT applied_by FROM schema_version") == [["sql/schema.sql"]]
    assert schema(fresh, "status").stdout.endswith("current\n")


def test_schema_sql_refuses_a_database_that_has_tables(v1_database):
    with pytest.raises(subprocess.CalledProcessError) as failed:
        v1_database.load(os.path.join(SQL_DIR, "schema.sql"))
    assert b"already exists" in failed.value.stderr
    assert "schema_version" not in v1_database.tables()


def test_a_migration_that_fails_leaves_the_version_and_runs_again(v1_database, tmp_path):
    """A migration stopped half way (its DDL committed) is finished by
    running the upgrade again, once the cause is gone."""
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    for name in os.listdir(os.path.join(SQL_DIR, "migrations")):
        text = open(os.path.join(SQL_DIR, "migrations", name)).read()
        if name.startswith("0002-"):
            text += "\nALTER TABLE not_there_yet ADD COLUMN x INT;\n"
        (migrations / name).write_text(text)
    failed = schema(v1_database, "upgrade", sql_dir=str(tmp_path))
    assert failed.returncode == 3, failed
    assert "0002-schema-version.sql, statement 4 (ALTER TABLE not_there_yet" in failed.stderr
    assert "the database stays at version 1" in failed.stderr
    assert "version 1" in schema(v1_database, "status").stdout
    v1_database.sql("CREATE TABLE not_there_yet (id INT PRIMARY KEY)")
    again = schema(v1_database, "upgrade", sql_dir=str(tmp_path))
    assert again.returncode == 0, again.stderr
    assert recorded_version(v1_database) == 2


def test_an_upgrade_without_its_migration_file_changes_nothing(v1_database, tmp_path):
    (tmp_path / "migrations").mkdir()
    tables = create_tables(v1_database)
    r = schema(v1_database, "upgrade", sql_dir=str(tmp_path))
    assert r.returncode == 1, r
    assert "no migration to version 2 (0002-*.sql); nothing was changed" in r.stderr
    assert create_tables(v1_database) == tables


def test_an_empty_database_is_made_with_schema_sql_not_upgraded(scratch_database):
    empty = scratch_database()
    for command in ("status", "upgrade"):
        r = schema(empty, command)
        assert r.returncode == 1, r
        assert "the database has no tables: make it with sql/schema.sql" in r.stderr
    assert empty.tables() == []


# ---- the module against a database that is behind -------------------------


def pids_that_logged(server, tag="TESTAPI00400"):
    return re.findall(r"\[pid (\d+):tid \d+\].*%s:" % tag, server.log())


def assert_upgrade_needed(r):
    assert r.status == 503, r
    assert r.header("content-type") == "application/json"
    assert r.header("retry-after") == "5"
    body = r.json
    assert set(body) == {"code", "message"} and body["code"] == 503
    m = UPGRADE_MESSAGE.match(body["message"])
    assert m, body
    assert (int(m.group(1)), int(m.group(2))) == (1, newest_version())


def test_a_database_behind_answers_503_naming_the_upgrade_logged_once_per_process(v1_database, own_apache):
    server = own_apache(v1_database)
    for _ in range(40):
        assert_upgrade_needed(server.get("/api/v1/pods"))
    assert_upgrade_needed(server.get("/api/v1/results?project=functest&last=2"))
    # a write meets it first in authentication
    assert_upgrade_needed(server.request("POST", "/api/v1/pods", {"name": "p"},
                                         auth=FIXTURE_ADMIN))
    # what needs no database still answers
    assert server.get("/versions").status == 200
    pids = pids_that_logged(server)
    assert pids, server.log()
    assert len(pids) == len(set(pids)), "logged more than once by a process"
    assert "run testapi-admin schema upgrade" in server.log()


def test_once_upgraded_the_same_server_answers_without_a_restart(v1_database, own_apache):
    server = own_apache(v1_database)
    with open(server.pidfile) as f:
        pid = f.read()
    assert_upgrade_needed(server.get("/api/v1/pods"))
    assert schema(v1_database, "upgrade").returncode == 0
    r = server.get("/api/v1/pods")
    assert r.status == 200, r
    assert [p["name"] for p in r.json["pods"]] == ["lf-pod2", "intel-pod5", "lab pod %\u00e9"]
    assert server.request("POST", "/api/v1/pods", {"name": "after-upgrade"},
                          auth=FIXTURE_ADMIN).status == 200
    with open(server.pidfile) as f:
        assert f.read() == pid


def test_a_database_lacking_a_column_the_statements_name_gets_the_upgrade_message(scratch_database, own_apache):
    """The module's statements are prepared on a connection when first
    used, after the version check: a database older than a statement (as
    the next migration that adds a column makes every older one) is told
    to upgrade, not taken for unreachable."""
    old = scratch_database()
    old.load(os.path.join(FIXTURE, "schema-v1.sql"))
    old.sql("ALTER TABLE pods DROP COLUMN role")
    server = own_apache(old)
    for _ in range(5):
        assert_upgrade_needed(server.get("/api/v1/pods"))


def test_configtest_needs_no_database(scratch_database):
    server = own_server.OwnApache(
        scratch_database(), dbd_params="host=localhost sock=/nonexistent/"
        "mysqld.sock user=testapi pass=x dbname=none reconnect=0")
    status, out = server.configtest()
    assert status == 0, out
    assert "Syntax OK" in out
