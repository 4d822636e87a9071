#!/usr/bin/env python3
"""Fuzzes the HTTP API with schemathesis against /api/openapi.json, once per
role with a real token (employee, consultant, HR, operator) and once with no
token: 0 server errors, every response conforms to its documented status,
schema and content type. Starts its own `taiwa serve` (embedded default with
demo data, a fresh folder, a free loopback port), bounded in examples and time.

    python3 tests/api-fuzz/run.py TAIWA_BINARY [--examples N]
"""
import argparse, base64, hashlib, hmac, json, os, shutil, socket, struct, subprocess, sys, tempfile, time, urllib.request

ROLES = [("employee", "employee1@demo.taiwa.test"), ("consultant", "consultant1@demo.taiwa.test"),
         ("hr", "hr@demo.taiwa.test"), ("operator", "operator@demo.taiwa.test"), ("anonymous", None)]
CHECKS = "not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance"


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def post(base, path, body, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"{base}{path}", method="POST", data=json.dumps(body).encode(), headers=headers)
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def totp(secret, at=None):
    """RFC 6238 code (HMAC-SHA1, 30 s, 6 digits) for a base32 secret."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">q", int((at or time.time()) // 30)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


def login(base, email, role):
    token = post(base, "/api/v1/auth/login", {"email": email, "password": "taiwa-demo"})["access_token"]
    if role == "operator":
        # Operators must sign in with a second factor: set one up, and use the
        # login its confirmation returns.
        secret = post(base, "/api/v1/me/mfa/totp", {"password": "taiwa-demo", "enrolment_code": "DEMO2-TAIWA"},
                      token)["secret"]
        token = post(base, "/api/v1/me/mfa/totp/confirm", {"code": totp(secret)}, token)["access_token"]
    return token


def tool_crash_only(text, cases):
    """Whether a failed run's only problem is schemathesis crashing inside its
    own (or hypothesis') code: no check failed, every case passed, and the
    traceback ends in the tool's packages with a Python-internal error."""
    generated = cases.split(" generated")[0].strip()
    all_passed = generated.isdigit() and f"{generated} generated, {generated} passed" in cases
    return (all_passed
            and "Failures:" not in text
            and "Runtime Error: 1" in text
            and ("site-packages/hypothesis/" in text or "site-packages/schemathesis/" in text)
            and ("SystemError:" in text or "RecursionError:" in text))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--examples", type=int, default=int(os.environ.get("TAIWA_FUZZ_EXAMPLES", "25")))
    ap.add_argument("--seconds", type=int, default=600, help="time limit per role")
    args = ap.parse_args()
    folder = tempfile.mkdtemp(prefix="taiwa-api-fuzz-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TAIWA_DATABASE_URL", "TAIWA_SMTP_URL", "TAIWA_STRIPE_SECRET_KEY")}
    env.update(TAIWA_DATA_DIR=os.path.join(folder, "data"), TAIWA_LOG="warn", TAIWA_PUBLIC_URL=base)
    server = subprocess.Popen([args.binary, "serve", "--addr", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "server.log"), "w"))
    failed = []
    try:
        deadline = time.time() + 180
        while True:
            try:
                if urllib.request.urlopen(f"{base}/readyz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                sys.exit(f"taiwa did not start: {open(os.path.join(folder, 'server.log')).read()[-2000:]}")
            time.sleep(0.3)
        for role, email in ROLES:
            cmd = ["schemathesis", "run", f"{base}/api/openapi.json", "--checks", CHECKS,
                   "--max-examples", str(args.examples), "--seed", "20261201", "-w", "2",
                   "--request-timeout", "20", "--no-color"]
            if email:
                cmd += ["-H", f"Authorization: Bearer {login(base, email, role)}"]
            for attempt in (1, 2):
                started = time.time()
                try:
                    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.seconds, cwd=folder)
                    text = out.stdout + out.stderr
                    code = out.returncode
                except subprocess.TimeoutExpired as e:
                    text, code = f"timed out after {args.seconds} s", 1
                lines = text.splitlines()
                cases = next((lines[i + 1].strip() for i, l in enumerate(lines[:-1]) if l.strip() == "Test cases:"), "")
                verdict = next((l.strip("= ") for l in reversed(lines) if l.startswith("==")), text[-300:])
                print(f"schemathesis as {role}: {cases}; {verdict} ({time.time() - started:.0f} s)")
                if code == 0:
                    break
                if attempt == 1 and tool_crash_only(text, cases):
                    # Every generated case passed and the one error is a crash
                    # inside schemathesis/hypothesis itself (seen once: CPython
                    # 3.11's "AST constructor recursion depth mismatch" while
                    # hypothesis described a lambda). A real API failure is a
                    # check failure and recurs with the same seed; run again.
                    print(f"  schemathesis crashed inside its own code, not on a response; running {role} again")
                    continue
                failed.append(role)
                print(text[-12000:])
                break
        if server.poll() is not None:
            failed.append("server exited")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)
    if failed:
        sys.exit(f"API fuzzing failed for: {', '.join(failed)}")
    print(f"{len(ROLES)} passed, 0 failed: schemathesis for every role")


if __name__ == "__main__":
    main()
