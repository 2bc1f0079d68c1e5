# shellcheck shell=bash
# Shared by the scripts in scripts/ci (sourced, not run). Where the CI services keep their
# state and logs, and how they publish the variables the tests read.
#
# FLOW_CI_STATE  state and logs of the services (default /tmp/flow-ci)
# FLOW_CI_ENV    the file of KEY=VALUE lines the scripts append to; `.ci/run` sources it with
#                `set -a; . "$FLOW_CI_ENV"; set +a` (default $FLOW_CI_STATE/test.env, mode 600:
#                it holds the test registry's password)

FLOW_CI_STATE=${FLOW_CI_STATE:-/tmp/flow-ci}
FLOW_CI_ENV=${FLOW_CI_ENV:-$FLOW_CI_STATE/test.env}
mkdir -p "$FLOW_CI_STATE"
touch "$FLOW_CI_ENV"
chmod 600 "$FLOW_CI_ENV"

# ci_log MESSAGE: one line on stderr, prefixed with the script's name.
ci_log() { echo "[$(basename "$0")] $*" >&2; }

# ci_export KEY VALUE: records KEY=VALUE in $FLOW_CI_ENV (replacing an earlier value) and
# prints it (values of keys ending in PASSWORD are not printed).
ci_export() {
    local key=$1 value=$2
    local tmp
    tmp=$(mktemp "$FLOW_CI_ENV.XXXXXX")
    grep -v "^$key=" "$FLOW_CI_ENV" >"$tmp" || true
    printf '%s=%q\n' "$key" "$value" >>"$tmp"
    chmod 600 "$tmp"
    mv "$tmp" "$FLOW_CI_ENV"
    case $key in
        *PASSWORD) ci_log "$key=(hidden; in $FLOW_CI_ENV)" ;;
        *) ci_log "$key=$value" ;;
    esac
}

# ci_apt PACKAGE...: installs the Debian packages that are missing (waiting for a busy dpkg
# lock up to 15 minutes).
ci_apt() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    ci_log "installing ${missing[*]}"
    if [ ! -f "$FLOW_CI_STATE/apt-updated" ]; then
        apt-get -o DPkg::Lock::Timeout=900 update -qq >&2 && touch "$FLOW_CI_STATE/apt-updated"
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq \
        --no-install-recommends "${missing[@]}" >&2
}

# ci_wait SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds; fails after SECONDS.
ci_wait() {
    local limit=$1
    shift
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then return 1; fi
        sleep 0.2
    done
}
