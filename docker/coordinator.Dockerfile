# grid coordinator image. Build from the repository root (BuildKit):
#   docker build -f docker/coordinator.Dockerfile -t grid-coordinator .
# Runs as uid 10001 with no capabilities; data in the volume /var/lib/grid.

# Build stage: the project's own dependency list (scripts/setup.sh), then
# only the binaries this image ships.
FROM debian:12 AS build
WORKDIR /src
COPY scripts/setup.sh scripts/setup.sh
RUN bash scripts/setup.sh && rm -rf /var/lib/apt/lists/*
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
 && cmake --build /build --target grid-coordinator grid \
 && install -d /out \
 && install -s -m 0755 /build/coordinator/grid-coordinator /build/cli/grid /out/

# Final stage: runtime libraries only (docker/coordinator.packages).
FROM debian:12-slim
COPY docker/runtime-root.sh docker/coordinator.packages /tmp/
RUN sh /tmp/runtime-root.sh /tmp/coordinator.packages \
 && rm /tmp/runtime-root.sh /tmp/coordinator.packages
COPY --from=build /out/ /usr/local/bin/
USER 10001:10001
WORKDIR /var/lib/grid
VOLUME /var/lib/grid
EXPOSE 7600
ENTRYPOINT ["grid-coordinator"]
CMD ["--listen", "0.0.0.0:7600", "--data", "/var/lib/grid"]
