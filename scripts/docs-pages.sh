#!/usr/bin/env bash
# docs-pages SCHEMA_JSON DOCS_DIR: every object of the provider's schema (in
# the `terraform providers schema -json` format) has its page under DOCS_DIR,
# with an example; every resource page shows the three ways of importing (an
# import block by id, one by identity, the terraform import command); the
# provider page names every object and links every guide. Prints
# "pages=N/N (...)" and writes it to $WORK_DIR/docs-pages.txt for docs-check.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

schema="${1:?usage: docs-pages.sh SCHEMA_JSON DOCS_DIR}" docs="${2:?usage: docs-pages.sh SCHEMA_JSON DOCS_DIR}"
prefix="${PROVIDER_NAME:-cloudelements}_"
problems=()
total=0 found=0 detail=()

# kind: the schema's key, the docs directory and how a page names an example.
for kind in resource_schemas:resources data_source_schemas:data-sources \
	ephemeral_resource_schemas:ephemeral-resources list_resource_schemas:list-resources \
	action_schemas:actions functions:functions; do
	key="${kind%%:*}" dir="${kind#*:}"
	n=0
	while IFS= read -r name; do
		[[ -n "$name" ]] || continue
		n=$((n + 1)) total=$((total + 1))
		page="${docs}/${dir}/${name#"$prefix"}.md"
		if [[ ! -f "$page" ]]; then
			problems+=("${name} (${dir}): no page ${page}")
			continue
		fi
		found=$((found + 1))
		grep -q '^## Example Usage' "$page" || problems+=("${page}: no example (add one under examples/${dir}/${name}/)")
		if [[ "$dir" == resources ]]; then
			grep -q 'identity = {' "$page" || problems+=("${page}: no import by identity (examples/resources/${name}/import-by-identity.tf)")
			grep -qE '^  id += ' "$page" || problems+=("${page}: no import block by id (examples/resources/${name}/import-by-string-id.tf)")
			grep -q "terraform import ${name}" "$page" || problems+=("${page}: no terraform import command (examples/resources/${name}/import.sh)")
		fi
		mention="$name"
		[[ "$dir" == functions ]] && mention="provider::${prefix%_}::${name}"
		grep -qF "\`${mention}\`" "${docs}/index.md" || problems+=("${docs}/index.md does not name ${mention} (${dir}): add it to templates/index.md.tmpl")
	done < <(jq -r ".provider_schemas[] | .${key} // {} | keys[]" "$schema")
	detail+=("${dir}=${n}")
done

guides=0
for g in "${docs}"/guides/*.md; do
	[[ -f "$g" ]] || continue
	guides=$((guides + 1))
	grep -qF "(guides/${g##*/})" "${docs}/index.md" || problems+=("${docs}/index.md does not link the guide ${g##*/}: add it to templates/index.md.tmpl")
done

line="pages=${found}/${total} (${detail[*]}) guides=${guides}"
echo "docs-pages: ${line}"
if [[ ${#problems[@]} -gt 0 ]]; then
	printf '  %s\n' "${problems[@]}" >&2
	die "docs-pages: ${#problems[@]} problem(s) above"
fi
mkdir -p "$WORK_DIR"
echo "$line" >"${WORK_DIR}/docs-pages.txt"
