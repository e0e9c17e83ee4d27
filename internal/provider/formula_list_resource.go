package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
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
			"`terraform query` (Terraform 1.14 and later). " + listCapsText + " Each result is named by the " +
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
	if diags.HasError() || !dataSourceConfigured(l.provider, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// The results are built while Terraform reads the stream: the context
	// lives until the stream ends (see limitedResults).
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	found, err := l.provider.client.ListFormulas(ctx, cloudelements.FormulaListOptions{Name: config.Name.ValueString()})
	if err != nil {
		cancel()
		diags.AddError("Cannot list formulas", l.provider.errorDetail(err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = limitedResults(req.Limit, len(found), cancel, func(i int) list.ListResult {
		f := &found[i]
		r := req.NewListResult(ctx)
		r.DisplayName = f.Name
		m, d := formulaFrom(ctx, f, nil)
		r.Diagnostics.Append(d...)
		r.Diagnostics.Append(r.Identity.Set(ctx, instanceIdentityModel{ID: m.ID})...)
		if req.IncludeResource && !r.Diagnostics.HasError() {
			// Start as an import does (every attribute null, timeouts
			// included), then set what a read finds.
			r.Diagnostics.Append(r.Resource.SetAttribute(ctx, path.Root("id"), m.ID)...)
			var rm formulaResourceModel
			r.Diagnostics.Append(r.Resource.Get(ctx, &rm)...)
			rm.formulaModel = m
			r.Diagnostics.Append(r.Resource.Set(ctx, &rm)...)
			scrubListResult(ctx, &r)
		}
		return r
	})
}

// limitedResults streams n results made by one, at most limit (0: all),
// and calls done when the stream ends.
func limitedResults(limit int64, n int, done func(), one func(i int) list.ListResult) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		defer done()
		for i := range n {
			if limit > 0 && int64(i) >= limit || !push(one(i)) {
				return
			}
		}
	}
}
