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

var _ datasource.DataSourceWithConfigure = (*transformationsDataSource)(nil)

// NewCommonResourceTransformationsDataSource returns
// cloudelements_common_resource_transformations.
func NewCommonResourceTransformationsDataSource() datasource.DataSource {
	return &transformationsDataSource{}
}

// transformationsDataSource lists the transformations of one common
// resource.
type transformationsDataSource struct{ dataSourceClient }

type transformationsDataSourceModel struct {
	CommonResourceID types.String             `tfsdk:"common_resource_id"`
	ElementKey       meaningValue[elementKey] `tfsdk:"element_key"`
	InstanceID       types.String             `tfsdk:"instance_id"`
	Transformations  types.List               `tfsdk:"transformations"`
}

// transformationItemAttrTypes is one listed transformation.
var transformationItemAttrTypes = map[string]attr.Type{
	"id": types.StringType, "common_resource_id": types.StringType, "element_key": meaningType[elementKey]{},
	"instance_id": types.StringType, "level": types.StringType, "vendor_name": types.StringType,
	"fields":        types.SetType{ElemType: types.ObjectType{AttrTypes: transformationFieldAttrTypes}},
	"configuration": meaningType[looseJSON]{}, "script": types.ObjectType{AttrTypes: transformationScriptAttrTypes},
}

func (d *transformationsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource_transformations"
}

func (d *transformationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The transformations of one common resource, following every page of " +
			"`GET /vdrs/{id}/transformations`, ordered by id; an item the listing abridges is read whole.",
		Attributes: map[string]schema.Attribute{
			"common_resource_id": schema.StringAttribute{MarkdownDescription: "The common resource's (VDR's) id.",
				Required: true, Validators: []validator.String{validate.ID("common resource")}},
			"element_key": schema.StringAttribute{MarkdownDescription: "Only the transformation onto this element " +
				"(organization level).", Optional: true, CustomType: meaningType[elementKey]{},
				Validators: []validator.String{validate.NotBlank()}},
			"instance_id": schema.StringAttribute{MarkdownDescription: "Only the transformation onto this element instance.",
				Optional: true, Validators: []validator.String{validate.InstanceID()}},
			"transformations": schema.ListNestedAttribute{MarkdownDescription: "The transformations found.", Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: transformationDataAttributes()}},
		},
	}
}

func (d *transformationsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var m transformationsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	vdrID, _ := validate.ParseID("common resource", m.CommonResourceID.ValueString())
	opts := cloudelements.TransformationListOptions{ElementKey: m.ElementKey.ValueString()}
	opts.InstanceID, _ = validate.ParseInstanceID(m.InstanceID.ValueString())
	list, err := listTransformations(ctx, d.provider.client, vdrID, opts)
	items := make([]attr.Value, 0, len(list))
	for i := range list {
		item := transformationFrom(&list[i], nil)
		obj, diags := types.ObjectValueFrom(ctx, transformationItemAttrTypes, &item)
		resp.Diagnostics.Append(diags...)
		items = append(items, obj)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot list the transformations", d.provider.errorDetail(err))
		return
	}
	m.Transformations = types.ListValueMust(types.ObjectType{AttrTypes: transformationItemAttrTypes}, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
