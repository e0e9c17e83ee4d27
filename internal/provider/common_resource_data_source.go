package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ datasource.DataSourceWithConfigure        = (*commonResourceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*commonResourceDataSource)(nil)
)

// NewCommonResourceDataSource returns the cloudelements_common_resource
// data source.
func NewCommonResourceDataSource() datasource.DataSource { return &commonResourceDataSource{} }

// commonResourceDataSource reads one common resource by id or by
// object_name.
type commonResourceDataSource struct{ dataSourceClient }

func (d *commonResourceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_common_resource"
}

// commonResourceDSFields are a common resource's fields, read only.
func commonResourceDSFields() schema.SetNestedAttribute {
	return schema.SetNestedAttribute{
		MarkdownDescription: "Its fields, without the system fields the platform adds.", Computed: true,
		NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
			"path":  schema.StringAttribute{MarkdownDescription: "The field's path.", Computed: true},
			"type":  schema.StringAttribute{MarkdownDescription: "Its type.", Computed: true},
			"level": schema.StringAttribute{MarkdownDescription: "Its level.", Computed: true},
		}},
	}
}

func (d *commonResourceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "One common resource (VDR v2), by id (`GET /vdrs/{id}`) or by `object_name` (every " +
			"page of `GET /vdrs`, then `GET /vdrs/{name}/export` when the listing does not show it yet), with its " +
			"fields as `cloudelements_common_resource` shows them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The common resource's numeric id. Exactly one of `id` and `object_name` must be set.",
				Optional:            true, Computed: true, Validators: []validator.String{validate.ID(commonResourceKind)},
			},
			"object_name": schema.StringAttribute{
				MarkdownDescription: "The common resource's object name, matched exactly (case and all). Exactly " +
					"one of `id` and `object_name` must be set.",
				Optional: true, Computed: true, Validators: []validator.String{validate.NotBlank()},
			},
			"display_name": schema.StringAttribute{MarkdownDescription: "Its display name.", Computed: true,
				CustomType: meaningType[storedName]{}},
			"description": schema.StringAttribute{MarkdownDescription: "Its description.", Computed: true},
			"fields":      commonResourceDSFields(),
		},
	}
}

func (d *commonResourceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("object_name")),
	}
}

func (d *commonResourceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var cfg commonResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	v := findCommonResource(ctx, d.provider, cfg.ID, cfg.ObjectName, &resp.Diagnostics)
	if v == nil {
		return
	}
	m, diags := commonResourceFrom(ctx, v, nil)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// findCommonResource reads a common resource by id, or finds the one of an
// object name: in the listing (whole items), else through the export,
// which answers at once after a write while a listing may lag. nil means
// diags say why.
func findCommonResource(ctx context.Context, pd *providerData, id, name types.String, diags *diag.Diagnostics) *cloudelements.VDR {
	if !id.IsNull() {
		n, err := validate.ParseID(commonResourceKind, id.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("id"), "Invalid common resource id", "id: "+err.Error())
			return nil
		}
		v, err := pd.client.GetVDR(ctx, n)
		if err != nil {
			diags.AddError("Cannot read common resource "+id.ValueString(), pd.errorDetail(err))
			return nil
		}
		return v
	}
	all, err := pd.client.ListVDRs(ctx, cloudelements.VDRListOptions{})
	if err != nil {
		diags.AddError("Cannot list common resources", pd.errorDetail(err))
		return nil
	}
	names := make([]string, 0, len(all))
	for i := range all {
		if all[i].ObjectName == name.ValueString() {
			return &all[i] // object names are unique
		}
		names = append(names, all[i].ObjectName)
	}
	x, err := pd.client.ExportVDR(ctx, name.ValueString())
	switch {
	case err == nil && x.VDR.ObjectName == name.ValueString():
		return &x.VDR
	case err == nil || cloudelements.IsNotFound(err):
		diags.AddAttributeError(path.Root("object_name"), "No common resource named "+name.String(),
			"object_name: the account has no common resource of that exact object name (case included)."+
				validate.DidYouMean(name.ValueString(), names)+" Check the name, or look it up by id.")
	default:
		diags.AddError("Cannot find common resource "+name.String(), pd.errorDetail(err))
	}
	return nil
}
