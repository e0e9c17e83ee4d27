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
)

var (
	_ resource.ResourceWithConfigure      = (*commonResourceResource)(nil)
	_ resource.ResourceWithImportState    = (*commonResourceResource)(nil)
	_ resource.ResourceWithIdentity       = (*commonResourceResource)(nil)
	_ resource.ResourceWithValidateConfig = (*commonResourceResource)(nil)
)

// commonResourceKind names a common resource in ids and messages.
const commonResourceKind = "common resource"

// NewCommonResourceResource returns cloudelements_common_resource.
func NewCommonResourceResource() resource.Resource { return &commonResourceResource{} }

type commonResourceResource struct{ resourceConfigured }

type commonResourceResourceModel struct {
	commonResourceModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *commonResourceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

func (r *commonResourceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "A common resource (virtual data resource, VDR v2): a canonical object such as " +
			"`myContact` with its fields, which formulas read and write and transformations map onto each element. " +
			"Field order, field ids and the system fields the platform adds never show as drift; a change made " +
			"outside Terraform does.",
		Attributes: commonResourceAttributes(ctx),
	}
}

func (r *commonResourceResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = idIdentitySchema(commonResourceKind)
}

// ValidateConfig refuses two fields of one path before any request.
func (r *commonResourceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var fields types.Set
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("fields"), &fields)...)
	if !resp.Diagnostics.HasError() {
		duplicatePaths(ctx, fields, &resp.Diagnostics)
	}
}

func (r *commonResourceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan commonResourceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	body, diags := commonResourceRequest(ctx, &plan.commonResourceModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, err := r.provider.client.CreateVDR(ctx, body)
	if recordCreated(ctx, r.provider, commonResourceKind, err, &plan, &plan.ID, &resp.State, resp.Identity, &resp.Diagnostics) {
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the common resource", r.provider.errorDetail(err))
		return
	}
	r.written(ctx, v, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// written records the answer to a write: the plan's values with the id
// the platform gave; a planned value the answer contradicts (by meaning)
// is kept and warned about.
func (r *commonResourceResource) written(ctx context.Context, v *cloudelements.VDR, plan *commonResourceResourceModel,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	got, d := commonResourceFrom(ctx, v, &plan.commonResourceModel)
	diags.Append(d...)
	warnContradicted(ctx, diags, plannedAnswer{"object_name", plan.ObjectName, got.ObjectName},
		plannedAnswer{"display_name", plan.DisplayName, got.DisplayName},
		plannedAnswer{"description", plan.Description, got.Description}, plannedAnswer{"fields", plan.Fields, got.Fields})
	plan.ID = got.ID
	diags.Append(setStateKnown(ctx, state, plan)...)
	diags.Append(setInstanceIdentity(ctx, identity, plan.ID)...)
}

func (r *commonResourceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.State.Raw, &resp.Diagnostics)
	var state commonResourceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, commonResourceKind, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, state.ID)...)
	v, err := r.provider.client.GetVDR(ctx, id)
	if cloudelements.IsNotFound(err) {
		// Deleted outside Terraform (the client believes a 404 only from a
		// host that serves common resources): plan a create.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the common resource", r.provider.errorDetail(err))
		return
	}
	got, diags := commonResourceFrom(ctx, v, &state.commonResourceModel)
	resp.Diagnostics.Append(diags...)
	state.commonResourceModel = got
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *commonResourceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, state commonResourceResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, commonResourceKind, &resp.Diagnostics)
	if !ok {
		return
	}
	body, diags := commonResourceRequest(ctx, &plan.commonResourceModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, err := r.provider.client.ReplaceVDR(ctx, id, body)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the common resource", r.provider.errorDetail(err))
		return // nothing was applied: state keeps the prior values
	}
	r.written(ctx, v, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *commonResourceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state commonResourceResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	id, ok := parseStateID(state.ID, commonResourceKind, &resp.Diagnostics)
	if !ok {
		return
	}
	deleteFailed(r.provider, commonResourceKind, r.provider.client.DeleteVDR(ctx, id), "transformations",
		"cloudelements_common_resource_transformation", &resp.Diagnostics)
}

func (r *commonResourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	importByID(ctx, commonResourceKind, req, resp)
}
