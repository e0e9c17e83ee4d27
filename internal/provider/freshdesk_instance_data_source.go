package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
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
	instanceLookup
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

func (d *freshdeskInstanceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (d *freshdeskInstanceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := summaryAttributes()
	lookupAttributes(attrs, "exactly one Freshdesk V2 instance must have it.")
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

func (d *freshdeskInstanceDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
	var config freshdeskInstanceDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	inst := d.find(ctx, config.ID, config.Name, freshdeskElement.key, freshdeskElement.label,
		"use the cloudelements_instances data source for instances of other elements", &resp.Diagnostics)
	if inst == nil {
		return
	}

	summary, diags := summaryOf(ctx, inst)
	resp.Diagnostics.Append(diags...)
	state := freshdeskInstanceDataSourceModel{
		instanceSummaryModel: summary,
		Subdomain:            configString(inst.Configuration, configSubdomain),
		FilterResponseNulls:  types.BoolValue(configBool(inst.Configuration, configFilterResponseNulls, true)),
		Enabled:              types.BoolValue(!inst.Disabled),
		EventsEnabled:        types.BoolValue(inst.EventsEnabled),
		ElementID:            types.Int64Value(elementIDOf(inst)),
		Token:                types.StringValue(inst.Token),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
