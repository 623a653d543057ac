"""What a client's headers cannot change: the links the server hands out
(the Host header) and the wholeness of a JSON answer (Range)."""
from conftest import get, post


def test_href_names_the_server_whatever_host_the_client_sends(unique, base_url):
    """The href of a create answer comes from ServerName (UseCanonicalName On
    in conf/testapi.conf), never from the Host header: a client cannot make
    the server hand out links to another site."""
    for i, host in enumerate(("evil.example:666", "evil.example", "127.0.0.1:1")):
        name = "%s-h%d" % (unique, i)
        r = post("/api/v1/pods", {"name": name}, headers={"Host": host})
        assert r.status == 200, r
        assert r.json["href"] == "%s/api/v1/pods/%s" % (base_url, name)


def test_api_answers_are_never_cut_into_ranges(refs):
    """A JSON answer is always whole: Range is ignored on the API's paths
    (Accept-Ranges: none), a single range and several alike."""
    for path in ("/versions", "/api/v1/pods/" + refs["pod"],
                 "/api/v1/results?project=" + refs["project"]):
        whole = get(path)
        for ranges in ("bytes=0-5", "bytes=-3", "bytes=0-1,4-6"):
            r = get(path, headers={"Range": ranges})
            assert r.status == 200, (path, ranges, r)
            assert r.header("content-range") is None
            assert r.header("content-type") == "application/json"
            assert r.header("accept-ranges") == "none"
            assert r.raw == whole.raw
