#!/usr/bin/env python3
"""Load on the distributed mode: wrk (Debian) against the gateway on loopback,
200 connections, a mixed read workload, for BENCHMARKS.md ("Distributed").

Starts what it measures, privately and on free loopback ports: its own
PostgreSQL cluster (initdb/pg_ctl), its own nats-server with JetStream, the demo
data, and the four `taiwa serve --service …` processes; stops them all at the
end. The workload, per request, at random: keyword search (転職), a profile,
ten matches, the caller's bookings, who-am-I, the taxonomy — each with one of
20 demo employees' tokens.

    python3 tests/load/run.py target/release/taiwa [--connections 200] [--seconds 30]
"""
import argparse, glob, json, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def wait(url, deadline=90):
    until = time.time() + deadline
    while time.time() < until:
        try:
            if urllib.request.urlopen(url, timeout=2).status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.exit(f"{url} did not become ready")


def as_postgres(cmd):
    return (["runuser", "-u", "postgres", "--"] + cmd) if os.geteuid() == 0 else cmd


def call(base, path, body=None, token=None):
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(base + path, data=json.dumps(body).encode() if body is not None else None,
                                 headers=headers, method="POST" if body is not None else "GET")
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


LUA = r'''
local tokens = {TOKENS}
local paths = {PATHS}
local counter = 0
request = function()
  counter = counter + 1
  local path = paths[math.random(#paths)]
  local token = tokens[math.random(#tokens)]
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
local statuses = {}
bad = {}  -- global: done() reads it from each thread
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if (status < 200 or status > 299) and #bad < 5 then
    table.insert(bad, status .. " " .. string.sub(body or "", 1, 300))
  end
end
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
end
done = function(summary, latency, requests)
  -- What the failed answers said (a few per thread), so a red run says why.
  for _, thread in ipairs(threads) do
    for _, line in ipairs(thread:get("bad") or {}) do
      io.write("NON2XX " .. string.gsub(line, "\n", " ") .. "\n")
    end
  end
  io.write(string.format("RESULT %d %d %d %d %.0f %.0f %.0f %.0f %.0f\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, summary.duration,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max))
end
'''


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--connections", type=int, default=200)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    root = tempfile.mkdtemp(prefix="taiwa-load-")
    os.chmod(root, 0o755)
    procs = []
    pg_data = os.path.join(root, "pg")
    pg_bin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    try:
        os.makedirs(pg_data)
        if os.geteuid() == 0:
            shutil.chown(pg_data, "postgres", "postgres")
        subprocess.run(as_postgres([f"{pg_bin}/initdb", "-D", f"{pg_data}/data", "-A", "trust", "-U", "postgres", "--no-sync"]),
                       check=True, stdout=subprocess.DEVNULL)
        pg_port = free_port()
        subprocess.run(as_postgres([f"{pg_bin}/pg_ctl", "-D", f"{pg_data}/data", "-l", f"{pg_data}/log", "-w", "-o",
                                    f"-p {pg_port} -k {pg_data} -c listen_addresses=127.0.0.1 -c max_connections=300", "start"]),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(["psql", "-h", "127.0.0.1", "-p", str(pg_port), "-U", "postgres", "-qc", "CREATE DATABASE taiwa"], check=True)
        nats_port = free_port()
        procs.append(subprocess.Popen(["nats-server", "-a", "127.0.0.1", "-p", str(nats_port), "-js", "-sd", f"{root}/nats"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        ports = {s: free_port() for s in ["matching", "booking", "reporting", "gateway"]}
        env = {k: v for k, v in os.environ.items() if not k.startswith("TAIWA_") and k != "DATABASE_URL"}
        env.update(DATABASE_URL=f"postgres://postgres@127.0.0.1:{pg_port}/taiwa", TAIWA_NATS_URL=f"nats://127.0.0.1:{nats_port}",
                   TAIWA_JWT_SECRET="load-test-signing-key-0123456789abcdef", TAIWA_MASTER_KEY="load-test-master-key-0123456789abcdef",
                   TAIWA_LOG="error", TAIWA_DEMO_DATA="false",
                   **{f"TAIWA_{s.upper()}_URL": f"http://127.0.0.1:{p}" for s, p in ports.items() if s != "gateway"})
        subprocess.run([binary, "demo-data"], env={**env, "TAIWA_DATA_DIR": f"{root}/demo"}, check=True, stdout=subprocess.DEVNULL)
        for service, port in ports.items():
            procs.append(subprocess.Popen([binary, "serve", "--service", service, "--addr", f"127.0.0.1:{port}"],
                                          env={**env, "TAIWA_DATA_DIR": f"{root}/{service}"},
                                          stdout=subprocess.DEVNULL, stderr=open(f"{root}/{service}.log", "w")))
        for port in ports.values():
            wait(f"http://127.0.0.1:{port}/readyz")
        base = f"http://127.0.0.1:{ports['gateway']}"
        tokens, instrument = [], None
        for i in range(1, 21):
            token = call(base, "/api/v1/auth/login", {"email": f"employee{i}@demo.taiwa.test", "password": "taiwa-demo"})["access_token"]
            instrument = instrument or call(base, "/api/v1/assessment", token=token)
            answers = [{"item_id": it["id"], "value": (n * 5 + i) % 6 + 1} for n, it in enumerate(instrument["items"])]
            call(base, "/api/v1/assessment/responses", {"answers": answers}, token)
            tokens.append(token)
        consultants = call(base, "/api/v1/consultants?per_page=20", token=tokens[0])["items"]
        paths = ["/api/v1/consultants?q=%E8%BB%A2%E8%81%B7", "/api/v1/matches?limit=10", "/api/v1/bookings",
                 "/api/v1/me", "/api/v1/themes"] + [f"/api/v1/consultants/{c['id']}" for c in consultants[:5]]
        lua = LUA.replace("{TOKENS}", "{" + ",".join(json.dumps(t) for t in tokens) + "}") \
                 .replace("{PATHS}", "{" + ",".join(json.dumps(p) for p in paths) + "}")
        script = f"{root}/mixed.lua"
        open(script, "w").write(lua)
        # A short warm-up, then the measured run.
        subprocess.run(["wrk", "-t", "2", "-c", "50", "-d", "5s", "-s", script, base], capture_output=True)
        cmd = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "-d", f"{args.seconds}s", "--timeout", "5s", "-s", script, base]
        out = subprocess.run(cmd, capture_output=True, text=True)
        line = next((l for l in out.stdout.splitlines() if l.startswith("RESULT")), None)
        if not line:
            sys.exit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
        n, socket_errors, status_errors, duration_us, p50, p90, p95, p99, pmax = map(float, line.split()[1:])
        print(f"wrk {' '.join(cmd[1:9])} — {len(paths)} paths, 20 employees' tokens, through the gateway to 3 services on PostgreSQL + NATS")
        print(f"  {int(n)} requests in {duration_us / 1e6:.1f} s = {n / (duration_us / 1e6):.0f} req/s; socket errors {int(socket_errors)}, non-2xx {int(status_errors)}")
        print(f"  latency p50 {p50 / 1000:.1f} ms, p90 {p90 / 1000:.1f} ms, p95 {p95 / 1000:.1f} ms, p99 {p99 / 1000:.1f} ms, max {pmax / 1000:.1f} ms")
        for l in out.stdout.splitlines():
            if l.startswith("NON2XX "):
                print(f"  non-2xx answer: {l[7:]}")
        ok = p95 < 300_000 and p99 < 1_000_000 and status_errors == 0 and socket_errors == 0
        print(f"  goal p95 < 300 ms, p99 < 1 s, no errors: {'met' if ok else 'NOT met'}")
        if not ok:
            for service in ports:
                log = open(f"{root}/{service}.log", errors="replace").read().splitlines()
                print(f"  {service} log, last lines:" + "".join(f"\n    {x[:400]}" for x in log[-15:]))
        sys.exit(0 if ok else 1)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run(as_postgres([f"{pg_bin}/pg_ctl", "-D", f"{pg_data}/data", "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
