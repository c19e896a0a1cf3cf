"""The request log after a full journey (register, log in, file a complaint with a
description, log out, plus a request carrying a query string and a forged request id)
against the real binary: one line per request with its id (the one sent back as
X-Request-Id), method, route template, status and duration; and nowhere in the server's whole
output the password, the session cookie's value, the CSRF token, the description or the
query string.

Usage: python3 tests/system/request_log.py path/to/recours
"""

import json
import os
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(__file__))
from client import Browser, start, wait_healthy  # noqa: E402
from crash import KEY, free_port  # noqa: E402

PASSWORD = "wobbly giraffe sings opera 7431"
DESCRIPTION = "Secret-ish description: my neighbour Zorglub cut the fibre"
QUERY_SECRET = "qs-should-not-appear-9931"


def main():
    binary = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="recours-log-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # Rocket's own lines too (log_level normal), in JSON: everything the process prints.
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="normal",
               ROCKET_DATA_DIR=work, ROCKET_LOG_FORMAT="json")
    subprocess.run([binary, "provider", "add", "--slug", "kleema", "--name", "Kleema", "--country", "FR"],
                   env=env, check=True, capture_output=True)
    out_path = os.path.join(work, "server.log")
    with open(out_path, "wb") as log:
        server = start(binary, env, log)
        try:
            wait_healthy(base, server)
            b = Browser(base)
            assert b.post("/register", {"email": "ana@example.org", "password": PASSWORD,
                                        "password_confirm": PASSWORD}, token=b.token("/register"))[0] == 303
            b.post("/logout", {}, token=b.token("/account"))
            assert b.login("ana@example.org", PASSWORD)[0] == 303
            token = b.token("/complaints/new")
            status, _, headers = b.post("/complaints", {
                "provider": "kleema", "kind": "other", "title": "Line cut",
                "description": DESCRIPTION, "amount_claimed": "12", "currency": "EUR"}, token=token)
            assert status == 303, status
            location = {k.lower(): v for k, v in headers.items()}["location"]
            assert b.request(location)[0] == 200
            assert b.request(f"/stats?provider={QUERY_SECRET}")[0] in (200, 400, 404)
            session = next(c.value for c in b.jar if c.name == "session")
            b.post("/logout", {}, token=b.token("/account"))
            forged = urllib.request.Request(base + "/healthz", headers={"X-Request-Id": "x\" injected"})
            with urllib.request.urlopen(forged) as res:
                replaced = res.headers["X-Request-Id"]
            kept_req = urllib.request.Request(base + "/healthz", headers={"X-Request-Id": "lb-1234.5"})
            with urllib.request.urlopen(kept_req) as res:
                kept = res.headers["X-Request-Id"]
        finally:
            server.terminate()
            server.wait(timeout=20)
    output = open(out_path, encoding="utf-8", errors="replace").read()
    leaks = [name for name, secret in [("password", PASSWORD), ("session cookie", session),
                                       ("CSRF token", token), ("description", DESCRIPTION),
                                       ("description words", "Zorglub"), ("query string", QUERY_SECRET),
                                       ("forged id", "injected")]
             if secret in output]
    lines = [json.loads(l) for l in output.splitlines() if l.startswith("{")]
    fields = {"request_id", "method", "route", "status", "duration_ms"}
    malformed = [l for l in lines if set(l) != fields]
    routes = {(l["method"], l["route"], l["status"]) for l in lines}
    expected = {("POST", "/register", 303), ("POST", "/login", 303), ("POST", "/complaints", 303),
                ("GET", "/complaints/<id>", 200), ("POST", "/logout", 303), ("GET", "/healthz", 200)}
    ids = {l["request_id"] for l in lines}
    print(f"request log: {len(lines)} JSON lines, {len(output.splitlines())} lines in all, "
          f"leaks {leaks}, malformed {len(malformed)}, missing routes {sorted(expected - routes)}")
    ok = (not leaks and not malformed and expected <= routes and kept == "lb-1234.5"
          and "lb-1234.5" in ids and replaced in ids and replaced != "x\" injected"
          and len(ids) == len(lines))
    if not ok:
        print(output[-3000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
