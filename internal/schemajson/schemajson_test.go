package schemajson_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/schemajson"
)

// Address is the provider's registry address, the key Terraform prints.
const Address = "registry.terraform.io/cloudelements/cloudelements"

// Committed is the schema JSON the docs are generated from.
const Committed = "../../schema/providers-schema.json"

var update = flag.Bool("update", false, "rewrite "+Committed+" from the provider's schema")

// TestSchemaJSON proves the committed schema JSON is what the provider
// serves: the docs generated from it then document the provider as built.
// `go test ./internal/schemajson -run TestSchemaJSON -update` (or `make
// generate`) rewrites it.
func TestSchemaJSON(t *testing.T) {
	got := served(t)
	if *update {
		if err := os.WriteFile(Committed, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(Committed)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the provider's schema: run `make generate` (or go test ./internal/schemajson -run TestSchemaJSON -update) and commit it with docs/", Committed)
	}
}

func served(t *testing.T) []byte {
	t.Helper()
	schemas, err := schemajson.FromServer(context.Background(), provider.ProtocolServer(provider.New("test")()), Address)
	if err != nil {
		t.Fatal(err)
	}
	b, err := schemajson.Marshal(schemas)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
