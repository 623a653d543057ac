#!/usr/bin/python3
"""Makes this folder's fixture: a database at schema version 1, filled
through the API of a module of that version, and the answers that module
gave then.  tests/integration/test_schema_versions.py loads the dump into
a scratch database, upgrades it with testapi-admin and checks that the
current module answers the same.

Run once, against the module and testapi-admin built from commit c15c354
(the last schema without recorded versions; schema-v1.sql is its
sql/schema.sql), with the dev server's MariaDB up:

    git archive c15c354 | tar -x -C /tmp/v1 && (cd /tmp/v1 && autoreconf -fi &&
        ./configure -q && make -s)
    PORT=... DB_PORT=... build/dev up
    TESTAPI_URL=http://127.0.0.1:$PORT tests/data/upgrade-from-v1/make_fixture.py \\
        --module /tmp/v1/.libs/mod_testapi.so --admin /tmp/v1/testapi-admin

It writes dump.sql (the data, mariadb-dump --no-create-info) and
answers.json (method, path, status and body of every read below).  The
accounts it makes are in ACCOUNTS, with their passwords."""
import argparse
import json
import os
import subprocess
import sys
from urllib.parse import quote

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "integration"))

import own_server  # noqa: E402

SAMPLES = os.path.join(HERE, "..", "samples")
# name: (password, admin, granted projects); bcrypt cost 4 (fast tests)
ACCOUNTS = {"fixture-admin": ("fixture-admin-pw", True, []),
            "ci-bot": ("ci-bot-pw", False, ["functest"])}
ADMIN = "fixture-admin:fixture-admin-pw"
PODS = [{"name": "lf-pod2", "mode": "metal", "role": "ci-pod",
         "details": "lab 2"},
        {"name": "intel-pod5", "mode": "virtual", "role": "community-pod"},
        {"name": "lab pod %\u00e9", "details": "a name to escape"},
        {"name": "unused-pod"}]
PROJECTS = [{"name": "functest", "description": "OPNFV functional tests"},
            {"name": "yardstick", "description": "OPNFV verification"},
            {"name": "promise-old", "description": "renamed below"}]
# project: [(case, sample file or None)]
CASES = {"functest": [("vPing", "functest/vPing.json"),
                      ("vPing_userdata", "functest/vPing_userdata.json"),
                      ("Tempest", "functest/Tempest.json"),
                      ("vping_ssh", "functest/as-sent/vping_ssh.json")],
         "yardstick": [("Ping", "yardstick/Ping.json"),
                       ("moved-case", None), ("doomed", None)],
         "promise-old": [("promise", "promise/promise.json")]}


def sample(path):
    with open(os.path.join(SAMPLES, path)) as f:
        return json.load(f)


def fill(server):
    def write(method, path, body=None):
        r = server.request(method, path, body, auth=ADMIN)
        assert r.status == 200, (method, path, r)
        return r

    for pod in PODS:
        write("POST", "/api/v1/pods", pod)
    for project in PROJECTS:
        write("POST", "/api/v1/projects", project)
    for project, cases in CASES.items():
        for case, _ in cases:
            write("POST", "/api/v1/projects/%s/cases" % project,
                  {"name": case, "description": "the %s case" % case,
                   "url": "https://wiki.opnfv.org/%s/%s" % (project, case)})
    ids = []
    for project, cases in CASES.items():
        for case, path in cases:
            if not path:
                continue
            for i in range(4):
                body = sample(path)
                body.update({"project_name": project, "case_name": case,
                             "pod_name": PODS[i % 3]["name"],
                             "installer": ("fuel", "apex")[i % 2],
                             "criteria": ("PASS", "FAIL")[i % 3 == 2],
                             "build_tag": "%s-%s-%d" % (project, case, i),
                             "start_date": "2016-09-%02d 05:12:03" % (10 + 3 * i),
                             "stop_date": "2016-09-%02d 05:13:00" % (10 + 3 * i)})
                r = write("POST", "/api/v1/results", body)
                ids.append(r.json["href"].rsplit("/", 1)[1])
    # results sent without a start date: their time is the time of receipt
    for i in range(2):
        write("POST", "/api/v1/results",
              {"project_name": "functest", "case_name": "vPing",
               "pod_name": "intel-pod5", "installer": "fuel",
               "build_tag": "no-start-date-%d" % i, "details": {"i": i}})
    write("PUT", "/api/v1/results/" + ids[0], {"trust_indicator": 0.7})
    write("PUT", "/api/v1/results/" + ids[5],
          {"trust_indicator": {"current": 0.2, "histories": []}})
    write("PUT", "/api/v1/projects/promise-old",
          {"name": "promise", "description": "renamed"})
    write("PUT", "/api/v1/projects/yardstick/cases/moved-case",
          {"project_name": "functest", "name": "vIMS"})
    write("DELETE", "/api/v1/projects/yardstick/cases/doomed")
    write("DELETE", "/api/v1/pods/unused-pod")
    return ids


