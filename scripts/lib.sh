# shellcheck shell=bash
# Shared helpers for the scripts in this directory. Source it; do not run it.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROVIDER_ADDRESS="registry.terraform.io/cloudelements/cloudelements"
: "${BINARY:=terraform-provider-cloudelements}"
: "${WORK_DIR:=${ROOT_DIR}/.work}"
: "${BIN_DIR:=${ROOT_DIR}/bin}"

# banner TEXT... prints a visible step header.
banner() {
	printf '\n\033[1;36m==> %s\033[0m\n' "$*"
}

# die TEXT... prints an error and exits 1.
die() {
	printf '\033[1;31merror:\033[0m %s\n' "$*" >&2
	exit 1
}

# write_dev_overrides FILE DIR writes a Terraform CLI configuration that serves
# this provider from DIR (which must hold terraform-provider-cloudelements).
# Every other provider installs as usual (direct), though our examples use none.
write_dev_overrides() {
	local file="$1" dir="$2"
	mkdir -p "$(dirname "$file")"
	cat >"$file" <<HCL
provider_installation {
  dev_overrides {
    "${PROVIDER_ADDRESS}" = "${dir}"
  }
  direct {}
}
HCL
}

# now_ns prints a monotonic-enough timestamp in nanoseconds.
now_ns() {
	date +%s%N
}

# elapsed START_NS prints seconds since START_NS with one decimal.
elapsed() {
	local start="$1" end
	end="$(now_ns)"
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", (e - s) / 1e9 }'
}
