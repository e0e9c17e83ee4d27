package provider

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ datasource.DataSource                     = (*freshdeskInstanceDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*freshdeskInstanceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*freshdeskInstanceDataSource)(nil)
)

// NewFreshdeskInstanceDataSource returns the cloudelements_freshdesk_instance data source.
func NewFreshdeskInstanceDataSource() datasource.DataSource {
	return &freshdeskInstanceDataSource{}
}

// freshdeskInstanceDataSource looks up one Freshdesk V2 instance by id or name.
type freshdeskInstanceDataSource struct {
	provider *providerData
}

// instanceSummaryModel holds what both data sources report about any instance.
type instanceSummaryModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Tags        types.Set    `tfsdk:"tags"`
	CreatedDate types.String `tfsdk:"created_date"`
	Valid       types.Bool   `tfsdk:"valid"`
	Disabled    types.Bool   `tfsdk:"disabled"`
}

// freshdeskInstanceDataSourceModel is the data source's Terraform state.
type freshdeskInstanceDataSourceModel struct {
	instanceSummaryModel

	Subdomain           types.String `tfsdk:"subdomain"`
	FilterResponseNulls types.Bool   `tfsdk:"filter_response_nulls"`
	Enabled             types.Bool   `tfsdk:"enabled"`
	EventsEnabled       types.Bool   `tfsdk:"events_enabled"`
	ElementID           types.Int64  `tfsdk:"element_id"`
	Token               types.String `tfsdk:"token"`
}

// summaryAttributes are the computed attributes shared by both data sources;
// id and name differ (inputs here, outputs in the list) and are added by each.
func summaryAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"tags": schema.SetAttribute{
			MarkdownDescription: "The instance's tags.",
			ElementType:         types.StringType,
			Computed:            true,
		},
		"created_date": schema.StringAttribute{
			MarkdownDescription: "When the platform created the instance (RFC 3339, UTC).",
			Computed:            true,
		},
		"valid": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform considers the instance's credentials valid.",
			Computed:            true,
		},
		"disabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is disabled; hub calls with its token are then refused.",
			Computed:            true,
		},
	}
}

// summaryOf maps the fields every instance has.
func summaryOf(ctx context.Context, inst *cloudelements.Instance) (instanceSummaryModel, diag.Diagnostics) {
	tags := inst.Tags
	if tags == nil {
		tags = []string{} // an empty set, not null, so that length() works
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, tags)
	return instanceSummaryModel{
		ID:          types.StringValue(strconv.FormatInt(inst.ID, 10)),
		Name:        types.StringValue(inst.Name),
		Tags:        set,
		CreatedDate: types.StringValue(inst.CreatedDate),
		Valid:       types.BoolValue(inst.Valid),
		Disabled:    types.BoolValue(inst.Disabled),
	}, diags
}

// validInstanceID checks an id attribute at plan time.
func validInstanceID() validator.String {
	return stringCheckValidator{
		description: "a positive whole number, the instance's id",
		check: func(s string) error {
			_, err := parseInstanceID(s)
			return err
		},
	}
}

func (d *freshdeskInstanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (d *freshdeskInstanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := summaryAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The instance's numeric id. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{validInstanceID()},
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The instance's name, matched exactly (case and all). Exactly one Freshdesk V2 " +
			"instance must have it. Exactly one of `id` and `name` must be set.",
		Optional:   true,
		Computed:   true,
		Validators: []validator.String{notBlankString()},
	}
	attrs["subdomain"] = schema.StringAttribute{
		MarkdownDescription: "The Freshdesk subdomain: `acme` for `https://acme.freshdesk.com`.",
		Computed:            true,
	}
	attrs["filter_response_nulls"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the platform drops null fields from hub responses (`filter.response.nulls`).",
		Computed:            true,
	}
	attrs["enabled"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the instance is enabled (the opposite of `disabled`).",
		Computed:            true,
	}
	attrs["events_enabled"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the platform has events switched on for the instance.",
		Computed:            true,
	}
	attrs["element_id"] = schema.Int64Attribute{
		MarkdownDescription: "The element's id (491 for Freshdesk V2).",
		Computed:            true,
	}
	attrs["token"] = schema.StringAttribute{
		MarkdownDescription: "The element-instance token, for calling the helpdesk hub with " +
			"`Authorization: User <user secret>, Element <token>`. Sensitive, and kept in state like every " +
			"data source value; use the `cloudelements_instance_token` ephemeral resource to keep it out of state.",
		Computed:  true,
		Sensitive: true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up an existing Freshdesk V2 instance, for instance one made by another team " +
			"or by hand, by `id` (one `GET /instances/{id}`) or by `name` (`GET /instances?searchText=`, every " +
			"page). The Freshdesk API key is never exposed.",
		Attributes: attrs,
	}
}

