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
runs=0
skipped=()
# Actions (action blocks, action_trigger) need Terraform 1.14 and import
# blocks by identity 1.12; an older CLI cannot validate those examples, so
# they are skipped there (CI runs 1.11; `make examples-check` with a newer
# terraform on PATH validates them all).
tf_version="$(terraform version -json)"
tf_version="${tf_version#*\"terraform_version\": \"}"
tf_version="${tf_version%%\"*}"
at_least() { [[ "$(printf '%s\n' "$1" "$tf_version" | sort -V | head -1)" == "$1" ]]; }

# validate REL WORK FILE...: terraform validate FILEs (with REL's modules) in WORK.
validate() {
	local rel="$1" work="$2"
	shift 2
	runs=$((runs + 1))
	banner "examples-check: terraform validate ${rel}${*:+ (${*##*/})}"
	mkdir -p "$work"
	# Validate a copy so no .terraform/ or lock file lands in examples/.
	cp "$@" "$work"/
	if [[ -d "$dir/modules" ]]; then
		cp -R "$dir/modules" "$work"/
	fi
	# Examples other than provider/ and the guides' roots leave out the
	# required_providers block for brevity; without it Terraform would look
	# for hashicorp/cloudelements.
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
	# dev_overrides spare the provider's installation, not the modules'.
	if grep -qsE '^module "' "$work"/*.tf && ! (cd "$work" && terraform get -no-color >/dev/null); then
		failed+=("$rel")
		return
	fi
	if ! (cd "$work" && terraform validate -no-color); then
		failed+=("$rel")
	fi
}

while IFS= read -r dir; do
	count=$((count + 1))
	rel="${dir#./}"
	if ! at_least 1.14.0 && grep -qsE '^action "|action_trigger' "$dir"/*.tf; then
		echo "examples-check: skipping ${rel}: actions need Terraform 1.14 or later (this is ${tf_version})"
		skipped+=("$rel")
		continue
	fi
	# Each import-by-*.tf is validated on its own with the other files: two
	# import blocks may not name the same resource.
	main=() imports=()
	for f in "$dir"/*.tf; do
		case "${f##*/}" in
		import-by-*.tf) imports+=("$f") ;;
		*) main+=("$f") ;;
		esac
	done
	work="${scratch}/${rel//\//_}"
	validate "$rel" "$work" "${main[@]}"
	for f in "${imports[@]}"; do
		if [[ "$f" == */import-by-identity.tf ]] && ! at_least 1.12.0; then
			echo "examples-check: skipping ${rel}/${f##*/}: import by identity needs Terraform 1.12 or later (this is ${tf_version})"
			skipped+=("$rel/${f##*/}")
			continue
		fi
		validate "$rel" "${work}_${f##*/}" "${main[@]}" "$f"
	done
done < <(find ./examples -type f -name '*.tf' -printf '%h\n' | sort -u)

[[ $count -gt 0 ]] || die "no example directories found under examples/"
if [[ ${#failed[@]} -gt 0 ]]; then
	die "terraform validate failed in: ${failed[*]}"
fi
echo "examples-check: ok (${count} directories, ${runs} validate runs, ${#skipped[@]} skipped) wall=$(elapsed "$start")s"
