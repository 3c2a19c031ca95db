"""The camera check: a secure context is https, or plain http to this machine; anything else is blocked."""

import pytest

from ui.camera_access import HTTPS, LOCALHOST, PLAIN_HTTP, UNKNOWN, camera_access


@pytest.mark.parametrize(
    ("url", "reason", "host"),
    [
        ("https://192.168.1.20:8501/Predict", HTTPS, "192.168.1.20"),
        ("https://classroom.test/Predict?x=1", HTTPS, "classroom.test"),
        ("http://localhost:8501/Predict", LOCALHOST, "localhost"),
        ("http://lab.localhost:8501/", LOCALHOST, "lab.localhost"),
        ("http://127.0.0.1:8501/Predict", LOCALHOST, "127.0.0.1"),
        ("http://127.8.9.10/", LOCALHOST, "127.8.9.10"),
        ("http://[::1]:8501/", LOCALHOST, "::1"),
        ("http://192.168.1.20:8501/Predict", PLAIN_HTTP, "192.168.1.20"),
        ("http://teacher-laptop:8501/", PLAIN_HTTP, "teacher-laptop"),
        ("http://[fe80::1]:8501/", PLAIN_HTTP, "fe80::1"),
        ("http://localhost.evil.example/", PLAIN_HTTP, "localhost.evil.example"),
        ("http://127.0.0.1.nip.io/", PLAIN_HTTP, "127.0.0.1.nip.io"),
    ],
)
def test_the_page_url_decides(url, reason, host):
    got = camera_access(url, {"Host": "ignored:1"})
    assert (got.reason, got.host, got.ok) == (reason, host, reason != PLAIN_HTTP)


def test_without_a_url_the_headers_decide_and_a_proxy_says_the_scheme():
    assert camera_access(None, {"Origin": "http://10.0.0.5:8501"}).reason == PLAIN_HTTP
    assert camera_access("", {"origin": "https://10.0.0.5"}).reason == HTTPS
    assert camera_access(None, {"Host": "10.0.0.5:8501"}).reason == UNKNOWN  # no scheme known: let it try
    assert camera_access(None, {"Host": "10.0.0.5:8501", "X-Forwarded-Proto": "https"}).reason == HTTPS
    assert camera_access(None, {"Host": "10.0.0.5", "X-Forwarded-Proto": "http"}).reason == PLAIN_HTTP
    assert camera_access(None, {"Host": "localhost:8501"}).reason == LOCALHOST


@pytest.mark.parametrize(
    "url", [None, "", "not a url", "ftp://x/", "javascript:alert(1)", "http://", "https:"]
)
def test_strange_input_is_unknown_not_an_error(url):
    got = camera_access(url, {"Host": "", "Origin": "null"})
    assert got.reason == UNKNOWN and got.ok
