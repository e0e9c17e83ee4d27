package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var _ list.ListResourceWithConfigure = (*transformationListResource)(nil)

// NewCommonResourceTransformationListResource returns the
// cloudelements_common_resource_transformation list resource, for
// `terraform query` (Terraform 1.14 and later).
func NewCommonResourceTransformationListResource() list.ListResource {
	return &transformationListResource{}
}

type transformationListResource struct{ resourceConfigured }

type transformationListModel struct {
	CommonResourceID types.String `tfsdk:"common_resource_id"`
}

func (l *transformationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource_transformation"
}

func (l *transformationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds transformations of common resources, for `terraform query` (Terraform 1.14 and " +
			"later): those of one common resource, or of every one (`GET /vdrs`, then each one's " +
			"`GET /vdrs/{id}/transformations`). An item a listing abridges is read whole. Each result carries its " +
			"identity (common resource id and id); with `include_resource = true` also its target, fields and script.",
		Attributes: map[string]schema.Attribute{
			"common_resource_id": schema.StringAttribute{MarkdownDescription: "Only the transformations of this common resource.",
				Optional: true, Validators: []validator.String{validate.ID("common resource")}},
		},
	}
}

func (l *transformationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config transformationListModel
	diags := req.Config.Get(ctx, &config)
	vdrID, _ := validate.ParseID("common resource", config.CommonResourceID.ValueString())
	listAssets(ctx, l.provider, req, stream, diags, "transformations",
		func(ctx context.Context) ([]cloudelements.VDRTransformation, error) {
			return allTransformations(ctx, l.provider.client, vdrID)
		},
		func(ctx context.Context, t *cloudelements.VDRTransformation, r *list.ListResult) {
			r.DisplayName = t.VendorName + " on " + transformationTarget(t)
			m := transformationFrom(t, nil)
			r.Diagnostics.Append(setTransformationIdentityOn(ctx, r, &m)...)
			if req.IncludeResource && !r.Diagnostics.HasError() {
				includeResource(ctx, l.provider.guard(), r, m.ID, func(rm *transformationResourceModel) { rm.transformationModel = m })
			}
		})
}

// allTransformations lists the transformations of common resource vdrID,
// or of every common resource when vdrID is 0, whole and with every field
// named by path.
func allTransformations(ctx context.Context, c *cloudelements.Client, vdrID int64) ([]cloudelements.VDRTransformation, error) {
	ids := []int64{vdrID}
	if vdrID == 0 {
		vdrs, err := c.ListVDRs(ctx, cloudelements.VDRListOptions{})
		if err != nil {
			return nil, err
		}
		ids = ids[:0]
		for _, v := range vdrs {
			ids = append(ids, v.ID)
		}
	}
	var out []cloudelements.VDRTransformation
	for _, id := range ids {
		list, err := listTransformations(ctx, c, id, cloudelements.TransformationListOptions{})
		if cloudelements.IsNotFound(err) && vdrID == 0 {
			continue // deleted since it was listed
		}
		if err != nil {
			return nil, err
		}
		out = append(out, list...)
	}
	return out, nil
}

// listTransformations lists a common resource's transformations matching
// opts, whole (the client reads abridged items by GET) and with every
// field named by path.
func listTransformations(ctx context.Context, c *cloudelements.Client, vdrID int64, opts cloudelements.TransformationListOptions) ([]cloudelements.VDRTransformation, error) {
	list, err := c.ListVDRTransformations(ctx, vdrID, opts)
	for i := range list {
		if err == nil {
			err = resolveTransformationPaths(ctx, c, &list[i])
		}
	}
	return list, err
}
