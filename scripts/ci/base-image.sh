#!/usr/bin/env bash
# Makes the local base image the tests and the flow image build on, without any public
# registry: `debootstrap --variant=minbase bookworm` into a folder, then `docker import`.
# Cached: does nothing when the image exists; the root file system tarball is kept in
# $FLOW_CI_CACHE (default /var/cache/flow-ci) so a new data root imports it without a new
# debootstrap.
#
# The image holds Debian bookworm minbase plus:
#   busybox      httpd and wget: a real HTTP server and client for health checks
#   nginx-light  the reverse proxy of blue-green deployments
#   ca-certificates, libcurl4, libxml2, libsqlite3-0, libstdc++6, zlib1g, tzdata: what the
#                flow binary built on the host (static Swift runtime, Foundation) loads
#
# Exports FLOW_TEST_BASE_IMAGE (default flow-base:bookworm; set FLOW_BASE_IMAGE to change it).
# Needs: a running Docker engine (start-docker.sh) and a Debian mirror (the one apt uses).
set -euo pipefail
# shellcheck source=scripts/ci/common.sh
. "$(dirname "$0")/common.sh"

image=${FLOW_BASE_IMAGE:-flow-base:bookworm}
cache=${FLOW_CI_CACHE:-/var/cache/flow-ci}
packages=busybox,nginx-light,ca-certificates,libcurl4,libxml2,libsqlite3-0,libstdc++6,zlib1g,tzdata
# The cache key: a changed package list makes a new root file system and image.
key=$(printf '%s' "$packages" | sha256sum | cut -c1-12)
tarball=$cache/flow-base-bookworm-$key.tar

if [ "$(docker image inspect --format '{{index .Config.Labels "org.flow.base.key"}}' "$image" 2>/dev/null)" = "$key" ]; then
    ci_log "$image is present (packages $key)"
    ci_export FLOW_TEST_BASE_IMAGE "$image"
    exit 0
fi

if [ ! -s "$tarball" ]; then
    ci_apt debootstrap
    # The mirror apt itself uses (deb822 sources first, then the one-line format).
    mirror=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n1 || true)
    if [ -z "$mirror" ]; then
        mirror=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n1 || true)
    fi
    mirror=${mirror:-http://deb.debian.org/debian}
    mkdir -p "$cache"
    root=$(mktemp -d "$cache/rootfs.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    ci_log "debootstrap bookworm from $mirror (log: $FLOW_CI_STATE/debootstrap.log)"
    debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" \
        >"$FLOW_CI_STATE/debootstrap.log" 2>&1 || {
        tail -n 20 "$FLOW_CI_STATE/debootstrap.log" >&2
        exit 1
    }
    # Smaller and reproducible-ish: no apt lists or caches, no debootstrap leftovers.
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/cache/apt/archives/*.deb \
        "$root"/debootstrap
    tar --numeric-owner -C "$root" -cf "$tarball.part" .
    mv "$tarball.part" "$tarball"
fi

ci_log "importing $tarball as $image"
docker import --change 'CMD ["/bin/bash"]' --change "LABEL org.flow.base.key=$key" --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    "$tarball" "$image" >/dev/null
ci_export FLOW_TEST_BASE_IMAGE "$image"
