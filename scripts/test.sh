#!/usr/bin/env bash
# test: what `make test` (and CI) runs. Two phases, each timed:
#   build  every test binary compiled (go test -run '^$'), with and without
#          the race detector; the test phases then reuse the build cache;
#   tests  every test of every package once, acceptance tests
#          TEST_PARALLEL at a time (TF_ACC=1), in three processes side by
#          side (the machine is busy with terraform subprocesses, so a
#          phase that waits would leave cores idle):
#          - the main run, without the race detector;
#          - the race detector where the provider's own concurrency lives:
#            RACE_PACKAGES whole (client, read cache, emulator), then the
#            provider's RACE_PROVIDER_TESTS (protocol server, list
#            streaming, batch reads), which the main run leaves to it;
#          - the hostile suite (it sets environment variables for
#            Terraform, so it cannot share a process with parallel tests).
# Then one line: test: ok wall=Ns build=Ns slowest=<test> Ns, the figures
# the packages print, and a failure when the wall passes TEST_BUDGET seconds.
# TERRAFORM=/path/to/terraform runs the acceptance tests under that CLI.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

: "${RACE=-race}"
: "${RACE_PACKAGES:=./internal/cloudelements/... ./internal/emulator/...}"
: "${RACE_PROVIDER_TESTS:=^(TestProtocolServer.*|TestInstanceLister.*|TestAccBatchReads_.*|TestAccFormulaBatchReads_.*|TestAccFormula_lifecycle)$}"
: "${TEST_PARALLEL:=6}"
: "${TEST_BUDGET:=1200}"
: "${TEST_TIMEOUT:=30m}"
: "${TESTARGS:=}"

mkdir -p "$WORK_DIR"
for f in acceptance.txt acceptance-race.txt hostile.txt promotion.txt kinds.txt guides.txt slowest.txt slowest-race.txt; do
	rm -f "${WORK_DIR}/${f}"
done
progress="${WORK_DIR}/testprogress"
go build -o "$progress" ./internal/harness/cmd/testprogress

export TF_ACC=1
export ACC_REPORT="${WORK_DIR}/acceptance.txt"
export PROMOTION_REPORT="${WORK_DIR}/promotion.txt"
export KINDS_REPORT="${WORK_DIR}/kinds.txt"
export GUIDES_REPORT="${WORK_DIR}/guides.txt"
if [[ -n "${TERRAFORM:-}" ]]; then
	export TF_ACC_TERRAFORM_PATH="$TERRAFORM"
fi
read -r -a race_packages <<<"$RACE_PACKAGES"
read -r -a testargs <<<"$TESTARGS"
# The race run covers RACE_PACKAGES: the main run leaves them out.
mapfile -t plain_packages < <(go list ./... | grep -v -F -f <(go list "${race_packages[@]}"))

start="$(date +%s)"
banner "test: build (every test binary, with and without the race detector)"
go test -count=1 -run '^$' ./... >/dev/null
if [[ -n "$RACE" ]]; then
	go test "$RACE" -count=1 -run '^$' "${race_packages[@]}" ./internal/provider >/dev/null
fi
build=$(($(date +%s) - start))
echo "test: built in ${build}s"

status=0
# The hostile suite sets environment variables for Terraform, so it cannot
# run beside the other tests in one process; it runs in a process of its
# own at the same time instead of minutes alone before them.
hostile_pid=""
race_pid=""
skip=""
if [[ -z "$TESTARGS" ]]; then
	skip='^TestHostile$'
fi
if [[ -n "$RACE" && -z "$TESTARGS" ]]; then
	# The race detector runs where the provider's own concurrency lives, in a
	# process of its own beside the main run: RACE_PACKAGES whole, then the
	# provider's concurrency tests (which the main run leaves to it).
	banner "test: the race detector over ${RACE_PACKAGES} and the provider's ${RACE_PROVIDER_TESTS}, alongside"
	{
		# Both run whatever the first gives.
		rc=0
		go test -json "$RACE" -count=1 -timeout "$TEST_TIMEOUT" "${race_packages[@]}" || rc=1
		ACC_REPORT="${WORK_DIR}/acceptance-race.txt" PROMOTION_REPORT= KINDS_REPORT= GUIDES_REPORT= \
			go test -json "$RACE" -count=1 -parallel "$TEST_PARALLEL" -timeout "$TEST_TIMEOUT" \
			-run "$RACE_PROVIDER_TESTS" ./internal/provider || rc=1
		exit "$rc"
	} 2>&1 | "$progress" -every 0 -slowest 3 -summary "${WORK_DIR}/slowest-race.txt" >"${WORK_DIR}/race.log" 2>&1 &
	race_pid=$!
	skip+="|${RACE_PROVIDER_TESTS}"
