"""Security: SQL only from fixed, prepared statements (checked in the
sources); error bodies that reveal nothing of the server's inside;
X-Content-Type-Options: nosniff on every answer; no write without
credentials on any route of the routing table."""
import base64
import os
import re
import socket
import time

import pytest

import loadgen
from conftest import (URL, assert_error, delete, get, make_account, post, put,
                      request, tool)

TOP = loadgen.TOP
MODULE = os.path.join(TOP, "mod_testapi")

# ---- the C sources: SQL is never built from strings ----------------------

# SQL, whole or in pieces ("DELETE" alone is an HTTP method).
SQL_WORDS = re.compile(
    r"\bSELECT\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+|\bDELETE\s+FROM\b|"
    r"\bREPLACE\s+INTO\b|\bWHERE\b|\bJOIN\b|\bFROM\s+\w+|\bUNION\b|"
    r"\bVALUES\s*\(|\b(ORDER|GROUP)\s+BY\b|\bLIMIT\s+%|\bSET\s+\w+\s*=|"
    r"\b(DROP|ALTER|CREATE|TRUNCATE)\s+(TABLE|DATABASE|USER)\b|\bGRANT\b|"
    r"\b(AND|OR)\s+[\w.]+\s*(=|<|>|IS\b|IN\b|LIKE\b)")
# Functions that build text: SQL must never come out of them, except the
# concatenation of fixed fragments in testapi_result_sql.c.
TEXT_BUILDERS = {"apr_psprintf", "apr_pvsprintf", "apr_pstrcat", "apr_pstrcatv",
                 "apr_snprintf", "apr_vsnprintf", "snprintf", "sprintf",
                 "vsnprintf", "vsprintf", "strcat", "strncat", "strcpy",
                 "apr_cpystrn", "apr_pstrdup", "apr_pstrndup", "apr_pstrmemdup",
                 "apr_brigade_printf", "apr_brigade_puts"}
# testapi-admin's functions that prepare and run the SQL literal they get
# (testapi_admin_database.h's, and testapi_admin.c's over them).
ADMIN_RUNNERS = {"exec", "exists", "testapi_admin_exec", "testapi_admin_each",
                 "testapi_admin_value"}
# testapi-admin's tables of statements, run through those runners:
# {file: variable}.
ADMIN_TABLES = {"testapi_admin_backup.c": "site_state",
                "testapi_admin_purge.c": "derived_before_delete"}
# The one statement run as text: a statement of a migration file of sql/
# (testapi_admin_schema.c), never anything built from input.
MIGRATION_RUNNER = ("testapi_admin_schema.c", "apr_dbd_query", "statement")
# Entry points that run SQL text as it is (no placeholders) or that only
# make sense when SQL is built by hand.
RAW_SQL_CALLS = {"apr_dbd_query", "apr_dbd_select", "apr_dbd_escape",
                 "mysql_query", "mysql_real_query", "mysql_real_escape_string",
                 "mysql_stmt_prepare"}

TOKEN = re.compile(r"""
    (?P<comment>/\*.*?\*/|//[^\n]*)
  | (?P<string>(?:L|u8|u|U)?"(?:\\.|[^"\\\n])*")
  | (?P<char>'(?:\\.|[^'\\\n])+')
  | (?P<ident>[A-Za-z_]\w*)
  | (?P<number>\d[\w.]*)
  | (?P<space>\s+)
  | (?P<punct>->|.)
""", re.S | re.X)


def tokenize(src):
    """C tokens without comments or blanks: [(kind, text, line)]."""
    out, line = [], 1
    for m in TOKEN.finditer(src):
        kind, text = m.lastgroup, m.group()
        if kind not in ("comment", "space"):
            out.append((kind, text, line))
        line += text.count("\n")
    return out


def literal(text):
    return text[text.index('"') + 1:-1]


