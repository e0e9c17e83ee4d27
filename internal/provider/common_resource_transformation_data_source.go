package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ datasource.DataSourceWithConfigure        = (*transformationDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*transformationDataSource)(nil)
)

// NewCommonResourceTransformationDataSource returns the
// cloudelements_common_resource_transformation data source.
func NewCommonResourceTransformationDataSource() datasource.DataSource {
	return &transformationDataSource{}
}

// transformationDataSource finds one transformation of a common resource,
// by id or by what it maps onto.
type transformationDataSource struct{ dataSourceClient }

func (d *transformationDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource_transformation"
}

// transformationDataAttributes are a transformation's attributes as the
// data sources show them, every one computed.
func transformationDataAttributes() map[string]schema.Attribute {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":                 computed("The transformation's id."),
		"common_resource_id": computed("Its common resource's (VDR's) id."),
		"element_key": schema.StringAttribute{MarkdownDescription: "The element it maps onto (organization level).",
			Computed: true, CustomType: meaningType[elementKey]{}},
		"instance_id": computed("The element instance it maps onto (instance level)."),
		"level":       computed("`organization` or `instance`."),
		"vendor_name": computed("The vendor's object."),
		"fields": schema.SetNestedAttribute{MarkdownDescription: "The fields it maps.", Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"path": computed("The common resource field's path."), "type": computed("Its type."),
				"vendor_path": computed("The vendor's field."), "vendor_type": computed("The vendor field's type."),
				"configuration": schema.StringAttribute{MarkdownDescription: "The field's configuration (a JSON array).",
					Computed: true, CustomType: meaningType[looseJSON]{}},
			}}},
		"configuration": schema.StringAttribute{MarkdownDescription: "Its configuration (a JSON array).",
			Computed: true, CustomType: meaningType[looseJSON]{}},
		"script": schema.SingleNestedAttribute{MarkdownDescription: "Its script.", Computed: true,
			Attributes: map[string]schema.Attribute{
				"body": schema.StringAttribute{MarkdownDescription: "The script.", Computed: true,
					CustomType: meaningType[scriptText]{}},
				"mime_type":             computed("Its MIME type."),
				"filter_empty_response": schema.BoolAttribute{MarkdownDescription: "Whether empty results are left out.", Computed: true},
			}},
	}
}

func (d *transformationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := transformationDataAttributes()
	attrs["common_resource_id"] = schema.StringAttribute{MarkdownDescription: "The common resource's (VDR's) id.",
		Required: true, Validators: []validator.String{validate.ID("common resource")}}
	attrs["id"] = schema.StringAttribute{MarkdownDescription: "The transformation's id. Exactly one of `id`, " +
		"`element_key` and `instance_id`.", Optional: true, Computed: true,
		Validators: []validator.String{validate.ID("transformation")}}
	attrs["element_key"] = schema.StringAttribute{MarkdownDescription: "The transformation onto this element " +
		"(organization level).", Optional: true, Computed: true, CustomType: meaningType[elementKey]{},
		Validators: []validator.String{validate.NotBlank()}}
	attrs["instance_id"] = schema.StringAttribute{MarkdownDescription: "The transformation onto this element " +
		"instance (instance level).", Optional: true, Computed: true, Validators: []validator.String{validate.InstanceID()}}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One transformation of a common resource: by id (`GET /vdrs/{id}/transformations/{id}`), " +
			"or by the element or element instance it maps onto (from the listing, each item read whole).",
		Attributes: attrs,
	}
}

func (d *transformationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"),
		path.MatchRoot("element_key"), path.MatchRoot("instance_id"))}
}

func (d *transformationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var m transformationModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	c := d.provider.client
	vdrID, id := transformationIDs(&m)
	var t *cloudelements.VDRTransformation
	var err error
	if id > 0 {
		t, err = c.GetVDRTransformation(ctx, vdrID, id)
	} else {
		t, err = transformationOnto(ctx, c, vdrID, &m)
	}
	if err == nil && id > 0 {
		err = resolveTransformationPaths(ctx, c, t)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the transformation", d.provider.errorDetail(err))
		return
	}
	found := transformationFrom(t, nil)
	if !m.ElementKey.IsNull() {
		found.ElementKey = m.ElementKey // the configured spelling
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &found)...)
}

// transformationOnto finds the transformation of a common resource onto
// m's element or element instance: exactly one, read whole.
func transformationOnto(ctx context.Context, c *cloudelements.Client, vdrID int64, m *transformationModel) (*cloudelements.VDRTransformation, error) {
	opts := cloudelements.TransformationListOptions{ElementKey: m.ElementKey.ValueString()}
	opts.InstanceID, _ = validate.ParseInstanceID(m.InstanceID.ValueString())
	list, err := listTransformations(ctx, c, vdrID, opts)
	if err != nil {
		return nil, err
	}
	target := "element " + opts.ElementKey
	if opts.InstanceID != 0 {
		target = "instance " + m.InstanceID.ValueString()
	}
	switch len(list) {
	case 1:
		return &list[0], nil
	case 0:
		return nil, fmt.Errorf("common resource %d has no transformation onto %s", vdrID, target)
	}
	return nil, fmt.Errorf("common resource %d has %d transformations onto %s; give the id of the one you mean", vdrID, len(list), target)
}
