# grid probe image. Build from the repository root (BuildKit):
#   docker build -f docker/probe.Dockerfile -t grid-probe .
# Runs as uid 10001; grid-probe and grid carry the file capability
# cap_net_raw+ep, so the container needs no capability but NET_RAW:
#   docker run --user 10001 --cap-drop ALL --cap-add NET_RAW grid-probe ...

# Build stage: the project's own dependency list (scripts/setup.sh, which
# also brings setcap), then only the binaries this image ships.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build --target grid-probe grid \
 && install -d /out \
 && install -s -m 0755 /build/probe-node/agent/grid-probe /build/cli/grid /out/

# Final stage: runtime libraries only (docker/probe.packages). setcap is
# mounted from the build stage for one step, so libcap2-bin stays out of the
# image; the capability is set here because COPY may drop extended
# attributes.
FROM debian:12-slim
COPY docker/runtime-root.sh docker/probe.packages /tmp/
RUN sh /tmp/runtime-root.sh /tmp/probe.packages \
 && rm /tmp/runtime-root.sh /tmp/probe.packages
COPY --from=build /out/ /usr/local/bin/
RUN --mount=type=bind,from=build,source=/usr/sbin/setcap,target=/usr/local/sbin/setcap \
    setcap cap_net_raw+ep /usr/local/bin/grid-probe \
           cap_net_raw+ep /usr/local/bin/grid
USER 10001:10001
WORKDIR /var/lib/grid
ENTRYPOINT ["grid-probe"]
