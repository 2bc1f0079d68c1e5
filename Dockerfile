# The `flow` image: a small runtime stage with a non-root user and a health check.
#
# Base images are build arguments, so the image builds without any public registry:
#   BUILD_IMAGE    a Swift 6.3 toolchain image (stage `build`, compiling from source)
#   RUNTIME_IMAGE  a Debian bookworm image for the runtime stages
#
# Two ways to build (both end in the same runtime layout):
#   docker build .                        compile in the `build` stage (needs BUILD_IMAGE,
#                                         e.g. swift:6.3-bookworm, and network for packages)
#   docker build --target prebuilt .      package a binary built on the host beforehand:
#                                         dist/flow (`swift build -c release
#                                         --static-swift-stdlib --product flow`, copied there).
#                                         Stages after `prebuilt` are not built, so no toolchain
#                                         image is needed: this is what Workflows/ci.yaml does
#                                         offline, with RUNTIME_IMAGE=flow-base:bookworm from
#                                         scripts/ci/base-image.sh.
ARG RUNTIME_IMAGE=debian:bookworm-slim
ARG BUILD_IMAGE=swift:6.3-bookworm

# --- runtime base: libraries a Swift binary with Foundation needs, the user, the check ---
FROM ${RUNTIME_IMAGE} AS runtime-base
# Installs only what is missing (the offline base image has everything; nothing is fetched).
RUN set -e; \
    missing=""; \
    for p in ca-certificates libcurl4 libxml2 libsqlite3-0 libstdc++6 tzdata; do \
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"; \
    done; \
    if [ -n "$missing" ]; then \
        apt-get update && apt-get install -y --no-install-recommends $missing && rm -rf /var/lib/apt/lists/*; \
    fi; \
    useradd --system --uid 10001 --user-group --home-dir /var/lib/flow --create-home --shell /usr/sbin/nologin flow; \
    mkdir -p /workspace && chown flow:flow /workspace
ENV FLOW_HOME=/var/lib/flow \
    FLOW_HEALTH_PORT=8080 \
    FLOW_HEALTH_PATH=/healthz
WORKDIR /workspace
USER flow
EXPOSE 8080
# A real HTTP check without curl or wget in the image: bash's /dev/tcp, expecting a 2xx status
# line from the daemon's health endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${FLOW_HEALTH_PORT} && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' \"${FLOW_HEALTH_PATH}\" >&3 && head -n1 <&3 | grep -q ' 2[0-9][0-9] '"]
ENTRYPOINT ["flow"]
CMD ["daemon"]

# --- prebuilt: the binary built outside (CI host, offline builds) ---
FROM runtime-base AS prebuilt
COPY --chown=root:root dist/flow /usr/local/bin/flow
LABEL org.opencontainers.image.title="flow" \
      org.opencontainers.image.description="Declarative batch orchestrator (YAML workflows, cron, SQLite run records)"

# --- build: compile from source in a toolchain image ---
FROM ${BUILD_IMAGE} AS build
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
RUN swift build -c release --static-swift-stdlib --product flow \
    && install -D -m 0755 "$(swift build -c release --show-bin-path)/flow" /out/flow

# --- runtime (default target): the binary from the build stage ---
FROM runtime-base AS runtime
COPY --from=build /out/flow /usr/local/bin/flow
LABEL org.opencontainers.image.title="flow" \
      org.opencontainers.image.description="Declarative batch orchestrator (YAML workflows, cron, SQLite run records)"
