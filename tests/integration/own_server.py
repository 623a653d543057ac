"""A server of a test's own: a scratch database on the dev server's MariaDB
and an Apache that serves it, for what the shared dev server cannot show (a
database at another schema version, a database restored from a backup, two
Apache instances in front of one database).

ScratchDatabase is a database of its own, made and inspected as MariaDB's
root over the dev server's socket, that the module's account (`testapi`)
may use as it uses the dev database; drop() removes it and that grant.

OwnApache is an Apache started from the dev server's configuration (the
.dev/httpd.conf that build/dev writes) with its own port, pid file, logs
and runtime directory, and its own `Define TESTAPI_DBD_PARAMS` line (the
same parameters with another dbname).  Port: the dev server's PORT + 10000
+ 1000 x index, so that several run side by side (index 0, 1, ...) and
engineers' servers on neighbouring ports never meet.  It runs the module
the dev server runs unless given another .so (and DBDParams of its own
with dbd_params).

The pytest fixtures `scratch_database` and `own_apache` (conftest.py) make
them and clean them up."""
import os
import re
import subprocess
import time
import uuid

import loadgen

TOP = loadgen.TOP
DEV_CONF = os.path.join(TOP, ".dev", "httpd.conf")
ADMIN_TOOL = os.environ.get("TESTAPI_ADMIN", os.path.join(TOP, "testapi-admin"))
# Every statement and tool run here is bounded by this.
TIMEOUT = 120


def _mariadb(args, stdin=None):
    return subprocess.run(
        ["mariadb", "--no-defaults", "--socket=" + loadgen.DB_SOCKET, "-uroot",
         *args], input=stdin, check=True, capture_output=True,
        timeout=TIMEOUT)


class ScratchDatabase:
    """A database of its own; name() is its name."""

    def __init__(self, prefix="testapi_s"):
        self.name = "%s_%s" % (prefix, uuid.uuid4().hex[:10])
        _mariadb(["-e", "CREATE DATABASE `%s` CHARACTER SET utf8mb4 "
                  "COLLATE utf8mb4_bin" % self.name])
        for host in ("localhost", "127.0.0.1"):
            _mariadb(["-e", "GRANT SELECT, INSERT, UPDATE, DELETE ON `%s`.* "
                      "TO 'testapi'@'%s'" % (self.name, host)])

    @property
    def admin_params(self):
        """DBDParams for testapi-admin as MariaDB's root (schema changes
        need more than the module's account may do)."""
        return "host=localhost sock=%s user=root dbname=%s reconnect=0" % (
            loadgen.DB_SOCKET, self.name)

    def admin(self, *args, password=None):
        """testapi-admin on this database as MariaDB's root (a password,
        when given, on its standard input)."""
        return subprocess.run(
            [ADMIN_TOOL, "-p", self.admin_params, *args], capture_output=True,
            text=True, input="" if password is None else password + "\n",
            timeout=TIMEOUT)

    def load(self, path):
        """Runs the SQL file (a schema, a dump) in this database."""
        with open(path, "rb") as f:
            _mariadb(["--batch", self.name], stdin=f.read())

    def sql(self, statement):
        """Rows of the statement, as lists of strings."""
        out = _mariadb(["--batch", "--skip-column-names", self.name, "-e",
                        statement]).stdout.decode()
        return [line.split("\t") for line in out.splitlines()]

    def tables(self):
        return sorted(row[0] for row in self.sql("SHOW TABLES"))

    def create_table(self, table):
        """SHOW CREATE TABLE without the AUTO_INCREMENT counter (data, not
        schema)."""
        text = self.sql("SHOW CREATE TABLE `%s`" % table)[0][1]
        return re.sub(r" AUTO_INCREMENT=\d+", "", text.replace("\\n", "\n"))

    def dump(self, *options):
        """mariadb-dump of this database (bytes)."""
        return subprocess.run(
            ["mariadb-dump", "--no-defaults", "--socket=" + loadgen.DB_SOCKET,
             "-uroot", *options, self.name], check=True, capture_output=True,
            timeout=TIMEOUT).stdout

    def drop(self):
        for host in ("localhost", "127.0.0.1"):
            _mariadb(["-e", "REVOKE ALL PRIVILEGES ON `%s`.* FROM "
                      "'testapi'@'%s'" % (self.name, host)])
        _mariadb(["-e", "DROP DATABASE IF EXISTS `%s`" % self.name])


