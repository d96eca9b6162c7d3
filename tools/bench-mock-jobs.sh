#!/usr/bin/env bash
# Benchmark (not a test): submits N mock jobs to a running local Jobline (./jobline up -d), waits
# until the listing shows them all finished, and prints the submit rate, the time to drain, and the
# resident memory of each process. It submits as alice (development key): start Jobline with the rate
# limit lifted, e.g. JOBLINE_API_RATE_LIMIT_CAPACITY=100000 JOBLINE_API_RATE_LIMIT_REFILL_PER_SECOND=100000 ./jobline up -d
#   tools/bench-mock-jobs.sh [N=1000] [duration_ms=200]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000}"
DURATION_MS="${2:-200}"
API="http://localhost:${JOBLINE_API_PORT:-8080}"
KEY='X-API-Key: jobline-dev-alice'
DATA="${JOBLINE_DATA:-$PWD/data}"

count_status() { # status -> number of jobs listed with it (pages of 500)
  local total=0 token="" page
  while :; do
    page="$(curl -sS -H "$KEY" "$API/jobs?status=$1&limit=500${token:+&pageToken=$token}")"
    total=$((total + $(grep -o '"id":"' <<<"$page" | wc -l)))
    token="$(grep -o '"nextPageToken":"[^"]*"' <<<"$page" | cut -d'"' -f4 || true)"
    [[ -n "$token" ]] || break
  done
  echo "$total"
}

before_done=$(( $(count_status COMPLETED) + $(count_status FAILED) ))
start=$(date +%s.%N)
for ((i = 0; i < N; i++)); do
  curl -sS -o /dev/null -w '%{http_code}\n' -H "$KEY" -H 'Content-Type: application/json' \
    -d "{\"workflow\":\"mock\",\"parameters\":{\"mock.duration_ms\":\"$DURATION_MS\",\"i\":\"$i\"}}" "$API/jobs"
done | sort | uniq -c | sed 's/^/submit answers: /'
submitted=$(date +%s.%N)
until (( $(count_status COMPLETED) + $(count_status FAILED) - before_done >= N )); do sleep 1; done
drained=$(date +%s.%N)

awk -v n="$N" -v a="$start" -v b="$submitted" -v c="$drained" 'BEGIN {
  printf "submitted %d jobs in %.1f s (%.0f/s, sequential curl); all finished %.1f s after the first submit\n",
         n, b - a, n / (b - a), c - a }'
for p in kafka status-projection job-processor command-api; do
  pid="$(cat "$DATA/run/$p.pid" 2>/dev/null || true)"
  [[ -n "$pid" ]] && printf '%-18s RSS %6d MiB\n' "$p" "$(( $(ps -o rss= -p "$pid") / 1024 ))"
done
