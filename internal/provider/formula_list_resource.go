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

var _ list.ListResourceWithConfigure = (*formulaListResource)(nil)

// NewFormulaListResource returns the cloudelements_formula list resource,
// for `terraform query` (Terraform 1.14 and later).
func NewFormulaListResource() list.ListResource { return &formulaListResource{} }

type formulaListResource struct{ resourceConfigured }

type formulaListModel struct {
	Name types.String `tfsdk:"name"`
}

func (l *formulaListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula"
}

func (l *formulaListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the account's formulas, following every page of `GET /formulas`, for " +
			"`terraform query` (Terraform 1.14 and later). " + formulaListCapsText + " Each result is named by the " +
			"formula's name and carries its identity; with `include_resource = true` also its configuration, " +
			"triggers and steps, so that `-generate-config-out` writes configuration that applies with no change.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{MarkdownDescription: "Only formulas with exactly this name.", Optional: true,
				Validators: []validator.String{validate.NotBlank()}},
		},
	}
}

func (l *formulaListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config formulaListModel
	diags := req.Config.Get(ctx, &config)
	listAssets(ctx, l.provider, req, stream, diags, "formulas",
		func(ctx context.Context) ([]cloudelements.Formula, error) {
			return l.provider.client.ListFormulas(ctx, cloudelements.FormulaListOptions{Name: config.Name.ValueString()})
		},
		func(ctx context.Context, f *cloudelements.Formula, r *list.ListResult) {
			r.DisplayName = f.Name
			m, d := formulaFrom(ctx, f, nil)
			r.Diagnostics.Append(d...)
			r.Diagnostics.Append(r.Identity.Set(ctx, instanceIdentityModel{ID: m.ID})...)
			if req.IncludeResource && !r.Diagnostics.HasError() {
				includeResource(ctx, l.provider.guard(), r, m.ID, func(rm *formulaResourceModel) { rm.formulaModel = m })
			}
		})
}
