#!/usr/bin/env python3
"""The Recours benchmark: one command, one table.

    python3 benches/bench.py                       # SQLite, 10,000 and 1,000,000 complaints
    BENCH_DATABASE_URL=postgres://…/db python3 benches/bench.py   # also on PostgreSQL

Builds the release binary, starts it on a fresh database loaded with `recours seed-demo`,
drives keep-alive HTTP load over loopback with wrk (installed with apt-get when missing),
and prints requests/s, p50 and p99 per route, the ratios that matter with their targets, and
the server's peak private memory. `/stats` at both sizes is compared with both servers up, measured
in turns (median of 3), so that the machine's drift does not pass for the size's effect.
Environment: BENCH_SIZES (default "10000,1000000"), BENCH_SECONDS
(default 10), BENCH_THREADS (wrk threads, default 2).
"""

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from client import Browser, start, wait_healthy  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
# The server's default `hash_queue`: password hashes running or waiting at once.
HASH_QUEUE = 4 * os.cpu_count()
THREADS = os.environ.get("BENCH_THREADS", "2")
SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10000,1000000").split(",")]
DEMO_PASSWORD = "demo password 2026"
KEY = "Mwg8aGdrXDnVaN7UxnjNRJbA8y1cKo8Wk4kvnMPgQ2xBv0XGCRVNqmP9aLxgvHbtdJiwSS+lzHJzhZFd1bHzjw=="


def sh(*args, **kw):
    return subprocess.run(args, check=True, **kw)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    print("installing wrk (apt-get)…", file=sys.stderr)
    sh("apt-get", "update", "-qq")
    sh("apt-get", "install", "-y", "-qq", "wrk")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def wrk(url, connections=64, script=None, seconds=SECONDS):
    args = ["wrk", "-t", THREADS, "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if script:
        args += ["-s", script]
    out = subprocess.run(args + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {p: to_ms(v, u) for p, v, u in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)}
    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50": lat.get("50"), "p99": lat.get("99"), "errors": errors}


def lua_post(path, body, cookie, work, name):
    script = os.path.join(work, name + ".lua")
    with open(script, "w") as f:
        f.write('wrk.method = "POST"\n')
        f.write(f"wrk.path = {path!r}\n".replace("'", '"'))
        f.write(f'wrk.body = "{body}"\n')
        f.write('wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n')
        f.write(f'wrk.headers["Cookie"] = "{cookie}"\n')
    return script


def cookie_header(browser):
    return "; ".join(f"{c.name}={c.value}" for c in browser.jar)


def raw_commit_rate(work, seconds=5):
    """One row per transaction with the server's SQLite settings: the ceiling for durable writes."""
    db = sqlite3.connect(os.path.join(work, "commits.db"), isolation_level=None)
    for pragma in ["PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL"]:
        db.execute(pragma)
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)")
    n, deadline = 0, time.time() + seconds
    while time.time() < deadline:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 200,))
        db.execute("COMMIT")
        n += 1
    return n / seconds


def status_mib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(rf"{field}:\s+(\d+) kB", f.read()).group(1)) / 1024


class PrivatePeak:
    """The largest private (anonymous) memory of a process while it is watched, sampled
    every 10 ms. The kernel keeps a peak (VmHWM) only of the whole resident size, which counts
    the pages of the memory-mapped database: the kernel's page cache, shared and given back
    under pressure, not the server's own."""

    def __init__(self, pid):
        self.pid, self.peak, self.done = pid, status_mib(pid, "RssAnon"), threading.Event()

    def _sample(self):
        while not self.done.wait(0.01):
            self.peak = max(self.peak, status_mib(self.pid, "RssAnon"))

    def start(self):
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def stop(self):
        self.done.set()
        self.thread.join()
        return self.peak

    def __enter__(self):
        return self.start()

    def __exit__(self, *_):
        self.stop()


