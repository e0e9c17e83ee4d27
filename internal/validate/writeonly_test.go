package validate

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// pairConfig is a configuration of the three pair attributes; a nil value
// is null, and the attribute types are those of the values given.
func pairConfig(t *testing.T, plain, writeOnly attr.Value, version attr.Value) tfsdk.Config {
	t.Helper()
	ctx := context.Background()
	attrOf := func(v attr.Value, wo bool) schema.Attribute {
		switch v.Type(ctx) {
		case types.StringType:
			return schema.StringAttribute{Optional: true, WriteOnly: wo}
		case types.Int64Type:
			return schema.Int64Attribute{Optional: true}
		}
		return schema.MapAttribute{ElementType: types.StringType, Optional: true, WriteOnly: wo}
	}
	s := schema.Schema{Attributes: map[string]schema.Attribute{
		"plain": attrOf(plain, false), "plain_wo": attrOf(writeOnly, true), "plain_wo_version": attrOf(version, false),
	}}
	raw := map[string]tftypes.Value{}
	for name, v := range map[string]attr.Value{"plain": plain, "plain_wo": writeOnly, "plain_wo_version": version} {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		raw[name] = tv
	}
	return tfsdk.Config{Schema: s, Raw: tftypes.NewValue(s.Type().TerraformType(ctx), raw)}
}

// TestWriteOnlyPair: at most one of the pair, the version exactly with the
// write-only attribute, decided only once the values are known.
func TestWriteOnlyPair(t *testing.T) {
	const help = "Set exactly one of plain and plain_wo."
	noStr, noInt := types.StringNull(), types.Int64Null()
	key, one := types.StringValue("k"), types.Int64Value(1)
	secrets := types.MapValueMust(types.StringType, map[string]attr.Value{"password": key})
	for _, tc := range []struct {
		name                      string
		plain, writeOnly, version attr.Value
		at, summary, detail       string
	}{
		{name: "none", plain: noStr, writeOnly: noStr, version: noInt},
		{name: "plain", plain: key, writeOnly: noStr, version: noInt},
		{name: "write-only with version", plain: noStr, writeOnly: key, version: one},
		{name: "plain unknown", plain: types.StringUnknown(), writeOnly: key, version: noInt},
		{name: "write-only unknown", plain: key, writeOnly: types.StringUnknown(), version: one},
		{name: "version unknown", plain: noStr, writeOnly: key, version: types.Int64Unknown()},
		{name: "both", plain: key, writeOnly: key, version: one,
			at: "plain_wo", summary: "Both plain and plain_wo are set", detail: help},
		{name: "both maps", plain: secrets, writeOnly: secrets, version: one,
			at: "plain_wo", summary: "Both plain and plain_wo are set", detail: help},
		{name: "write-only without version", plain: noStr, writeOnly: key, version: noInt,
			at: "plain_wo_version", summary: "Missing plain_wo_version",
			detail: "plain_wo needs plain_wo_version, a number: Terraform cannot see a write-only value change, " +
				"so a new version is what sends a new value."},
		{name: "version without write-only", plain: key, writeOnly: noStr, version: one,
			at: "plain_wo_version", summary: "plain_wo_version without plain_wo",
			detail: "plain_wo_version only applies with plain_wo; remove it, or move the value to plain_wo."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp := &resource.ValidateConfigResponse{}
			WriteOnlyPair("plain", "plain_wo", "plain_wo_version", help).ValidateResource(context.Background(),
				resource.ValidateConfigRequest{Config: pairConfig(t, tc.plain, tc.writeOnly, tc.version)}, resp)
			if tc.summary == "" {
				if len(resp.Diagnostics) != 0 {
					t.Fatalf("refused: %v", resp.Diagnostics)
				}
				return
			}
			if len(resp.Diagnostics) != 1 || !resp.Diagnostics.HasError() {
				t.Fatalf("want one error, got %v", resp.Diagnostics)
			}
			d := resp.Diagnostics[0]
			wp, ok := d.(interface{ Path() path.Path })
			if !ok || !wp.Path().Equal(path.Root(tc.at)) || d.Summary() != tc.summary || d.Detail() != tc.detail {
				t.Errorf("got %#v\nwant at %s: %s: %s", d, tc.at, tc.summary, tc.detail)
			}
		})
	}
}
