"""Load and fault helpers for the fault and concurrency tests (and
tests/soak/soak.py): client threads on keep-alive connections that record
every answer with its latency, the dev server's MariaDB controls
(build/dev db-stop / db-kill / db-start), SQL over MariaDB's socket, and
Apache's processes."""
import base64
import http.client
import json
import os
import subprocess
import threading
import time
import urllib.parse

URL = urllib.parse.urlsplit(os.environ.get("TESTAPI_URL", "http://127.0.0.1:8000"))
AUTH = "Basic " + base64.b64encode(b"opnfv:api@opnfv").decode()
TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DB_PORT = os.environ.get("TESTAPI_DB_PORT")
DB_SOCKET = os.environ.get("TESTAPI_DB_SOCKET") or os.path.join(
    TOP, ".dev", "mariadb", "mysqld.sock")
APACHE_PID = os.environ.get("TESTAPI_APACHE_PID")
# A request that takes longer than this is a hung worker, not an answer.
CLIENT_TIMEOUT = 30


class Answer:
    __slots__ = ("method", "path", "start", "end", "status", "headers", "body",
                 "tag", "error")

    def __init__(self, method, path, start, tag):
        self.method, self.path, self.start, self.tag = method, path, start, tag
        self.end = self.status = self.headers = self.body = self.error = None

    @property
    def latency(self):
        return self.end - self.start

    @property
    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return "<%s %s -> %s %r %s>" % (self.method, self.path, self.status,
                                         (self.body or b"")[:120], self.error or "")


class Client:
    """One keep-alive connection, reopened after an error or a close."""

    def __init__(self, timeout=CLIENT_TIMEOUT):
        self.timeout = timeout
        self.conn = None

    def send(self, method, path, body=None, auth=False, tag=None):
        hdrs = {"Content-Type": "application/json"}
        if auth:
            hdrs["Authorization"] = AUTH
        data = None if body is None else json.dumps(body).encode()
        a = Answer(method, path, time.monotonic(), tag)
        for attempt in (0, 1):
            reused = self.conn is not None
            try:
                if not reused:
                    self.conn = http.client.HTTPConnection(
                        URL.hostname, URL.port, timeout=self.timeout)
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                a.body = resp.read()
                a.status = resp.status
                a.headers = {k.lower(): v for k, v in resp.getheaders()}
                if resp.will_close:
                    self.close()
                a.error = None
                break
            except (http.client.RemoteDisconnected, ConnectionResetError,
                    BrokenPipeError) as e:
                # The server may close an idle keep-alive connection just
                # as a request goes out (HTTP allows it): one retry on a
                # fresh connection, as HTTP clients do.  Never on a fresh
                # connection (a crashed child must show).
                self.close()
                a.error = "%s: %s" % (type(e).__name__, e)
                if attempt or not reused:
                    break
            except Exception as e:  # a timeout is a hung worker
                self.close()
                a.error = "%s: %s" % (type(e).__name__, e)
                break
        a.end = time.monotonic()
        return a

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


class Load:
    """Threads that each call step(client, i) in a loop until stop(); step
    returns an Answer (or None).  Every Answer is kept, in order."""

    def __init__(self, steps):
        self.answers = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(s,), daemon=True)
                        for s in steps]

    def _run(self, step):
        client = Client()
        i = 0
        while not self.stopping.is_set():
            a = step(client, i)
            i += 1
            if a is not None:
                with self.lock:
                    self.answers.append(a)
        client.close()

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join(CLIENT_TIMEOUT + 5)
        assert not any(t.is_alive() for t in self.threads), "a client hangs"
        return self.answers

    def snapshot(self):
        with self.lock:
            return list(self.answers)

    def wait_for(self, pred, timeout):
        """Waits until some answer that started after now satisfies pred."""
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            if any(a.start >= t0 and pred(a) for a in self.snapshot()):
                return time.monotonic()
            time.sleep(0.05)
        return None


def dev_available():
    return bool(DB_PORT and DB_SOCKET and APACHE_PID)


def dev(command):
    """build/dev db-stop | db-kill | db-start on this checkout's server."""
    env = dict(os.environ, PORT=str(URL.port), DB_PORT=DB_PORT)
    subprocess.run([os.path.join(TOP, "build", "dev"), command], env=env,
                   check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, timeout=120)


def sql(statement):
    """Runs SQL as MariaDB's root over the dev server's socket; returns the
    rows as lists of strings."""
    out = subprocess.run(
        ["mariadb", "--no-defaults", "--socket=" + DB_SOCKET, "-uroot",
         "--batch", "--skip-column-names", "testapi", "-e", statement],
        check=True, capture_output=True, timeout=60).stdout.decode()
    return [line.split("\t") for line in out.splitlines()]


def apache_master_pid():
    with open(APACHE_PID) as f:
        return int(f.read().strip())


def apache_processes(master=None):
    """The master and its children: [(pid, rss_kib)]."""
    master = master or apache_master_pid()
    procs = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/status" % pid) as f:
                status = dict(line.split(":", 1) for line in f if ":" in line)
        except OSError:
            continue
        if int(pid) == master or int(status.get("PPid", "0").strip()) == master:
            rss = int(status.get("VmRSS", "0 kB").split()[0])
            procs.append((int(pid), rss))
    return procs
