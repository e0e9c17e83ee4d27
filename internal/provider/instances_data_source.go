package provider

import (
	"context"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ datasource.DataSource              = (*instancesDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*instancesDataSource)(nil)
)

// NewInstancesDataSource returns the cloudelements_instances data source.
func NewInstancesDataSource() datasource.DataSource {
	return &instancesDataSource{}
}

// instancesDataSource lists the instances the account sees, of any element.
type instancesDataSource struct {
	provider *providerData
}

// instancesDataSourceModel is the data source's Terraform state.
type instancesDataSourceModel struct {
	ElementKey types.String `tfsdk:"element_key"`
	Tags       types.Set    `tfsdk:"tags"`
	Name       types.String `tfsdk:"name"`
	Instances  types.List   `tfsdk:"instances"`
}

// instanceListItemModel is one element of instances; it has no token.
type instanceListItemModel struct {
	instanceSummaryModel

	ElementKey types.String `tfsdk:"element_key"`
}

// instanceListItemAttrTypes are the attribute types of instanceListItemModel.
var instanceListItemAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"name":         types.StringType,
	"element_key":  types.StringType,
	"tags":         types.SetType{ElemType: types.StringType},
	"created_date": types.StringType,
	"valid":        types.BoolType,
	"disabled":     types.BoolType,
}

// instanceFilter is what a listed instance must match; zero fields match all.
type instanceFilter struct {
	elementKey string
	name       string
	tags       []string
}

// filterInstances keeps the instances matching f exactly, since the
// platform's searchText is only a case-insensitive substring match on name
// or element key.
func filterInstances(list []cloudelements.Instance, f instanceFilter) []cloudelements.Instance {
	var out []cloudelements.Instance
	for _, inst := range list {
		if f.elementKey != "" && inst.Element.Key != f.elementKey {
			continue
		}
		if f.name != "" && inst.Name != f.name {
			continue
		}
		if !containsAll(inst.Tags, f.tags) {
			continue
		}
		out = append(out, inst)
	}
	return out
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func (d *instancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instances"
}

func (d *instancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	item := summaryAttributes()
	item["id"] = schema.StringAttribute{MarkdownDescription: "The instance's numeric id.", Computed: true}
	item["name"] = schema.StringAttribute{MarkdownDescription: "The instance's name.", Computed: true}
	item["element_key"] = schema.StringAttribute{
		MarkdownDescription: "The key of the instance's element, such as `freshdeskv2`.",
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the element instances the account sees, of every element, optionally filtered. " +
			"Follows every page of `GET /instances`. Tokens are not included; use the `cloudelements_instance_token` " +
			"ephemeral resource for one.",
		Attributes: map[string]schema.Attribute{
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Only instances of this element, such as `freshdeskv2` (exact match).",
				Optional:            true,
				Validators:          []validator.String{notBlankString()},
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Only instances carrying every one of these tags (sent as `tags[]`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(notBlankString())},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Only instances with exactly this name (case included).",
				Optional:            true,
				Validators:          []validator.String{notBlankString()},
			},
			"instances": schema.ListNestedAttribute{
				MarkdownDescription: "The matching instances, ordered by id.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: item},
			},
		},
	}
}

func (d *instancesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	d.provider = pd
}

func (d *instancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state instancesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	f := instanceFilter{elementKey: state.ElementKey.ValueString(), name: state.Name.ValueString()}
	resp.Diagnostics.Append(state.Tags.ElementsAs(ctx, &f.tags, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// searchText narrows the listing on the platform to a superset: every
	// instance of an element has its key as a substring of the element key.
	search := f.name
	if search == "" {
		search = f.elementKey
	}
	list, err := d.provider.client.ListInstances(ctx, cloudelements.ListOptions{Tags: f.tags, SearchText: search})
	if err != nil {
		resp.Diagnostics.AddError("Cannot list instances", err.Error())
		return
	}
	matches := filterInstances(list, f)
	sort.Slice(matches, func(i, j int) bool { return matches[i].ID < matches[j].ID })

	items := make([]instanceListItemModel, 0, len(matches))
	for i := range matches {
		summary, diags := summaryOf(ctx, &matches[i])
		resp.Diagnostics.Append(diags...)
		items = append(items, instanceListItemModel{
			instanceSummaryModel: summary,
			ElementKey:           types.StringValue(matches[i].Element.Key),
		})
	}
	instances, diags := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: instanceListItemAttrTypes}, items)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Instances = instances
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