def calls(toks):
    """Every call: (name, [argument token lists], line)."""
    found = []
    keywords = {"return", "else", "case", "sizeof", "do"}
    for i in range(len(toks) - 1):
        prev = toks[i - 1] if i else ("punct", ";", 0)
        declared = (prev[0] == "ident" and prev[1] not in keywords) or \
            (prev[1] == "*" and i > 1 and toks[i - 2][0] == "ident")
        if toks[i][0] == "ident" and toks[i + 1][1] == "(" and not declared:
            depth, args, cur, j = 0, [], [], i + 1
            while j < len(toks):
                t = toks[j][1]
                if t == "(":
                    depth += 1
                    if depth == 1:
                        j += 1
                        continue
                elif t == ")":
                    depth -= 1
                    if depth == 0:
                        break
                if t == "," and depth == 1:
                    args.append(cur)
                    cur = []
                else:
                    cur.append(toks[j])
                j += 1
            if cur:
                args.append(cur)
            found.append((toks[i][1], args, toks[i][2]))
    return found


def initializer(toks, name):
    """Indexes [start, end) of the braced initializer of the variable."""
    for i, t in enumerate(toks):
        if t == ("ident", name, t[2]) and i + 1 < len(toks) and \
                any(x[1] == "=" for x in toks[i + 1:i + 4]):
            start = next(j for j in range(i, len(toks)) if toks[j][1] == "{")
            depth = 0
            for j in range(start, len(toks)):
                depth += {"{": 1, "}": -1}.get(toks[j][1], 0)
                if depth == 0:
                    return start, j + 1
    raise AssertionError("no initializer for " + name)


def check_sources(files):
    """The rules, over {file name: C text}; returns the violations."""
    bad = []
    bselect_sql = []
    for fname, src in sorted(files.items()):
        toks = tokenize(src)
        allowed = set()
        if fname == "testapi_database.c":
            # The one table of fixed statements.
            allowed = set(range(*initializer(toks, "testapi_statements")))
        if fname == "testapi_result_sql.c":
            # Fixed fragments of the composed results statements.
            allowed = set(range(len(toks)))
        if fname in ADMIN_TABLES:
            allowed = set(range(*initializer(toks, ADMIN_TABLES[fname])))
        given = set()
        if fname.startswith("testapi_admin"):
            # testapi-admin, a program of its own: each statement is a
            # literal handed straight to the wrapper that prepares and runs
            # it (the SQL argument, the second).
            for name, args, line in calls(toks):
                if name in ADMIN_RUNNERS and len(args) >= 2:
                    given |= {(t[1], t[2]) for t in args[1] if t[0] == "string"}
        for i, (kind, text, line) in enumerate(toks):
            if kind == "string" and i not in allowed and \
                    (text, line) not in given and \
                    SQL_WORDS.search(literal(text)):
                bad.append("%s:%d: SQL text outside the statement table: %s"
                           % (fname, line, text))
        for name, args, line in calls(toks):
            where = "%s:%d: %s" % (fname, line, name)
            if (name in RAW_SQL_CALLS or name.startswith("mysql_")) and not \
                    ((fname, name) == MIGRATION_RUNNER[:2] and len(args) == 4 and
                     [t[1] for t in args[3]] == [MIGRATION_RUNNER[2]]):
                bad.append(where + ": SQL run as text or by the native API")
            if name in TEXT_BUILDERS:
                for arg in args:
                    for kind, text, _ in arg:
                        if kind == "string" and SQL_WORDS.search(literal(text)) \
                                and not (fname == "testapi_result_sql.c" and
                                         name == "apr_pstrcat"):
                            bad.append(where + ": builds SQL text: " + text)
            if name in ("apr_dbd_prepare", "prepare"):
                if fname.startswith("testapi_admin") and len(args) >= 4 and \
                        " ".join(t[1] for t in args[3]) == "sql":
                    pass  # its runners' parameter: literals, checked above
                elif fname != "testapi_database.c":
                    bad.append(where + ": statements are prepared in testapi_database.c only")
                elif len(args) >= 2:
                    # prepare(s, sql, label) / apr_dbd_prepare(drv, pool, h, sql, ...)
                    sql = args[1] if name == "prepare" else args[3]
                    sql = " ".join(t[1] for t in sql)
                    if sql not in ("st -> sql", "result_get", "sql"):
                        bad.append(where + ": prepares " + sql)
            if name == "testapi_db_bselect" and len(args) >= 3:
                bselect_sql.append((where, args[2]))
        if fname == "testapi_database.c":
            # result_get, the one composed statement prepared at startup.
            m = re.search(r"result_get\s*=\s*(\w+)\s*\(", src)
            if not m or m.group(1) != "testapi_rsql":
                bad.append("testapi_database.c: result_get is not from testapi_rsql()")
    for where, arg in bselect_sql:
        # The composed statements come from the fragments, never elsewhere.
        if not arg or arg[0][1] != "testapi_rsql" or arg[1][1] != "(":
            bad.append(where + ": runs SQL that testapi_rsql() did not compose")
    header = files.get("testapi_result_sql.h", "")
    proto = re.search(r"const char \*testapi_rsql\(([^)]*)\)", header)
    if not proto or "char" in proto.group(1):
        bad.append("testapi_result_sql.h: testapi_rsql() must take no text "
                   "(filters are bits, values are placeholders)")
    return bad