class Server:
    def __init__(self, binary, work, database_url, size, seed=True):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        # The log-in flood measures how the hashing leaves other requests alone: the lockout
        # (tested in tests/it/lockout.rs) would answer it 429 once concurrent attempts, counted
        # before their hash, pass five.
        self.env = dict(os.environ, DATABASE_URL=database_url, ROCKET_PORT=str(self.port),
                        ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
                        ROCKET_DATA_DIR=work, ROCKET_LOGIN_MAX_FAILURES_ACCOUNT="1000000",
                        ROCKET_LOGIN_MAX_FAILURES_IP="1000000")
        t = time.time()
        if seed:
            sh(binary, "seed-demo", "--complaints", str(size), "--seed", "1", env=self.env, stdout=subprocess.DEVNULL)
        self.seed_seconds = time.time() - t
        # The seed's dirty pages are written back now, not during the measurements.
        os.sync()
        self.log = open(os.path.join(work, "server.log"), "ab")
        self.proc = start(binary, self.env, self.log)
        wait_healthy(self.base, self.proc)
        self.memory = PrivatePeak(self.proc.pid).start()

    def stop(self):
        """Stops the server; returns its peak private memory in MiB."""
        peak = self.memory.stop()
        self.proc.terminate()
        self.proc.wait()
        return peak


def measure(binary, database_url, size, full, work):
    server = Server(binary, work, database_url, size)
    rows = {}
    try:
        rows["GET /healthz"] = wrk(server.base + "/healthz")
        rows["GET /stats"] = wrk(server.base + "/stats")
        if full:
            rows["GET /stats/providers/wana"] = wrk(server.base + "/stats/providers/wana")
            rows["GET /api/v1/stats/providers"] = wrk(server.base + "/api/v1/stats/providers")
            browser = Browser(server.base)
            status, _, _ = browser.login("demo-subscriber@recours.example", DEMO_PASSWORD)
            assert status == 303, status
            token = browser.token("/complaints/new")
            body = ("csrf_token=" + token + "&provider=kleema&kind=service_cut&service=internet"
                    "&started_on=2026-09-07&title=Outage&description=Down%20since%20this%20morning.&amount_claimed=12%2C50")
            script = lua_post("/complaints", body, cookie_header(browser), work, "file")
            rows["POST /complaints (64 clients)"] = wrk(server.base + "/complaints", 64, script)
            visitor = Browser(server.base)
            token = visitor.token("/login")
            # A subscriber (a reviewer's right password leads to the second factor and clears
            # no attempt), as many at once as the hash queue holds: every log-in is hashed,
            # none is answered 503 without hashing.
            body = f"csrf_token={token}&email=demo-subscriber%40recours.example&password=demo%20password%202026"
            script = lua_post("/login", body, cookie_header(visitor), work, "login")
            rows["POST /login"] = wrk(server.base + "/login", HASH_QUEUE, script)
            flood = subprocess.Popen(["wrk", "-t", "1", "-c", str(HASH_QUEUE), "-d", f"{SECONDS + 2}s", "-s", script,
                                      server.base + "/login"], stdout=subprocess.DEVNULL)
            time.sleep(1)
            rows["GET /healthz during a login flood"] = wrk(server.base + "/healthz", 8, seconds=SECONDS - 1)
            flood.wait()
    finally:
        memory = server.stop()
    return rows, memory, server.seed_seconds