def dev_port():
    return loadgen.URL.port


class OwnApache:
    """An Apache of its own in front of `database` (a ScratchDatabase or a
    database name)."""

    def __init__(self, database, index=0, module=None, dashboard=None,
                 dbd_params=None):
        self.database = getattr(database, "name", database)
        self.port = dev_port() + 10000 + 1000 * index
        self.url = "http://127.0.0.1:%d" % self.port
        self.dir = os.path.join(TOP, ".dev", "own", str(self.port))
        self.conf = os.path.join(self.dir, "httpd.conf")
        self.pidfile = os.path.join(self.dir, "httpd.pid")
        self.error_log = os.path.join(self.dir, "error.log")
        self.module = module
        self.dashboard = dashboard
        self.dbd_params = dbd_params

    def _config(self):
        with open(DEV_CONF) as f:
            text = f.read()
        own = {"ServerRoot": '"%s"' % self.dir,
               "DefaultRuntimeDir": '"%s"' % self.dir,
               "PidFile": '"%s"' % self.pidfile,
               "Listen": "127.0.0.1:%d" % self.port,
               "ErrorLog": '"%s"' % self.error_log,
               "CustomLog": '"%s" timed' % os.path.join(self.dir, "access.log")}
        for directive, value in own.items():
            text, n = re.subn(r"(?m)^%s .*$" % directive,
                              lambda m: "%s %s" % (directive, value), text)
            assert n == 1, "%s: no single %s line" % (DEV_CONF, directive)
        text, n = re.subn(
            r'(?m)^(Define TESTAPI_DBD_PARAMS ".*\bdbname=)\S+?(["\s])',
            lambda m: m.group(1) + self.database + m.group(2), text)
        assert n == 1, DEV_CONF + ": no Define TESTAPI_DBD_PARAMS with dbname"
        if self.dbd_params:
            text = re.sub(r'(?m)^Define TESTAPI_DBD_PARAMS .*$',
                          lambda m: 'Define TESTAPI_DBD_PARAMS "%s"' %
                          self.dbd_params, text)
        if self.module:
            text, n = re.subn(r"(?m)^LoadModule testapi_module .*$",
                              'LoadModule testapi_module "%s"' % self.module,
                              text)
            assert n == 1
        if self.dashboard:
            text, n = re.subn(r"(?m)^Define TESTAPI_DASHBOARD .*$",
                              'Define TESTAPI_DASHBOARD "%s"' % self.dashboard,
                              text)
            assert n == 1
        return text

    def start(self):
        os.makedirs(self.dir, exist_ok=True)
        self.stop()
        with open(self.conf, "w") as f:
            f.write(self._config())
        subprocess.run(["apache2", "-f", self.conf, "-k", "start"], check=True,
                       capture_output=True, timeout=TIMEOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/versions").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise AssertionError("own Apache on %s did not answer; %s" % (
            self.url, self.log()[-2000:]))

    def stop(self):
        """Stops it (if it runs) and waits until it has gone."""
        try:
            with open(self.pidfile) as f:
                pid = int(f.read().strip())
        except (OSError, ValueError):
            return
        try:
            os.kill(pid, 15)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, 9)

    def request(self, method, path, body=None, **kw):
        """conftest.request() against this server."""
        from conftest import request
        return request(method, path, body, url=self.url, **kw)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def log(self):
        """Its error log so far."""
        try:
            with open(self.error_log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def configtest(self):
        """apache2 -t on its configuration: (exit status, output)."""
        os.makedirs(self.dir, exist_ok=True)
        with open(self.conf, "w") as f:
            f.write(self._config())
        r = subprocess.run(["apache2", "-t", "-f", self.conf],
                           capture_output=True, text=True, timeout=TIMEOUT)
        return r.returncode, r.stdout + r.stderr
