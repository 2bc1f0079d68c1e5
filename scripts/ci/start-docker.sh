#!/usr/bin/env bash
# Starts a Docker engine for the tests: installs Debian's docker.io (and docker-compose v1)
# when missing, starts `dockerd` as root in the background with its log in
# $FLOW_CI_STATE/dockerd.log, and waits (bounded, 60 s) until `docker info` answers on the
# socket. Does nothing when an engine already answers.
#
# The engine runs with --iptables=false: no NAT, so containers reach nothing outside this
# machine; published ports (127.0.0.1:PORT) go through docker-proxy. Registries on
# 127.0.0.0/8 are insecure (plain HTTP) by Docker's default.
#
# Exports FLOW_TEST_DOCKER=1 and DOCKER_HOST.
set -euo pipefail
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$0")/common.sh"

socket=${FLOW_DOCKER_SOCKET:-/var/run/docker.sock}

ci_apt docker.io docker-compose
if [ "$(id -u)" != 0 ]; then
    ci_log "must run as root to start dockerd"
    exit 1
fi

if docker -H "unix://$socket" info >/dev/null 2>&1; then
    ci_log "a Docker engine answers on $socket"
else
    rm -f "$socket" /var/run/docker.pid
    log=$FLOW_CI_STATE/dockerd.log
    ci_log "starting dockerd (log: $log)"
    # setsid: the engine outlives this script and is not in the caller's process group.
    setsid dockerd --host "unix://$socket" --iptables=false --log-level=warn \
        >"$log" 2>&1 </dev/null &
    echo $! >"$FLOW_CI_STATE/dockerd.pid"
    if ! ci_wait 60 docker -H "unix://$socket" info; then
        ci_log "dockerd did not answer within 60 s; its log:"
        tail -n 30 "$log" >&2
        exit 1
    fi
fi
docker -H "unix://$socket" version --format 'engine {{.Server.Version}}, client {{.Client.Version}}' >&2
ci_export DOCKER_HOST "unix://$socket"
ci_export FLOW_TEST_DOCKER 1
