"""Concurrency: the database's unique keys decide races on names, and
renames or moves racing with result POSTs leave every result under exactly
one existing project and testcase."""
import os
import random
import subprocess
import threading
import time

import pytest

import loadgen
from conftest import assert_error, get, post, put
from loadgen import Client

CLIENTS = 16


def at_once(method, paths_bodies):
    """Sends the requests together: every client has connected before a
    barrier releases them all."""
    barrier = threading.Barrier(len(paths_bodies))
    answers = [None] * len(paths_bodies)

    def run(i, path, body):
        c = Client()
        c.send("GET", "/versions")  # connected (and warm) before the barrier
        barrier.wait()
        answers[i] = c.send(method, path, body, auth=True)
        c.close()
    threads = [threading.Thread(target=run, args=(i, p, b))
               for i, (p, b) in enumerate(paths_bodies)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert all(a is not None and a.error is None for a in answers), answers
    return answers


def one_winner(answers, message):
    ok = [a for a in answers if a.status == 200]
    assert len(ok) == 1, answers
    for a in answers:
        if a is not ok[0]:
            assert a.status == 403 and a.json == {"code": 403,
                                                  "message": message}, a
    return ok[0]


def test_same_pod_created_by_16_clients_at_once_exists_once(unique):
    answers = at_once("POST", [("/api/v1/pods", {"name": unique, "mode": str(i)})
                               for i in range(CLIENTS)])
    one_winner(answers, "%s already exists as a pod" % unique)
    pods = [p for p in get("/api/v1/pods").json["pods"] if p["name"] == unique]
    assert len(pods) == 1


def test_same_project_created_by_16_clients_at_once_exists_once(unique):
    answers = at_once("POST", [("/api/v1/projects", {"name": unique})] * CLIENTS)
    one_winner(answers, "%s already exists as a project" % unique)
    projects = [p for p in get("/api/v1/projects").json["projects"]
                if p["name"] == unique]
    assert len(projects) == 1


def test_same_testcase_created_by_16_clients_at_once_exists_once(unique):
    assert post("/api/v1/projects", {"name": unique}).status == 200
    path = "/api/v1/projects/%s/cases" % unique
    answers = at_once("POST", [(path, {"name": "vPing"})] * CLIENTS)
    one_winner(answers, "vPing already exists as a testcase in project %s"
               % unique)
    assert [c["name"] for c in get(path).json["testcases"]] == ["vPing"]


def test_16_projects_renamed_to_the_same_name_at_once_one_wins(unique):
    for i in range(CLIENTS):
        assert post("/api/v1/projects", {"name": "%s-%d" % (unique, i)}).status == 200
    answers = at_once("PUT", [("/api/v1/projects/%s-%d" % (unique, i),
                               {"name": unique}) for i in range(CLIENTS)])
    won = one_winner(answers, "%s already exists as a project" % unique)
    assert won.json["name"] == unique
    names = sorted(p["name"] for p in get("/api/v1/projects").json["projects"]
                   if p["name"].startswith(unique))
    assert len(names) == CLIENTS and unique in names


def test_renames_and_moves_racing_with_result_posts_lose_no_result(unique):
    """Posters send results naming whichever project and testcase names
    were ever used; meanwhile the project is renamed round a cycle of names
    and the testcase renamed and moved between two projects.  A POST
    succeeds exactly when its names are current; every acknowledged result
    ends up under the testcase's final project and name."""
    pod = unique + "-pod"
    projects = ["%s-p%d" % (unique, i) for i in range(3)]
    other = unique + "-q"
    cases = ["%s-c%d" % (unique, i) for i in range(3)]
    assert post("/api/v1/pods", {"name": pod}).status == 200
    assert post("/api/v1/projects", {"name": projects[0]}).status == 200
    assert post("/api/v1/projects", {"name": other}).status == 200
    assert post("/api/v1/projects/%s/cases" % projects[0],
                {"name": cases[0]}).status == 200
    stop = threading.Event()
    acked, refused, changes, problems = {}, [], [], []

    # Looking for a name that a rename moves meanwhile can miss it: look
    # again (a few hundred times at most: the rename is quick).
    def current_project(c):
        """The renamed project's name now."""
        for _ in range(300):
            for name in projects:
                if c.send("GET", "/api/v1/projects/" + name).status == 200:
                    return name
        raise AssertionError("the project is gone")

    def current_case(c):
        """(project, name) of the testcase now."""
        for _ in range(300):
            for p in projects + [other]:
                a = c.send("GET", "/api/v1/projects/%s/cases" % p)
                if a.status == 200:
                    for tc in a.json["testcases"]:
                        return p, tc["name"]
        raise AssertionError("the testcase is gone")

    def poster(seed):
        rnd = random.Random(seed)
        c = Client()
        n = 0
        while not stop.is_set():
            body = {"pod_name": pod,
                    "project_name": rnd.choice(projects + [other]),
                    "case_name": rnd.choice(cases),
                    "build_tag": "%d-%d" % (seed, n), "details": {"n": n}}
            n += 1
            a = c.send("POST", "/api/v1/results", body, auth=True)
            if a.status == 200:
                acked[a.json["href"].rsplit("/", 1)[1]] = body
            elif a.status == 404 and a.json["message"].startswith(
                    ("Could not find project [", "Could not find testcase [")):
                refused.append(a)
            else:
                problems.append(a)
        c.close()

    def renamer():
        c = Client()
        cur = projects[0]
        i = 0
        while not stop.is_set():
            i += 1
            new = projects[i % len(projects)]
            a = c.send("PUT", "/api/v1/projects/" + cur, {"name": new}, auth=True)
            if a.status != 200:
                problems.append(a)
                cur = current_project(c)
                continue
            changes.append(("project", cur, new))
            cur = new

    def mover():
        c = Client()
        i = 0
        while not stop.is_set():
            i += 1
            p, tc = current_case(c)
            new = cases[(cases.index(tc) + 1) % len(cases)]
            body = {"name": new}
            if i % 2 == 0:
                body["project_name"] = other if p != other else current_project(c)
            a = c.send("PUT", "/api/v1/projects/%s/cases/%s" % (p, tc), body,
                       auth=True)
            if a.status == 404 or (a.status == 403 and a.json["message"] ==
                                   "Could not find project [%s]"
                                   % body.get("project_name")):
                continue  # renamed under us (project or destination)
            if a.status != 200:
                problems.append(a)
                continue
            changes.append(("case", (p, tc), (a.json["project_name"], new)))
        c.close()

    threads = [threading.Thread(target=poster, args=(s,)) for s in range(6)]
    threads += [threading.Thread(target=renamer), threading.Thread(target=mover)]
    for t in threads:
        t.start()
    time.sleep(4)
    stop.set()
    for t in threads:
        t.join(60)

    assert problems == [], problems[:5]
    assert len(changes) >= 10 and len(acked) >= 10 and len(refused) >= 10, \
        (len(changes), len(acked), len(refused))
    final_project, final_case = current_case(Client())
    # Every acknowledged result is under the testcase's final names ...
    for oid, body in acked.items():
        r = get("/api/v1/results/" + oid)
        assert r.status == 200, r
        assert (r.json["project_name"], r.json["case_name"]) == \
            (final_project, final_case), r.json
        assert r.json["build_tag"] == body["build_tag"]
    # ... and nothing else is: the counts add up, by name and in the table.
    listed = get("/api/v1/results?pod=%s" % pod).json["results"]
    assert sorted(x["_id"] for x in listed) == sorted(acked)
    for name in set(projects + [other]) - {final_project}:
        assert get("/api/v1/results?project=" + name).json["results"] == []
    if loadgen.dev_available():
        (count,), = loadgen.sql(
            "SELECT COUNT(*) FROM results r JOIN pods d ON d.id = r.pod_id "
            "JOIN testcases t ON t.id = r.testcase_id "
            "JOIN projects p ON p.id = t.project_id WHERE d.name = '%s'" % pod)
        assert int(count) == len(acked)


@pytest.mark.skipif(not loadgen.dev_available(),
                    reason="needs build/dev's private MariaDB")
def test_a_write_chosen_as_deadlock_victim_is_run_again(unique):
    """A transaction of another client holds the destination project and
    then wants the testcase that a move (PUT) has locked meanwhile: InnoDB
    rolls the lighter one, the move, back.  The module runs it again (it is
    one statement on its own), so the client gets 200, not 503."""
    pod, src, dest = unique + "-pod", unique + "-p", unique + "-d"
    assert post("/api/v1/pods", {"name": pod}).status == 200
    for p in (src, dest):
        assert post("/api/v1/projects", {"name": p}).status == 200
    for c in ("moved", "heavy"):
        assert post("/api/v1/projects/%s/cases" % src, {"name": c}).status == 200
    for _ in range(20):
        assert post("/api/v1/results", {"pod_name": pod, "project_name": src,
                                        "case_name": "heavy"}).status == 200
    moved = get("/api/v1/projects/%s/cases/moved" % src).json["_id"]
    log = os.environ["TESTAPI_ERROR_LOG"]
    log_start = os.path.getsize(log)

    other = subprocess.Popen(
        ["mariadb", "--no-defaults", "--socket=" + loadgen.DB_SOCKET, "-uroot",
         "--batch", "--skip-column-names", "testapi"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True)

    def run(statement):
        other.stdin.write(statement + "\n")
        other.stdin.flush()
    answer = {}
    mover = threading.Thread(target=lambda: answer.update(put(
        "/api/v1/projects/%s/cases/moved" % src, {"project_name": dest}).__dict__))
    try:
        # Heavy (20 rows changed), so that InnoDB picks the move as victim.
        run("BEGIN;")
        run("UPDATE results r JOIN testcases t ON t.id = r.testcase_id "
            "JOIN projects p ON p.id = t.project_id SET r.criteria = 'x' "
            "WHERE p.name = '%s' AND t.name = 'heavy';" % src)
        run("UPDATE projects SET description = 'held' WHERE name = '%s';" % dest)
        time.sleep(0.3)
        mover.start()  # locks its testcase, waits for the destination
        time.sleep(1.0)
        run("UPDATE testcases SET description = 'other' WHERE oid = '%s';" % moved)
        time.sleep(0.5)
        run("COMMIT;")
        run("SELECT 'committed';")
        mover.join(60)
    finally:
        other.stdin.close()
        out = other.stdout.read()
        other.wait(30)
    assert "committed" in out and "ERROR" not in out, out
    with open(log, errors="replace") as f:
        f.seek(log_start)
        logged = f.read()
    assert "deadlock" in logged.lower(), \
        "no deadlock happened: the test did not test the retry"
    assert answer["status"] == 200, answer
    assert "TESTAPI00300: testapi_testcase_update: deadlock" in logged
    r = get("/api/v1/projects/%s/cases/moved" % dest)
    assert r.status == 200 and r.json["description"] == "other"
