"""Graceful stop: file complaints from several clients, send SIGTERM in the middle of the
burst, and check that every request either got its whole answer or found the connection
refused, that the server exited 0 within `stop_seconds`, and that every acknowledged complaint
(its 303 received) is in the database, which is intact.

One exception the kernel makes: connections it queued on the listening socket but the server
had not accepted yet when it closed that socket are reset, not refused. Such a request never
reached the server; for filings the test checks it: a filing whose connection was reset must
not be in the database (a request cut while being handled would be).

Usage: python3 tests/system/graceful.py path/to/recours [rounds]
"""

import http.client
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
from client import Browser, start, wait_healthy  # noqa: E402
from crash import KEY, PASSWORD, free_port  # noqa: E402

STOP_SECONDS = 6


def one_round(binary, work, round_no):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work, ROCKET_STOP_SECONDS=str(STOP_SECONDS))
    log = open(os.path.join(work, "server.log"), "ab")
    server = start(binary, env, log)
    wait_healthy(base, server)
    outcomes = {"answered": 0, "refused": 0, "cut": [], "reset_filings": []}
    acknowledged, lock = [], threading.Lock()
    stopped = threading.Event()

    def client(i):
        browser = Browser(base)
        n = 0
        while True:
            title = None
            try:
                if browser.request("/account", timeout=15)[0] != 200:
                    browser.login(f"c{i}@example.org", PASSWORD)
                else:
                    title = f"round {round_no} client {i} complaint {n}"
                    n += 1
                    status, _, _ = browser.post("/complaints", {
                        "provider": "kleema", "kind": "service_cut", "service": "internet",
                        "started_on": "2026-09-07", "title": title, "description": "Down again.",
                        "amount_claimed": "12,50",
                    })
                    if status == 303:
                        with lock:
                            acknowledged.append(title)
                with lock:
                    outcomes["answered"] += 1
            except (OSError, http.client.HTTPException) as e:
                # urllib wraps the socket's error in URLError.reason.
                error = e.reason if isinstance(getattr(e, "reason", None), OSError) else e
                with lock:
                    if isinstance(error, ConnectionRefusedError):
                        outcomes["refused"] += 1
                    elif isinstance(error, (ConnectionResetError, BrokenPipeError)):
                        if title is not None:
                            outcomes["reset_filings"].append(title)
                    else:
                        outcomes["cut"].append(repr(e))
                if stopped.is_set():
                    return
                time.sleep(0.01)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(6)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    with lock:
        before = len(acknowledged)
    sent = time.time()
    server.send_signal(signal.SIGTERM)
    code = server.wait(timeout=STOP_SECONDS + 10)
    took = time.time() - sent
    stopped.set()
    for t in threads:
        t.join(timeout=20)
    return code, took, before, acknowledged, outcomes, env


def main():
    binary = os.path.abspath(sys.argv[1])
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    work = tempfile.mkdtemp(prefix="recours-graceful-")
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work, ROCKET_SECRET_KEY=KEY)
    for i in range(6):
        subprocess.run([binary, "user", "create", "--email", f"c{i}@example.org", "--role", "subscriber"],
                       input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True)
    subprocess.run([binary, "provider", "add", "--slug", "kleema", "--name", "Kleema", "--country", "FR"],
                   env=env, check=True, capture_output=True)
    failed = False
    all_acknowledged, reset_filings = [], []
    for r in range(rounds):
        code, took, before, acknowledged, outcomes, _ = one_round(binary, work, r)
        all_acknowledged += acknowledged
        reset_filings += outcomes["reset_filings"]
        print(f"graceful stop round {r}: exit {code} after {took:.2f} s (bound {STOP_SECONDS} s), "
              f"{before} acknowledged before SIGTERM, {len(acknowledged)} in all, "
              f"{outcomes['answered']} answered, {outcomes['refused']} refused, {len(outcomes['reset_filings'])} filings reset before "
              f"accepted, {len(outcomes['cut'])} cut")
        if code != 0 or took > STOP_SECONDS + 2 or outcomes["cut"] or before == 0:
            print("cut:", outcomes["cut"][:5], file=sys.stderr)
            failed = True
    db = sqlite3.connect(env["DATABASE_URL"])
    stored = {row[0] for row in db.execute("SELECT title FROM complaints")}
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    db.close()
    missing = [t for t in all_acknowledged if t not in stored]
    handled_then_cut = [t for t in reset_filings if t in stored]
    verify = subprocess.run([binary, "stats", "verify"], env=env, capture_output=True, text=True)
    print(f"graceful stop: {len(all_acknowledged)} acknowledged, {len(missing)} missing, "
          f"{len(handled_then_cut)} reset filings stored, integrity_check {integrity}, "
          f"stats verify exit {verify.returncode}")
    if failed or missing or handled_then_cut or integrity != "ok" or verify.returncode != 0:
        print("missing:", missing[:10], verify.stdout[-2000:], verify.stderr[-2000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
