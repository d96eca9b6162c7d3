#!/usr/bin/env bash
# Benchmark (not a test): what authentication costs POST /jobs. Against a running local Jobline
# (./jobline up -d), it starts one more command-api on port 8090 per variant, warms it up, then sends
# N submissions from C concurrent clients with `hey` (Debian: apt-get install hey) and prints the rate
# and latencies of:
#   api-key   this build, X-API-Key (SHA-256 + table lookup)
#   jwt       this build, Authorization: Bearer <RS256 token>, keys from a local JWKS
#   before    (with --before JAR) an older command-api exec jar, e.g. one built without authentication:
#             git worktree add /tmp/before <commit> && (cd /tmp/before && ./mvnw -q -pl command-api -am package -DskipTests)
# The jobs are mock jobs of 1 ms. For steady figures stop the job-processor first
# (kill "$(cat data/run/job-processor.pid)"): its backlog would otherwise take CPU from later variants;
# the jobs wait in Kafka. Each variant runs ROUNDS times (default 2), interleaved.
#   tools/bench-auth.sh [--before JAR] [N=10000] [C=16]
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=""
if [[ "${1:-}" == "--before" ]]; then BEFORE="$2"; shift 2; fi
N="${1:-10000}"
C="${2:-16}"
PORT=8090
DATA="${JOBLINE_DATA:-$PWD/data}"
JAR="$(ls command-api/target/command-api-*-exec.jar | head -n1)"
WORK="$(mktemp -d /tmp/jobline-bench-auth.XXXXXX)"
command -v hey >/dev/null || { echo "needs hey (apt-get install hey)" >&2; exit 1; }
[[ -s "$DATA/internal-key" ]] || { echo "start Jobline first: ./jobline up -d" >&2; exit 1; }

b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }

# an RSA key, its JWKS served over HTTP, and one token signed with it
openssl genrsa -out "$WORK/key.pem" 2048 2>/dev/null
modulus="$(openssl rsa -in "$WORK/key.pem" -noout -modulus | cut -d= -f2 | xxd -r -p | b64url)"
echo "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"bench\",\"alg\":\"RS256\",\"use\":\"sig\",\"e\":\"AQAB\",\"n\":\"$modulus\"}]}" \
  > "$WORK/jwks.json"
(cd "$WORK" && exec python3 -m http.server 8099 --bind 127.0.0.1 >/dev/null 2>&1) & JWKS_PID=$!
header="$(printf '{"alg":"RS256","typ":"JWT","kid":"bench"}' | b64url)"
payload="$(printf '{"sub":"bench","cognito:groups":["user"],"exp":%d}' $(( $(date +%s) + 3600 )) | b64url)"
signature="$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$WORK/key.pem" -binary | b64url)"
TOKEN="$header.$payload.$signature"
KEY="jl_bench_$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
KEYS="[{\"owner\":\"bench\",\"roles\":[\"user\"],\"sha256\":\"$(printf '%s' "$KEY" | sha256sum | cut -d' ' -f1)\"}]"

API_PID=""
cleanup() { [[ -n "$API_PID" ]] && kill "$API_PID" 2>/dev/null; kill "$JWKS_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

start_api() { # jar
  KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${JOBLINE_KAFKA_PORT:-9092}" \
  JOBLINE_API_PROJECTION_URL="http://127.0.0.1:${JOBLINE_PROJECTION_PORT:-8081}" \
  JOBLINE_API_WORKFLOWS_DIR="$PWD/workflows" \
  JOBLINE_SECURITY_INTERNAL_KEY="$(cat "$DATA/internal-key")" \
  JOBLINE_SECURITY_API_KEYS="$KEYS" \
  JOBLINE_SECURITY_JWT_JWK_SET_URI="http://127.0.0.1:8099/jwks.json" \
  JOBLINE_API_RATE_LIMIT_CAPACITY=100000000 JOBLINE_API_RATE_LIMIT_REFILL_PER_SECOND=100000000 \
  SERVER_PORT="$PORT" \
    java ${JOBLINE_JAVA_OPTS:--Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1} -jar "$1" \
    > "$WORK/api.log" 2>&1 &
  API_PID=$!
  until curl -fsS "http://127.0.0.1:$PORT/actuator/health/readiness" >/dev/null 2>&1; do
    kill -0 "$API_PID" 2>/dev/null || { tail -n 30 "$WORK/api.log"; exit 1; }
    sleep 0.5
  done
}

stop_api() { kill "$API_PID"; wait "$API_PID" 2>/dev/null || true; API_PID=""; }

measure() { # name, jar, header...
  local name="$1" jar="$2"; shift 2
  local args=()
  for h in "$@"; do args+=(-H "$h"); done
  start_api "$jar"
  local body='{"workflow":"mock","parameters":{"mock.duration_ms":"1"}}'
  hey -n 2000 -c "$C" -m POST -T application/json "${args[@]}" -d "$body" "http://127.0.0.1:$PORT/jobs" >/dev/null
  hey -n "$N" -c "$C" -m POST -T application/json "${args[@]}" -d "$body" "http://127.0.0.1:$PORT/jobs" \
    > "$WORK/$name.txt"
  stop_api
  local rate p50 p99 codes
  rate="$(awk '/Requests\/sec/ {print $2}' "$WORK/$name.txt")"
  p50="$(awk '/ 50% in/ {print $3}' "$WORK/$name.txt")"
  p99="$(awk '/ 99% in/ {print $3}' "$WORK/$name.txt")"
  codes="$(awk '/^ *\[[0-9]+\]/ {printf "%s x%s ", $1, $2}' "$WORK/$name.txt")"
  printf '%-8s %8.0f submissions/s   p50 %6.1f ms   p99 %6.1f ms   answers %s\n' \
    "$name" "$rate" "$(awk -v s="$p50" 'BEGIN{print s*1000}')" "$(awk -v s="$p99" 'BEGIN{print s*1000}')" "$codes"
}

echo "POST /jobs, $N requests from $C clients after 2000 to warm up, one command-api (${JOBLINE_JAVA_OPTS:-default JVM options}):"
for ((round = 1; round <= ${ROUNDS:-2}; round++)); do
  [[ -n "$BEFORE" ]] && measure before "$BEFORE"
  measure api-key "$JAR" "X-API-Key: $KEY"
  measure jwt "$JAR" "Authorization: Bearer $TOKEN"
done
