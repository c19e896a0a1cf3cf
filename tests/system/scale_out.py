"""Scale-out test: two instances on different ports share one PostgreSQL database and one
secret key. A session opened on one works on the other, a complaint filed on one counts in
the other's statistics, and a lock-out earned on one holds on the other.

Usage: python3 tests/system/scale_out.py path/to/recours postgres://…/database
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from client import Browser, start, wait_healthy  # noqa: E402

PASSWORD = "correct horse battery staple"
KEY = "Mwg8aGdrXDnVaN7UxnjNRJbA8y1cKo8Wk4kvnMPgQ2xBv0XGCRVNqmP9aLxgvHbtdJiwSS+lzHJzhZFd1bHzjw=="


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def check(what, condition):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        raise SystemExit(1)


def main():
    binary, url = os.path.abspath(sys.argv[1]), sys.argv[2]
    work = tempfile.mkdtemp(prefix="recours-scale-")
    ports = [free_port(), free_port()]
    envs = [dict(os.environ, DATABASE_URL=url, ROCKET_PORT=str(p), ROCKET_ADDRESS="127.0.0.1",
                 ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off", ROCKET_DATA_DIR=work) for p in ports]
    subprocess.run([binary, "migrate"], env=envs[0], check=True, capture_output=True)
    subprocess.run([binary, "user", "create", "--email", "amina@example.org", "--role", "subscriber"],
                   input=PASSWORD + "\n", text=True, env=envs[0], check=True, capture_output=True)
    subprocess.run([binary, "provider", "add", "--slug", "kleema", "--name", "Kleema", "--country", "FR",
                    "--subscribers", "50000"], env=envs[0], check=True, capture_output=True)
    log = open(os.path.join(work, "servers.log"), "ab")
    servers = [start(binary, env, log) for env in envs]
    try:
        bases = [f"http://127.0.0.1:{p}" for p in ports]
        for base, server in zip(bases, servers):
            wait_healthy(base, server)
        a, b = Browser(bases[0]), Browser(bases[1])
        b.jar = a.jar  # one browser behind a load balancer that sends it to either instance
        b.opener = a.opener
        b_base = bases[1]

        status, _, _ = a.login("amina@example.org", PASSWORD)
        check("log in on instance A", status == 303)
        b.base = b_base
        status, body, _ = b.request("/account")
        check("the session opened on A is valid on B", status == 200 and "amina@example.org" in body)

        status, _, _ = a.post("/complaints", {"provider": "kleema", "kind": "other", "title": "Cut",
                                             "description": "Still billed.", "amount_claimed": "89"})
        check("file a complaint on A", status == 303)
        # B asks the database again within stats_recheck_ms (1 s by default).
        deadline, counted = time.time() + 5, False
        while not counted and time.time() < deadline:
            status, body, _ = Browser(b_base).request("/api/v1/stats/providers")
            providers = {p["slug"]: p for p in json.loads(body)["providers"]}
            counted = status == 200 and providers.get("kleema", {}).get("complaints") == 1
            time.sleep(0.1)
        check("B's statistics count it within the recheck time", counted)

        stranger = Browser(bases[0])
        for _ in range(5):
            stranger.login("amina@example.org", "not the password")
        other = Browser(b_base)
        status, _, headers = other.login("amina@example.org", PASSWORD)
        check("a lock-out earned on A holds on B", status == 429 and "retry-after" in {k.lower() for k in headers})
    finally:
        for server in servers:
            server.kill()
            server.wait()
    print("scale-out test passed")


if __name__ == "__main__":
    main()
