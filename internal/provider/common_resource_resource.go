package provider

import (
	"context"
	"errors"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
	var created *cloudelements.CreatedError
	if errors.As(err, &created) {
		// It exists: record it (Terraform taints it) rather than lose it.
		plan.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
		resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
		resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, plan.ID)...)
		resp.Diagnostics.AddError("Common resource created, but its answer is unusable", r.provider.errorDetail(err))
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
	for _, c := range []struct {
		name       string
		want, have attr.Value
	}{
		{"object_name", plan.ObjectName, got.ObjectName}, {"display_name", plan.DisplayName, got.DisplayName},
		{"description", plan.Description, got.Description}, {"fields", plan.Fields, got.Fields},
	} {
		if !c.want.IsUnknown() && !sameMeaning(ctx, c.want, c.have) {
			diags.Append(contradicted(path.Root(c.name), c.want.String(), c.have.String()))
		}
	}
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
	err := r.provider.client.DeleteVDR(ctx, id)
	if err != nil && !cloudelements.IsNotFound(err) { // the platform says it is already gone
		detail := r.provider.errorDetail(err)
		if cloudelements.IsConflict(err) {
			detail += "\n\nThe platform refuses to delete a common resource that still has transformations (the " +
				"delete was tried again for a while, in case they were being deleted). Delete them first (a " +
				"cloudelements_common_resource_transformation that refers to this one is deleted before it)."
		}
		resp.Diagnostics.AddError("Cannot delete the common resource", detail)
	}
}

func (r *commonResourceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importIDOf(ctx, commonResourceKind, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, types.StringValue(id))...)
}
