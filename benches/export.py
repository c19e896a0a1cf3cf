#!/usr/bin/env python3
"""The reviewers' CSV at scale: rows per second and the server's memory.

    python3 benches/export.py            # 1,000,000 complaints (EXPORT_SIZE to change)

Builds the release binary, loads a fresh SQLite database with `recours seed-demo`, logs in
as the demo reviewer and downloads `/review/complaints.csv` whole, reading it as it comes.
Prints the rows, the seconds, rows per second (target: at least 50,000), the time to the
first byte, and the server's peak memory before and after the download (the export is
streamed: the growth must not depend on the size).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import KEY, DEMO_PASSWORD, ROOT, free_port, peak_memory_mib, sh  # noqa: E402
sys.path.insert(0, os.path.join(ROOT, "tests", "system"))
from client import Browser, start, wait_healthy  # noqa: E402

SIZE = int(os.environ.get("EXPORT_SIZE", "1000000"))


def main():
    sh("cargo", "build", "--release", cwd=ROOT)
    binary = os.path.join(ROOT, "target", "release", "recours")
    work = tempfile.mkdtemp(prefix="recours-export-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work)
    t = time.time()
    sh(binary, "seed-demo", "--complaints", str(SIZE), "--seed", "1", env=env, stdout=subprocess.DEVNULL)
    seeded = time.time() - t
    os.sync()
    log = open(os.path.join(work, "server.log"), "ab")
    proc = start(binary, env, log)
    try:
        wait_healthy(base, proc)
        browser = Browser(base)
        status, _, _ = browser.login("demo-reviewer@recours.example", DEMO_PASSWORD)
        assert status == 303, status
        before = peak_memory_mib(proc.pid)
        start_at = time.time()
        with browser.opener.open(urllib.request.Request(base + "/review/complaints.csv"), timeout=600) as res:
            assert res.status == 200, res.status
            first = res.read(1)
            first_byte = time.time() - start_at
            size, lines = 1, first.count(b"\n")
            while True:
                chunk = res.read(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
                lines += chunk.count(b"\n")
        seconds = time.time() - start_at
        after = peak_memory_mib(proc.pid)
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(work, ignore_errors=True)
    # Descriptions are quoted and may hold line ends: count records, not lines, only when
    # they do not (the demo's descriptions are one line).
    rows = lines - 1
    rate = rows / seconds
    print(f"\nreviewers' CSV, SQLite, {SIZE:,} complaints (seed-demo took {seeded:.0f} s), {os.cpu_count()} cores")
    print(f"{'rows':32} {rows:>12,}")
    print(f"{'bytes':32} {size:>12,}")
    print(f"{'seconds':32} {seconds:>12.1f}")
    print(f"{'first byte (s)':32} {first_byte:>12.2f}")
    print(f"{'rows per second':32} {rate:>12,.0f}   target >= 50,000: {'met' if rate >= 50_000 else 'MISSED'}")
    print(f"{'server peak memory before (MiB)':32} {before:>12.0f}")
    print(f"{'server peak memory after (MiB)':32} {after:>12.0f}")
    sys.exit(0 if rate >= 50_000 and rows >= SIZE else 1)


if __name__ == "__main__":
    main()
