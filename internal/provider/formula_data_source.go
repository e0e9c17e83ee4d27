package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

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
	_ datasource.DataSourceWithConfigure        = (*formulaDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*formulaDataSource)(nil)
)

// NewFormulaDataSource returns the cloudelements_formula data source.
func NewFormulaDataSource() datasource.DataSource { return &formulaDataSource{} }

// formulaDataSource reads one formula by id or by name; it shares
// instanceLookup's configuration and its exactly-one-of-id-and-name rule.
type formulaDataSource struct{ instanceLookup }

func (d *formulaDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

// formulaLinkDSAttributes are a step's or a trigger's attributes, read only.
func formulaLinkDSAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"type":       schema.StringAttribute{MarkdownDescription: "Its type.", Computed: true},
		"on_success": schema.ListAttribute{MarkdownDescription: "Steps run on success.", ElementType: types.StringType, Computed: true},
		"on_failure": schema.ListAttribute{MarkdownDescription: "Steps run on failure.", ElementType: types.StringType, Computed: true},
		"properties": schema.StringAttribute{MarkdownDescription: "Its properties as JSON (compact, keys sorted).", Computed: true,
			CustomType: meaningType[looseJSON]{}},
	}
}

func (d *formulaDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := map[string]schema.Attribute{
		"description":     schema.StringAttribute{MarkdownDescription: "The description.", Computed: true},
		"active":          schema.BoolAttribute{MarkdownDescription: "Whether the formula is active.", Computed: true},
		"single_threaded": schema.BoolAttribute{MarkdownDescription: "Whether executions run one at a time.", Computed: true},
		"created_date":    schema.StringAttribute{MarkdownDescription: "When it was created (RFC 3339, UTC).", Computed: true},
		"configuration": schema.ListNestedAttribute{MarkdownDescription: "Its configuration variables.", Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"key":  schema.StringAttribute{MarkdownDescription: "The variable's key.", Computed: true},
				"name": schema.StringAttribute{MarkdownDescription: "Its display name.", Computed: true},
				"type": schema.StringAttribute{MarkdownDescription: "Its type.", Computed: true},
			}}},
		"triggers": schema.ListNestedAttribute{MarkdownDescription: "Its triggers.", Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: formulaLinkDSAttributes()}},
		"steps": schema.MapNestedAttribute{MarkdownDescription: "Its steps, keyed by name.", Computed: true,
			NestedObject: schema.NestedAttributeObject{Attributes: formulaLinkDSAttributes()}},
	}
	lookupAttributes(attrs, "it must be the only formula of that name.")
	if name, ok := attrs["name"].(schema.StringAttribute); ok {
		name.CustomType = meaningType[storedName]{} // formulaModel's, compared as stored
		attrs["name"] = name
	}
	if id, ok := attrs["id"].(schema.StringAttribute); ok {
		id.MarkdownDescription = "The formula's numeric id. Exactly one of `id` and `name` must be set."
		id.Validators = []validator.String{validate.FormulaID()}
		attrs["id"] = id
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "One formula, by id (`GET /formulas/{id}`) or by exact name (every page of " +
			"`GET /formulas`), with its configuration, triggers and steps as `cloudelements_formula` shows them. " +
			"Use it to call a formula managed elsewhere as a sub-formula.",
		Attributes: attrs,
	}
}

func (d *formulaDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var cfg formulaModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	f := findFormula(ctx, d.provider, cfg.ID, cfg.Name.StringValue, &resp.Diagnostics)
	if f == nil {
		return
	}
	m, diags := formulaFrom(ctx, f, nil)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// findFormula reads a formula by id, or finds the one formula of a name.
// nil means diags say why.
func findFormula(ctx context.Context, pd *providerData, id, name types.String, diags *diag.Diagnostics) *cloudelements.Formula {
	if !id.IsNull() {
		n, err := validate.ParseFormulaID(id.ValueString())
		if err != nil {
			diags.AddAttributeError(path.Root("id"), "Invalid formula id", "id: "+err.Error())
			return nil
		}
		f, err := pd.client.GetFormula(ctx, n)
		if err != nil {
			diags.AddError("Cannot read formula "+id.ValueString(), pd.errorDetail(err))
			return nil
		}
		return f
	}
	// The whole listing (names are matched here anyway) also gives the
	// closest name when none matches.
	all, err := pd.client.ListFormulas(ctx, cloudelements.FormulaListOptions{})
	if err != nil {
		diags.AddError("Cannot list formulas", pd.errorDetail(err))
		return nil
	}
	var list []cloudelements.Formula
	names := make([]string, 0, len(all))
	for _, f := range all {
		names = append(names, f.Name)
		if f.Name == name.ValueString() {
			list = append(list, f)
		}
	}
	switch len(list) {
	case 0:
		diags.AddAttributeError(path.Root("name"), "No formula named "+strconv.Quote(name.ValueString()),
			"name: the account has no formula of that exact name (case included)."+
				validate.DidYouMean(name.ValueString(), names)+" Check the name, or look the formula up by id.")
		return nil
	case 1:
		return &list[0]
	}
	ids := make([]string, len(list))
	for i, f := range list {
		ids[i] = strconv.FormatInt(f.ID, 10)
	}
	diags.AddAttributeError(path.Root("name"), "Several formulas named "+strconv.Quote(name.ValueString()),
		fmt.Sprintf("name: formulas %s all have that name; look one up by id instead.", strings.Join(ids, ", ")))
	return nil
}
