"""Can the browser use the camera on this page? Only in a secure context: HTTPS, or plain http to this machine.

Browsers expose `navigator.mediaDevices.getUserMedia` only to secure contexts (W3C Secure Contexts, "potentially
trustworthy" origins): https, and http to localhost, *.localhost, 127.0.0.0/8 or [::1]. A student on
http://<the teacher's IP>:8501 gets no camera at all, whatever the page does. The page passes what Streamlit
knows of the request (`st.context.url`, the URL in the browser's address bar, and `st.context.headers`, those of
the websocket's handshake, where a proxy's X-Forwarded-Proto says whether the browser used https) and shows the
message of the reason code. No streamlit import here: a pure function, tested on its own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

HTTPS, LOCALHOST, PLAIN_HTTP, UNKNOWN = "https", "localhost", "plain_http", "unknown"  # the reason codes


@dataclass(frozen=True)
class CameraAccess:
    """Whether the camera can work here, the reason code, and the host the browser sees (for the message)."""

    ok: bool
    reason: str  # https | localhost | plain_http (blocked) | unknown (can't tell: let the browser try)
    host: str = ""


def _is_local(host: str) -> bool:
    """localhost, *.localhost, 127.0.0.0/8 or ::1: origins browsers treat as trustworthy over plain http."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _header(headers: Mapping[str, str], name: str) -> str:
    """A header's value, whatever the case of its name (the first of a comma-separated list, as proxies chain)."""
    for k, v in headers.items():
        if k.lower() == name:
            return str(v).split(",")[0].strip()
    return ""


def camera_access(url: str | None, headers: Mapping[str, str] | None = None) -> CameraAccess:
    """Decide from the page's URL (best: what the browser shows) or, failing that, the request's headers."""
    headers = headers or {}
    scheme, host = "", ""
    for candidate in (url or "", _header(headers, "origin")):
        parts = urlsplit(candidate)
        if parts.scheme in ("http", "https") and parts.hostname:
            scheme, host = parts.scheme, parts.hostname
            break
    if not host:  # no URL, no Origin: the Host header, and the proxy's word on the scheme
        netloc = _header(headers, "x-forwarded-host") or _header(headers, "host")
        host = (urlsplit(f"//{netloc}").hostname or "") if netloc else ""
        scheme = _header(headers, "x-forwarded-proto").lower()
    if scheme == "https":
        return CameraAccess(True, HTTPS, host)
    if host and _is_local(host):
        return CameraAccess(True, LOCALHOST, host)
    if scheme == "http" and host:
        return CameraAccess(False, PLAIN_HTTP, host)
    return CameraAccess(True, UNKNOWN, host)
