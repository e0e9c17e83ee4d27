package guides

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestSchemaJSONMatchesCLI compares the committed schema/providers-schema.json
// (written by internal/schemajson, no CLI involved) with what `terraform
// providers schema -json` prints for the provider built from this source,
// kind by kind: every kind the CLI prints must be the same. Terraform 1.11
// prints no list resources, actions or identities; under 1.14 or later
// (TF_ACC_TERRAFORM_PATH) every kind is compared.
func TestSchemaJSONMatchesCLI(t *testing.T) {
	t.Parallel()
	c := newCLI(t, "", "1.0.0")
	writeFile(t, filepath.Join(c.dir, "main.tf"), `terraform {
  required_providers {
    cloudelements = {
      source = "cloudelements/cloudelements"
    }
  }
}
`)
	printed := providerSchema(t, []byte(c.must("providers", "schema", "-json")))
	committed, err := os.ReadFile("../../schema/providers-schema.json")
	if err != nil {
		t.Fatal(err)
	}
	want := providerSchema(t, committed)
	for kind, got := range printed {
		if !reflect.DeepEqual(got, want[kind]) {
			t.Errorf("%s: terraform %s prints it otherwise than schema/providers-schema.json: internal/schemajson converts it wrongly, or the file is stale (make generate)", kind, c.version)
		}
	}
	for kind := range want {
		if _, ok := printed[kind]; !ok {
			t.Logf("%s: not printed by terraform %s, not compared", kind, c.version)
		}
	}
}

// providerSchema is the cloudelements entry of a providers schema JSON,
// kind by kind, as generic JSON.
func providerSchema(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var doc struct {
		Schemas map[string]map[string]any `json:"provider_schemas"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("providers schema JSON: %v", err)
	}
	p, ok := doc.Schemas["registry.terraform.io/cloudelements/cloudelements"]
	if !ok {
		t.Fatalf("no registry.terraform.io/cloudelements/cloudelements in the providers schema JSON")
	}
	return p
}