def module_sources():
    """{file name: text} of every C file of the module's layers."""
    files = {}
    for top, _, names in os.walk(MODULE):
        for f in names:
            if f.endswith((".c", ".h")):
                assert f not in files, "two files named " + f
                files[f] = open(os.path.join(top, f), encoding="utf-8").read()
    return files


def test_sql_comes_only_from_the_statement_table_and_fixed_fragments():
    files = module_sources()
    assert "testapi_database.c" in files and "testapi_result_sql.c" in files
    assert check_sources(files) == []


def test_the_sql_check_finds_sql_built_from_strings():
    """The check above can fail: each of these is caught."""
    files = module_sources()
    samples = {
        "printf": 'q = apr_psprintf(p, "SELECT * FROM pods WHERE name = \'%s\'", n);',
        "concat": 'q = apr_pstrcat(p, "DELETE FROM pods WHERE name = \'", n, "\'", NULL);',
        "literal": 'static const char *q = "UPDATE pods SET mode = ";',
        "raw": "apr_dbd_query(drv, h, &n, q);",
        "native": "mysql_real_query(conn, q, len);",
        "prepare": "apr_dbd_prepare(drv, pool, h, q, label, &st);",
        "bselect": "testapi_db_bselect(db, label, q, &res, args);",
    }
    for name, line in samples.items():
        bad_files = dict(files)
        bad_files["testapi_pods.c"] += "\nstatic void bad(void) { %s }\n" % line
        assert check_sources(bad_files) != [], name
    # testapi-admin's literals pass; SQL built there does not
    bad_files = dict(files)
    bad_files["testapi_admin.c"] += (
        "\nstatic void bad(admin *a, const char *n) { int r; exec(a, "
        "apr_psprintf(a->pool, \"DELETE FROM accounts WHERE name = '%s'\", n), "
        "&r, 0, NULL); }\n")
    assert check_sources(bad_files) != []
    # its other files likewise; only the migration runner runs text, and
    # only a migration's statement
    for fname, line in (
            ("testapi_admin_purge.c", 'testapi_admin_exec(db, apr_psprintf('
             'db->pool, "DELETE FROM results WHERE oid = \'%s\'", o), &n, 0, '
             'NULL);'),
            ("testapi_admin_purge.c", "apr_dbd_query(d, h, &n, statement);"),
            ("testapi_admin_schema.c", "apr_dbd_query(d, h, &n, q);"),
            ("testapi_admin_backup.c",
             'static const char *q = "DELETE FROM accounts";')):
        bad_files = dict(files)
        bad_files[fname] += "\nstatic void bad(void) { %s }\n" % line
        assert check_sources(bad_files) != [], (fname, line)
    bad_files = dict(files)
    bad_files["testapi_result_sql.h"] = bad_files["testapi_result_sql.h"].replace(
        "unsigned shape)", "unsigned shape, const char *where)")
    assert check_sources(bad_files) != []
    # A comment that mentions SQL is not SQL.
    ok_files = dict(files)
    ok_files["testapi_pods.c"] += "\n/* SELECT the pod FROM somewhere */\n"
    assert check_sources(ok_files) == []


