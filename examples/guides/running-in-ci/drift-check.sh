#!/usr/bin/env bash
# drift-check.sh: a scheduled drift-detection job that holds on every
# Terraform version. Run it where `terraform plan` runs (after terraform init).
# Exits 0 when the platform still holds what the state says, 2 on drift (alert;
# do not apply automatically), 1 when the plan fails.
#
# Why not `terraform plan -refresh-only -detailed-exitcode`: before Terraform
# 1.15 it exits 2 with "No changes" when a resource has several sensitive
# values (a Terraform defect: it compares the order of the sensitive paths,
# not the values). This job counts what Terraform reports as drift instead.
set -euo pipefail

stream="$(mktemp)"
trap 'rm -f "$stream"' EXIT

rc=0
terraform plan -refresh-only -json -input=false -lock=false >"$stream" || rc=$?
if [[ $rc -ne 0 ]]; then
	jq -r 'select(.type == "diagnostic") | "\(.diagnostic.severity): \(.diagnostic.summary): \(.diagnostic.detail)"' "$stream" >&2 || cat "$stream" >&2
	echo "drift-check: the plan failed (exit $rc)" >&2
	exit 1
fi

# resource_drift: an object changed outside Terraform (or was deleted);
# outputs whose action is not "noop": a value a refresh would change.
drifted="$(jq -r 'select(.type == "resource_drift") | .["@message"]' "$stream")"
outputs="$(jq -r 'select(.type == "outputs") | .outputs | to_entries[] | select(.value.action != "noop") | "output \(.key): \(.value.action)"' "$stream")"
if [[ -z "$drifted" && -z "$outputs" ]]; then
	echo "drift-check: no drift"
	exit 0
fi
printf '%s\n' "$drifted" "$outputs" | sed '/^$/d'
echo "drift-check: drift found; the changes:"
terraform plan -refresh-only -input=false -lock=false -no-color || true
exit 2
