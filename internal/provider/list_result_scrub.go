package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// scrubListResult makes a list result fit to print: `terraform query`
// shows display names raw and `terraform query -json` prints the whole
// resource object, sensitive or not, so a result carries no secret. Every
// sensitive attribute (the token, a signature key, nested ones too) is
// nulled. (The server cleans every display name; see diagCleaner.)
func scrubListResult(ctx context.Context, r *list.ListResult) {
	if r.Resource == nil || r.Resource.Raw.IsNull() {
		return
	}
	schema := r.Resource.Schema
	raw, err := tftypes.Transform(r.Resource.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 || v.IsNull() {
			return v, nil
		}
		if !hidden(schema.AttributeAtTerraformPath(ctx, p)) {
			return v, nil // a map or list element, or not sensitive
		}
		return tftypes.NewValue(v.Type(), nil), nil
	})
	if err != nil {
		// Never hand on a result that may hold a secret.
		r.Resource = nil
		r.Diagnostics.AddWarning("Result left without its resource", "The listed resource could not be cleared of "+
			"its sensitive values, so it is not shown; import it by its identity.")
		return
	}
	r.Resource.Raw = raw
}
