// Package planmodify holds the provider's shared plan modifiers. Values
// compared by meaning are not here: their types' semantic equality does
// that (internal/provider/meaning.go).
package planmodify

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
)

// RequiresReplaceIfStateSet replaces the resource when the value changes,
// except when the state has none: an imported resource whose value the
// platform does not report adopts the configured one instead of being
// replaced. description says what a change does.
func RequiresReplaceIfStateSet(description string) planmodifier.String {
	return stringplanmodifier.RequiresReplaceIf(
		func(_ context.Context, req planmodifier.StringRequest, resp *stringplanmodifier.RequiresReplaceIfFuncResponse) {
			resp.RequiresReplace = !req.StateValue.IsNull()
		}, description, description)
}
