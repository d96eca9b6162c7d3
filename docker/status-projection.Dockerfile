# status-projection: the Kafka Streams projection and its internal query API (port 8081).
# Build from the repository root after `./mvnw -B package -DskipTests`:
#   docker build -f docker/status-projection.Dockerfile -t jobline/status-projection:<tag> .
FROM eclipse-temurin:17-jre

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --gid 0 --home-dir /tmp --no-create-home jobline \
 && mkdir -p /data && chown 10001:0 /data

WORKDIR /app
COPY status-projection/target/status-projection-*-exec.jar /app/app.jar
COPY docker/entrypoint.sh /app/entrypoint.sh

# State stores (RocksDB) in /data; RocksDB's native library and the JVM's scratch files in /tmp. On ECS both are
# volumes on the task's ephemeral storage and the root file system is read-only. The entrypoint advertises the
# task's own address (JOBLINE_PROJECTION_ADVERTISED_HOST) for interactive queries.
ENV HOME=/tmp \
    JOBLINE_PROJECTION_STATE_DIR=/data/status-projection \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001
EXPOSE 8081
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8081/actuator/health/liveness || exit 1
ENTRYPOINT ["/app/entrypoint.sh"]
