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

var _ list.ListResourceWithConfigure = (*formulaInstanceListResource)(nil)

// NewFormulaInstanceListResource returns the cloudelements_formula_instance
// list resource, for `terraform query` (Terraform 1.14 and later).
func NewFormulaInstanceListResource() list.ListResource { return &formulaInstanceListResource{} }

type formulaInstanceListResource struct{ resourceConfigured }

type formulaInstanceListModel struct {
	FormulaID         types.String `tfsdk:"formula_id"`
	ElementInstanceID types.String `tfsdk:"element_instance_id"`
}

func (l *formulaInstanceListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instance"
}

func (l *formulaInstanceListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds formula instances, following every page of `GET /formulas/instances`, for " +
			"`terraform query` (Terraform 1.14 and later). " + formulaInstanceListCapsText + " Each result carries its identity " +
			"(formula id and id); with `include_resource = true` also its name, configuration and settings. Values " +
			"of secret configuration keys cannot be generated: move them to `secret_configuration` by hand.",
		Attributes: map[string]schema.Attribute{
			"formula_id": schema.StringAttribute{MarkdownDescription: "Only the instances of this formula.",
				Optional: true, Validators: []validator.String{validate.FormulaID()}},
			"element_instance_id": schema.StringAttribute{MarkdownDescription: "Only those bound to this element instance.",
				Optional: true, Validators: []validator.String{validate.InstanceID()}},
		},
	}
}

func (l *formulaInstanceListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config formulaInstanceListModel
	diags := req.Config.Get(ctx, &config)
	opts := cloudelements.FormulaInstanceListOptions{}
	opts.FormulaID, _ = validate.ParseFormulaID(config.FormulaID.ValueString())
	opts.ElementInstanceID, _ = validate.ParseInstanceID(config.ElementInstanceID.ValueString())
	var secret map[int64]map[string]bool
	listAssets(ctx, l.provider, req, stream, diags, "formula instances",
		func(ctx context.Context) ([]cloudelements.FormulaInstance, error) {
			found, err := l.provider.client.ListFormulaInstances(ctx, opts)
			secret = listedFormulaInstances(ctx, l.provider.guard(), found)
			return found, err
		},
		func(ctx context.Context, fi *cloudelements.FormulaInstance, r *list.ListResult) {
			r.DisplayName = fi.Name
			m := listedFormulaInstance(fi, secret)
			r.Diagnostics.Append(setFormulaInstanceIdentityOn(ctx, r, &m)...)
			if req.IncludeResource && !r.Diagnostics.HasError() {
				includeResource(ctx, l.provider.guard(), r, m.ID, func(rm *formulaInstanceResourceModel) { rm.formulaInstanceModel = m })
			}
		})
}
