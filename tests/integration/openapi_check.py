"""The OpenAPI document (conf/openapi.json) checked against what the server
really answers.

conftest.request() records every exchange of the integration suite in
EXCHANGES; test_openapi.py checks them all at the end of the run.  Each
response must be one the document describes for that path template, method
and status: its declared headers present and valid, its body valid against
the schema (or empty where the document has no body).  A path the document
does not have must be 404 and a method it does not list for a path must be
405 with an Allow header naming exactly the documented methods (or 401 for a
write without credentials), so neither the document nor the server can
drift away from the other.

The matching mirrors the module: the raw request path is split on '/', each
segment percent-decoded once ('+' stays a plus), '.' and empty segments are
dropped and '..' climbs, as testapi_path_split() does.  Requests outside the
API's URI space (conf/testapi.conf's LocationMatch), such as /swagger/, are
not the API and not checked."""
import copy
import json
import os
import re
import threading

import jsonschema

SPEC_FILE = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..",
                                          "conf", "openapi.json"))
API_SPACE = re.compile(r"^/(versions|api|dashboard)(/|$)")
OPERATIONS = ("get", "head", "post", "put", "delete", "options", "patch", "trace")
# Methods that Apache lets through without credentials (conf/testapi.conf's
# <LimitExcept GET HEAD OPTIONS>): any other one may get 401 first.
PUBLIC_METHODS = ("GET", "HEAD", "OPTIONS")


class Exchange:
    """One request of the suite and the response it got."""
    __slots__ = ("method", "target", "status", "headers", "body")

    def __init__(self, method, target, status, headers, body):
        self.method = method
        self.target = target        # the request target as sent
        self.status = status
        self.headers = headers      # lower-case names
        self.body = body            # bytes

    def __repr__(self):
        return "%s %s -> %d" % (self.method, self.target, self.status)


EXCHANGES = []
_lock = threading.Lock()


def record(method, target, status, headers, body):
    with _lock:
        EXCHANGES.append(Exchange(method, target, status, headers, body))


# ---- paths -------------------------------------------------------------------

_HEX = re.compile(rb"%([0-9A-Fa-f]{2})")


def _decode_segment(raw):
    """Percent-decodes once; None on a malformed escape, '/' or NUL."""
    if re.search(rb"%(?![0-9A-Fa-f]{2})", raw):
        return None
    seg = _HEX.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    if b"/" in seg or b"\0" in seg:
        return None
    return seg


def split_path(target):
    """The decoded segments of a request target (bytes), as the module sees
    them; None when the module cannot split it (it answers 404)."""
    if isinstance(target, str):
        target = target.encode("utf-8", "surrogateescape")
    if not target.startswith(b"/"):
        # absolute-form: skip scheme://authority
        at = target.find(b"://")
        if at < 0:
            return None
        slash = target.find(b"/", at + 3)
        target = target[slash:] if slash >= 0 else b"/"
    path = re.split(rb"[?#]", target, maxsplit=1)[0]
    segs = []
    for raw in path.split(b"/")[1:]:
        seg = _decode_segment(raw)
        if seg is None:
            return None
        if seg == b"..":
            if segs:
                segs.pop()
        elif seg and seg != b".":
            segs.append(seg)
    return segs


# ---- schemas -----------------------------------------------------------------

