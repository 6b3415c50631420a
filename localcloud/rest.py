"""JSON over HTTP with urllib, and the admin token the readiness checks use."""

import json
import urllib.error
import urllib.request

from localcloud.config import AUTH_URL, PASSWORDS, CloudError


def http(method, url, token=None, body=None, headers=None, timeout=10):
    """(status, decoded JSON body or raw bytes or None, headers); HTTP errors are returned."""
    h = {"Accept": "application/json"}
    if token:
        h["X-Auth-Token"] = token
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    req = urllib.request.Request(url, data=data, headers=h, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
            return r.status, (json.loads(raw) if raw else None), r.headers
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            return e.code, json.loads(raw), e.headers
        except ValueError:
            return e.code, raw, e.headers


def admin_token():
    """(token, project id) of admin in project admin."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {
                        "name": "admin",
                        "domain": {"name": "Default"},
                        "password": PASSWORDS["admin"],
                    }
                },
            },
            "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}},
        }
    }
    code, data, headers = http("POST", AUTH_URL + "/auth/tokens", body=body)
    if code != 201:
        raise CloudError("keystone: admin login failed (HTTP %s)" % code)
    return headers["X-Subject-Token"], data["token"]["project"]["id"]


def api_answers(url):
    try:
        code, _, _ = http("GET", url, timeout=3)
    except OSError:
        return False
    return code < 500
