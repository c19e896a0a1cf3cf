"""Login flood: 150 simultaneous wrong log-ins (unknown addresses, so every one costs a hash)
and one real log-in 0.2 s later, with /healthz read meanwhile. Prints the flood's statuses,
how long the real log-in took and the slowest /healthz.

Usage: python3 benches/login_flood.py target/debug/recours HASH_QUEUE
(a very large HASH_QUEUE, e.g. 100000, behaves as an unbounded queue).
"""

import collections
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tests", "system"))
from client import Browser, start, wait_healthy  # noqa: E402

binary, queue = os.path.abspath(sys.argv[1]), sys.argv[2]
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = str(s.getsockname()[1])
work = tempfile.mkdtemp(prefix="flood-")
env = dict(os.environ, ROCKET_DATA_DIR=work, ROCKET_PORT=port, ROCKET_LOG_LEVEL="off",
           ROCKET_LOGIN_MAX_FAILURES_IP="100000", ROCKET_HASH_QUEUE=queue)
PASSWORD = "correct horse battery staple"
subprocess.run([binary, "user", "create", "--email", "real@example.org", "--role", "subscriber"],
               input=PASSWORD + "\n", text=True, env=env, check=True, capture_output=True)
log = open(os.path.join(work, "log"), "w")
proc = start(binary, env, log)
base = "http://127.0.0.1:" + port
try:
    wait_healthy(base, proc)
    N = 150
    crowd = []
    for i in range(N):
        b = Browser(base)
        crowd.append((b, b.token()))
    real = Browser(base)
    real_token = real.token()
    barrier = threading.Barrier(N + 2)
    statuses = collections.Counter()
    def guess(i):
        b, t = crowd[i]
        barrier.wait()
        status, _, _ = b.post("/login", {"email": f"flood{i}@example.org", "password": "wrong password!!"}, t)
        statuses[status] += 1
    result = {}
    def real_login():
        barrier.wait()
        time.sleep(0.2)
        t0 = time.time()
        s, _, h = real.post("/login", {"email": "real@example.org", "password": PASSWORD}, real_token)
        result["real"] = (s, round(time.time() - t0, 3), h.get("Retry-After"))
    health = []
    def healthz():
        barrier.wait()
        time.sleep(0.2)
        for _ in range(20):
            t0 = time.time()
            status, _, _ = Browser(base).request("/healthz")
            health.append((status, time.time() - t0))
    threads = [threading.Thread(target=guess, args=(i,)) for i in range(N)]
    threads += [threading.Thread(target=real_login), threading.Thread(target=healthz)]
    t0 = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"hash_queue={queue}: flood statuses {dict(statuses)}, all done in {time.time()-t0:.2f}s")
    print(f"  real login during the flood: status {result['real'][0]} in {result['real'][1]} s, Retry-After {result['real'][2]}")
    print(f"  /healthz during the flood: {len(health)} answers {set(s for s, _ in health)}, slowest {max(d for _, d in health) * 1000:.0f} ms")
finally:
    proc.kill()
