#!/usr/bin/env bash
# examples-check: every .tf under examples/ is formatted (terraform fmt -check)
# and every example directory passes `terraform validate` against the provider
# built into bin/ (served through dev_overrides; no registry is contacted).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

start="$(now_ns)"
[[ -x "${BIN_DIR}/${BINARY}" ]] || die "${BIN_DIR}/${BINARY} is missing: run 'make build' (make examples-check does)"

scratch="${WORK_DIR}/examples-check"
rm -rf "$scratch"
mkdir -p "$scratch"
export TF_CLI_CONFIG_FILE="${scratch}/terraformrc"
write_dev_overrides "$TF_CLI_CONFIG_FILE" "$BIN_DIR"
export TF_IN_AUTOMATION=1 TF_INPUT=0
export CHECKPOINT_DISABLE=1

banner "examples-check: terraform fmt -check -recursive examples"
if ! terraform fmt -check -diff -recursive examples; then
	die "examples are not formatted: run 'make fmt' (or terraform fmt -recursive examples)"
fi
echo "formatted"

failed=()
count=0
skipped=()
# Actions (action blocks, action_trigger) need Terraform 1.14; an older CLI
# cannot validate those examples, so they are skipped there.
tf_version="$(terraform version -json)"
tf_version="${tf_version#*\"terraform_version\": \"}"
tf_version="${tf_version%%\"*}"
actions_ok=0
[[ "$(printf '%s\n' 1.14.0 "$tf_version" | sort -V | head -1)" == 1.14.0 ]] && actions_ok=1
while IFS= read -r dir; do
	count=$((count + 1))
	rel="${dir#./}"
	if [[ $actions_ok == 0 ]] && grep -qsE '^action "|action_trigger' "$dir"/*.tf; then
		echo "examples-check: skipping ${rel}: actions need Terraform 1.14 or later (this is ${tf_version})"
		skipped+=("$rel")
		continue
	fi
	banner "examples-check: terraform validate ${rel}"
	# Validate a copy so no .terraform/ or lock file lands in examples/.
	work="${scratch}/${rel//\//_}"
	mkdir -p "$work"
	cp "$dir"/*.tf "$work"/
	# Examples other than provider/ leave out the required_providers block for
	# brevity; without it Terraform would look for hashicorp/cloudelements.
	if ! grep -qs 'required_providers' "$work"/*.tf; then
		cat >"$work/zz_required_providers.tf" <<'HCL'
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
HCL
	fi
	if ! (cd "$work" && terraform validate -no-color); then
		failed+=("$rel")
	fi
done < <(find ./examples -type f -name '*.tf' -printf '%h\n' | sort -u)

[[ $count -gt 0 ]] || die "no example directories found under examples/"
if [[ ${#failed[@]} -gt 0 ]]; then
	die "terraform validate failed in: ${failed[*]}"
fi
echo "examples-check: ok (${count} directories, ${#skipped[@]} skipped) wall=$(elapsed "$start")s"
