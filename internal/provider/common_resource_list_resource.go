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

var _ list.ListResourceWithConfigure = (*commonResourceListResource)(nil)

// NewCommonResourceListResource returns the cloudelements_common_resource
// list resource, for `terraform query` (Terraform 1.14 and later).
func NewCommonResourceListResource() list.ListResource { return &commonResourceListResource{} }

type commonResourceListResource struct{ resourceConfigured }

type commonResourceListModel struct {
	ObjectName types.String `tfsdk:"object_name"`
}

func (l *commonResourceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

func (l *commonResourceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's common resources (VDR v2), following every page of `GET /vdrs`, " +
			"for `terraform query` (Terraform 1.14 and later). Each result is named by the object name and carries " +
			"its identity; with `include_resource = true` also its fields, so that `-generate-config-out` writes " +
			"configuration that applies with no change.",
		Attributes: map[string]schema.Attribute{
			"object_name": schema.StringAttribute{MarkdownDescription: "Only the common resource of exactly this " +
				"object name.", Optional: true, Validators: []validator.String{validate.NotBlank()}},
		},
	}
}

func (l *commonResourceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config commonResourceListModel
	diags := req.Config.Get(ctx, &config)
	listAssets(ctx, l.provider, req, stream, diags, "common resources",
		func(ctx context.Context) ([]cloudelements.VDR, error) {
			return l.provider.client.ListVDRs(ctx, cloudelements.VDRListOptions{ObjectName: config.ObjectName.ValueString()})
		},
		func(ctx context.Context, v *cloudelements.VDR, r *list.ListResult) {
			r.DisplayName = v.ObjectName
			m, d := commonResourceFrom(ctx, v, nil)
			r.Diagnostics.Append(d...)
			r.Diagnostics.Append(r.Identity.Set(ctx, instanceIdentityModel{ID: m.ID})...)
			if req.IncludeResource && !r.Diagnostics.HasError() {
				includeResource(ctx, l.provider.guard(), r, m.ID, func(rm *commonResourceResourceModel) { rm.commonResourceModel = m })
			}
		})
}
