"""A third-party property-based API tester against the public API: schemathesis (pinned
below, installed from PyPI into the git-ignored target/api-fuzz virtualenv) reads
/api/v1/openapi.json from the real binary, serving a fresh SQLite database loaded with the
demo data, and runs all its checks in all its phases (examples, coverage, fuzzing,
stateful) with a fixed seed. Any finding fails. The checks it must not apply, and why, are
in tests/system/schemathesis.toml and tests/system/api_fuzz_hooks.py.

Usage: python3 tests/system/api_fuzz.py path/to/recours [max-examples]
"""

import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from client import start, wait_healthy  # noqa: E402
from crash import KEY, free_port  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# Every package the run imports directly, pinned: schemathesis brings the rest. hypothesis
# 6.135.0 fails schemathesis's stateful phase ("cannot pickle '_thread.lock' object": its
# Rule.__repr__ deep-copies the rule's strategies); 6.170.17 does not.
PINS = ["schemathesis==4.32.5", "hypothesis==6.170.17", "hypothesis-jsonschema==0.23.1"]
SEED = "1"
COMPLAINTS = "2000"


def schemathesis():
    """The virtualenv's schemathesis, installed on first use (again when the pins change)."""
    venv = os.path.join(ROOT, "target", "api-fuzz")
    marker = os.path.join(venv, "pins.txt")
    exe = os.path.join(venv, "bin", "schemathesis")
    wanted = "\n".join(PINS) + "\n"
    if os.path.exists(marker) and open(marker).read() == wanted:
        return exe
    shutil.rmtree(venv, ignore_errors=True)
    print(f"api fuzz: installing {' '.join(PINS)} into {venv}", flush=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", *PINS], check=True)
    with open(marker, "w") as f:
        f.write(wanted)
    return exe


def main():
    binary = os.path.abspath(sys.argv[1])
    max_examples = sys.argv[2] if len(sys.argv) > 2 else "100"
    exe = schemathesis()
    work = tempfile.mkdtemp(prefix="recours-api-fuzz-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, DATABASE_URL=os.path.join(work, "recours.db"), ROCKET_PORT=str(port),
               ROCKET_ADDRESS="127.0.0.1", ROCKET_SECRET_KEY=KEY, ROCKET_LOG_LEVEL="off",
               ROCKET_DATA_DIR=work)
    # Providers of four countries, resellers, every kind over 24 months, claims in every
    # state: filters that select something, and records to page through.
    subprocess.run([binary, "seed-demo", "--complaints", COMPLAINTS, "--seed", SEED],
                   env=env, check=True, capture_output=True)
    # An incident, for /api/v1/incidents/{id} to find (the seed story's cut).
    subprocess.run([binary, "incident", "declare", "--provider", "kleema", "--service", "international_calls",
                    "--from", "2009-09-07", "--network", "wana"], env=env, check=True, capture_output=True)
    with open(os.path.join(work, "server.log"), "ab") as log:
        server = start(binary, env, log)
        try:
            wait_healthy(base, server)
            run = subprocess.run(
                [exe, "--config-file", os.path.join(HERE, "schemathesis.toml"), "run",
                 "--checks", "all", "--phases", "examples,coverage,fuzzing,stateful",
                 "--seed", SEED, "--max-examples", max_examples, "--workers", "1",
                 f"{base}/api/v1/openapi.json"],
                # Its caches (.hypothesis, .schemathesis) go with the run, not into the tree.
                cwd=work, env=dict(os.environ, SCHEMATHESIS_HOOKS="api_fuzz_hooks", PYTHONPATH=HERE,
                                   NO_COLOR="1"))
        finally:
            server.terminate()
            server.wait(timeout=20)
    if server.returncode not in (0, -15):
        print(f"api fuzz: the server exited with {server.returncode}", file=sys.stderr)
        sys.exit(1)
    if run.returncode != 0:
        print(f"api fuzz: schemathesis found problems (exit {run.returncode}); server log in {work}",
              file=sys.stderr)
        sys.exit(1)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
