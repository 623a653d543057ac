"""Swagger UI at /swagger/ in a real headless Chromium: it lists every
operation of the document, "Try it out" reaches this server (a read, and a
write with the credentials given under "Authorize").  Screenshots go to
tests/output/: swagger-ui.png (the page as it opens) and
swagger-ui-tried.png (the whole page after both tries)."""
import json
import os
import time

import cdp
from conftest import get
from openapi_check import Spec

OUTPUT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "output"))
# Seconds for the whole test, Chromium's start included: a bound against a
# hang, not a speed target (it takes ~25 s on a quiet machine and ran out of
# 50 s at load average 15).
BUDGET = 150

# Sets a React-controlled input's value the way typing does.
SET_VALUE = """(function (el, v) {
    var proto = el.tagName == 'TEXTAREA' ? HTMLTextAreaElement.prototype
                                         : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, v);
    el.dispatchEvent(new Event('input', {bubbles: true}));
    return true;
})"""

LISTED = """JSON.stringify(Array.from(document.querySelectorAll('.opblock')).map(function (b) {
    return [b.querySelector('.opblock-summary-method').textContent,
            b.querySelector('.opblock-summary-path').getAttribute('data-path')];
}))"""


def op(operation_id, tag):
    return "document.querySelector('#operations-%s-%s')" % (tag, operation_id)


def try_it_out(browser, block, body=None):
    """Expands an operation, presses "Try it out" (with a JSON body if
    given) and "Execute"; returns (status cell, response text)."""
    browser.evaluate(block + ".querySelector('.opblock-summary-control').click()")
    browser.wait_for("!!" + block + ".querySelector('.try-out__btn')", "Try it out")
    browser.evaluate(block + ".querySelector('.try-out__btn').click()")
    if body is not None:
        browser.wait_for("!!" + block + ".querySelector('textarea.body-param__text')",
                         "the body editor")
        browser.evaluate("%s(%s.querySelector('textarea.body-param__text'), %s)"
                         % (SET_VALUE, block, json.dumps(json.dumps(body))))
    browser.wait_for("!!" + block + ".querySelector('.execute')", "Execute")
    browser.evaluate(block + ".querySelector('.execute').click()")
    cell = block + ".querySelector('.live-responses-table tbody .response .response-col_status')"
    status = browser.wait_for("%s && %s.textContent.trim()" % (cell, cell), "the response")
    text = browser.evaluate(block + ".querySelector('.live-responses-table tbody')"
                            ".textContent")
    return status, text


def test_swagger_ui_lists_every_operation_and_tries_them(unique, base_url):
    exe = cdp.find_chromium()
    assert exe, "Chromium not found (build/dev installs Debian's chromium)"
    os.makedirs(OUTPUT, exist_ok=True)
    shots = [os.path.join(OUTPUT, name) for name in ("swagger-ui.png", "swagger-ui-tried.png")]
    for shot in shots:
        if os.path.exists(shot):
            os.unlink(shot)
    spec = Spec.load()
    expected = sorted([m, p] for m, p in spec.operations())

    with cdp.Browser(exe, time.monotonic() + BUDGET) as browser:
        browser.navigate(base_url + "/swagger/")
        browser.wait_for("document.querySelectorAll('.opblock').length >= %d" % len(expected),
                         "the operations")
        assert sorted(json.loads(browser.evaluate(LISTED))) == expected
        assert browser.evaluate("document.querySelector('.info .title').textContent"
                                ).startswith("TestAPI")
        browser.screenshot(shots[0])

        # A read, same origin, no credentials.
        status, text = try_it_out(browser, op("getVersions", "versions"))
        assert status == "200", text
        assert '"v1.0"' in text and "application/json" in text

        # A write: credentials under "Authorize", then POST a pod.
        browser.evaluate("document.querySelector('.btn.authorize').click()")
        browser.wait_for("!!document.querySelector('#auth-basic-username')", "the login form")
        browser.evaluate("%s(document.querySelector('#auth-basic-username'), 'opnfv')" % SET_VALUE)
        browser.evaluate("%s(document.querySelector('#auth-basic-password'), 'api@opnfv')"
                         % SET_VALUE)
        browser.evaluate("document.querySelector('.modal-ux .auth-btn-wrapper .authorize').click()")
        browser.wait_for("!!document.querySelector('.modal-ux .btn-done')", "authorized")
        browser.evaluate("document.querySelector('.modal-ux .btn-done').click()")
        status, text = try_it_out(browser, op("createPod", "pods"), {"name": unique})
        assert status == "200", text
        assert "%s/api/v1/pods/%s" % (base_url, unique) in text

        browser.screenshot(shots[1], full=True)

    # The pod the page created is really there.
    assert get("/api/v1/pods/" + unique).json["name"] == unique
    for shot in shots:
        with open(shot, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n", shot
