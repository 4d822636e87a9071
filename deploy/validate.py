#!/usr/bin/env python3
"""Validates deploy/ without a Docker engine or a cluster (CI runs it):

- every Kubernetes manifest against the API schemas of Kubernetes 1.37, strictly
  (unknown fields refused): kubernetes-validate, from PyPI;
- compose.yaml against the Compose Specification's schema: check-jsonschema's
  vendored copy, from PyPI;
- the Dockerfile through BuildKit's own parser (the `dockerfile` wheel);
- and Taiwa's own rules for them: the image is multi-stage and runs as a
  non-root user; each service has a Deployment with readiness on /readyz and
  liveness on /healthz, a Service and a PodDisruptionBudget, matching and
  booking an autoscaler; configuration comes from the ConfigMap and the
  Secret; a Job runs the migrations; compose starts PostgreSQL, NATS with
  JetStream and the four services.

    python3 deploy/validate.py        (needs kubernetes-validate, check-jsonschema, dockerfile)
"""
import glob, os, subprocess, sys

import dockerfile
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
SERVICES = ["gateway", "matching", "booking", "reporting"]
problems = []


def check(ok, message):
    if not ok:
        problems.append(message)


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    check(out.returncode == 0, f"{' '.join(cmd[:2])} failed:\n{out.stdout}{out.stderr}")
    return out


manifests = sorted(glob.glob(os.path.join(HERE, "k8s", "*.yaml")))
check(manifests, "no Kubernetes manifests in deploy/k8s")
run([os.path.join(os.path.dirname(sys.executable), "kubernetes-validate"), "--strict", "--quiet", *manifests])
run([os.path.join(os.path.dirname(sys.executable), "check-jsonschema"), "--builtin-schema", "vendor.compose-spec",
     os.path.join(HERE, "compose.yaml")])

# The Dockerfile: multi-stage, the last stage non-root, the binary as entry point.
commands = dockerfile.parse_file(os.path.join(HERE, "Dockerfile"))
stages = [c for c in commands if c.cmd == "FROM"]
check(len(stages) >= 2, "the Dockerfile should be multi-stage")
last = max(i for i, c in enumerate(commands) if c.cmd == "FROM")
users = [c.value[0] for c in commands[last:] if c.cmd == "USER"]
check(users and users[-1].split(":")[0] not in ("root", "0"), "the runtime stage must run as a non-root user")
check(any(c.cmd == "ENTRYPOINT" and "taiwa" in c.value[0] for c in commands[last:]), "the entry point is taiwa")

# Kubernetes: what each service needs.
docs = [d for path in manifests for d in yaml.safe_load_all(open(path)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
for s in SERVICES:
    name = f"taiwa-{s}"
    dep = by_kind.get("Deployment", {}).get(name)
    check(dep is not None, f"no Deployment {name}")
    if dep:
        pod = dep["spec"]["template"]["spec"]
        c = pod["containers"][0]
        check(c.get("args", [])[-2:] == ["--service", s], f"{name} must run `serve --service {s}`")
        check(c.get("readinessProbe", {}).get("httpGet", {}).get("path") == "/readyz", f"{name}: readiness on /readyz")
        check(c.get("livenessProbe", {}).get("httpGet", {}).get("path") == "/healthz", f"{name}: liveness on /healthz")
        refs = {(k, v["name"]) for e in c.get("envFrom", []) for k, v in e.items()}
        check(("configMapRef", "taiwa-config") in refs and ("secretRef", "taiwa-secrets") in refs,
              f"{name}: settings from the taiwa-config ConfigMap and the taiwa-secrets Secret")
        check(pod.get("securityContext", {}).get("runAsNonRoot") is True, f"{name}: runAsNonRoot")
        check(c.get("resources", {}).get("requests"), f"{name}: resource requests (the autoscaler needs them)")
    check(name in by_kind.get("Service", {}), f"no Service {name}")
    check(name in by_kind.get("PodDisruptionBudget", {}), f"no PodDisruptionBudget {name}")
for s in ["matching", "booking"]:
    hpa = by_kind.get("HorizontalPodAutoscaler", {}).get(f"taiwa-{s}")
    check(hpa is not None and hpa["spec"]["scaleTargetRef"]["name"] == f"taiwa-{s}", f"no autoscaler for taiwa-{s}")
jobs = by_kind.get("Job", {})
check(any(j["spec"]["template"]["spec"]["containers"][0].get("args") == ["migrate"] for j in jobs.values()),
      "no Job running `taiwa migrate`")
config = by_kind.get("ConfigMap", {}).get("taiwa-config", {}).get("data", {})
for key in ["TAIWA_NATS_URL", "TAIWA_MATCHING_URL", "TAIWA_BOOKING_URL", "TAIWA_REPORTING_URL"]:
    check(key in config, f"taiwa-config lacks {key}")
secret_keys = set(by_kind.get("Secret", {}).get("taiwa-secrets", {}).get("stringData", {}))
check(not secret_keys & set(config), "a secret in the ConfigMap")
for key in ["DATABASE_URL", "TAIWA_JWT_SECRET", "TAIWA_MASTER_KEY"]:
    check(key in secret_keys, f"the Secret's example lacks {key}")

# Compose: the staging stack.
compose = yaml.safe_load(open(os.path.join(HERE, "compose.yaml")))
services = compose.get("services", {})
for s in ["postgres", "nats", *SERVICES]:
    check(s in services, f"compose.yaml lacks the {s} service")
check("-js" in services.get("nats", {}).get("command", []), "compose's NATS must run JetStream (-js)")
for s in SERVICES:
    check(services.get(s, {}).get("command", [])[-2:] == ["--service", s], f"compose's {s} must run `serve --service {s}`")

if problems:
    print("deploy/: " + "\n  ".join(["invalid:"] + problems))
    sys.exit(1)
print(f"deploy/: {len(manifests)} Kubernetes files ({len(docs)} resources, strict schemas of 1.37), "
      f"compose.yaml (Compose Specification) and the Dockerfile ({len(stages)} stages, non-root) are valid")