def reads(ids):
    """Every read whose answer the upgrade must not change."""
    q = "/api/v1/results?"
    paths = ["/api/v1/pods", "/api/v1/projects", "/dashboard/v1/projects",
             "/api/v1/results"]
    paths += ["/api/v1/pods/" + quote(p["name"], safe="") for p in PODS[:3]]
    for project in ("functest", "yardstick", "promise"):
        paths += ["/api/v1/projects/" + project,
                  "/api/v1/projects/%s/cases" % project,
                  q + "project=" + project]
    for project, case in (("functest", "vPing"), ("functest", "vIMS"),
                          ("functest", "vPing_userdata"), ("yardstick", "Ping"),
                          ("promise", "promise")):
        paths += ["/api/v1/projects/%s/cases/%s" % (project, case),
                  q + "project=%s&case=%s" % (project, case),
                  "/dashboard/v1/results?project=%s&case=%s" % (project, case)]
    paths += [q + "case=Ping", q + "pod=lf-pod2", q + "installer=apex",
              q + "criteria=FAIL", q + "version=colorado",
              q + "scenario=os-nosdn-nofeature-ha",
              q + "build_tag=functest-vPing-1", q + "trust_indicator=0.7",
              q + "last=5", q + "project=functest&last=3",
              q + "page=1", q + "page=2", q + "project=functest&page=1",
              q + "from=2016-09-12&to=2016-09-17",
              q + "project=yardstick&descend=false",
              "/dashboard/v1/results?project=functest&case=status",
              "/dashboard/v1/results?project=functest&case=vPing&installer=fuel"
              "&from=2016-09-11"]
    paths += ["/api/v1/results/" + i for i in ids]
    return paths


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--module", required=True, help="mod_testapi.so of version 1")
    ap.add_argument("--admin", required=True, help="testapi-admin of version 1")
    args = ap.parse_args()
    db = own_server.ScratchDatabase()
    server = None
    try:
        db.load(os.path.join(HERE, "schema-v1.sql"))
        for name, (password, admin, projects) in ACCOUNTS.items():
            subprocess.run([args.admin, "-p", db.admin_params, "-c", "4", "add",
                            name] + (["--admin"] if admin else []),
                           input=password + "\n", text=True, check=True,
                           capture_output=True)
        server = own_server.OwnApache(
            db, module=os.path.abspath(args.module),
            dashboard=os.path.join(HERE, "dashboard.json")).start()
        ids = fill(server)
        for name, (_, _, projects) in ACCOUNTS.items():
            for project in projects:
                subprocess.run([args.admin, "-p", db.admin_params, "grant",
                                name, project], check=True, capture_output=True)
        answers = []
        for path in reads(ids):
            r = server.get(path)
            assert r.status == 200, (path, r)
            answers.append({"method": "GET", "path": path, "status": r.status,
                            "body": r.json})
        with open(os.path.join(HERE, "answers.json"), "w") as f:
            json.dump(answers, f, indent=1, ensure_ascii=False, sort_keys=True)
            f.write("\n")
        dump = db.dump("--no-create-info", "--skip-dump-date",
                       "--skip-comments", "--skip-extended-insert")
        # (without the first line of newer clients, which older ones refuse)
        dump = b"".join(line for line in dump.splitlines(True)
                        if not line.startswith(b"/*M!999999"))
        with open(os.path.join(HERE, "dump.sql"), "wb") as f:
            f.write(dump)
        print("%d answers, %d results" % (len(answers), len(ids) + 2))
    finally:
        if server:
            server.stop()
        db.drop()


if __name__ == "__main__":
    main()
