# command-api: the public HTTP API (port 8080).
# Build from the repository root after `./mvnw -B package -DskipTests` (the build context is the root; only the
# files named in command-api.Dockerfile.dockerignore are sent):
#   docker build -f docker/command-api.Dockerfile -t jobline/command-api:<tag> .
FROM eclipse-temurin:17-jre

RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --gid 0 --home-dir /tmp --no-create-home jobline

WORKDIR /app
COPY command-api/target/command-api-*-exec.jar /app/app.jar
# the API allows the Snakemake workflows it finds here (jobline.api.workflows-dir)
COPY workflows /app/workflows
COPY docker/entrypoint.sh /app/entrypoint.sh

# The root file system may be read-only (it is on ECS): everything written goes to /tmp.
ENV HOME=/tmp \
    JOBLINE_API_WORKFLOWS_DIR=/app/workflows \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
USER 10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD curl -fsS -o /dev/null http://localhost:8080/actuator/health/liveness || exit 1
ENTRYPOINT ["/app/entrypoint.sh"]
