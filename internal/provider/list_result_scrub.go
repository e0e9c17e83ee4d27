package provider

import (
	"context"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// scrubListResult makes a list result fit to print: `terraform query`
// shows display names raw and `terraform query -json` prints the whole
// resource object, sensitive or not, so a result carries no secret. Every
// sensitive attribute (the token, a signature key, nested ones too) is
// nulled, and so is every plain one holding a secret the client knows (a
// password echoed into a name). (The server cleans every display name; see
// diagCleaner.)
func (g secretGuard) scrubListResult(ctx context.Context, r *list.ListResult) {
	if r.Resource == nil || r.Resource.Raw.IsNull() {
		return
	}
	schema := r.Resource.Schema
	cleaned, withheld := false, false
	raw, err := tftypes.Transform(r.Resource.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 || v.IsNull() {
			return v, nil
		}
		a, aerr := schema.AttributeAtTerraformPath(ctx, p)
		if hidden(a, aerr) {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		if aerr == nil && g.holdsSecret(v) {
			withheld = true
			return tftypes.NewValue(v.Type(), nil), nil
		}
		// terraform query -json prints values raw: a control character or
		// a bidi override in a name would reach the terminal.
		var str string
		if v.Type().Is(tftypes.String) && v.IsKnown() && v.As(&str) == nil {
			if c := stripControls(str); c != str {
				cleaned = true
				return tftypes.NewValue(tftypes.String, c), nil
			}
		}
		return v, nil
	})
	if withheld {
		r.Diagnostics.AddWarning("Secret withheld from a listed value", "A value of this result holds a secret "+
			"this provider knows (a password, an API key, a token); it is left out of the result.")
	}
	if cleaned {
		r.Diagnostics.AddWarning("Control characters removed from a listed value", "A value of this instance holds "+
			"control characters, escape sequences or bidi overrides, which terraform query would print raw; the "+
			"result shows it cleaned, so configuration generated from it renames the instance on the next apply.")
	}
	if err != nil {
		// Never hand on a result that may hold a secret.
		r.Resource = nil
		r.Diagnostics.AddWarning("Result left without its resource", "The listed resource could not be cleared of "+
			"its sensitive values, so it is not shown; import it by its identity.")
		return
	}
	r.Resource.Raw = raw
}

// stripControls drops control characters and bidi controls, which a
// terminal would act on, from a value terraform query prints raw.
func stripControls(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
}
