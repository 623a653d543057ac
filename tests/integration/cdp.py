"""Headless Chromium driven over the DevTools protocol, without extra
packages: Chromium's --remote-debugging-pipe reads commands on fd 3 and
writes answers and events on fd 4, one JSON message per NUL-terminated
frame.  Used by test_swagger_ui.py."""
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import tempfile
import time

# The flags the machine's notes ask for (a closed network: no background
# connections), plus a throw-away profile.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--disable-quic", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions",
         "--remote-debugging-pipe"]


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CDPError(Exception):
    pass


class Browser:
    """One Chromium process (its own session, killed as a group at the end)
    and one page in it."""

    def __init__(self, exe, deadline, width=1280, height=1000):
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="testapi-chromium-")
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        # Our ends and Chromium's ends, all above 10 so that moving
        # Chromium's to 3 and 4 cannot overwrite one of them.
        cmd_r, cmd_w = self._high_pipe()
        evt_r, evt_w = self._high_pipe()
        self.out, self.inp = cmd_w, evt_r
        self.pid = os.posix_spawn(
            exe, [exe] + FLAGS + ["--user-data-dir=" + self.profile,
                                  "--window-size=%d,%d" % (width, height), "about:blank"],
            os.environ,
            file_actions=[(os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
                          (os.POSIX_SPAWN_DUP2, self.log.fileno(), 1),
                          (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
                          (os.POSIX_SPAWN_DUP2, cmd_r, 3),
                          (os.POSIX_SPAWN_DUP2, evt_w, 4)],
            setsid=True)
        os.close(cmd_r)
        os.close(evt_w)
        self.buf = b""
        self.next_id = 0
        self.session = None
        try:
            target = self.call("Target.createTarget", url="about:blank", session=False)
            self.session = self.call("Target.attachToTarget", targetId=target["targetId"],
                                     flatten=True, session=False)["sessionId"]
            self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                      deviceScaleFactor=1, mobile=False)
            self.call("Page.enable")
        except BaseException:
            self.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @staticmethod
    def _high_pipe():
        r, w = os.pipe()
        hr = fcntl.fcntl(r, fcntl.F_DUPFD_CLOEXEC, 10)
        hw = fcntl.fcntl(w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(r)
        os.close(w)
        return hr, hw

    def _left(self):
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise CDPError("out of time")
        return left

    def call(self, method, session=True, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session and self.session:
            msg["sessionId"] = self.session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            _, ready, _ = select.select([], [self.out], [], self._left())
            if ready:
                data = data[os.write(self.out, data):]
        while True:
            for reply in self._messages():
                if reply.get("id") == self.next_id:
                    if "error" in reply:
                        raise CDPError("%s: %s" % (method, reply["error"]))
                    return reply.get("result", {})

    def _messages(self):
        ready, _, _ = select.select([self.inp], [], [], min(self._left(), 1.0))
        if not ready:
            return []
        chunk = os.read(self.inp, 1 << 20)
        if not chunk:
            raise CDPError("Chromium went away (log: %s)" % self.log.name)
        self.buf += chunk
        *frames, self.buf = self.buf.split(b"\0")
        return [json.loads(f) for f in frames if f]

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (JSON-able)."""
        res = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                        awaitPromise=True)
        if "exceptionDetails" in res:
            raise CDPError("%s: %s" % (expression[:60], res["exceptionDetails"].get("text")))
        return res["result"].get("value")

    def wait_for(self, expression, what, interval=0.2):
        """Polls until the expression is truthy; returns its value."""
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() + interval > self.deadline:
                raise CDPError("timed out waiting for " + what)
            time.sleep(interval)

    def navigate(self, url):
        self.call("Page.navigate", url=url)

    def screenshot(self, path, full=False):
        """The window, or the whole page (full), as PNG."""
        if full:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                             clip={"x": 0, "y": 0, "width": size["width"],
                                   "height": min(size["height"], 16000), "scale": 1})
        else:
            shot = self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as fh:
            fh.write(base64.b64decode(shot["data"]))

    def close(self):
        try:
            if self.pid:
                try:
                    self.deadline = time.monotonic() + 3
                    self.call("Browser.close", session=False)
                except (CDPError, OSError, ValueError):
                    pass
                # Chromium and its helpers are one process group (setsid).
                for _ in range(30):
                    if os.waitpid(self.pid, os.WNOHANG)[0]:
                        break
                    time.sleep(0.1)
                else:
                    os.killpg(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.pid = None
        finally:
            for fd in (self.out, self.inp):
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)
