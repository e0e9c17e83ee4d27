package provider

import (
	"context"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var _ datasource.DataSourceWithConfigure = (*formulasDataSource)(nil)

// NewFormulasDataSource returns the cloudelements_formulas data source.
func NewFormulasDataSource() datasource.DataSource { return &formulasDataSource{} }

// formulasDataSource lists the account's formulas.
type formulasDataSource struct{ dataSourceClient }

type formulasDataSourceModel struct {
	Name     types.String `tfsdk:"name"`
	Formulas types.List   `tfsdk:"formulas"`
}

var formulaSummaryAttrTypes = map[string]attr.Type{
	"id": types.StringType, "name": types.StringType, "description": types.StringType,
	"active": types.BoolType, "created_date": types.StringType, "step_names": types.ListType{ElemType: types.StringType},
}

func (d *formulasDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formulas"
}

func (d *formulasDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The account's formulas, following every page of `GET /formulas`, ordered by id. " +
			formulaListCapsText + " Read one with the `cloudelements_formula` data source for its steps.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{MarkdownDescription: "Only formulas with exactly this name.", Optional: true,
				Validators: []validator.String{validate.NotBlank()}},
			"formulas": schema.ListNestedAttribute{
				MarkdownDescription: "The formulas found.", Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":           schema.StringAttribute{MarkdownDescription: "The formula's id.", Computed: true},
					"name":         schema.StringAttribute{MarkdownDescription: "Its name.", Computed: true},
					"description":  schema.StringAttribute{MarkdownDescription: "Its description.", Computed: true},
					"active":       schema.BoolAttribute{MarkdownDescription: "Whether it is active.", Computed: true},
					"created_date": schema.StringAttribute{MarkdownDescription: "When it was created (RFC 3339, UTC).", Computed: true},
					"step_names": schema.ListAttribute{MarkdownDescription: "Its steps' names, as answered.",
						ElementType: types.StringType, Computed: true},
				}},
			},
		},
	}
}

func (d *formulasDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var m formulasDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	list, err := d.provider.client.ListFormulas(ctx, cloudelements.FormulaListOptions{Name: m.Name.ValueString()})
	if err != nil {
		resp.Diagnostics.AddError("Cannot list formulas", d.provider.errorDetail(err))
		return
	}
	items := make([]attr.Value, 0, len(list))
	for _, f := range list {
		steps := make([]attr.Value, len(f.Steps))
		for i, s := range f.Steps {
			steps[i] = types.StringValue(s.Name)
		}
		items = append(items, types.ObjectValueMust(formulaSummaryAttrTypes, map[string]attr.Value{
			"id": types.StringValue(strconv.FormatInt(f.ID, 10)), "name": types.StringValue(f.Name),
			"description": types.StringValue(f.Description), "active": types.BoolValue(f.Active),
			"created_date": types.StringValue(normalizeCreatedDate(f.CreatedDate)),
			"step_names":   types.ListValueMust(types.StringType, steps),
		}))
	}
	m.Formulas = types.ListValueMust(types.ObjectType{AttrTypes: formulaSummaryAttrTypes}, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
