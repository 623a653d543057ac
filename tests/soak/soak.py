#!/usr/bin/env python3
"""Soak: a mixed read/write load at full speed against a running server,
for a long time, counting every answer that is not what the contract says
(there must be none) and following Apache's memory.

    build/dev up
    python3 tests/soak/soak.py --minutes 10          # PORT=... as for build/dev

Writes are result POSTs (with credentials) and PUTs; reads are filtered
result lists (streamed and paged), single results, and the pods, projects
and testcases.  Every --every seconds it prints the request rate, the
errors, latencies and the total RSS of Apache (the master and all its
children, from /proc); at the end it checks a sample of the acknowledged
results and exits 1 if any request failed or any child crashed."""
import argparse
import collections
import json
import os
import random
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "integration"))
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--clients", type=int, default=24,
                    help="client threads, each on its own keep-alive connection")
    ap.add_argument("--every", type=float, default=30.0,
                    help="seconds between progress lines")
    ap.add_argument("--url", default=os.environ.get(
        "TESTAPI_URL", "http://127.0.0.1:%s" % os.environ.get("PORT", "8000")))
    ap.add_argument("--pid-file", default=os.path.join(TOP, ".dev", "apache",
                                                       "httpd.pid"))
    ap.add_argument("--error-log", default=os.path.join(TOP, ".dev", "apache",
                                                        "error.log"))
    return ap.parse_args()


ARGS = parse_args()
os.environ["TESTAPI_URL"] = ARGS.url
import loadgen  # noqa: E402  (reads TESTAPI_URL)
from loadgen import Client  # noqa: E402


def rss(master):
    procs = loadgen.apache_processes(master)
    return sum(r for _, r in procs), len(procs), max(r for _, r in procs)


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.count = collections.Counter()
        self.errors = []
        self.latencies = []
        self.acked = []

    def add(self, kind, a, ok):
        with self.lock:
            self.count[kind] += 1
            self.latencies.append(a.latency)
            if not ok:
                self.count["errors"] += 1
                if len(self.errors) < 20:
                    self.errors.append(repr(a))

    def take_latencies(self):
        with self.lock:
            out, self.latencies = self.latencies, []
        return out


def setup(c, tag):
    names = {"pod": tag + "-pod", "project": tag + "-prj",
             "cases": [tag + "-c%d" % i for i in range(4)]}
    for path, body in [("/api/v1/pods", {"name": names["pod"], "mode": "metal"}),
                       ("/api/v1/projects", {"name": names["project"]})] + \
            [("/api/v1/projects/%s/cases" % names["project"], {"name": n})
             for n in names["cases"]]:
        a = c.send("POST", path, body, auth=True)
        assert a.status == 200, a
    return names


def worker(names, stats, stop, seed):
    rnd = random.Random(seed)
    c = Client()
    n = 0
    p = names["project"]
    while not stop.is_set():
        n += 1
        case = rnd.choice(names["cases"])
        x = rnd.random()
        if x < 0.35:
            tag = "%d-%d" % (seed, n)
            body = {"pod_name": names["pod"], "project_name": p,
                    "case_name": case, "installer": rnd.choice(["fuel", "apex"]),
                    "version": "colorado", "criteria": rnd.choice(["PASS", "FAIL"]),
                    "build_tag": tag, "start_date": time.strftime(
                        "%Y-%m-%d %H:%M:%S", time.gmtime()),
                    "details": {"n": n, "blob": "x" * rnd.randrange(4000),
                                "nested": [{"k": i} for i in range(rnd.randrange(20))]}}
            a = c.send("POST", "/api/v1/results", body, auth=True)
            ok = a.status == 200
            if ok:
                with stats.lock:
                    stats.acked.append((a.json["href"].rsplit("/", 1)[1], tag))
            stats.add("post", a, ok)
        elif x < 0.40:
            with stats.lock:
                pick = rnd.choice(stats.acked) if stats.acked else None
            if pick is None:
                continue
            a = c.send("PUT", "/api/v1/results/" + pick[0],
                       {"trust_indicator": {"current": rnd.random(),
                                            "histories": [{"step": n}]}},
                       auth=True)
            stats.add("put", a, a.status == 200)
        elif x < 0.65:
            a = c.send("GET", "/api/v1/results?project=%s&case=%s&last=%d"
                       % (p, case, rnd.choice([1, 10, 50])))
            ok = a.status == 200 and isinstance(a.json.get("results"), list)
            stats.add("list", a, ok)
        elif x < 0.70:
            a = c.send("GET", "/api/v1/results?case=%s&installer=fuel&page=%d"
                       % (case, rnd.randrange(1, 4)))
            ok = a.status == 200 or (a.status == 400 and a.json["message"]
                                     .startswith("Request page > total_pages"))
            stats.add("page", a, ok)
        elif x < 0.85:
            with stats.lock:
                pick = rnd.choice(stats.acked) if stats.acked else None
            if pick is None:
                continue
            a = c.send("GET", "/api/v1/results/" + pick[0])
            ok = a.status == 200 and a.json["build_tag"] == pick[1]
            stats.add("get", a, ok)
        else:
            path = rnd.choice(["/api/v1/pods/" + names["pod"], "/api/v1/projects",
                               "/api/v1/projects/" + p,
                               "/api/v1/projects/%s/cases" % p,
                               "/api/v1/projects/%s/cases/%s" % (p, case),
                               "/versions"])
            a = c.send("GET", path)
            stats.add("other", a, a.status == 200)
    c.close()


