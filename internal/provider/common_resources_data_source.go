package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*commonResourcesDataSource)(nil)

// NewCommonResourcesDataSource returns the cloudelements_common_resources
// data source.
func NewCommonResourcesDataSource() datasource.DataSource { return &commonResourcesDataSource{} }

// commonResourcesDataSource lists the account's common resources.
type commonResourcesDataSource struct{ dataSourceClient }

type commonResourcesDataSourceModel struct {
	ObjectName      types.String `tfsdk:"object_name"`
	CommonResources types.List   `tfsdk:"common_resources"`
}

var commonResourceItemType = types.ObjectType{AttrTypes: map[string]attr.Type{
	"id": types.StringType, "object_name": types.StringType, "display_name": meaningType[storedName]{},
	"description": types.StringType, "fields": types.SetType{ElemType: commonResourceFieldType},
}}

func (d *commonResourcesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resources"
}

func (d *commonResourcesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The account's common resources (VDR v2), following every page of `GET /vdrs`, " +
			"ordered by id, each with its fields (one the listing answers without them is read by " +
			"`GET /vdrs/{id}`).",
		Attributes: map[string]schema.Attribute{
			"object_name": schema.StringAttribute{MarkdownDescription: "Only the common resource of exactly this " +
				"object name.", Optional: true, Validators: []validator.String{validate.NotBlank()}},
			"common_resources": schema.ListNestedAttribute{
				MarkdownDescription: "The common resources found.", Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":          schema.StringAttribute{MarkdownDescription: "The common resource's id.", Computed: true},
					"object_name": schema.StringAttribute{MarkdownDescription: "Its object name.", Computed: true},
					"display_name": schema.StringAttribute{MarkdownDescription: "Its display name.", Computed: true,
						CustomType: meaningType[storedName]{}},
					"description": schema.StringAttribute{MarkdownDescription: "Its description.", Computed: true},
					"fields":      commonResourceDSFields(),
				}},
			},
		},
	}
}

func (d *commonResourcesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var m commonResourcesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	list, err := d.provider.client.ListVDRs(ctx, cloudelements.VDRListOptions{ObjectName: m.ObjectName.ValueString()})
	if err != nil {
		resp.Diagnostics.AddError("Cannot list common resources", d.provider.errorDetail(err))
		return
	}
	items := make([]attr.Value, 0, len(list))
	for i := range list {
		cr, diags := commonResourceFrom(ctx, &list[i], nil)
		resp.Diagnostics.Append(diags...)
		item, diags := types.ObjectValueFrom(ctx, commonResourceItemType.AttrTypes, cr)
		resp.Diagnostics.Append(diags...)
		items = append(items, item)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	m.CommonResources = types.ListValueMust(commonResourceItemType, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
