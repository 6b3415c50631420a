"""A minimal stand-in for the Neutron API (NOT neutron-server).

Nova calls Neutron on every server show/list (security groups via a port list by
device_id) and on delete, even for servers booted with ``networks='none'``.  This
stdlib HTTP server answers those read calls with empty lists so Nova works without
a network service.  It is reached only through Nova's ``[neutron] endpoint_override``;
no ``network`` service is registered in the Keystone catalog (which would switch
on Horizon's Neutron panels).

Run: ``python3 -m localcloud.neutron_stub --port 9696``.
"""

import argparse
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# collection name in the URL -> key of the JSON list in the answer
SPECIAL_KEYS = {
    "security-groups": "security_groups",
    "security-group-rules": "security_group_rules",
    "floatingips": "floatingips",
    "extensions": "extensions",
    "qos/policies": "policies",
    "address-scopes": "address_scopes",
    "subnetpools": "subnetpools",
    "network-ip-availabilities": "network_ip_availabilities",
}


def _collection_key(parts):
    joined = "/".join(parts)
    if joined in SPECIAL_KEYS:
        return SPECIAL_KEYS[joined]
    return parts[-1].replace("-", "_")


class Handler(BaseHTTPRequestHandler):
    server_version = "localcloud-neutron-stub/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        sys.stdout.write("%s %s\n" % (self.log_date_time_string(), fmt % args))
        sys.stdout.flush()

    def _send(self, code, body=None):
        data = b"" if body is None else json.dumps(body).encode()
        self.send_response(code)
        if body is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def _drain(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)

    def _parts(self):
        path = self.path.split("?", 1)[0].strip("/")
        parts = [p for p in path.split("/") if p]
        if parts and parts[0] == "v2.0":
            parts = parts[1:]
        if parts and parts[-1].endswith(".json"):
            parts[-1] = parts[-1][: -len(".json")]
        return parts

    def _not_found(self, what):
        self._send(
            404,
            {
                "NeutronError": {
                    "type": "NotFound",
                    "message": "%s could not be found (localcloud neutron stand-in)" % what,
                    "detail": "",
                }
            },
        )

    def do_GET(self):  # noqa: N802
        self._drain()
        raw = self.path.split("?", 1)[0].strip("/")
        if raw == "":
            self._send(
                200,
                {
                    "versions": [
                        {
                            "id": "v2.0",
                            "status": "CURRENT",
                            "links": [
                                {"rel": "self", "href": "http://127.0.0.1:%d/v2.0/"
                                 % self.server.server_address[1]}
                            ],
                        }
                    ]
                },
            )
            return
        parts = self._parts()
        if not parts:
            self._send(200, {"resources": []})
            return
        if parts[0] == "quotas" and len(parts) >= 2:
            self._send(200, {"quota": {}})
            return
        joined = "/".join(parts)
        if joined in SPECIAL_KEYS or len(parts) == 1:
            self._send(200, {_collection_key(parts): []})
            return
        # /<collection>/<id> (or deeper): nothing exists here
        self._not_found("/".join(parts))

    def do_DELETE(self):  # noqa: N802
        self._drain()
        self._send(204)

    def do_PUT(self):  # noqa: N802
        self._drain()
        self._not_found("/".join(self._parts()))

    def do_POST(self):  # noqa: N802
        self._drain()
        self._send(
            400,
            {
                "NeutronError": {
                    "type": "BadRequest",
                    "message": "the localcloud neutron stand-in creates nothing",
                    "detail": "",
                }
            },
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9696)
    args = parser.parse_args(argv)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    print("neutron stand-in listening on http://%s:%d" % (args.host, args.port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
