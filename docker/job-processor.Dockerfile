# job-processor: runs the jobs' Snakemake workflows (port 8082, health only).
# Snakemake comes from Debian (bookworm: Snakemake 7.21, the version the tests run), with Debian's OpenJDK 17.
# Build from the repository root after `./mvnw -B package -DskipTests`:
#   docker build -f docker/job-processor.Dockerfile -t jobline/job-processor:<tag> .
FROM debian:bookworm-slim

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      openjdk-17-jre-headless curl ca-certificates \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y snakemake \
 && rm -rf /var/lib/apt/lists/* \
 && snakemake --version \
 && useradd --system --uid 10001 --gid 0 --home-dir /tmp --no-create-home jobline \
 && mkdir -p /data && chown 10001:0 /data

WORKDIR /app
COPY job-processor/target/job-processor-*-exec.jar /app/app.jar
COPY workflows /app/workflows
COPY docker/entrypoint.sh /app/entrypoint.sh

# Each attempt runs in /data/runs/<job id>/attempt-<n>; Snakemake's caches go to /tmp. On ECS both are volumes on
# the task's ephemeral storage, the root file system is read-only, and an init process (initProcessEnabled) is
# PID 1, so the processes of killed jobs are reaped. The JVM keeps half of the memory; the jobs get the rest.
ENV HOME=/tmp \
    XDG_CACHE_HOME=/tmp/.cache \
    JOBLINE_SNAKEMAKE_WORKFLOWS_DIR=/app/workflows \
    JOBLINE_SNAKEMAKE_WORK_ROOT=/data/runs \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001
EXPOSE 8082
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8082/actuator/health/liveness || exit 1
ENTRYPOINT ["/app/entrypoint.sh"]
