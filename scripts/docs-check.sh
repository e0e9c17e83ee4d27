#!/usr/bin/env bash
# docs-check: fail when `make generate` changes anything under docs/ or
# examples/ (someone forgot to regenerate or to run terraform fmt), and when
# `tfplugindocs validate` finds a fault in docs/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

: "${TFPLUGINDOCS:?run through make docs-check (it installs the pinned tfplugindocs)}"

start="$(now_ns)"

banner "docs-check: make generate"
"${MAKE:-make}" --no-print-directory generate

banner "docs-check: git status --porcelain docs examples"
changes="$(git status --porcelain --untracked-files=all -- docs examples)"
if [[ -n "$changes" ]]; then
	printf '%s\n' "$changes"
	git --no-pager diff --stat -- docs examples || true
	die "docs/ or examples/ differ from what is committed after 'make generate'. Run 'make generate' and commit docs/ and examples/ (the files above)."
fi
echo "docs/ and examples/ are up to date"

banner "docs-check: tfplugindocs validate"
"$TFPLUGINDOCS" validate --provider-dir . --provider-name "$PROVIDER_NAME"

echo "docs-check: ok wall=$(elapsed "$start")s"
