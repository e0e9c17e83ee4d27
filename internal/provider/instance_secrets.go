package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// rememberSecrets lets the client mask, from this operation's first request
// on, every secret the operation knows: each sensitive or write-only value of
// the given state, plan or configuration (tfsdk.State(req.Plan) converts):
// the token, the API key, the secret configuration, write-only values, the
// signature key. A process that did not send a secret must still mask its
// echo in errors and logs.
func (e *instanceEngine[M]) rememberSecrets(ctx context.Context, sources ...tfsdk.State) {
	for _, src := range sources {
		if src.Schema == nil || src.Raw.IsNull() {
			continue
		}
		_ = tftypes.Walk(src.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
			if len(p.Steps()) == 0 {
				return true, nil
			}
			if !hidden(src.Schema.AttributeAtTerraformPath(ctx, p)) {
				return true, nil // an element, or not secret: look deeper
			}
			e.provider.client.RememberSecrets(stringsIn(v)...)
			return false, nil
		})
	}
}

// hidden reports whether the attribute an AttributeAtTerraformPath call
// found is sensitive or write-only (false when it found none: an element).
func hidden[A interface {
	IsSensitive() bool
	IsWriteOnly() bool
}](a A, err error) bool {
	return err == nil && (a.IsSensitive() || a.IsWriteOnly())
}

// plain reports whether an AttributeAtTerraformPath call found an attribute
// that is neither sensitive nor write-only.
func plain[A interface {
	IsSensitive() bool
	IsWriteOnly() bool
}](a A, err error) bool {
	return err == nil && !a.IsSensitive() && !a.IsWriteOnly()
}

// stringsIn lists every known string in v, at any depth.
func stringsIn(v tftypes.Value) []string {
	var out []string
	_ = tftypes.Walk(v, func(_ *tftypes.AttributePath, leaf tftypes.Value) (bool, error) {
		var s string
		if leaf.IsKnown() && !leaf.IsNull() && leaf.Type().Is(tftypes.String) && leaf.As(&s) == nil {
			out = append(out, s)
		}
		return true, nil
	})
	return out
}

// guardSecrets keeps every secret the client knows out of the non-sensitive
// attributes of st, the state an operation is about to return: an answered
// value holding one (an API key answered as the subdomain, a signature key
// in the callback URL, a secret configuration value under a plain key) is
// replaced by the value prior held at the same place (the plan, or the
// state before a refresh), or null when it held none, with a warning that
// names the attribute, never the value. Call it deferred, first thing.
func (e *instanceEngine[M]) guardSecrets(ctx context.Context, st *tfsdk.State, prior tftypes.Value, diags *diag.Diagnostics) {
	if st.Raw.IsNull() || !st.Raw.IsKnown() || e.provider == nil || e.provider.client == nil {
		return
	}
	client := e.provider.client
	raw, err := tftypes.Transform(st.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if len(p.Steps()) == 0 || v.IsNull() || v.Type().Is(tftypes.Object{}) {
			return v, nil // an object's attributes are checked one by one
		}
		if !plain(st.Schema.AttributeAtTerraformPath(ctx, p)) {
			return v, nil // an element (its attribute decides), or kept hidden anyway
		}
		leak := false
		for _, s := range stringsIn(v) {
			if client.ContainsSecret(s) {
				leak = true
				break
			}
		}
		if !leak {
			return v, nil
		}
		keep := tftypes.NewValue(v.Type(), nil)
		if pv, _, err := tftypes.WalkAttributePath(prior, p); err == nil {
			if pval, ok := pv.(tftypes.Value); ok && pval.IsKnown() && pval.Type().Equal(v.Type()) {
				keep = pval
			}
		}
		diags.AddWarning("Platform answered a secret in "+attributeName(p),
			"The platform answered a value for "+attributeName(p)+" that contains a secret this provider knows "+
				"(an API key, a secret configuration value, a signature key or a token). It is not stored or "+
				"shown: state keeps the value it had. Check the instance on the platform.")
		return keep, nil
	})
	if err != nil {
		diags.AddError("Cannot check the answer for secrets", "The state could not be checked for secrets, so it "+
			"was not changed: "+err.Error())
		st.Raw = prior
		return
	}
	st.Raw = raw
}

// attributeName renders an attribute path as Terraform writes it.
func attributeName(p *tftypes.AttributePath) string {
	out := ""
	for _, s := range p.Steps() {
		switch step := s.(type) {
		case tftypes.AttributeName:
			if out != "" {
				out += "."
			}
			out += string(step)
		case tftypes.ElementKeyString:
			out += "[" + strconv.Quote(string(step)) + "]"
		}
	}
	return out
}
