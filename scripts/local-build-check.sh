#!/usr/bin/env bash
# local-build-check: follows the README's "Using a local build" from a fresh
# clone of the committed HEAD: make build there, a CLI configuration with
# dev_overrides pointing at its bin/, no terraform init, terraform get for a
# module, then apply and an empty plan against the emulator. Needs Go,
# Terraform and git. Leaves nothing running (the EXIT trap stops the emulator).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

start="$(now_ns)"
scratch="${WORK_DIR}/local-build-check"
emulator_pid=""

cleanup() {
	if [[ -n "$emulator_pid" ]] && kill -0 "$emulator_pid" 2>/dev/null; then
		kill -TERM "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
}
trap cleanup EXIT

rm -rf "$scratch"
mkdir -p "$scratch"

banner "local-build-check: a fresh clone of HEAD, make build there"
git clone --quiet "$ROOT_DIR" "$scratch/clone"
(cd "$scratch/clone" && "${MAKE:-make}" --no-print-directory build)
[[ -x "$scratch/clone/bin/${BINARY}" ]] || die "make build left no bin/${BINARY} in the clone"

banner "local-build-check: the CLI configuration of the README"
export TF_CLI_CONFIG_FILE="$scratch/dev.tfrc"
cat >"$TF_CLI_CONFIG_FILE" <<HCL
provider_installation {
  dev_overrides {
    "registry.terraform.io/cloudelements/cloudelements" = "$scratch/clone/bin"
  }
  direct {}
}
HCL
cat "$TF_CLI_CONFIG_FILE"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1

banner "local-build-check: the emulator"
(cd "$scratch/clone" && go build -o "$scratch/emulator" ./internal/emulator/cmd/cloudelements-emulator)
"$scratch/emulator" -listen 127.0.0.1:0 -url-file "$scratch/url" -quiet >"$scratch/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 300); do
	[[ -s "$scratch/url" ]] && break
	kill -0 "$emulator_pid" 2>/dev/null || { cat "$scratch/emulator.log" >&2; die "the emulator exited before it wrote its URL"; }
	sleep 0.1
done
[[ -s "$scratch/url" ]] || die "the emulator wrote no URL"
export CLOUDELEMENTS_BASE_URL="$(cat "$scratch/url")"
export CLOUDELEMENTS_USER_SECRET=test-user-secret CLOUDELEMENTS_ORGANIZATION_SECRET=test-organization-secret

banner "local-build-check: a configuration with a module, no terraform init"
cfg="$scratch/config"
mkdir -p "$cfg/modules/helpdesk"
cat >"$cfg/main.tf" <<'HCL'
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

provider "cloudelements" {}

module "helpdesk" {
  source            = "./modules/helpdesk"
  freshdesk_api_key = "fd-key"
}
HCL
cat >"$cfg/modules/helpdesk/main.tf" <<'HCL'
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}

variable "freshdesk_api_key" {
  type      = string
  sensitive = true
}

resource "cloudelements_freshdesk_instance" "helpdesk" {
  name      = "acme-helpdesk"
  subdomain = "acme"
  api_key   = var.freshdesk_api_key
}
HCL
cd "$cfg"
terraform get -no-color
terraform apply -auto-approve -no-color
rc=0
terraform plan -detailed-exitcode -no-color || rc=$?
[[ $rc -eq 0 ]] || die "the plan after apply is not empty (exit $rc)"
[[ ! -e .terraform.lock.hcl ]] || die "a lock file appeared: something ran terraform init"

echo "local-build-check: ok wall=$(elapsed "$start")s"
