#!/usr/bin/env bash
# demo: the provider end to end against the emulator, on loopback, no account
# needed. Builds both, starts the emulator, then shows terraform apply,
# plan (must be empty), import into a second working directory, apply there
# (no API write: the key is adopted), plan (empty), and destroy. Needs only Go
# and Terraform. Leaves nothing running: the EXIT trap stops the emulator.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

start="$(now_ns)"
demo="${WORK_DIR}/demo"
resource_addr="cloudelements_freshdesk_instance.example"
url_wait_seconds="${DEMO_URL_WAIT_SECONDS:-30}"
emulator_pid=""

cleanup() {
	local rc=$?
	if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill -TERM "$emulator_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$emulator_pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 ]]; then
		printf '\033[1;31mdemo: FAILED (exit %d) after %ss; emulator log: %s\033[0m\n' "$rc" "$(elapsed "$start")" "${demo}/emulator.log" >&2
	fi
}
trap cleanup EXIT

# run CMD... echoes a command, then runs it.
run() {
	printf '\033[2m$ %s\033[0m\n' "$*"
	"$@"
}

rm -rf "$demo"
mkdir -p "$demo/bin" "$demo/one" "$demo/two"

banner "build the provider and the emulator"
run go build -ldflags "-X main.version=${VERSION:-demo}" -o "$demo/bin/${BINARY}" .
run go build -o "$demo/emulator" ./internal/emulator/cmd/cloudelements-emulator
run go build -o "$demo/emustats" ./internal/harness/cmd/emustats

# Demo secrets: the emulator accepts these, and the provider reads them from
# the environment, so they never appear in HCL or state.
export CLOUDELEMENTS_USER_SECRET="test-user-secret"
export CLOUDELEMENTS_ORGANIZATION_SECRET="test-organization-secret"

banner "start the emulator on loopback"
"$demo/emulator" -listen 127.0.0.1:0 -url-file "$demo/url" -quiet >"$demo/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 $((url_wait_seconds * 10))); do
	[[ -s "$demo/url" ]] && break
	kill -0 "$emulator_pid" 2>/dev/null || { cat "$demo/emulator.log" >&2; die "the emulator exited before it wrote its URL"; }
	sleep 0.1
done
[[ -s "$demo/url" ]] || die "the emulator wrote no URL to $demo/url within ${url_wait_seconds}s (log: $demo/emulator.log)"
CLOUDELEMENTS_BASE_URL="$(head -n1 "$demo/url")"
export CLOUDELEMENTS_BASE_URL
echo "emulator pid ${emulator_pid} at ${CLOUDELEMENTS_BASE_URL}"

export TF_CLI_CONFIG_FILE="$demo/terraformrc"
write_dev_overrides "$TF_CLI_CONFIG_FILE" "$demo/bin"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

# Both working directories hold the same configuration: the documented
# resource example, plus a provider block that takes everything from the
# environment (CLOUDELEMENTS_BASE_URL and the two secrets).
for dir in "$demo/one" "$demo/two"; do
	cp examples/resources/cloudelements_freshdesk_instance/resource.tf "$dir/main.tf"
	cat >"$dir/provider.tf" <<'HCL'
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

# base_url, user_secret and organization_secret come from
# CLOUDELEMENTS_BASE_URL, CLOUDELEMENTS_USER_SECRET and
# CLOUDELEMENTS_ORGANIZATION_SECRET.
provider "cloudelements" {}
HCL
done

# Working directory one also runs a formula and a formula instance bound to
# the instance; the plan after apply covers them too, destroy removes them.
cat >"$demo/one/formulas.tf" <<'HCL'
resource "cloudelements_formula" "demo" {
  name          = "demo-new-tickets"
  configuration = [{ key = "helpdesk", name = "Helpdesk", type = "elementInstance" }]
  triggers      = [{ type = "event", on_success = ["log"], properties = jsonencode({ elementInstanceId = "$${helpdesk}" }) }]
  steps = {
    log = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = "done(true);" }) }
  }
}

resource "cloudelements_formula_instance" "demo" {
  formula_id    = cloudelements_formula.demo.id
  name          = "demo-new-tickets"
  configuration = { helpdesk = cloudelements_freshdesk_instance.example.id }
}
HCL

# stats prints a figure of the emulator's admin stats (writes, instances or
# json), read by a small Go command instead of curl and jq.
stats() {
	"$demo/emustats" -url "$CLOUDELEMENTS_BASE_URL" -print "$1"
}

cd "$demo/one"

# No terraform init: the provider is served by dev_overrides and the
# configuration uses no other provider, so there is nothing to install, and
# init would ask registry.terraform.io for the overridden provider and fail
# offline (Terraform: "Skip terraform init when using provider development
# overrides"). Plan and apply work without it.
echo "terraform init is skipped: dev_overrides serves the provider from $demo/bin"

banner "terraform apply -auto-approve"
run terraform apply -auto-approve -no-color

banner "terraform plan -detailed-exitcode (must show no changes)"
set +e
run terraform plan -detailed-exitcode -no-color
plan_rc=$?
set -e
case $plan_rc in
	0) echo "no changes, as expected" ;;
	2) die "the plan after apply is not empty" ;;
	*) die "terraform plan failed (exit $plan_rc)" ;;
esac

id="$(terraform output -raw freshdesk_instance_id)" # an output of the example
[[ "$id" =~ ^[0-9]+$ ]] || die "could not read a numeric id for ${resource_addr} from state (got '${id}')"
echo "created instance id ${id}"

cd "$demo/two"
banner "terraform import ${resource_addr} ${id} (working directory two)"
run terraform import -no-color "$resource_addr" "$id"

banner "terraform apply in working directory two (after import: the key is adopted, no API write)"
# The API key is never read back from the platform: the key in configuration
# goes into state without being sent, so the token of the live instance stays.
writes_before="$(stats writes)"
run terraform apply -auto-approve -no-color
writes_after="$(stats writes)"
[[ "$writes_after" == "$writes_before" ]] || die "the apply after import wrote to the platform ($((writes_after - writes_before)) writes)"
echo "no API write after the import"

banner "terraform plan -detailed-exitcode in working directory two (must show no changes)"
run terraform plan -detailed-exitcode -no-color

banner "terraform state rm in working directory two (one instance, one owner)"
run terraform state rm "$resource_addr"

cd "$demo/one"
banner "terraform destroy -auto-approve (working directory one)"
run terraform destroy -auto-approve -no-color

banner "emulator stats"
stats json || die "could not read the emulator's stats"
left="$(stats instances)"
[[ "$left" == "0" ]] || die "the emulator still holds ${left} instance(s) after destroy"
echo "the emulator holds no instances"

echo "demo: ok wall=$(elapsed "$start")s"