def test_the_login_query_of_the_config_uses_a_placeholder():
    conf = open(os.path.join(TOP, "conf", "testapi.conf")).read()
    # (shown commented out, as the mod_authn_dbd alternative)
    queries = re.findall(r"^\s*#?\s*AuthDBDUserPWQuery\s+\"(.*)\"", conf, re.M)
    assert queries
    for q in queries:
        assert "%s" in q and "'%s'" not in q and '"%s"' not in q


# ---- error bodies ----------------------------------------------------------

# Nothing of the server's inside: SQL, file paths, source positions, the
# database's name or messages.
LEAKS = re.compile(r"SELECT|INSERT|UPDATE \w+ SET|DELETE FROM|/work|/usr/|/etc/|"
                   r"\.c:|\.so|mysql|mariadb|innodb|testapi\.|Table '|"
                   r"doesn't exist|syntax|errno|TESTAPI0", re.I)


def assert_tells_nothing(resp):
    assert not LEAKS.search(resp.raw.decode("utf-8", "replace")), resp


def raw_http(data, read_timeout=10):
    s = socket.create_connection((URL.hostname, URL.port), timeout=read_timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            out += chunk
    except socket.timeout:
        pass
    s.close()
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for h in lines[1:]:
        k, _, v = h.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(lines[0].split()[1]), headers, body


def error_answers(refs):
    """One of every kind of error the service gives without a fault."""
    p = refs["project"]
    return [
        post("/api/v1/pods", raw=b'{"name": "x", '),
        post("/api/v1/pods", raw=b"\x00\xff"),
        post("/api/v1/pods", {"name": 5}),
        post("/api/v1/pods", None),
        put("/api/v1/projects/" + p, None),
        post("/api/v1/pods", {"name": refs["pod"]}),
        put("/api/v1/projects/" + p, {"name": p}),
        delete("/api/v1/pods/" + refs["pod"]),
        delete("/api/v1/projects/" + p),
        get("/api/v1/pods/no-such-pod"),
        get("/api/v1/results/0123456789abcdef01234567"),
        get("/api/v1/results/not-an-id"),
        get("/api/v1/nothing/here"),
        get("/api/v1/pods/a%2Fb"),
        get("/api/v1/results?last=x"),
        get("/api/v1/results?page=0"),
        get("/api/v1/results?from=yesterday"),
        get("/api/v1/results?project=a&project=b"),
        request("PATCH", "/api/v1/pods"),
        post("/api/v1/pods", {"name": "x"}, auth=False),
        post("/api/v1/pods", {"name": "x"}, auth="opnfv:wrong"),
        post("/api/v1/results", {"pod_name": "nope", "project_name": p,
                                 "case_name": refs["case"]}),
    ]


def test_error_bodies_tell_nothing_of_the_inside(refs):
    answers = error_answers(refs)
    for r in answers:
        assert r.status >= 400, r
        assert_error(r, r.status)
        assert_tells_nothing(r)
    # 413 by Content-Length, before the body is read.
    status, headers, body = raw_http(
        b"POST /api/v1/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
        base64.b64encode(b"opnfv:api@opnfv") + b"\r\nContent-Length: 99999999"
        b"\r\nConnection: close\r\n\r\n{")
    assert status == 413 and not LEAKS.search(body.decode("utf-8", "replace"))


@pytest.mark.skipif(not loadgen.dev_available(),
                    reason="needs build/dev's private MariaDB")
def test_database_errors_are_logged_not_shown(refs):
    """A statement that fails in the database (here: its table is missing)
    is a 500 with a generic message; the details go to the error log."""
    log = os.environ["TESTAPI_ERROR_LOG"]
    start = os.path.getsize(log)
    loadgen.sql("RENAME TABLE pods TO pods_hidden_by_test")
    try:
        answers = [
            get("/api/v1/pods"),
            get("/api/v1/pods/" + refs["pod"]),
            post("/api/v1/pods", {"name": refs["pod"] + "-2"}),
            get("/api/v1/results?pod=" + refs["pod"]),
            get("/api/v1/results/" + refs["result"]),
            post("/api/v1/results", {"pod_name": refs["pod"],
                                     "project_name": refs["project"],
                                     "case_name": refs["case"]}),
        ]
    finally:
        loadgen.sql("RENAME TABLE pods_hidden_by_test TO pods")
    for r in answers:
        assert r.status in (500, 503), r
        assert_error(r, r.status)
        assert_tells_nothing(r)
        assert r.header("x-content-type-options") == "nosniff"
    with open(log, errors="replace") as f:
        f.seek(start)
        logged = f.read()
    assert "TESTAPI00003" in logged and "pods" in logged
    assert get("/api/v1/pods/" + refs["pod"]).status == 200


# ---- X-Content-Type-Options: nosniff -----------------------------------------

def test_every_answer_says_nosniff(refs, unique):
    p, c = refs["project"], refs["case"]
    answers = error_answers(refs) + [
        get("/versions"),
        get("/api/v1/pods"),
        get("/api/v1/pods/" + refs["pod"]),
        get("/api/v1/projects/%s/cases/%s" % (p, c)),
        get("/api/v1/results?project=" + p),
        get("/api/v1/results?project=%s&page=1" % p),
        get("/api/v1/results/" + refs["result"]),
        request("HEAD", "/api/v1/results?project=" + p),
        request("HEAD", "/api/v1/pods/" + refs["pod"]),
        request("HEAD", "/api/v1/pods/no-such-pod"),
        request("OPTIONS", "/api/v1/pods"),
        request("OPTIONS", "/api/v1/results/" + refs["result"]),
        post("/api/v1/pods", {"name": unique}),
        put("/api/v1/projects/" + p, {"description": "changed"}),
        delete("/api/v1/pods/" + unique),
    ]
    statuses = {r.status for r in answers}
    assert {200, 400, 401, 403, 404, 405}.issubset(statuses), statuses
    for r in answers:
        assert r.header("x-content-type-options") == "nosniff", r
    status, headers, _ = raw_http(
        b"POST /api/v1/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
        base64.b64encode(b"opnfv:api@opnfv") + b"\r\nContent-Length: 99999999"
        b"\r\nConnection: close\r\n\r\n{")
    assert status == 413 and headers.get("x-content-type-options") == "nosniff"


def test_trace_does_not_echo_credentials():
    """TRACE would echo the request, Authorization included (conf/testapi.conf
    sets TraceEnable Off)."""
    secret = base64.b64encode(b"opnfv:api@opnfv")
    status, _, body = raw_http(
        b"TRACE /api/v1/pods HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " +
        secret + b"\r\nConnection: close\r\n\r\n")
    assert status == 405
    assert secret not in body


# ---- the API's paths are not files ------------------------------------------

def test_api_paths_skip_the_walk_of_directories(refs):
    """The API's paths name no file: the module ends map_to_storage for them,
    so core does not stat every directory from the DocumentRoot down nor
    read .htaccess files on the way.  The dev configuration allows
    overrides where /api/ would map (htdocs/api); a broken .htaccess there
    would make every API request a 500 if it were read."""
    htdocs = os.path.join(os.path.dirname(os.environ["TESTAPI_ERROR_LOG"]),
                          "htdocs", "api")
    os.makedirs(htdocs, exist_ok=True)
    htaccess = os.path.join(htdocs, ".htaccess")
    with open(htaccess, "w") as f:
        f.write("NotAnApacheDirective here\n")
    try:
        for path in ("/api/v1/pods", "/api/v1/results/" + refs["result"],
                     "/api/v1/results?project=" + refs["project"]):
            r = get(path)
            assert r.status == 200, (path, r.status)
            assert r.header("content-type").startswith("application/json")
    finally:
        os.unlink(htaccess)


# ---- no write without credentials or rights, on every route ------------------

ROW = re.compile(r'\{\s*"(/[^"]*)"\s*,\s*\{([^{}]*)\}\s*\}')
METHOD = re.compile(r"\[(\w+)\]\s*=\s*(READ|WRITE)\(\s*(\w+)\s*(?:,\s*(\w+)\s*)?\)")
SLOTS = ("GET", "POST", "PUT", "DELETE")
WRITES = ("POST", "PUT", "DELETE")


def routing_table():
    """[(pattern, {method: handler or None}, {method: what writing needs})]
    from testapi_route_table.c, whose rows read
    {"/pattern", {[GET] = READ(handler), [POST] = WRITE(handler, NEEDS)}}."""
    src = open(os.path.join(MODULE, "httpd", "testapi_route_table.c")).read()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    rows = []
    for pattern, methods in ROW.findall(src):
        found = METHOD.findall(methods)
        assert len(found) == methods.count("["), (pattern, methods)
        handlers, needs = dict.fromkeys(SLOTS), {}
        for method, kind, handler, need in found:
            assert method in SLOTS and handlers[method] is None, (pattern,
                                                                  method)
            # Reads are granted by the <Location>, writes by their row.
            assert (kind == "READ") == (method == "GET"), (pattern, method)
            assert (kind == "WRITE") == bool(need), (pattern, method)
            handlers[method] = handler
            if need:
                needs[method] = need
        rows.append((pattern, handlers, needs))
    return rows


def test_the_routing_table_is_read_whole():
    rows = routing_table()
    n_rows = len(re.findall(r'^\s*\{\s*"/', open(os.path.join(
        MODULE, "httpd", "testapi_route_table.c")).read(), re.M))
    assert len(rows) == n_rows >= 9
    writes = {m for _, h, _ in rows for m in WRITES if h[m]}
    assert writes == {"POST", "PUT", "DELETE"}


def route_path(pattern, values):
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], pattern)


