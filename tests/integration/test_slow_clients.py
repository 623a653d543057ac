"""Slow clients cannot take the server: mod_reqtimeout bounds the time a
request's headers and body may take to arrive (RequestReadTimeout in
conf/testapi.conf), mod_qos the connections one address may hold
(QS_SrvMaxConnPerIP).  Reading a request holds a worker thread even under
the event MPM, so without them ~100 connections that each sent a byte
every 5 s kept every worker busy.

The floods come from loopback addresses other than the suite's 127.0.0.1
(which the dev server exempts from the per-address limit), the client that
must still be served from 127.0.0.2.  Every flood is bounded in time and
closes its sockets when its test ends."""
import select
import socket
import threading
import time

from conftest import URL, raw_exchange

BODY_TIMEOUT = 10      # conf/testapi.conf: RequestReadTimeout body=10,MinRate=500
HEADER_TIMEOUT = 10    # ... header=10-20,MinRate=500 (nothing arrives: 10 s)
PER_ADDRESS = 20       # conf/testapi.conf: QS_SrvMaxConnPerIP 20
WORKERS = 100          # conf/dev-httpd.conf.in: MaxRequestWorkers 100
SLACK = 5              # seconds, for a loaded machine
OTHER_CLIENT = "127.0.0.2"


class SlowBodies:
    """Anonymous POSTs whose headers arrive at once and whose 1000-byte
    body then comes one byte every 5 s, n connections from each source
    address (no credentials needed: httpd reads the body, to discard it,
    before its 401 leaves); records when and how the server ends each
    connection."""

    def __init__(self, sources, n):
        self.start = time.monotonic()
        self.ended = {}                 # socket -> (seconds, first bytes)
        self.socks = []
        self.stopping = threading.Event()
        head = (b"POST /api/v1/results HTTP/1.1\r\nHost: %s:%d\r\n"
                b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"
                % (URL.hostname.encode(), URL.port))
        for source in sources:
            for _ in range(n):
                s = socket.socket()
                s.bind((source, 0))
                s.setblocking(False)
                s.connect_ex((URL.hostname, URL.port))
                self.socks.append(s)
        # The kernel takes the bytes even while a connection waits to be
        # accepted: every request is sent as soon as it is connected.
        pending = set(self.socks)
        while pending and time.monotonic() - self.start < 10:
            _, connected, _ = select.select([], list(pending), [], 1)
            pending.difference_update(connected)
        for s in self.socks:
            try:
                s.send(head)
            except OSError:
                self.ended[s] = (0.0, b"")
        self.thread = threading.Thread(target=self._drip)
        self.thread.start()

    def _drip(self):
        last = time.monotonic()
        while not self.stopping.is_set():
            live = [s for s in self.socks if s not in self.ended]
            if not live:
                return
            readable, _, _ = select.select(live, [], [], 0.2)
            for s in readable:
                try:
                    data = s.recv(4096)
                except OSError:
                    data = b""
                self.ended[s] = (time.monotonic() - self.start, data)
            if time.monotonic() - last >= 5:
                last = time.monotonic()
                for s in live:
                    if s not in self.ended:
                        try:
                            s.send(b" ")
                        except OSError:
                            self.ended[s] = (time.monotonic() - self.start, b"")

    def stop(self):
        self.stopping.set()
        self.thread.join()
        for s in self.socks:
            s.close()


def versions_from_other_client(timeout):
    """GET /versions from OTHER_CLIENT: (seconds it took, status or None)."""
    t0 = time.monotonic()
    try:
        r = raw_exchange(b"GET /versions HTTP/1.1\r\nHost: %s:%d\r\nConnection: close\r\n\r\n"
                         % (URL.hostname.encode(), URL.port),
                         source=OTHER_CLIENT, timeout=timeout)
        return time.monotonic() - t0, r.status
    except OSError:
        return time.monotonic() - t0, None


def test_a_slow_body_flood_from_one_address_leaves_the_api_to_others():
    flood = SlowBodies(["127.0.0.3"], WORKERS + 10)
    try:
        answers = []
        while time.monotonic() - flood.start < BODY_TIMEOUT + 2:
            answers.append(versions_from_other_client(timeout=5))
            time.sleep(0.5)
        refused = [t for t, data in flood.ended.values() if data == b"" and t < 3]
    finally:
        flood.stop()
    assert all(status == 200 for _, status in answers), answers
    assert max(took for took, _ in answers) < 3, answers
    # mod_qos closed what one address had over its limit at once
    assert len(refused) >= WORKERS + 10 - PER_ADDRESS, len(refused)


def test_after_a_slow_body_flood_from_many_addresses_the_api_answers_within_the_body_timeout():
    sources = ["127.0.0.%d" % i for i in range(10, 16)]
    flood = SlowBodies(sources, PER_ADDRESS)          # 120: every worker
    answered = None
    try:
        while time.monotonic() - flood.start < BODY_TIMEOUT + SLACK + 5:
            _, status = versions_from_other_client(timeout=2)
            if status == 200 and time.monotonic() - flood.start > 1:
                answered = time.monotonic() - flood.start
                break
            time.sleep(0.2)
        held = sorted(t for t, data in flood.ended.values() if data)
    finally:
        flood.stop()
    assert answered is not None and answered <= BODY_TIMEOUT + SLACK, answered
    # the flood held its workers until the body timeout, not less
    assert held and held[0] >= BODY_TIMEOUT - 1, held


def test_headers_that_never_end_get_a_json_408_at_the_header_timeout():
    t0 = time.monotonic()
    r = raw_exchange(b"GET /api/v1/pods HTTP/1.1\r\nHost: %s:%d\r\nX-Slow: a"
                     % (URL.hostname.encode(), URL.port), source="127.0.0.4",
                     timeout=HEADER_TIMEOUT + 20)
    took = time.monotonic() - t0
    assert r.status == 408 and r.header("content-type") == "application/json"
    assert r.json == {"code": 408, "message": "request not received in time"}
    assert HEADER_TIMEOUT - 1 <= took <= HEADER_TIMEOUT + SLACK, took


def test_a_request_line_that_never_ends_is_closed_without_an_answer():
    """Documented exception (README, Configuration): httpd gives up on such
    a request without an answer that a module could render."""
    s = socket.socket()
    s.settimeout(HEADER_TIMEOUT + 20)
    s.bind(("127.0.0.5", 0))
    t0 = time.monotonic()
    try:
        s.connect((URL.hostname, URL.port))
        s.sendall(b"GET /api/v1/pods")
        data = s.recv(4096)
    finally:
        s.close()
    took = time.monotonic() - t0
    assert data == b""
    assert HEADER_TIMEOUT - 1 <= took <= HEADER_TIMEOUT + SLACK, took
