package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Which variables a formula has, for the plan-time check of a formula
// instance's keys. A formula managed in the same configuration is planned
// before the formula instances that refer to it (they depend on its id), so
// its ModifyPlan records the variables this run plans for it: a variable
// added in the same change is known, with no API call. Any other formula
// (an id written out, or read by a data source) is read from the platform
// once per run (cloudelements.Client.FormulaVariables).

var _ resource.ResourceWithModifyPlan = (*formulaResource)(nil)

// plannedFormulas holds, by formula id, the variables planned in this run;
// nil keys mean "not known until apply". The zero value is ready.
type plannedFormulas struct {
	mu   sync.Mutex
	vars map[int64][]string
}

func (p *plannedFormulas) record(id int64, keys []string, known bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.vars == nil {
		p.vars = map[int64][]string{}
	}
	if !known {
		keys = nil
	} else if keys == nil {
		keys = []string{}
	}
	p.vars[id] = keys
}

// lookup returns the planned variables; found is false for a formula not
// planned in this run.
func (p *plannedFormulas) lookup(id int64) (keys []string, known, found bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	keys, found = p.vars[id]
	return keys, keys != nil, found
}

// ModifyPlan changes nothing: it records the formula's planned variables
// (see above). A formula being created has no id yet: nothing can refer to
// it by a known id.
func (r *formulaResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, _ *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || r.provider == nil {
		return
	}
	var id types.String
	var cfg types.List
	if req.Plan.GetAttribute(ctx, path.Root("id"), &id).HasError() ||
		req.Plan.GetAttribute(ctx, path.Root("configuration"), &cfg).HasError() || id.IsUnknown() || id.IsNull() {
		return
	}
	n, err := validate.ParseFormulaID(id.ValueString())
	if err != nil {
		return
	}
	var ignored diag.Diagnostics // ValidateConfig reports duplicates
	vars, known := declaredVariables(ctx, cfg, &ignored)
	r.provider.plannedFormulas.record(n, vars, known && !ignored.HasError())
}

// formulaVariables returns the formula's variables as this run plans them,
// else as the platform has them (one cached read per formula and run).
// known is false when they cannot be known before apply.
func (pd *providerData) formulaVariables(ctx context.Context, id int64) (vars []string, known bool, err error) {
	if vars, known, found := pd.plannedFormulas.lookup(id); found {
		return vars, known, nil
	}
	vars, err = pd.client.FormulaVariables(ctx, id)
	return vars, err == nil, err
}
