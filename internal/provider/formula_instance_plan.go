package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var _ resource.ResourceWithModifyPlan = (*formulaInstanceResource)(nil)

// ModifyPlan refuses, before anything is written, configuration keys that
// are not variables of the formula, which the platform refuses. It runs
// when the formula instance is created or written (a PUT sends every key)
// and the formula's id is known: then its variables are the ones this run
// plans for it, or the platform's (formula_variables.go). A formula created
// in the same run has no id until apply, when the check runs again before
// the formula instance is created.
func (r *formulaInstanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.provider == nil {
		return
	}
	var plan, config formulaInstanceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || plan.FormulaID.IsUnknown() || plan.FormulaID.IsNull() {
		return
	}
	if !req.State.Raw.IsNull() {
		var state formulaInstanceResourceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() || !writesConfiguration(&plan, &state) {
			return
		}
	}
	fid, err := validate.ParseFormulaID(plan.FormulaID.ValueString())
	if err != nil {
		return // the attribute's validator said so
	}
	keys := keysAt(plan.Configuration, path.Root("configuration"))
	keys = append(keys, keysAt(plan.SecretConfiguration, path.Root("secret_configuration"))...)
	keys = append(keys, keysAt(config.SecretConfigurationWO, path.Root("secret_configuration_wo"))...)
	if len(keys) == 0 {
		return // no key to check: no read
	}
	vars, known, err := r.provider.formulaVariables(ctx, fid)
	switch {
	case cloudelements.IsNotFound(err):
		resp.Diagnostics.AddAttributeError(path.Root("formula_id"), "Formula not found",
			fmt.Sprintf("formula_id: there is no formula with id %d that these credentials can see, so the formula "+
				"instance cannot be written. Refer to the formula by its resource (formula_id = "+
				"cloudelements_formula.<name>.id) or a data source, or write the id the platform shows for it.", fid))
		return
	case err != nil:
		resp.Diagnostics.AddAttributeWarning(path.Root("formula_id"), "Cannot check the configuration keys",
			fmt.Sprintf("Reading formula %d failed, so the plan cannot say whether every configuration key is one of "+
				"its variables: %s", fid, r.provider.errorDetail(err)))
		return
	case !known:
		return // planned from values not known until apply
	}
	for _, k := range keys {
		if !slices.Contains(vars, k.key) {
			resp.Diagnostics.Append(notAVariable(k, fid, vars))
		}
	}
}

// writesConfiguration says whether an update sends the configuration (a
// PUT): anything changed but active, which has its own endpoint.
func writesConfiguration(plan, state *formulaInstanceResourceModel) bool {
	p := plan.formulaInstanceModel
	p.Active = state.Active
	return !sameValues(p, state.formulaInstanceModel) || !plan.SecretConfiguration.Equal(state.SecretConfiguration) ||
		!plan.SecretConfigurationWOVersion.Equal(state.SecretConfigurationWOVersion)
}

// configKey is a configuration key and the attribute path it was given at.
type configKey struct {
	key string
	at  path.Path
}

// keysAt lists a known map's keys, sorted, each at at["key"].
func keysAt(m types.Map, at path.Path) []configKey {
	var out []configKey
	for k := range mapKeys(m) {
		out = append(out, configKey{key: k, at: at.AtMapKey(k)})
	}
	slices.SortFunc(out, func(a, b configKey) int { return strings.Compare(a.key, b.key) })
	return out
}

func notAVariable(k configKey, formulaID int64, vars []string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(k.at, "Not a variable of the formula",
		fmt.Sprintf("%s: formula %d has no variable %q, so the platform would refuse the formula instance.%s Its "+
			"variables are %s: give values for those only (secrets under secret_configuration or "+
			"secret_configuration_wo), or declare %q in the formula's configuration.",
			k.at, formulaID, k.key, validate.DidYouMean(k.key, vars), validate.QuotedList(vars), k.key))
}