fi
if [[ -z "$TESTARGS" ]]; then
	banner "test: the hostile suite, in a process of its own alongside"
	ACC_REPORT="${WORK_DIR}/acceptance-hostile.txt" go test -json -count=1 -timeout "$TEST_TIMEOUT" -run '^TestHostile$' ./internal/provider |
		"$progress" -every 0 -slowest 1 >"${WORK_DIR}/hostile.log" 2>&1 &
	hostile_pid=$!
	testargs+=(-skip "$skip")
fi
banner "test: every test, acceptance tests ${TEST_PARALLEL} at a time"
go test -json -count=1 -parallel "$TEST_PARALLEL" -timeout "$TEST_TIMEOUT" "${testargs[@]}" \
	"${plain_packages[@]}" | "$progress" -summary "${WORK_DIR}/slowest.txt" || status=1
if [[ -n "$hostile_pid" ]]; then
	wait "$hostile_pid" || status=1
	banner "test: the hostile suite"
	cat "${WORK_DIR}/hostile.log"
fi

if [[ -n "$race_pid" ]]; then
	wait "$race_pid" || status=1
	banner "test: the race detector"
	cat "${WORK_DIR}/race.log"
elif [[ -n "$RACE" ]]; then
	# With TESTARGS: the same, after the main run, on the tests it names.
	banner "test: the race detector over ${RACE_PACKAGES} and the provider's ${RACE_PROVIDER_TESTS}"
	{
		go test -json "$RACE" -count=1 -timeout "$TEST_TIMEOUT" "${testargs[@]}" "${race_packages[@]}"
		ACC_REPORT="${WORK_DIR}/acceptance-race.txt" PROMOTION_REPORT= KINDS_REPORT= GUIDES_REPORT= \
			go test -json "$RACE" -count=1 -parallel "$TEST_PARALLEL" -timeout "$TEST_TIMEOUT" \
			-run "$RACE_PROVIDER_TESTS" "${testargs[@]}" ./internal/provider
	} | "$progress" -slowest 3 -summary "${WORK_DIR}/slowest-race.txt" || status=1
fi

wall=$(($(date +%s) - start))
if [[ -n "$race_pid" && -s "${WORK_DIR}/acceptance-race.txt" && -s "${WORK_DIR}/acceptance.txt" ]]; then
	# The concurrency tests ran only under the race detector: count them in.
	awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); sum[kv[1]] += kv[2]; key[i] = kv[1] } n = NF }
		END { printf "acceptance:"; for (i = 2; i <= n; i++) printf " %s=%d", key[i], sum[key[i]]; print "" }' \
		"${WORK_DIR}/acceptance.txt" "${WORK_DIR}/acceptance-race.txt" >"${WORK_DIR}/acceptance-all.txt"
	mv "${WORK_DIR}/acceptance-all.txt" "${WORK_DIR}/acceptance.txt"
fi
figures=""
for f in acceptance.txt hostile.txt promotion.txt kinds.txt guides.txt; do
	if [[ -s "${WORK_DIR}/${f}" ]]; then
		figures+=" $(tr '\n' ' ' <"${WORK_DIR}/${f}")"
	fi
done
result=ok
[[ $status -eq 0 ]] || result=FAILED
echo "test: ${result} wall=${wall}s build=${build}s $(cat "${WORK_DIR}/slowest.txt" 2>/dev/null)${figures}"
if [[ $status -ne 0 ]]; then
	exit 1
fi
if [[ -z "$TESTARGS" && $wall -gt $TEST_BUDGET ]]; then
	die "make test took ${wall}s, over its budget of ${TEST_BUDGET}s: find what grew in the slowest tests above"
fi
