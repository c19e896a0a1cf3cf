#!/usr/bin/env python3
"""The full CSV exports at scale: rows per second and the server's memory.

    python3 benches/export.py            # 100,000 then 1,000,000 complaints
    EXPORT_SIZES=1000000 python3 benches/export.py

Builds the release binary and, for each size, loads a fresh SQLite database with
`recours seed-demo`, starts the server and downloads whole, reading each as it comes: the
reviewers' CSV (`/review/complaints.csv`, logged in as the demo reviewer), then the public
complaint-level CSV (`/complaints.csv`). Prints the rows, the seconds, rows per second
(target: at least 50,000 at 1,000,000 complaints), the time to the first byte, and the
server's peak private memory (the largest RssAnon, sampled every 10 ms) after starting and
during each download: the exports are streamed, so it must not grow with the size. The
database file is memory-mapped, so the resident size (VmHWM, also printed) grows with the
pages read: those are the kernel's page cache, shared and given back under pressure, not
the server's own. Exits 1 when a target is missed.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import KEY, DEMO_PASSWORD, ROOT, PrivatePeak, free_port, sh, status_mib  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from client import Browser, start, wait_healthy  # noqa: E402

SIZES = [int(s) for s in os.environ.get("EXPORT_SIZES", "100000,1000000").split(",")]
TARGET = 50_000
# Name, address, and whether every complaint is a row (the public CSV leaves out the
# complaints of cells below the minimum volume).
EXPORTS = [("reviewers' CSV", "/review/complaints.csv", True), ("public CSV", "/complaints.csv", False)]


def download(browser, url):
    """Rows (the demo's descriptions are one line: records are lines), bytes, seconds and
    seconds to the first byte of a whole download."""
    start_at = time.time()
    with browser.opener.open(urllib.request.Request(url), timeout=900) as res:
        assert res.status == 200, res.status
        first = res.read(1)
        first_byte = time.time() - start_at
        size, lines = len(first), first.count(b"\n")
        while True:
            chunk = res.read(1 << 20)
            if not chunk:
                break
            size += len(chunk)
            lines += chunk.count(b"\n")
    return lines - 1, size, time.time() - start_at, first_byte


def measure(binary, size):
    work = tempfile.mkdtemp(prefix="recours-export-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work)
    t = time.time()
    sh(binary, "seed-demo", "--complaints", str(size), "--seed", "1", env=env, stdout=subprocess.DEVNULL)
    seeded = time.time() - t
    os.sync()
    results = []
    proc = start(binary, env, open(os.path.join(work, "server.log"), "ab"))
    try:
        wait_healthy(base, proc)
        browser = Browser(base)
        status, _, _ = browser.login("demo-reviewer@recours.example", DEMO_PASSWORD)
        assert status == 303, status
        status, _, _ = browser.enrol()
        assert status == 200, status
        started = (status_mib(proc.pid, "RssAnon"), status_mib(proc.pid, "VmHWM"))
        for name, path, complete in EXPORTS:
            with PrivatePeak(proc.pid) as private:
                rows, size_bytes, seconds, first_byte = download(browser, base + path)
            whole = rows >= size or not complete
            memory = (private.peak, status_mib(proc.pid, "VmHWM"))
            results.append((name, rows, whole, size_bytes, seconds, first_byte, memory))
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    return seeded, started, results


def main():
    sh("cargo", "build", "--release", cwd=ROOT)
    binary = os.path.join(ROOT, "target", "release", "recours")
    ok = True
    print(f"\nCSV exports, SQLite, {os.cpu_count()} cores")
    print(f"{'complaints':>10} {'export':16} {'rows':>10} {'MB':>7} {'s':>7} {'rows/s':>8} "
          f"{'1st byte s':>10} {'private MiB':>11} {'VmHWM MiB':>9}")
    for size in SIZES:
        seeded, started, results = measure(binary, size)
        print(f"{size:>10,} {'(server started)':16} {'':>10} {'':>7} {'':>7} {'':>8} {'':>10} "
              f"{started[0]:>11.0f} {started[1]:>9.0f}   seed-demo {seeded:.0f} s")
        for name, rows, whole, size_bytes, seconds, first_byte, (private, hwm) in results:
            rate = rows / seconds
            ok = ok and whole
            verdict = "" if whole else "   ROWS MISSING"
            if size >= 1_000_000:
                met = rate >= TARGET and whole
                ok = ok and met
                verdict = f"   target >= {TARGET:,} rows/s: {'met' if met else 'MISSED'}"
            print(f"{size:>10,} {name:16} {rows:>10,} {size_bytes / 1e6:>7.1f} {seconds:>7.1f} "
                  f"{rate:>8,.0f} {first_byte:>10.2f} {private:>11.0f} {hwm:>9.0f}{verdict}", flush=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
