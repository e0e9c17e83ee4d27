#!/usr/bin/env bash
# release-check: validate .goreleaser.yml, build a snapshot of the current
# platform exactly as a release would (no signing, no publishing), then prove
# the built binary starts and serves its schema to Terraform.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

: "${GORELEASER:?run through make release-check (it installs the pinned goreleaser)}"
command -v jq >/dev/null || die "jq is required (apt-get install jq)"

start="$(now_ns)"

banner "release-check: goreleaser check"
"$GORELEASER" check

banner "release-check: goreleaser build --snapshot --clean --single-target"
"$GORELEASER" build --snapshot --clean --single-target

# goreleaser names the binary terraform-provider-cloudelements_v<version>;
# find it through dist/artifacts.json rather than guessing the directory.
built="$(jq -r '[.[] | select(.type == "Binary")][0].path // empty' dist/artifacts.json)"
[[ -n "$built" && -x "$built" ]] || die "no binary found in dist/artifacts.json"
echo "built: ${built}"
case "$(basename "$built")" in
	"${BINARY}"_v*) ;;
	*) die "binary is named $(basename "$built"), the registry expects ${BINARY}_v<version>" ;;
esac

scratch="${WORK_DIR}/release-check"
rm -rf "$scratch"
mkdir -p "$scratch/plugin" "$scratch/config"
cp "$built" "$scratch/plugin/${BINARY}"

export TF_CLI_CONFIG_FILE="${scratch}/terraformrc"
write_dev_overrides "$TF_CLI_CONFIG_FILE" "${scratch}/plugin"
export TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
cat >"$scratch/config/main.tf" <<'HCL'
terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
HCL

banner "release-check: terraform providers schema -json (snapshot binary via dev_overrides)"
(cd "$scratch/config" && terraform providers schema -json) >"$scratch/schema.json"
jq -r --arg p "$PROVIDER_ADDRESS" '
	.provider_schemas[$p] as $s
	| "provider attributes: \($s.provider.block.attributes | keys | join(", "))",
	  "resources:           \(($s.resource_schemas // {}) | keys | join(", "))",
	  "data sources:        \(($s.data_source_schemas // {}) | keys | join(", "))",
	  "ephemeral resources: \(($s.ephemeral_resource_schemas // {}) | keys | join(", "))"
' "$scratch/schema.json"
if ! jq -e --arg p "$PROVIDER_ADDRESS" \
	'.provider_schemas[$p].resource_schemas | has("cloudelements_freshdesk_instance")' \
	"$scratch/schema.json" >/dev/null; then
	die "the snapshot binary's schema does not list cloudelements_freshdesk_instance (see ${scratch}/schema.json)"
fi

echo "release-check: ok wall=$(elapsed "$start")s"
