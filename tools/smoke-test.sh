#!/usr/bin/env bash
# Drives the README's local run the way a user would: ./jobline up -d, the curl walk-through,
# ./jobline down, then up again to check that jobs survive a restart of everything.
set -euo pipefail
cd "$(dirname "$0")/.."

export JOBLINE_DATA="${JOBLINE_DATA:-$(mktemp -d /tmp/jobline-smoke.XXXXXX)}"
API="http://localhost:${JOBLINE_API_PORT:-8080}"
ALICE=(-H 'X-API-Key: jobline-dev-alice')  # the development keys of the "local" profile
BOB=(-H 'X-API-Key: jobline-dev-bob')
trap './jobline down >/dev/null 2>&1 || true' EXIT

fail() { echo "smoke: FAILED: $*" >&2; for f in "$JOBLINE_DATA"/logs/*.log; do echo "--- $f"; tail -n 40 "$f"; done >&2; exit 1; }
field() { grep -o "\"$1\":\"[^\"]*\"" | head -n1 | cut -d'"' -f4; }

submit() { # body [curl options] -> prints job id
  local headers body
  headers="$(mktemp)"
  body="$(curl -sS -D "$headers" "${ALICE[@]}" -H 'Content-Type: application/json' "${@:2}" -d "$1" "$API/jobs")"
  grep -q '^HTTP/1.1 202' "$headers" || fail "POST /jobs answered $(head -n1 "$headers"): $body"
  grep -qi '^location: /jobs/' "$headers" || fail "no Location header"
  echo "$body" | field id
}

wait_for_status() { # id, status
  local deadline=$((SECONDS + 60)) status=""
  while ((SECONDS < deadline)); do
    status="$(curl -sS "${ALICE[@]}" "$API/jobs/$1" | field status)"
    [[ "$status" == "$2" ]] && return 0
    sleep 0.5
  done
  fail "job $1 is $status, expected $2"
}

t0=$SECONDS
./jobline up -d
echo "smoke: up and ready in $((SECONDS - t0))s"

ok_id="$(submit '{"workflow":"mock","parameters":{"mock.duration_ms":"1000"}}')"
echo "smoke: submitted $ok_id, status now $(curl -sS "${ALICE[@]}" "$API/jobs/$ok_id" | field status)"
wait_for_status "$ok_id" COMPLETED
echo "smoke: $ok_id COMPLETED"

bad_id="$(submit '{"workflow":"mock","parameters":{"mock.outcome":"fail"}}')"
wait_for_status "$bad_id" FAILED
echo "smoke: $bad_id FAILED: $(curl -sS "${ALICE[@]}" "$API/jobs/$bad_id" | field reason)"

curl -sS "${ALICE[@]}" "$API/jobs?status=COMPLETED" | grep -q "$ok_id" || fail "listing of COMPLETED jobs misses $ok_id"

code="$(curl -sS -o /dev/null -w '%{http_code}' "${ALICE[@]}" -X POST "$API/jobs/$bad_id/retry")"
[[ "$code" == 202 ]] || fail "retry of a failed job answered $code"
wait_for_status "$bad_id" FAILED
curl -sS "${ALICE[@]}" "$API/jobs/$bad_id" | grep -q '"attempt":2' || fail "the retry of $bad_id did not run attempt 2"
echo "smoke: $bad_id retried as attempt 2"

long_id="$(submit '{"workflow":"mock","parameters":{"mock.duration_ms":"600000"}}')"
wait_for_status "$long_id" RUNNING
curl -sS "${ALICE[@]}" -X POST "$API/jobs/$long_id/cancel" >/dev/null
wait_for_status "$long_id" CANCELLED
echo "smoke: $long_id CANCELLED"

if command -v snakemake >/dev/null; then
  wc_id="$(submit '{"workflow":"wordcount","parameters":{"files":"3","words":"50"}}')"
  wait_for_status "$wc_id" COMPLETED
  curl -sS "${ALICE[@]}" "$API/jobs/$wc_id" | grep -q '"path":"results/counts.txt"' || fail "wordcount lists no results/counts.txt"
  curl -sS "${ALICE[@]}" -H 'Accept: text/plain' "$API/jobs/$wc_id/logs" | grep -q 'steps (100%) done' || fail "no wordcount log"
  echo "smoke: wordcount $wc_id COMPLETED with its outputs and log"
else
  echo "smoke: snakemake is not on the PATH; skipping the wordcount run"
fi
code="$(curl -sS -o /dev/null -w '%{http_code}' "${ALICE[@]}" -H 'Content-Type: application/json' -d '{"workflow":"nope"}' "$API/jobs")"
[[ "$code" == 400 ]] || fail "unknown workflow answered $code"

code="$(curl -sS -o /dev/null -w '%{http_code}' "$API/jobs/$ok_id")"
[[ "$code" == 401 ]] || fail "a request without credentials answered $code"
code="$(curl -sS -o /dev/null -w '%{http_code}' "${BOB[@]}" "$API/jobs/$ok_id")"
[[ "$code" == 404 ]] || fail "bob reading alice's job answered $code"
curl -sS "${BOB[@]}" "$API/jobs" | grep -q "$ok_id" && fail "bob's listing shows alice's job"
again_key="smoke-$RANDOM$RANDOM"
first="$(submit '{"workflow":"mock","parameters":{"mock.duration_ms":"10"}}' -H "Idempotency-Key: $again_key")"
second="$(submit '{"workflow":"mock","parameters":{"mock.duration_ms":"10"}}' -H "Idempotency-Key: $again_key")"
[[ "$first" == "$second" ]] || fail "the same Idempotency-Key made two jobs: $first, $second"
curl -sS "$API/v3/api-docs" | grep -q '"openapi":"3.1' || fail "no OpenAPI 3.1 document at /v3/api-docs"
echo "smoke: authentication, tenancy, idempotency and the API document as documented"

since="$(date -u -d '-10 minutes' +%Y-%m-%dT%H:%M:%SZ)"
audit="$(./jobline replay --from "$since")" || fail "./jobline replay failed"
grep -q "\"key\":\"$ok_id\",\"type\":\"JobSubmitted\"" <<<"$audit" || fail "replay misses the submission of $ok_id"
first_event="$(./jobline events --from-beginning --max-messages 1)" || fail "./jobline events failed"
grep -q '"topic":"jobline.events"' <<<"$first_event" || fail "./jobline events printed no event: $first_event"
echo "smoke: replay and events print the audit log as JSON"

./jobline down
t0=$SECONDS
./jobline up -d
echo "smoke: restarted and ready in $((SECONDS - t0))s"
wait_for_status "$ok_id" COMPLETED
wait_for_status "$bad_id" FAILED
echo "smoke: jobs survived the restart"
./jobline down
echo "smoke: OK"
