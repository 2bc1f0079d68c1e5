#!/usr/bin/env bash
# Starts a Docker registry (Debian's docker-registry, distribution 2.8) on 127.0.0.1:PORT with
# htpasswd authentication, for the push tests. Plain HTTP: Docker treats 127.0.0.0/8 as an
# insecure registry by default, so no TLS is needed on loopback.
#
# PORT is $FLOW_REGISTRY_PORT (default 5000). The user is `flow`; its password is made once
# (random, 24 bytes base64) and kept in $FLOW_CI_STATE/registry/password (mode 600). The
# password reaches htpasswd on standard input, never in an argument list.
# Exports FLOW_TEST_REGISTRY (host:port), FLOW_TEST_REGISTRY_USER, FLOW_TEST_REGISTRY_PASSWORD.
set -euo pipefail
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$0")/common.sh"

port=${FLOW_REGISTRY_PORT:-5000}
address=127.0.0.1:$port
user=flow
dir=$FLOW_CI_STATE/registry
mkdir -p "$dir/data"
chmod 700 "$dir"

ci_apt docker-registry apache2-utils curl

if [ ! -s "$dir/password" ]; then
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$dir/password")
fi
password=$(cat "$dir/password")
htpasswd -iBc "$dir/htpasswd" "$user" <"$dir/password" 2>/dev/null

cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $address
  headers:
    X-Content-Type-Options: [nosniff]
auth:
  htpasswd:
    realm: flow-test-registry
    path: $dir/htpasswd
YAML

# /v2/ answers 401 without credentials when the registry is up with auth.
answers() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://$address/v2/")" = 401 ]; }

if answers; then
    ci_log "a registry answers on $address"
else
    log=$FLOW_CI_STATE/registry.log
    ci_log "starting docker-registry on $address (log: $log)"
    setsid docker-registry serve "$dir/config.yml" >"$log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    if ! ci_wait 30 answers; then
        ci_log "the registry did not answer within 30 s; its log:"
        tail -n 30 "$log" >&2
        exit 1
    fi
fi
ci_export FLOW_TEST_REGISTRY "$address"
ci_export FLOW_TEST_REGISTRY_USER "$user"
ci_export FLOW_TEST_REGISTRY_PASSWORD "$password"
