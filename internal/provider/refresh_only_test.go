package provider

import (
	"strings"
	"testing"
)

// TestAccCLI_refreshOnlyExitCode runs what a drift-detection job runs,
// terraform plan -refresh-only -detailed-exitcode, on unchanged instances of
// both resources (the key from a sensitive variable): it must exit 0 with
// "No changes", every time.
func TestAccCLI_refreshOnlyExitCode(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	// Before 1.15 Terraform decides whether a refresh-only plan changes
	// anything by comparing in-memory state objects with reflect.DeepEqual
	// (sensitive paths in map-walk order, decode caches): it exits 2 with
	// no change, at random for a terraform_data holding several sensitive
	// values and every time for these resources, even when ReadResource
	// returns the prior state byte for byte. 1.15 compares what is stored.
	d := newCLIDir(t, cliOptions{minVersion: "1.15.0", why: ": it reports refresh-only plans of unchanged resources as changes (exit 2)"})
	d.write(`terraform {
  required_providers {
    cloudelements = { source = "cloudelements/cloudelements" }
  }
}
` + env.provider() + `
variable "api_key" {
  type      = string
  sensitive = true
  default   = "fd-api-key-0001"
}

resource "cloudelements_freshdesk_instance" "typed" {
  name      = "drift-typed"
  subdomain = "drifttyped"
  api_key   = var.api_key
  tags      = ["ci"]
}

resource "cloudelements_instance" "generic" {
  element_key          = "freshdeskv2"
  name                 = "drift-generic"
  configuration        = { subdomain = "driftgeneric" }
  secret_configuration = { username = var.api_key }
}
`)
	d.must("init")
	d.must("apply", "-auto-approve")
	var codes []int
	bad := ""
	for range 5 {
		code, out := d.run("plan", "-refresh-only", "-detailed-exitcode")
		codes = append(codes, code)
		if code != 0 || !strings.Contains(out, "No changes") {
			bad = out
		}
	}
	if bad != "" {
		t.Fatalf("plan -refresh-only -detailed-exitcode exited %v, want 0 each time:\n%s", codes, bad)
	}
}
