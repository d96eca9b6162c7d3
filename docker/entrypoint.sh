#!/bin/sh
# Starts a Jobline service jar (/app/app.jar) as the container's main process.
#
# On Amazon ECS (awsvpc networking: every task has its own private address), status-projection must advertise an
# address the other projection instances and command-api can reach for Kafka Streams interactive queries. Unless
# JOBLINE_PROJECTION_ADVERTISED_HOST is set, it is taken from the ECS task metadata endpoint (v4) when there is one.
set -eu

if [ -z "${JOBLINE_PROJECTION_ADVERTISED_HOST:-}" ] && [ -n "${ECS_CONTAINER_METADATA_URI_V4:-}" ]; then
  address=$(curl -fsS --max-time 3 "$ECS_CONTAINER_METADATA_URI_V4" 2>/dev/null \
    | tr -d ' \n' | grep -o '"IPv4Addresses":\["[0-9.]*' | head -n 1 | sed 's/.*\["//' || true)
  if [ -n "$address" ]; then
    export JOBLINE_PROJECTION_ADVERTISED_HOST="$address"
  else
    echo "entrypoint: no address in the ECS task metadata; JOBLINE_PROJECTION_ADVERTISED_HOST stays unset" >&2
  fi
fi

exec java -jar /app/app.jar "$@"