def compare_sizes(binary, works, rounds=3):
    """/stats on both databases at once, measured in turns: the machine's drift over the
    minutes between the two full runs would otherwise weigh more than the size does.
    Returns the median requests/s per size."""
    servers = {size: Server(binary, work, os.path.join(work, "recours.db"), size, seed=False)
               for size, work in works.items()}
    try:
        seen = {size: [] for size in servers}
        for _ in range(rounds):
            for size, server in servers.items():
                seen[size].append(wrk(server.base + "/stats", seconds=max(3, SECONDS // 2))["rps"])
        return {size: sorted(v)[len(v) // 2] for size, v in seen.items()}
    finally:
        for server in servers.values():
            server.stop()


def table(title, rows, memory):
    print(f"\nRecours benchmark, {title}, {os.cpu_count()} cores, wrk {THREADS} threads, {SECONDS} s per route\n")
    print(f"{'route':40} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in rows.items():
        print(f"{name:40} {r['rps']:>10.0f} {r['p50'] or 0:>8.2f} {r['p99'] or 0:>8.2f} {r['errors']:>7}")
    print(f"{'server peak private memory':40} {memory:>9.0f} MiB")


def main():
    ensure_wrk()
    features = ["--features", "postgres"] if os.environ.get("BENCH_DATABASE_URL") else []
    sh("cargo", "build", "--release", *features, cwd=ROOT)
    binary = os.path.join(ROOT, "target", "release", "recours")
    small, big = min(SIZES), max(SIZES)
    results, works = {}, {}
    for size in sorted(set(SIZES)):
        works[size] = tempfile.mkdtemp(prefix=f"recours-bench-{size}-")
        results[size] = measure(binary, os.path.join(works[size], "recours.db"), size, size == big, works[size])
    sizes = compare_sizes(binary, works)
    for work in works.values():
        shutil.rmtree(work, ignore_errors=True)
    work = tempfile.mkdtemp(prefix="recours-bench-commits-")
    commits = raw_commit_rate(work)
    shutil.rmtree(work, ignore_errors=True)

    rows, memory, seeded = results[big]
    table(f"SQLite, {big:,} complaints (seed-demo took {seeded:.0f} s)", rows, memory)
    for size in (small, big):
        print(f"{'GET /stats at ' + format(size, ',') + ', interleaved':40} {sizes[size]:>10.0f}")
    print(f"{'raw durable commits (1 row per txn)':40} {commits:>10.0f}\n")
    pg = os.environ.get("BENCH_DATABASE_URL")
    if pg:
        # The given database must be empty; it is loaded with the smaller demo.
        pg_rows, pg_memory, pg_seeded = measure(binary, pg, small, True, tempfile.mkdtemp(prefix="recours-bench-pg-"))
        table(f"PostgreSQL, {small:,} complaints (seed-demo took {pg_seeded:.0f} s)", pg_rows, pg_memory)

    health = rows["GET /healthz"]["rps"]
    filing = rows["POST /complaints (64 clients)"]
    checks = [
        ("GET /stats vs /healthz", rows["GET /stats"]["rps"] / health, ">= 0.50", rows["GET /stats"]["rps"] / health >= 0.5),
        ("GET /stats/providers/wana vs /healthz", rows["GET /stats/providers/wana"]["rps"] / health, ">= 0.50",
         rows["GET /stats/providers/wana"]["rps"] / health >= 0.5),
        ("GET /api/v1/stats/providers vs /healthz", rows["GET /api/v1/stats/providers"]["rps"] / health, ">= 0.50",
         rows["GET /api/v1/stats/providers"]["rps"] / health >= 0.5),
        (f"GET /stats at {big:,} vs {small:,}", sizes[big] / sizes[small], ">= 0.90",
         sizes[big] / sizes[small] >= 0.9),
        ("filing vs raw durable commits", filing["rps"] / commits, ">= 0.50", filing["rps"] / commits >= 0.5),
        ("filing p99 (ms), 64 clients", filing["p99"], "< 50", filing["p99"] < 50),
        ("filing errors", filing["errors"], "= 0", filing["errors"] == 0),
        ("/healthz p99 (ms) during a login flood", rows["GET /healthz during a login flood"]["p99"], "< 5",
         rows["GET /healthz during a login flood"]["p99"] < 5),
        ("server peak private memory (MiB)", memory, "< 150", memory < 150),
    ]
    print(f"{'ratio':45} {'value':>10} {'target':>8}  result")
    for name, value, target, ok in checks:
        print(f"{name:45} {value:>10.2f} {target:>8}  {'met' if ok else 'MISSED'}")
    sys.exit(0 if all(ok for *_, ok in checks) else 1)


if __name__ == "__main__":
    main()
