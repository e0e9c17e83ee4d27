package provider

// What the element's own definition says about a planned instance of it,
// checked at plan time with the one lookup of the element per run that
// tells whether its key exists (GET /elements/{key}, cached by the client).

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// elementKeyed is a profile whose element key comes from configuration.
type elementKeyed[M any] interface {
	elementKey(m *M) types.String
	// givenKeys are the configuration keys a create sends with a value
	// (set and not empty); known is false while that cannot be told.
	givenKeys(ctx context.Context, plan, config *M) (keys map[string]bool, known bool)
}

// checkElement refuses at plan time what creating the instance would fail
// on: an element key the platform does not know (with the closest key it
// knows), and, for a create, a configuration key the element's definition
// requires and the configuration does not set. A key already in state is
// known to exist, and an existing instance is not checked again; a failed
// lookup only warns.
func (e *instanceEngine[M]) checkElement(ctx context.Context, state tfsdk.State, plan, config *M) diag.Diagnostics {
	ek, ok := any(e.profile).(elementKeyed[M])
	if !ok || e.provider == nil {
		return nil
	}
	key := ek.elementKey(plan)
	if key.IsNull() || key.IsUnknown() {
		return nil
	}
	var prior types.String
	if !state.Raw.IsNull() {
		if d := state.GetAttribute(ctx, path.Root("element_key"), &prior); d.HasError() {
			return d
		}
	}
	if strings.EqualFold(prior.ValueString(), key.ValueString()) {
		return nil
	}
	// Created, or replaced for another element; an import that learnt no
	// key adopts the configured one and creates nothing.
	creating := state.Raw.IsNull() || prior.ValueString() != ""
	var diags diag.Diagnostics
	def, err := e.provider.client.ElementDefinition(ctx, key.ValueString())
	switch {
	case cloudelements.IsNotFound(err):
		diags.AddAttributeError(path.Root("element_key"), "Unknown element_key",
			fmt.Sprintf("element_key: the platform has no element with key %q, so creating the instance would fail.%s "+
				"Write the element's key as the platform's element catalogue names it (for example freshdeskv2, "+
				"zendesk, jira or sfdc).", key.ValueString(), e.elementKeySuggestion(ctx, key.ValueString())))
	case err != nil:
		diags.AddAttributeWarning(path.Root("element_key"), "Cannot check element_key",
			"Looking the element up on the platform failed, so the plan cannot say whether it exists or which "+
				"configuration it requires: "+e.provider.errorDetail(err))
	case creating:
		given, known := ek.givenKeys(ctx, plan, config)
		if known {
			diags.Append(missingRequired(def, given)...)
		}
	}
	return diags
}

// elementKeySuggestion is " Did you mean ...?" for the closest key of the
// platform's catalog (listed once per run, only after an unknown key) or
// of the elements this provider knows by name.
func (e *instanceEngine[M]) elementKeySuggestion(ctx context.Context, key string) string {
	candidates := slices.Collect(maps.Keys(knownElements))
	if keys, err := e.provider.client.ElementKeys(ctx); err == nil {
		candidates = append(candidates, keys...)
	}
	return validate.DidYouMean(key, candidates)
}

// missingRequired is one error per configuration entry the definition
// requires and given lacks, at the attribute it belongs in.
func missingRequired(def *cloudelements.ElementDefinition, given map[string]bool) diag.Diagnostics {
	var diags diag.Diagnostics
	givenKeys := slices.Sorted(maps.Keys(given))
	for _, f := range def.RequiredConfiguration() {
		if given[f.Key] {
			continue
		}
		attr, where := "configuration", "configuration"
		if f.Secret() {
			attr, where = "secret_configuration_wo", "secret_configuration_wo (or secret_configuration)"
		}
		label := ""
		if f.Name != "" && f.Name != f.Key {
			label = " (" + f.Name + ")"
		}
		hint := ""
		if s := validate.Suggest(f.Key, givenKeys); s != "" {
			hint = fmt.Sprintf(" The configuration sets %q: did you mean %q?", s, f.Key)
		}
		diags.AddAttributeError(path.Root(attr), "Missing required configuration",
			fmt.Sprintf("%s: element %q requires the configuration key %q%s, which is not set, so creating the "+
				"instance would fail.%s Set it in %s, e.g. %s = { %q = \"...\" }.",
				attr, def.Key, f.Key, label, hint, where, attr, f.Key))
	}
	return diags
}