func (d *freshdeskInstanceDataSource) ConfigValidators(_ context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *freshdeskInstanceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	d.provider = pd
}

func (d *freshdeskInstanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config freshdeskInstanceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(d.provider, &resp.Diagnostics) {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()

	var inst *cloudelements.Instance
	if !config.ID.IsNull() {
		inst = d.byID(ctx, config.ID.ValueString(), &resp.Diagnostics)
	} else {
		inst = d.byName(ctx, config.Name.ValueString(), &resp.Diagnostics)
	}
	if inst == nil {
		return
	}

	summary, diags := summaryOf(ctx, inst)
	resp.Diagnostics.Append(diags...)
	state := freshdeskInstanceDataSourceModel{
		instanceSummaryModel: summary,
		Subdomain:            configString(inst.Configuration, cloudelements.ConfigSubdomain),
		FilterResponseNulls:  types.BoolValue(configBool(inst.Configuration, cloudelements.ConfigFilterResponseNulls, true)),
		Enabled:              types.BoolValue(!inst.Disabled),
		EventsEnabled:        types.BoolValue(inst.EventsEnabled),
		ElementID:            types.Int64Value(elementIDOf(inst)),
		Token:                types.StringValue(inst.Token),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// byID fetches one instance with a single GET and checks its element.
func (d *freshdeskInstanceDataSource) byID(ctx context.Context, raw string, diags *diag.Diagnostics) *cloudelements.Instance {
	inst := getInstanceByID(ctx, d.provider.client, raw, diags)
	if inst == nil {
		return nil
	}
	if key := inst.Element.Key; key != "" && key != cloudelements.FreshdeskElementKey {
		diags.AddAttributeError(path.Root("id"), "Not a Freshdesk V2 instance",
			fmt.Sprintf("Instance %d belongs to element %q, not %q; use the cloudelements_instances data source "+
				"for instances of other elements.", inst.ID, key, cloudelements.FreshdeskElementKey))
		return nil
	}
	return inst
}

// getInstanceByID reads the instance whose id is in the id attribute, with
// one GET; a 404 becomes an error on id, as a lookup must find something.
func getInstanceByID(ctx context.Context, client *cloudelements.Client, raw string, diags *diag.Diagnostics) *cloudelements.Instance {
	id, err := parseInstanceID(raw)
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid id", "id: "+err.Error())
		return nil
	}
	inst, err := client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		diags.AddAttributeError(path.Root("id"), "Instance not found",
			fmt.Sprintf("There is no instance with id %d that these credentials can see.", id))
		return nil
	}
	if err != nil {
		diags.AddError("Cannot read the instance", err.Error())
		return nil
	}
	return inst
}

// byName lists with searchText (a substring match on name or element key)
// and keeps the Freshdesk V2 instances whose name is exactly name.
func (d *freshdeskInstanceDataSource) byName(ctx context.Context, name string, diags *diag.Diagnostics) *cloudelements.Instance {
	list, err := d.provider.client.ListInstances(ctx, cloudelements.ListOptions{SearchText: name})
	if err != nil {
		diags.AddError("Cannot list instances", err.Error())
		return nil
	}
	matches := filterInstances(list, instanceFilter{elementKey: cloudelements.FreshdeskElementKey, name: name})
	switch len(matches) {
	case 1:
		return &matches[0]
	case 0:
		diags.AddAttributeError(path.Root("name"), "No matching instance",
			fmt.Sprintf("No Freshdesk V2 instance is named %q (names match exactly, case included).", name))
	default:
		ids := make([]string, len(matches))
		for i := range matches {
			ids[i] = strconv.FormatInt(matches[i].ID, 10)
		}
		diags.AddAttributeError(path.Root("name"), "Several matching instances",
			fmt.Sprintf("%d Freshdesk V2 instances are named %q, with ids %s; look one up by id instead.",
				len(matches), name, strings.Join(ids, ", ")))
	}
	return nil
}

// elementIDOf prefers elementId and falls back to element.id, which some
// answers carry instead.
func elementIDOf(inst *cloudelements.Instance) int64 {
	if inst.ElementID != 0 {
		return inst.ElementID
	}
	return inst.Element.ID
}

// dataSourceConfigured reports an error when Read runs before Configure.
func dataSourceConfigured(pd *providerData, diags *diag.Diagnostics) bool {
	if pd == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; "+
			"please report this issue to the provider developers.")
		return false
	}
	return true
}
