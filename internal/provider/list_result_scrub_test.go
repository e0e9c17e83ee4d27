package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Issue 19 items 5 and 6: a list result carries no sensitive value, and
// display names reach the terminal cleaned.
func TestScrubListResult(t *testing.T) {
	ctx := context.Background()
	var sr resource.SchemaResponse
	NewFreshdeskInstanceResource().Schema(ctx, resource.SchemaRequest{}, &sr)
	r := tfsdk.Resource{Schema: sr.Schema, Raw: tftypes.NewValue(sr.Schema.Type().TerraformType(ctx), nil)}
	for attr, v := range map[string]string{"token": "tok-SECRET", "name": "desk", "id": "1017"} {
		if d := r.SetAttribute(ctx, path.Root(attr), v); d.HasError() {
			t.Fatal(d)
		}
	}
	res := list.ListResult{Resource: &r, DisplayName: "x"}
	secretGuard{}.scrubListResult(ctx, &res)
	var tok types.String
	var name nameValue
	if d := res.Resource.GetAttribute(ctx, path.Root("token"), &tok); d.HasError() {
		t.Fatal(d)
	}
	if d := res.Resource.GetAttribute(ctx, path.Root("name"), &name); d.HasError() {
		t.Fatal(d)
	}
	if !tok.IsNull() || name.ValueString() != "desk" {
		t.Errorf("token %s, name %s after scrubbing; want null and desk", tok, name)
	}
	if got := cleanName(nil, "desk\x1b]0;pwned\x07\x1b[2J\r\u202eforged\nline"); got != "desk forged line" {
		t.Errorf("display name cleaned to %q", got)
	}
}
