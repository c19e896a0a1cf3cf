"""A small browser for the system tests: cookies, CSRF tokens, no redirect following."""

import base64
import hmac
import http.cookiejar
import re
import struct
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Browser:
    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect
        )

    def request(self, path, data=None, timeout=10):
        body = None if data is None else urllib.parse.urlencode(data).encode()
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=timeout) as res:
                return res.status, res.read().decode(), res.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode(), e.headers

    def token(self, path="/login"):
        status, body, _ = self.request(path)
        if status == 303:
            status, body, _ = self.request("/account")
        match = re.search(r'name="csrf_token" value="([^"]+)"', body)
        if not match:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return match.group(1)

    def post(self, path, fields, token=None):
        fields = dict(fields)
        fields["csrf_token"] = token or self.token()
        return self.request(path, fields)

    def login(self, email, password):
        return self.post("/login", {"email": email, "password": password})

    def enrol(self):
        """Sets up the second factor a staff, reviewer or admin account is asked for after
        its password, as an authenticator app would from the secret shown."""
        status, body, _ = self.request("/login/enrol?next=/")
        secret = re.search(r'id="secret">([^<]+)<', body)
        if status != 200 or not secret:
            raise RuntimeError(f"no enrolment page ({status})")
        token = re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)
        return self.post("/login/enrol", {"code": totp(secret.group(1)), "next": "/"}, token)


def totp(secret, at=None):
    """RFC 6238's code (SHA-1, 6 digits, 30 s) of a base32 secret."""
    key = secret.replace(" ", "").upper()
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    step = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", step), "sha1").digest()
    offset = mac[-1] & 15
    return f"{(struct.unpack('>I', mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def start(binary, env, log):
    return subprocess.Popen([binary, "serve"], env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(base, proc, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as res:
                if res.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError("the server did not become healthy")
