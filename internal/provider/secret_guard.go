package provider

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// secretGuard is the one guard of secrets every asset kind uses (element
// instances, formulas, formula instances, and the kinds to come), keyed by
// what Terraform and the platform declare secret: sensitive and write-only
// attributes, an element's secret keys, a formula's password variables.
//
//   - remember and recall, first thing in every operation, let the client's
//     masker know every secret before the operation's first request: a
//     process that did not send a secret must still mask its echo;
//   - keepOut, deferred, keeps every secret the client knows out of the
//     plain attributes of the state an operation returns, and strips the
//     platform's terminal controls from its strings;
//   - declaredKeys are the keys a formula declares secret, whose values
//     are never read into a plain attribute nor sent back masked.
type secretGuard struct{ client *cloudelements.Client }

// guard is pd's secret guard; a guard without a client does nothing.
func (pd *providerData) guard() secretGuard {
	if pd == nil {
		return secretGuard{}
	}
	return secretGuard{client: pd.client}
}

// remember gives the masker each sensitive or write-only value of the given
// state, plan or configuration (tfsdk.State(req.Plan) converts): a token, an
// API key, secret configuration, write-only values, a signature key.
func (g secretGuard) remember(ctx context.Context, sources ...tfsdk.State) {
	if g.client == nil {
		return
	}
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
			g.client.RememberSecrets(stringsIn(v)...)
			return false, nil
		})
	}
}

// privateFingerprints is the private state key holding the fingerprints
// (Client.Fingerprint: keyed, never a plain hash) of the write-only values
// last sent, so that a later run, which never sees them, still knows them
// when the platform echoes them.
const privateFingerprints = "secret_fingerprints"

// keepPrints records in private the fingerprints of config's write-only
// values (Create and Update).
func (g secretGuard) keepPrints(ctx context.Context, config tfsdk.Config, private privateSetter) diag.Diagnostics {
	if g.client == nil || config.Schema == nil || config.Raw.IsNull() {
		return nil
	}
	prints := []string{}
	_ = tftypes.Walk(config.Raw, func(p *tftypes.AttributePath, v tftypes.Value) (bool, error) {
		if len(p.Steps()) == 0 {
			return true, nil
		}
		if a, err := config.Schema.AttributeAtTerraformPath(ctx, p); err != nil || !a.IsWriteOnly() {
			return true, nil //nolint:nilerr // no attribute here (an element), or not write-only: look deeper
		}
		for _, s := range stringsIn(v) {
			prints = append(prints, g.client.Fingerprint(s))
		}
		return false, nil
	})
	raw, _ := json.Marshal(prints)
	return private.SetKey(ctx, privateFingerprints, raw)
}

// recall gives the client the fingerprints kept in private state, and the
// masker the sensitive values of st: call it before an operation's first
// request.
func (g secretGuard) recall(ctx context.Context, private privateGetter, st ...tfsdk.State) {
	if g.client == nil {
		return
	}
	g.remember(ctx, st...)
	if private == nil {
		return
	}
	raw, _ := private.GetKey(ctx, privateFingerprints)
	var prints []string
	if len(raw) > 0 && json.Unmarshal(raw, &prints) == nil {
		g.client.RememberFingerprints(prints...)
	}
}

// declaredKeys are the keys formula formulaID declares secret (its password
// variables), read once a run; the client masks their values from then on.
func (g secretGuard) declaredKeys(ctx context.Context, formulaID int64) (map[string]bool, error) {
	if g.client == nil {
		return map[string]bool{}, nil
	}
	return g.client.FormulaSecretKeys(ctx, formulaID)
}

// learnDeclared masks, from now on, fi's values under the keys its formula
// declares secret, and returns those keys: for an instance listed, or read
// from a listing, before its formula was known.
func (g secretGuard) learnDeclared(ctx context.Context, fi *cloudelements.FormulaInstance) (map[string]bool, error) {
	if g.client == nil {
		return map[string]bool{}, nil
	}
	return g.client.LearnFormulaInstance(ctx, fi)
}

// learnFormulaInstance reads formula instance id of formula formulaID to
// mask its declared secrets (an action that never sent them, before the
// platform's messages can quote them). Failing, it masks nothing: the
// action's own request reports the error.
func (g secretGuard) learnFormulaInstance(ctx context.Context, formulaID, id int64) {
	if g.client == nil {
		return
	}
	if fi, err := g.client.GetFormulaInstance(ctx, formulaID, id); err == nil {
		_, _ = g.learnDeclared(ctx, fi)
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
		case tftypes.ElementKeyInt:
			out += "[" + strconv.FormatInt(int64(step), 10) + "]"
		}
	}
	return out
}