def _to_json_schema(node, doc, seen=()):
    """An OpenAPI 3.0 schema as a self-contained JSON Schema (draft 4): $refs
    inlined, `nullable` turned into a null type."""
    if isinstance(node, list):
        return [_to_json_schema(n, doc, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        ref = node["$ref"]
        if ref in seen:
            raise ValueError("recursive $ref %s" % ref)
        return _to_json_schema(resolve(doc, ref), doc, seen + (ref,))
    out = {}
    for key, value in node.items():
        if key in ("properties", "patternProperties"):
            out[key] = {k: _to_json_schema(v, doc, seen) for k, v in value.items()}
        elif key in ("example", "examples", "description", "nullable",
                     "readOnly", "writeOnly", "deprecated", "xml", "externalDocs"):
            continue
        else:
            out[key] = _to_json_schema(value, doc, seen)
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
        if "enum" in out:
            out["enum"] = list(out["enum"]) + [None]
    return out


def resolve(doc, ref):
    if not ref.startswith("#/"):
        raise ValueError("only local $refs: %s" % ref)
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = resolve(doc, node["$ref"])
    return node


# ---- the document ------------------------------------------------------------

class Spec:
    def __init__(self, doc):
        self.doc = doc
        self.templates = []
        for path in doc["paths"]:
            parts = [p.encode() for p in path.split("/")[1:]]
            pattern = [None if p.startswith(b"{") and p.endswith(b"}") else p
                       for p in parts]
            self.templates.append((path, pattern))
        # Literal segments win over parameters, as in the routing table.
        self.templates.sort(key=lambda t: [p is None for p in t[1]])
        self._validators = {}

    @classmethod
    def load(cls, path=SPEC_FILE):
        with open(path, encoding="utf-8") as fh:
            return cls(json.load(fh))

    def match(self, segs):
        for path, pattern in self.templates:
            if len(pattern) == len(segs) and all(
                    p is None or p == s for p, s in zip(pattern, segs)):
                return path
        return None

    def methods(self, template):
        return {m.upper() for m in self.doc["paths"][template] if m in OPERATIONS}

    def operations(self):
        return {(m.upper(), path) for path, item in self.doc["paths"].items()
                for m in item if m in OPERATIONS}

    def validator(self, key, schema):
        v = self._validators.get(key)
        if v is None:
            v = jsonschema.Draft4Validator(_to_json_schema(schema, self.doc))
            self._validators[key] = v
        return v


def _json_error_problems(ex):
    """The contract's error body, for answers the document cannot list."""
    problems = []
    ctype = (ex.headers.get("content-type") or "").split(";")[0].strip()
    if ctype != "application/json":
        problems.append("Content-Type %r, not application/json" % ctype)
    try:
        body = json.loads(ex.body)
    except ValueError:
        return problems + ["body is not JSON: %r" % ex.body[:80]]
    if not (isinstance(body, dict) and set(body) == {"code", "message"}
            and body["code"] == ex.status and isinstance(body["message"], str)):
        problems.append("not a {code, message} error body with code %d: %r"
                        % (ex.status, ex.body[:120]))
    return problems


def check(spec, ex):
    """What is wrong with one exchange: a list of strings (empty when it
    matches the document), or None when it is not an API request."""
    segs = split_path(ex.target)
    if segs is None:
        path_text = ex.target.split("?")[0] if isinstance(ex.target, str) else ""
        if not API_SPACE.match(path_text):
            return None
        template = None
    else:
        if not API_SPACE.match("/" + "/".join(s.decode("utf-8", "replace") for s in segs)):
            return None
        template = spec.match(segs)
    method = ex.method.upper()

    if template is None:
        if ex.status == 404 or (ex.status == 401 and method not in PUBLIC_METHODS):
            return _json_error_problems(ex)
        return ["path not in the document, yet answered %d (expected 404)" % ex.status]

    item = spec.doc["paths"][template]
    where = "%s %s" % (method, template)
    if method.lower() not in item:
        if ex.status == 401 and method not in PUBLIC_METHODS:
            return _json_error_problems(ex)
        if ex.status != 405:
            return ["%s: method not in the document, yet answered %d (expected 405)"
                    % (where, ex.status)]
        problems = _json_error_problems(ex)
        allow = {m.strip() for m in (ex.headers.get("allow") or "").split(",") if m.strip()}
        if allow != spec.methods(template):
            problems.append("%s: 405 Allow %r, the document has %s"
                            % (where, ex.headers.get("allow"), sorted(spec.methods(template))))
        return problems

    op = item[method.lower()]
    resp = op["responses"].get(str(ex.status))
    if resp is None:
        return ["%s: status %d not in the document (it has %s)"
                % (where, ex.status, ", ".join(sorted(op["responses"])))]
    resp = _deref(spec.doc, resp)
    problems = []
    for name, header in (resp.get("headers") or {}).items():
        header = _deref(spec.doc, header)
        value = ex.headers.get(name.lower())
        if value is None:
            if header.get("required"):
                problems.append("%s %d: header %s missing" % (where, ex.status, name))
            continue
        if "schema" in header:
            v = spec.validator(("header", template, method, ex.status, name), header["schema"])
            for e in v.iter_errors(value):
                problems.append("%s %d: header %s: %s" % (where, ex.status, name, e.message))
    content = resp.get("content")
    if not content:
        if ex.body:
            problems.append("%s %d: the document has no body, got %r"
                            % (where, ex.status, ex.body[:80]))
        return problems
    ctype = (ex.headers.get("content-type") or "").split(";")[0].strip()
    if ctype not in content:
        return problems + ["%s %d: Content-Type %r, the document has %s"
                           % (where, ex.status, ctype, sorted(content))]
    try:
        body = json.loads(ex.body)
    except ValueError:
        return problems + ["%s %d: body is not JSON: %r" % (where, ex.status, ex.body[:80])]
    v = spec.validator(("body", template, method, ex.status, ctype),
                       content[ctype].get("schema", {}))
    for e in v.iter_errors(body):
        # Array indexes as '*': the same fault in every item reads once.
        at = "/".join("*" if isinstance(p, int) else str(p) for p in e.absolute_path)
        problem = "%s %d: body%s: %s" % (where, ex.status, " at " + at if at else "",
                                         e.message[:300])
        if problem not in problems:
            problems.append(problem)
    if ex.status >= 400 and isinstance(body, dict) and body.get("code") != ex.status:
        problems.append("%s %d: error code %r differs from the status"
                        % (where, ex.status, body.get("code")))
    return problems


class Report:
    def __init__(self, checked, mismatches, exercised, operations):
        self.checked = checked          # API exchanges checked
        self.mismatches = mismatches    # [(exchange, [problems])]
        self.exercised = exercised      # {(METHOD, template)} answered as documented
        self.operations = operations    # every documented operation

    def summary(self):
        missed = sorted(self.operations - self.exercised, key=lambda o: (o[1], o[0]))
        return ("%d responses checked against conf/openapi.json, %d mismatches; "
                "%d of %d documented operations exercised%s"
                % (self.checked, len(self.mismatches), len(self.exercised & self.operations),
                   len(self.operations),
                   " (not: %s)" % ", ".join("%s %s" % o for o in missed) if missed else ""))

    def details(self, limit=40):
        """Each distinct problem once, with how often and one example."""
        seen = {}
        for ex, problems in self.mismatches:
            for p in problems:
                entry = seen.setdefault(p, [0, ex])
                entry[0] += 1
        lines = []
        for p, (count, ex) in list(seen.items())[:limit]:
            lines.append("  %s  [%d x, e.g. %r]" % (p, count, ex))
        if len(seen) > limit:
            lines.append("  ... and %d more distinct problems" % (len(seen) - limit))
        return "\n".join(lines)


def check_all(spec, exchanges):
    checked = 0
    mismatches = []
    exercised = set()
    for ex in exchanges:
        problems = check(spec, ex)
        if problems is None:
            continue
        checked += 1
        if problems:
            mismatches.append((ex, problems))
        else:
            segs = split_path(ex.target)
            template = spec.match(segs) if segs is not None else None
            if template and ex.method.lower() in spec.doc["paths"][template]:
                exercised.add((ex.method.upper(), template))
    return Report(checked, mismatches, exercised, spec.operations())


# The report of the run, for the terminal summary (set by test_openapi.py).
LAST_REPORT = []