def pct(values, q):
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def main():
    with open(ARGS.pid_file) as f:
        master = int(f.read())
    log_start = os.path.getsize(ARGS.error_log) if os.path.exists(ARGS.error_log) else 0
    c = Client()
    names = setup(c, "soak-" + uuid.uuid4().hex[:8])
    idle = rss(master)
    print("soak: %s, %d clients, %.1f minutes; Apache idle: RSS %d KiB in %d "
          "processes" % (ARGS.url, ARGS.clients, ARGS.minutes, idle[0], idle[1]),
          flush=True)
    stats, stop = Stats(), threading.Event()
    threads = [threading.Thread(target=worker, args=(names, stats, stop, s),
                                daemon=True) for s in range(ARGS.clients)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    end = t0 + ARGS.minutes * 60
    samples = []
    last_total, last_t = 0, t0
    while time.monotonic() < end:
        time.sleep(max(0.0, min(ARGS.every, end - time.monotonic())))
        now = time.monotonic()
        lat = stats.take_latencies()
        with stats.lock:
            total = sum(v for k, v in stats.count.items() if k != "errors")
            errors = stats.count["errors"]
        mem = rss(master)
        samples.append((now - t0, mem))
        print("%6.0f s  %6.0f req/s  errors %d  latency p50 %.3f p99 %.3f max "
              "%.3f s  Apache RSS %d KiB (%d processes, largest %d KiB)"
              % (now - t0, (total - last_total) / (now - last_t), errors,
                 pct(lat, 0.5), pct(lat, 0.99), max(lat or [0]), mem[0], mem[1],
                 mem[2]), flush=True)
        last_total, last_t = total, now
    stop.set()
    for t in threads:
        t.join(60)
    elapsed = time.monotonic() - t0
    after = rss(master)

    # The acknowledged results are there (a sample of them, whole).
    rnd = random.Random(1)
    missing = 0
    sample = rnd.sample(stats.acked, min(500, len(stats.acked)))
    for oid, tag in sample:
        a = c.send("GET", "/api/v1/results/" + oid)
        if a.status != 200 or a.json["build_tag"] != tag:
            missing += 1
    log = ""
    if os.path.exists(ARGS.error_log):
        with open(ARGS.error_log, errors="replace") as f:
            f.seek(log_start)
            log = f.read()
    crashes = log.count("exit signal")
    module_errors = sum(1 for line in log.splitlines()
                        if "[testapi:error]" in line)

    with stats.lock:
        count = dict(stats.count)
    total = sum(v for k, v in count.items() if k != "errors")
    first = samples[0][1] if samples else after
    print("\nsoak done: %.0f s, %d requests (%.0f/s): %s" % (
        elapsed, total, total / elapsed,
        ", ".join("%s %d" % kv for kv in sorted(count.items()) if kv[0] != "errors")))
    print("errors: %d; acknowledged results checked: %d, missing %d; crashed "
          "children: %d; module error-log lines: %d" % (
              count.get("errors", 0), len(sample), missing, crashes, module_errors))
    print("Apache RSS: idle before %d KiB (%d processes); at the first sample "
          "%d KiB (%d); at the end of the load %d KiB (%d); idle after %d KiB "
          "(%d)" % (idle[0], idle[1], first[0], first[1], samples[-1][1][0]
                    if samples else after[0], samples[-1][1][1] if samples
                    else after[1], after[0], after[1]))
    for e in stats.errors:
        print("  error:", e)
    bad = count.get("errors", 0) or missing or crashes
    print("RESULT:", "FAIL" if bad else "PASS")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
