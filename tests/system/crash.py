"""Crash test: file complaints from several clients while the server is killed with SIGKILL
at random moments and restarted. Every acknowledged complaint (its 303 received) must be
there afterwards, the database intact, and the statistics equal to a recount.

With a third argument, a python that has aiosmtpd (the mail tests install one into
target/smtp), the messages go to a real SMTP server meanwhile: once the last server has
drained the outbox, every message queued (one per complaint filed, one per claim moved) must
have arrived, each under its own Message-ID; a kill between delivery and its marking may
deliver a message again, but under the same Message-ID (counted and shown).

Usage: python3 tests/system/crash.py path/to/recours [cycles] [python-with-aiosmtpd]
"""

import http.client
import mailbox
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
    smtp_python = sys.argv[3] if len(sys.argv) > 3 else None
    sink = None
    if smtp_python:
        smtp_port = free_port()
        maildir = os.path.join(work, "Maildir")
        sink = subprocess.Popen(
            [smtp_python, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", "smtp_sink.Sink", maildir],
            env=dict(os.environ, PYTHONPATH=os.path.join(os.path.dirname(__file__), "..", "it", "common")),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        env.update(ROCKET_SMTP_URL=f"smtp://127.0.0.1:{smtp_port}", ROCKET_MAIL_POLL_MS="20",
                   ROCKET_MAIL_RETRY_BASE_SECS="1", ROCKET_MAIL_LEASE_SECS="2")
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
            except (OSError, http.client.HTTPException):  # the server is down: try again
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
    mail_report, mail_ok = "", True
    if sink:
        mail_report, mail_ok = drain_and_count(env["DATABASE_URL"], maildir)
        sink.kill()
        sink.wait()
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
          f"stats verify exit {verify.returncode}{mail_report}")
    ok = (not missing and integrity == "ok" and verify.returncode == 0 and len(acknowledged) > cycles
          and mail_ok)
    if not ok:
        print("missing:", missing[:10], verify.stdout[-2000:], verify.stderr[-2000:], file=sys.stderr)
        sys.exit(1)


def drain_and_count(database, maildir):
    """Waits for the running server to send everything queued, then compares the outbox
    with what the SMTP server received."""
    deadline = time.time() + 300
    while True:
        db = sqlite3.connect(database)
        (pending,) = db.execute("SELECT COUNT(*) FROM outbox WHERE state != 'sent'").fetchone()
        (rows,) = db.execute("SELECT COUNT(*) FROM outbox").fetchone()
        (complaints,) = db.execute("SELECT COUNT(*) FROM complaints").fetchone()
        (filed,) = db.execute("SELECT COUNT(*) FROM outbox WHERE kind = 'complaint-filed'").fetchone()
        db.close()
        if pending == 0 or time.time() > deadline:
            break
        time.sleep(0.2)
    time.sleep(0.5)
    ids = [m["Message-ID"] for m in mailbox.Maildir(maildir, create=False)]
    distinct = set(ids)
    report = (f"; mail: {rows} queued ({filed} filings for {complaints} complaints), "
              f"{pending} not sent, {len(distinct)} distinct Message-IDs received, "
              f"{len(ids) - len(distinct)} repeated delivery(ies)")
    ok = pending == 0 and filed == complaints and len(distinct) == rows
    return report, ok


if __name__ == "__main__":
    main()
