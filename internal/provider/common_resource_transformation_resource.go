package provider

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

var (
	_ resource.ResourceWithConfigure        = (*transformationResource)(nil)
	_ resource.ResourceWithImportState      = (*transformationResource)(nil)
	_ resource.ResourceWithIdentity         = (*transformationResource)(nil)
	_ resource.ResourceWithValidateConfig   = (*transformationResource)(nil)
	_ resource.ResourceWithConfigValidators = (*transformationResource)(nil)
)

// NewCommonResourceTransformationResource returns
// cloudelements_common_resource_transformation.
func NewCommonResourceTransformationResource() resource.Resource { return &transformationResource{} }

type transformationResource struct{ resourceConfigured }

type transformationResourceModel struct {
	transformationModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *transformationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource_transformation"
}

func (r *transformationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan transformationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	r.provider.guard().remember(ctx, tfsdk.State(req.Plan))
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	defer cancel()
	vdrID, _ := transformationIDs(&plan.transformationModel)
	body, diags := transformationRequest(ctx, &plan.transformationModel)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	t, err := r.provider.client.CreateVDRTransformation(ctx, vdrID, body)
	var created *cloudelements.CreatedError
	if errors.As(err, &created) {
		// State learns of what was made, so that it is never lost.
		plan.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
		resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
		resp.Diagnostics.Append(setTransformationIdentity(ctx, resp.Identity, &plan.transformationModel)...)
		resp.Diagnostics.AddError("Transformation created, but its answer is unusable", r.provider.errorDetail(err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the transformation", r.provider.errorDetail(err))
		return
	}
	r.written(ctx, t, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

// written records a write's answer in state: read back by GET when the
// answer leaves out the fields the plan has, and with field paths named
// from the common resource when the answer names fields by id alone.
func (r *transformationResource) written(ctx context.Context, t *cloudelements.VDRTransformation, plan *transformationResourceModel,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics) {
	if len(t.Fields) == 0 && !plan.Fields.IsNull() {
		if full, err := r.provider.client.GetVDRTransformation(ctx, t.VDRID, t.ID); err == nil {
			t = full
		}
	}
	err := resolveTransformationPaths(ctx, r.provider.client, t)
	plan.transformationModel = transformationFrom(t, &plan.transformationModel)
	diags.Append(setStateKnown(ctx, state, plan)...)
	diags.Append(setTransformationIdentity(ctx, identity, &plan.transformationModel)...)
	if err != nil {
		diags.AddError("Cannot read the transformation's fields", r.provider.errorDetail(err))
	}
}

// resolveTransformationPaths names by path the fields an answer named by
// id alone, from the common resource's fields (one more read, only then).
func resolveTransformationPaths(ctx context.Context, c *cloudelements.Client, t *cloudelements.VDRTransformation) error {
	for _, f := range t.Fields {
		if f.Path != "" {
			continue
		}
		v, err := c.GetVDR(ctx, t.VDRID)
		if err != nil {
			return err
		}
		if !t.ResolvePaths(v) {
			return fmt.Errorf("transformation %d names a field by an id that common resource %d does not have", t.ID, t.VDRID)
		}
		return nil
	}
	return nil
}

func (r *transformationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.State.Raw, &resp.Diagnostics)
	var state transformationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	r.provider.guard().recall(ctx, req.Private, req.State)
	ctx, cancel := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	vdrID, id := transformationIDs(&state.transformationModel)
	if vdrID <= 0 || id <= 0 {
		resp.Diagnostics.AddError("Invalid transformation ids in state", errNoTransformationIDs.Error())
		return
	}
	resp.Diagnostics.Append(setTransformationIdentity(ctx, resp.Identity, &state.transformationModel)...)
	prior := &state.transformationModel
	if state.VendorName.IsNull() {
		prior = nil // an import: everything comes from the answer
	}
	t, err := r.provider.client.GetVDRTransformation(ctx, vdrID, id)
	if cloudelements.IsNotFound(err) {
		// The client keeps a 404 a not-found only once the host has shown
		// it serves common resources at all.
		resp.State.RemoveResource(ctx)
		return
	}
	if err == nil {
		err = resolveTransformationPaths(ctx, r.provider.client, t)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the transformation", r.provider.errorDetail(err))
		return
	}
	state.transformationModel = transformationFrom(t, prior)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *transformationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer r.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, state transformationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	r.provider.guard().recall(ctx, req.Private, req.State, tfsdk.State(req.Plan))
	ctx, cancel := withTimeout(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	defer cancel()
	vdrID, id := transformationIDs(&state.transformationModel)
	body, diags := transformationRequest(ctx, &plan.transformationModel)
	if resp.Diagnostics.Append(diags...); resp.Diagnostics.HasError() {
		return
	}
	t, err := r.provider.client.ReplaceVDRTransformation(ctx, vdrID, id, body)
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the transformation", r.provider.errorDetail(err))
		return // nothing was applied: state keeps the prior values
	}
	r.written(ctx, t, &plan, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *transformationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state transformationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !providerReady(r.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := withTimeout(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	vdrID, id := transformationIDs(&state.transformationModel)
	err := r.provider.client.DeleteVDRTransformation(ctx, vdrID, id)
	if err != nil && !cloudelements.IsNotFound(err) { // gone already (or with its common resource)
		resp.Diagnostics.AddError("Cannot delete the transformation", r.provider.errorDetail(err))
	}
}
