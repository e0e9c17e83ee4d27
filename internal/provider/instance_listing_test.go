package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// TestInstanceLister_streamsWithLiveContext: Terraform consumes a list
// resource's results after List returns; each result is read under a
// context that is still live then (issue 18 item 14: it was cancelled as
// soon as the listing returned).
func TestInstanceLister_streamsWithLiveContext(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	importSeed(env.emu, "desk one")
	importSeed(env.emu, "desk two")
	client, err := cloudelements.New(cloudelements.Config{
		BaseURL: env.baseURL, UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var live, dead int
	l, ok := NewFreshdeskInstanceListResource().(*freshdeskInstanceListResource)
	if !ok {
		t.Fatal("not a *freshdeskInstanceListResource")
	}
	l.provider = &providerData{client: client, baseURL: env.baseURL}
	l.readBack = func(ctx context.Context, _ *cloudelements.Instance, _ *freshdeskInstanceModel) diag.Diagnostics {
		if ctx.Err() != nil {
			dead++
		} else {
			live++
		}
		return nil
	}

	var schemaResp list.ListResourceSchemaResponse
	l.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &schemaResp)
	configType, ok := schemaResp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		t.Fatal("the list block's type is not an object")
	}
	nulls := map[string]tftypes.Value{}
	for name, typ := range configType.AttributeTypes {
		nulls[name] = tftypes.NewValue(typ, nil)
	}
	req := list.ListRequest{
		Config:                 tfsdk.Config{Schema: schemaResp.Schema, Raw: tftypes.NewValue(configType, nulls)},
		IncludeResource:        true,
		ResourceSchema:         FreshdeskInstanceSchema(ctx),
		ResourceIdentitySchema: instanceIdentitySchema(),
	}
	var stream list.ListResultsStream
	l.List(ctx, req, &stream)
	results := 0
	for r := range stream.Results {
		if r.Diagnostics.HasError() {
			for _, d := range r.Diagnostics {
				t.Errorf("result: %s: %s", d.Summary(), d.Detail())
			}
			t.FailNow()
		}
		results++
	}
	if results != 2 || live != 2 || dead != 0 {
		t.Fatalf("results=%d read with a live context=%d, with a cancelled one=%d; want 2, 2, 0", results, live, dead)
	}
}