def test_no_write_without_valid_credentials_on_any_route(refs):
    """Every route of the table, every write method (those it serves and
    those it does not), without credentials and with a wrong password:
    401 with WWW-Authenticate, and nothing changes."""
    values = {"pod": refs["pod"], "project": refs["project"],
              "case": refs["case"], "id": refs["result"]}
    before = {path: get(path).raw for path in (
        "/api/v1/pods/" + refs["pod"], "/api/v1/projects/" + refs["project"],
        "/api/v1/projects/%s/cases/%s" % (refs["project"], refs["case"]),
        "/api/v1/results/" + refs["result"])}
    n_pods = len(get("/api/v1/pods").json["pods"])
    tried = 0
    for pattern, handlers, _ in routing_table():
        path = route_path(pattern, values)
        served = [m for m in WRITES if handlers[m]]
        for method in ("POST", "PUT", "DELETE", "PATCH"):
            body = {"name": refs["pod"] + "-new", "description": "x",
                    "pod_name": refs["pod"], "project_name": refs["project"],
                    "case_name": refs["case"], "trust_indicator": 0.5}
            for auth in (False, "opnfv:wrong", "nobody:api@opnfv"):
                r = request(method, path, body, auth=auth)
                assert_error(r, 401)
                assert r.header("www-authenticate") == 'Basic realm="TestAPI"', r
                tried += 1
        # The same with credentials reaches the handlers the table names
        # (checked without changing anything: a PATCH is refused 405).
        r = request("PATCH", path, {}, auth=True)
        assert_error(r, 405)
        allow = set(a.strip() for a in r.header("allow").split(","))
        assert set(served) <= allow, (path, served, allow)
    assert tried >= 9 * 4 * 3
    for path, raw in before.items():
        assert get(path).raw == raw, path
    assert len(get("/api/v1/pods").json["pods"]) == n_pods


