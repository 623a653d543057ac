#!/usr/bin/python3
"""Streams GET /api/v1/results?project=P for a project of N results (default
1,000,000) and reports the size, the rate and Apache's memory: the sum of
the resident sets of every apache2 process of the dev server, sampled every
50 ms before, during and after the request.

    build/dev up && tests/bench/stream_million.py [N]

The results are bulk-inserted once into the dev database (project
`bench-stream-N`) and kept for the next run."""
import http.client
import os
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))
os.environ.setdefault("TESTAPI_APACHE_PID", os.path.join(
    HERE, "..", "..", ".dev", "apache", "httpd.pid"))
from conftest import URL, bulk_results, db_sql, post  # noqa: E402

import loadgen  # noqa: E402


def apache_rss_kib():
    """Sum of VmRSS over the dev Apache's parent and its children."""
    return sum(rss for _, rss in loadgen.apache_processes())


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
    name = "bench-stream-%d" % n
    refs = {"pod_name": name, "project_name": name, "case_name": "stream"}
    have = int(db_sql("SELECT COUNT(*) FROM results r JOIN projects p ON "
                      "p.id = r.project_id WHERE p.name = '%s'" % name)[0][0])
    if have != n:
        post("/api/v1/pods", {"name": name})
        post("/api/v1/projects", {"name": name})
        post("/api/v1/projects/%s/cases" % name, {"name": "stream"})
        t = time.time()
        done = have
        while done < n:
            step = min(100000, n - done)
            bulk_results(refs, step, t0=1300000000000000 + done * 1000000,
                         details='{"duration": 12.5, "status": "PASS"}')
            done += step
        print("loaded %d results in %.1f s" % (n - have, time.time() - t), flush=True)

    samples = []
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            samples.append(apache_rss_kib())
            time.sleep(0.05)

    before = apache_rss_kib()
    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t = time.time()
    conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=600)
    conn.request("GET", "/api/v1/results?project=" + name)
    resp = conn.getresponse()
    size = 0
    rows = 0
    tail = b""  # a match may straddle two reads; 5 bytes cannot hold one
    try:
        while True:
            chunk = resp.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            rows += (tail + chunk).count(b'"_id":')
            tail = chunk[-5:]
    finally:
        took = time.time() - t
        stop.set()
        th.join()
    time.sleep(0.5)
    after = apache_rss_kib()
    assert resp.status == 200 and rows == n, (resp.status, rows)
    print("streamed %d results, %.1f MB in %.1f s (%.1f MB/s)"
          % (rows, size / 1e6, took, size / 1e6 / took))
    print("Apache RSS (all processes): before %.1f MB, peak %.1f MB, after %.1f MB,"
          " peak growth %.1f MB" % (before / 1024, max(samples) / 1024,
                                     after / 1024, (max(samples) - before) / 1024))


if __name__ == "__main__":
    main()
