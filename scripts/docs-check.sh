#!/usr/bin/env bash
# docs-check: fail when `make generate` changes anything under docs/,
# examples/ or schema/ (someone forgot to regenerate, to run terraform fmt, or
# to commit the schema after changing it), when an object of the provider's
# schema has no page (or a page without an example, or a resource page without
# its three ways of importing), when the provider page does not name every
# object and guide, and when `tfplugindocs validate` finds a fault in docs/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT_DIR"

: "${TFPLUGINDOCS:?run through make docs-check (it installs the pinned tfplugindocs)}"
: "${SCHEMA_JSON:?run through make docs-check}" "${DOCS_SCHEMA:?run through make docs-check}"

start="$(now_ns)"

banner "docs-check: make generate"
"${MAKE:-make}" --no-print-directory generate

banner "docs-check: git status --porcelain docs examples schema"
changes="$(git status --porcelain --untracked-files=all -- docs examples schema)"
if [[ -n "$changes" ]]; then
	printf '%s\n' "$changes"
	git --no-pager diff --stat -- docs examples schema || true
	die "docs/, examples/ or schema/ differ from what is committed after 'make generate'. Run 'make generate' and commit them (the files above)."
fi
echo "docs/, examples/ and schema/ are up to date"

banner "docs-check: a page for every schema object"
"$ROOT_DIR/scripts/docs-pages.sh" "$SCHEMA_JSON" docs

banner "docs-check: tfplugindocs validate"
"$TFPLUGINDOCS" validate --provider-dir . --provider-name "$PROVIDER_NAME" --providers-schema "$DOCS_SCHEMA"

echo "docs-check: ok $(cat "${WORK_DIR}/docs-pages.txt") wall=$(elapsed "$start")s"
