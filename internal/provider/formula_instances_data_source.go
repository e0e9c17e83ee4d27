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

var _ datasource.DataSourceWithConfigure = (*formulaInstancesDataSource)(nil)

// NewFormulaInstancesDataSource returns cloudelements_formula_instances.
func NewFormulaInstancesDataSource() datasource.DataSource { return &formulaInstancesDataSource{} }

// formulaInstancesDataSource lists formula instances.
type formulaInstancesDataSource struct{ dataSourceClient }

type formulaInstancesDataSourceModel struct {
	FormulaID         types.String `tfsdk:"formula_id"`
	ElementInstanceID types.String `tfsdk:"element_instance_id"`
	FormulaInstances  types.List   `tfsdk:"formula_instances"`
}

var formulaInstanceItemAttrTypes = map[string]attr.Type{
	"id": types.StringType, "formula_id": types.StringType, "name": types.StringType, "active": types.BoolType,
	"configuration": types.MapType{ElemType: types.StringType}, "notification_email": types.StringType,
	"notification_webhook_url": types.StringType, "time_to_live": types.Int64Type, "created_date": types.StringType,
}

func (d *formulaInstancesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instances"
}

func (d *formulaInstancesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: desc, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Formula instances, following every page of `GET /formulas/instances`, ordered by id. " +
			formulaInstanceListCapsText,
		Attributes: map[string]schema.Attribute{
			"formula_id": schema.StringAttribute{MarkdownDescription: "Only the instances of this formula.",
				Optional: true, Validators: []validator.String{validate.FormulaID()}},
			"element_instance_id": schema.StringAttribute{
				MarkdownDescription: "Only the formula instances bound to this element instance (`elementInstanceId=`).",
				Optional:            true, Validators: []validator.String{validate.InstanceID()}},
			"formula_instances": schema.ListNestedAttribute{
				MarkdownDescription: "The formula instances found.", Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":         computed("The formula instance's id."),
					"formula_id": computed("Its formula's id."),
					"name":       computed("Its name."),
					"active":     schema.BoolAttribute{MarkdownDescription: "Whether it runs.", Computed: true},
					"configuration": schema.MapAttribute{
						MarkdownDescription: "Its configuration as answered, without the values of the formula's " +
							"`password` variables (nor any the platform answers masked). Sensitive: the platform may " +
							"answer other secret values in clear.",
						ElementType: types.StringType, Computed: true, Sensitive: true},
					"notification_email":       computed("Setting `notification.email`."),
					"notification_webhook_url": computed("Setting `notification.webhook.url`."),
					"time_to_live":             schema.Int64Attribute{MarkdownDescription: "Setting `formula.instance.time.to.live`.", Computed: true},
					"created_date":             computed("When it was created (RFC 3339, UTC)."),
				}},
			},
		},
	}
}

func (d *formulaInstancesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var m formulaInstancesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	opts := cloudelements.FormulaInstanceListOptions{}
	opts.FormulaID, _ = validate.ParseFormulaID(m.FormulaID.ValueString())
	opts.ElementInstanceID, _ = validate.ParseInstanceID(m.ElementInstanceID.ValueString())
	list, err := d.provider.client.ListFormulaInstances(ctx, opts)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list formula instances", d.provider.errorDetail(err))
		return
	}
	secret := listedFormulaInstances(ctx, d.provider.guard(), list)
	items := make([]attr.Value, 0, len(list))
	for i := range list {
		fi := listedFormulaInstance(&list[i], secret)
		if fi.Configuration.IsNull() {
			fi.Configuration = types.MapValueMust(types.StringType, nil)
		}
		items = append(items, types.ObjectValueMust(formulaInstanceItemAttrTypes, map[string]attr.Value{
			"id": fi.ID, "formula_id": fi.FormulaID, "name": fi.Name.StringValue, "active": fi.Active, "configuration": fi.Configuration,
			"notification_email": fi.NotificationEmail, "notification_webhook_url": fi.NotificationWebhookURL,
			"time_to_live": fi.TimeToLive, "created_date": fi.CreatedDate,
		}))
	}
	m.FormulaInstances = types.ListValueMust(types.ObjectType{AttrTypes: formulaInstanceItemAttrTypes}, items)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}
