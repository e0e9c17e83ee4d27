package validate

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// WriteOnlyPair checks a value offered both as a plain attribute and as a
// write-only one with its version attribute (all three at the root): at most
// one of plain and writeOnly, and version exactly when writeOnly is set.
// help says where the value comes from; it follows the "both set" error.
// Whether a value is needed at all is for the plan to decide, not this.
func WriteOnlyPair(plain, writeOnly, version, help string) resource.ConfigValidator {
	return writeOnlyPair{plain: plain, writeOnly: writeOnly, version: version, help: help}
}

type writeOnlyPair struct{ plain, writeOnly, version, help string }

func (v writeOnlyPair) Description(context.Context) string {
	return fmt.Sprintf("at most one of %s and %s; %s with %s", v.plain, v.writeOnly, v.version, v.writeOnly)
}

func (v writeOnlyPair) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (v writeOnlyPair) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var plain, writeOnly, version attr.Value
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.plain), &plain)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.writeOnly), &writeOnly)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root(v.version), &version)...)
	if resp.Diagnostics.HasError() || plain.IsUnknown() || writeOnly.IsUnknown() {
		return // decided once the values are known
	}
	switch {
	case !plain.IsNull() && !writeOnly.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(v.writeOnly),
			fmt.Sprintf("Both %s and %s are set", v.plain, v.writeOnly), v.help)
	case !writeOnly.IsNull() && version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(v.version), "Missing "+v.version,
			fmt.Sprintf("%s needs %s, a number: Terraform cannot see a write-only value change, "+
				"so a new version is what sends a new value.", v.writeOnly, v.version))
	case writeOnly.IsNull() && !version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root(v.version), fmt.Sprintf("%s without %s", v.version, v.writeOnly),
			fmt.Sprintf("%s only applies with %s; remove it, or move the value to %s.", v.version, v.writeOnly, v.writeOnly))
	}
}
