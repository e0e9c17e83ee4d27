package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ resource.ResourceWithConfigure      = (*formulaResource)(nil)
	_ resource.ResourceWithImportState    = (*formulaResource)(nil)
	_ resource.ResourceWithIdentity       = (*formulaResource)(nil)
	_ resource.ResourceWithValidateConfig = (*formulaResource)(nil)
)

// NewFormulaResource returns cloudelements_formula.
func NewFormulaResource() resource.Resource { return &formulaResource{} }

type formulaResource struct{ resourceConfigured }

type formulaResourceModel struct {
	formulaModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *formulaResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (r *formulaResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = FormulaSchema(ctx)
}

// FormulaSchema is the resource's schema, exported for the benchmark's
// plugin floor, which must serve exactly the same schema.
func FormulaSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		MarkdownDescription: "A formula: a workflow of steps started by triggers, bound to element instances by " +
			"`cloudelements_formula_instance`. Step ids, defaults the platform adds (engine, debug logging) and " +
			"key order never show as drift; a change made outside Terraform does.",
		Attributes: formulaResourceAttributes(ctx),
	}
}

func (r *formulaResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema("formula")
}

func (r *formulaResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan formulaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	body, diags := formulaRequest(ctx, &plan.formulaModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	f, err := r.provider.client.CreateFormula(ctx, body)
	if recordCreated(ctx, r.provider, "formula", err, &plan, &plan.ID, &resp.State, resp.Identity, &resp.Diagnostics) {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the formula", r.provider.errorDetail(err))
		return
	}
	r.written(ctx, f, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// written records the answer to a write: the plan's values, with what the
// platform decides (id, dates, single_threaded) from the answer; a planned
// value the answer contradicts (by meaning) is kept and warned about.
func (r *formulaResource) written(ctx context.Context, f *cloudelements.Formula, plan *formulaResourceModel,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	got, d := formulaFrom(ctx, f, &plan.formulaModel)
	diags.Append(d...)
	warnContradicted(ctx, diags, plannedAnswer{"name", plan.Name, got.Name},
		plannedAnswer{"description", plan.Description, got.Description}, plannedAnswer{"active", plan.Active, got.Active},
		plannedAnswer{"configuration", plan.Configuration, got.Configuration},
		plannedAnswer{"triggers", plan.Triggers, got.Triggers}, plannedAnswer{"steps", plan.Steps, got.Steps})
	plan.ID, plan.CreatedDate = got.ID, got.CreatedDate
	if plan.SingleThreaded.IsUnknown() {
		plan.SingleThreaded = got.SingleThreaded
	}
	diags.Append(setStateKnown(ctx, state, plan)...)
	diags.Append(setInstanceIdentity(ctx, identity, plan.ID)...)
}

func (r *formulaResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.State.Raw, &resp.Diagnostics)
	var state formulaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, "formula", &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, state.ID)...)
	// A listed formula answers only when reading it changes nothing and
	// says nothing (batch reads); else, and for an import, a GET.
	f, err := r.provider.client.ReadFormula(ctx, id, func(f *cloudelements.Formula) bool {
		got, diags := formulaFrom(ctx, f, &state.formulaModel)
		return len(diags) == 0 && sameValues(got, state.formulaModel)
	})
	if cloudelements.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform: plan a create
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the formula", r.provider.errorDetail(err))
		return
	}
	got, diags := formulaFrom(ctx, f, &state.formulaModel)
	resp.Diagnostics.Append(diags...)
	state.formulaModel = got
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *formulaResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, state formulaResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, "formula", &resp.Diagnostics)
	if !ok {
		return
	}
	var f *cloudelements.Formula
	var err error
	if formulaBodyChanges(&plan.formulaModel, &state.formulaModel) {
		body, diags := formulaRequest(ctx, &plan.formulaModel)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		f, err = r.provider.client.ReplaceFormula(ctx, id, body)
	} else {
		f, err = r.provider.client.PatchFormula(ctx, id, formulaPatch(&plan.formulaModel, &state.formulaModel))
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the formula", r.provider.errorDetail(err))
		return // nothing was applied: state keeps the prior values
	}
	r.written(ctx, f, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// formulaBodyChanges says whether the update needs PUT: PATCH takes only
// name, description and active.
func formulaBodyChanges(plan, state *formulaModel) bool {
	return !plan.Configuration.Equal(state.Configuration) || !plan.Triggers.Equal(state.Triggers) ||
		!plan.Steps.Equal(state.Steps) || !plan.SingleThreaded.IsUnknown() && !plan.SingleThreaded.Equal(state.SingleThreaded)
}

func formulaPatch(plan, state *formulaModel) cloudelements.FormulaPatch {
	var p cloudelements.FormulaPatch
	if !plan.Name.Equal(state.Name) {
		p.Name = plan.Name.ValueStringPointer()
	}
	if !plan.Description.Equal(state.Description) {
		p.Description = plan.Description.ValueStringPointer()
	}
	if !plan.Active.Equal(state.Active) {
		p.Active = plan.Active.ValueBoolPointer()
	}
	return p
}

func (r *formulaResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state formulaResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, "formula", &resp.Diagnostics)
	if !ok {
		return
	}
	deleteFailed(r.provider, "formula", r.provider.client.DeleteFormula(ctx, id), "formula instances",
		"cloudelements_formula_instance", &resp.Diagnostics)
}

func (r *formulaResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, "formula", req, resp)
}

// parseStateID parses the numeric id kept in state.
func parseStateID(id types.String, what string, diags *diag.Diagnostics) (int64, bool) {
	n, err := validate.ParseID(what, id.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid "+what+" id", err.Error())
		return 0, false
	}
	return n, true
}
