package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// keepOut makes st, the state (or data source result) an operation is about
// to return, fit to keep and show, for every asset kind:
//
//   - a non-sensitive attribute holding a secret the client knows (an API
//     key answered as the subdomain, a password echoed into a name, a
//     write-only value recognised by its fingerprint) is replaced by the
//     value prior holds at the same place (the plan, the state before a
//     refresh, the configuration), or null, with a warning naming the
//     attribute, never the value;
//   - a plain string holding terminal controls (escape sequences, control
//     characters, bidi controls; newlines and tabs are kept), which
//     Terraform prints raw in heredoc lines, is stripped of them with a
//     warning, unless prior holds the same value (the configuration's own).
//
// Call it deferred, first thing, so that no return path skips it.
func (g secretGuard) keepOut(ctx context.Context, st *tfsdk.State, prior tftypes.Value, diags *diag.Diagnostics) {
	if st.Raw.IsNull() || !st.Raw.IsKnown() || st.Schema == nil {
		return
	}
	var stripped []string
	raw, err := tftypes.Transform(st.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 || v.IsNull() || ofObjects(v.Type()) {
			return v, nil // an object's attributes are checked one by one
		}
		if !plain(st.Schema.AttributeAtTerraformPath(ctx, p)) {
			return v, nil // an element (its attribute decides), or kept hidden anyway
		}
		if g.holdsSecret(v) {
			diags.AddWarning("Platform answered a secret in "+attributeName(p),
				"The platform answered a value for "+attributeName(p)+" that contains a secret this provider knows "+
					"(an API key, a password, a secret configuration value, a signature key or a token). It is not "+
					"stored or shown: state keeps the value it had. Check the asset on the platform.")
			return priorAt(prior, p, v.Type()), nil
		}
		clean, err := stripTerminalControls(v, p, prior)
		if err == nil && !clean.Equal(v) {
			stripped = append(stripped, attributeName(p))
		}
		return clean, err
	})
	if err != nil {
		diags.AddError("Cannot check the answer for secrets", "The state could not be checked for secrets, so it "+
			"was not changed: "+err.Error())
		st.Raw = prior
		return
	}
	for _, name := range stripped {
		diags.AddWarning("Terminal control characters removed from "+name,
			"The platform answered a value for "+name+" holding escape sequences, control characters or "+
				"bidirectional overrides, which a terminal would act on when Terraform shows it. They were removed "+
				"(newlines and tabs are kept); if the configuration sets this value, the next plan restores it.")
	}
	st.Raw = raw
}

// holdsSecret reports whether a string of v, the value of one attribute,
// holds a secret the client knows.
func (g secretGuard) holdsSecret(v tftypes.Value) bool {
	if g.client == nil || ofObjects(v.Type()) {
		return false
	}
	for _, s := range stringsIn(v) {
		if g.client.ContainsSecret(s) {
			return true
		}
	}
	return false
}

// ofObjects reports whether t is an object or a collection of them: a
// nested attribute, whose attributes are checked one by one (some may be
// sensitive), not as a whole.
func ofObjects(t tftypes.Type) bool {
	switch c := t.(type) {
	case tftypes.Object:
		return true
	case tftypes.List:
		return ofObjects(c.ElementType)
	case tftypes.Set:
		return ofObjects(c.ElementType)
	case tftypes.Map:
		return ofObjects(c.ElementType)
	}
	return false
}

// priorAt is the value prior holds at p when it is known and of type t,
// else a null of t.
func priorAt(prior tftypes.Value, p *tftypes.AttributePath, t tftypes.Type) tftypes.Value {
	if pv, _, err := tftypes.WalkAttributePath(prior, p); err == nil {
		if pval, ok := pv.(tftypes.Value); ok && pval.IsKnown() && pval.Type().Equal(t) {
			return pval
		}
	}
	return tftypes.NewValue(t, nil)
}

// stripTerminalControls strips every string in v (the attribute at p) of
// terminal controls, except a string prior holds at the same place.
func stripTerminalControls(v tftypes.Value, p *tftypes.AttributePath, prior tftypes.Value) (tftypes.Value, error) {
	return tftypes.Transform(v, func(rel *tftypes.AttributePath, leaf tftypes.Value) (tftypes.Value, error) {
		var s string
		if !leaf.Type().Is(tftypes.String) || !leaf.IsKnown() || leaf.IsNull() || leaf.As(&s) != nil {
			return leaf, nil //nolint:nilerr // not a known string: nothing to strip
		}
		clean := cloudelements.StripTerminalControls(s)
		if clean == s {
			return leaf, nil
		}
		at := tftypes.NewAttributePathWithSteps(append(append([]tftypes.AttributePathStep(nil), p.Steps()...), rel.Steps()...))
		if was := priorAt(prior, at, tftypes.String); !was.IsNull() && was.Equal(leaf) {
			return leaf, nil // the configuration's own value
		}
		return tftypes.NewValue(tftypes.String, clean), nil
	})
}
