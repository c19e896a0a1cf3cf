"""Crash test: file complaints from several clients while the server is killed with SIGKILL
at random moments and restarted. Every acknowledged complaint (its 303 received) must be
there afterwards, the database intact, and the statistics equal to a recount.

Usage: python3 tests/system/crash.py path/to/recours [cycles]
"""

import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from client import Browser, start, wait_healthy  # noqa: E402

PASSWORD = "correct horse battery staple"
KEY = "Mwg8aGdrXDnVaN7UxnjNRJbA8y1cKo8Wk4kvnMPgQ2xBv0XGCRVNqmP9aLxgvHbtdJiwSS+lzHJzhZFd1bHzjw=="


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = os.path.abspath(sys.argv[1])
    cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    rng = random.Random(20091107)
    work = tempfile.mkdtemp(prefix="recours-crash-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work)
    clients = 4
    for i in range(clients):
        subprocess.run([binary, "user", "create", "--email", f"c{i}@example.org", "--role", "subscriber"],
                       input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True)
    subprocess.run([binary, "provider", "add", "--slug", "kleema", "--name", "Kleema", "--country", "FR"],
                   env=env, check=True, capture_output=True)

    log = open(os.path.join(work, "server.log"), "ab")
    server = start(binary, env, log)
    wait_healthy(base, server)
    acknowledged, lock, stop = [], threading.Lock(), threading.Event()
    attempts = [0]

    def client(i):
        browser = Browser(base)
        n = 0
        while not stop.is_set():
            try:
                if browser.request("/account", timeout=5)[0] != 200:
                    browser.login(f"c{i}@example.org", PASSWORD)
                    continue
                title = f"client {i} complaint {n}"
                status, _, headers = browser.post("/complaints", {
                    "provider": "kleema", "kind": "service_cut", "service": "internet",
                    "started_on": "2026-09-07", "title": title, "description": "Down again.",
                    "amount_claimed": "12,50",
                })
                with lock:
                    attempts[0] += 1
                if status == 303:
                    with lock:
                        acknowledged.append(title)
                    n += 1
                    path = headers.get("Location")
                    if path and n % 3 == 0:
                        browser.post(path + "/claim", {"action": "send", "on": time.strftime("%Y-%m-%d", time.gmtime()),
                                                       "channel": "email"})
                elif status >= 500:
                    raise RuntimeError(f"client {i}: {status}")
                else:
                    n += 1
            except (OSError, ConnectionError) as e:  # the server is down: try again
                time.sleep(0.05)
            except RuntimeError as e:
                print(e, file=sys.stderr)
                time.sleep(0.05)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for cycle in range(cycles):
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()  # SIGKILL
        server.wait()
        server = start(binary, env, log)
        wait_healthy(base, server)
    time.sleep(0.5)
    stop.set()
    for t in threads:
        t.join(timeout=10)
    server.kill()
    server.wait()

    db = sqlite3.connect(env["DATABASE_URL"])
    stored = {row[0] for row in db.execute("SELECT title FROM complaints")}
    missing = [t for t in acknowledged if t not in stored]
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    verify = subprocess.run([binary, "stats", "verify"], env=env, capture_output=True, text=True)
    print(f"crash test: {cycles} SIGKILL cycles, {attempts[0]} filings attempted, "
          f"{len(acknowledged)} acknowledged, {len(missing)} missing, integrity_check {integrity}, "
          f"stats verify exit {verify.returncode}")
    ok = not missing and integrity == "ok" and verify.returncode == 0 and len(acknowledged) > cycles
    if not ok:
        print("missing:", missing[:10], verify.stdout[-2000:], verify.stderr[-2000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