# Who may write what (README, "Accounts and permissions"): testcases need a
# grant on their project, results one on some project (the handler checks
# which), every other write an admin.
CONTRACT_NEEDS = {"/api/v1/projects/{project}/cases": "PROJECT",
                  "/api/v1/projects/{project}/cases/{case}": "PROJECT",
                  "/api/v1/results": "ANY_GRANT",
                  "/api/v1/results/{id}": "ANY_GRANT"}


def test_every_write_route_refuses_accounts_without_its_rights(refs, unique):
    """Each write the table serves, by an account without rights, by one
    granted a project and by an admin: refused with the contract's 403
    where the account lacks what the row needs, and otherwise the handler's
    own answer, the same as an admin's.  The paths name things that do not
    exist and the bodies are not objects, so nothing changes."""
    plain, scoped = make_account(), make_account()
    try:
        assert tool("grant", scoped[0], refs["project"]).returncode == 0
        n_pods = len(get("/api/v1/pods").json["pods"])
        before = get("/api/v1/results?project=" + refs["project"]).raw
        tried = set()
        for pattern, handlers, needs in routing_table():
            for method in (m for m in WRITES if handlers[m]):
                need = CONTRACT_NEEDS.get(pattern, "ADMIN")
                assert needs[method] == need, (pattern, method, needs)
                values = {"pod": unique + "-none", "case": unique + "-none",
                          "id": "0" * 24,
                          "project": refs["project"] if need == "PROJECT"
                          else unique + "-none"}
                path = route_path(pattern, values)
                body = None if method == "DELETE" else []
                admin = request(method, path, body)
                assert admin.status in (400, 404), (method, path, admin)
                as_plain = request(method, path, body,
                                   auth="%s:%s" % plain)
                as_scoped = request(method, path, body,
                                    auth="%s:%s" % scoped)
                if need == "ADMIN":
                    for acct, r in ((plain, as_plain), (scoped, as_scoped)):
                        assert_error(r, 403, "account [%s] is not an admin: "
                                     "only admins may %s %s"
                                     % (acct[0], method, path))
                    tried.add(need)
                    continue
                assert_error(as_plain, 403, {
                    "PROJECT": "account [%s] may not write to project [%s]"
                               % (plain[0], refs["project"]),
                    "ANY_GRANT": "account [%s] may not write results: it "
                                 "has no project" % plain[0]}[need])
                assert (as_scoped.status, as_scoped.json) == \
                    (admin.status, admin.json), (method, path, as_scoped)
                tried.add(need)
        assert tried == {"ADMIN", "PROJECT", "ANY_GRANT"}
        assert len(get("/api/v1/pods").json["pods"]) == n_pods
        assert get("/api/v1/results?project=" + refs["project"]).raw == before
    finally:
        tool("remove", plain[0])
        tool("remove", scoped[0])


def test_a_method_or_path_not_served_is_405_or_404_for_every_account(refs,
                                                                    unique):
    """Whoever asks, with valid credentials: the handler answers (405 with
    Allow, 404), as the OpenAPI document has it; no account is refused for
    a write that does not exist, not even where the route's other writes
    are for admins."""
    scoped = make_account()
    try:
        assert tool("grant", scoped[0], refs["project"]).returncode == 0
        values = {"pod": refs["pod"], "project": refs["project"],
                  "case": refs["case"], "id": refs["result"]}
        for pattern, handlers, _ in routing_table():
            path = route_path(pattern, values)
            unserved = [m for m in WRITES if not handlers[m]] + ["PATCH"]
            for method in unserved:
                for auth in (True, "%s:%s" % scoped):
                    r = request(method, path, {}, auth=auth)
                    assert_error(r, 405, "method %s not allowed here" % method)
        for method in WRITES:
            r = request(method, "/api/v1/%s" % unique, {},
                        auth="%s:%s" % scoped)
            assert_error(r, 404, "Not Found")
    finally:
        tool("remove", scoped[0])
