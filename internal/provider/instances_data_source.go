package provider

import (
	"context"
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
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

// instanceListItemAttrTypes are the attributes of one element of instances:
// what a resource block for the instance needs, and no secret (no token, no
// API key).
var instanceListItemAttrTypes = map[string]attr.Type{
	"id":           types.StringType,
	"name":         types.StringType,
	"element_key":  types.StringType,
	"tags":         types.SetType{ElemType: types.StringType},
	"created_date": types.StringType,
	"valid":        types.BoolType,
	"disabled":     types.BoolType,

	"subdomain":             types.StringType,
	"enabled":               types.BoolType,
	"filter_response_nulls": types.BoolType,
	"events_enabled":        types.BoolType,
	"events":                types.ObjectType{AttrTypes: listedEventsAttrTypes},
}

// listedEventsAttrTypes are the events settings an item shows: those of a
// resource's events block that the platform returns and that are no secret
// (no signature key) and not computed (no webhook_url).
var listedEventsAttrTypes = map[string]attr.Type{
	"enabled":                 types.BoolType,
	"callback_url":            types.StringType,
	"vendor_type":             types.StringType,
	"poller_refresh_interval": types.Int64Type,
	"poller_configuration":    types.StringType,
}

// listedEvents is the events block an import of inst reads (readEvents), as
// an item shows it: null when events are off.
func listedEvents(ctx context.Context, inst *cloudelements.Instance) (types.Object, diag.Diagnostics) {
	read := instanceCommonModel{Events: types.ObjectNull(eventsAttrTypes)}
	diags := readEvents(ctx, inst, &read, "", "")
	if diags.HasError() || read.Events.IsNull() {
		return types.ObjectNull(listedEventsAttrTypes), diags
	}
	var ev eventsModel
	diags.Append(read.Events.As(ctx, &ev, basetypes.ObjectAsOptions{})...)
	obj, d := types.ObjectValue(listedEventsAttrTypes, map[string]attr.Value{
		"enabled":                 ev.Enabled,
		"callback_url":            ev.CallbackURL,
		"vendor_type":             ev.VendorType,
		"poller_refresh_interval": ev.PollerRefreshInterval,
		"poller_configuration":    ev.PollerConfiguration.StringValue,
	})
	diags.Append(d...)
	return obj, diags
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

// listMatching lists every page of instances matching f, ordered by id.
// Instances listed without their configuration, or instances of known
// elements without the keys that identify them (list answers may carry
// fewer fields than a read), are read once each, so that what a resource
// block needs (the subdomain, the events) is there.
func listMatching(ctx context.Context, client *cloudelements.Client, f instanceFilter) ([]cloudelements.Instance, error) {
	// The element's own listing (GET /elements/{key}/instances) names the
	// element of every result, even when an answer gives only its id;
	// searchText narrows it to a superset of the name.
	list, err := client.ListInstances(ctx, cloudelements.ListOptions{Tags: f.tags, SearchText: f.name, ElementKey: f.elementKey})
	if err != nil {
		return nil, err
	}
	matches := filterInstances(list, f)
	sort.Slice(matches, func(i, j int) bool { return matches[i].ID < matches[j].ID })
	// Without its configuration, an item would also lack its events.
	return client.CompleteInstances(ctx, matches, func(inst *cloudelements.Instance) bool {
		return factsOf(inst.Element.Key).lacksMatchKeys(inst.Configuration)
	})
}

// listCapsText names the caps on one listing of instances, for the docs of
// everything that lists them; formulaListCapsText and
// formulaInstanceListCapsText the same for the formula listings, each with the
// way out its cap error names.
var (
	listCapsText                = listCaps("instances", "narrow it with `tags` or `name`")
	formulaListCapsText         = listCaps("formulas", "look formulas up by id instead")
	formulaInstanceListCapsText = listCaps("formula instances", "narrow it by element instance (`element_instance_id`)")
)

func listCaps(what, hint string) string {
	return fmt.Sprintf("One listing holds at most %d %s and %d MiB of JSON, whatever the platform answers; past "+
		"that the read fails with an error saying to %s.", cloudelements.MaxListItems, what, cloudelements.MaxListBytes>>20, hint)
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
	item["subdomain"] = schema.StringAttribute{
		MarkdownDescription: "The configured `subdomain` (Freshdesk: `acme` for `https://acme.freshdesk.com`); " +
			"null when the instance's configuration has none.",
		Computed: true,
	}
	item["enabled"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the instance is enabled (the opposite of `disabled`).",
		Computed:            true,
	}
	item["filter_response_nulls"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the platform drops null fields from hub responses (`filter.response.nulls`; " +
			"`true` when the configuration does not say, the platform's default).",
		Computed: true,
	}
	item["events_enabled"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the platform has events switched on for the instance. A Freshdesk instance " +
			"with events on needs an `events` block in its resource configuration: `events` below.",
		Computed: true,
	}
	item["events"] = schema.SingleNestedAttribute{
		MarkdownDescription: "The instance's event set-up as a resource's `events` block reads it after an import, " +
			"null when events are off (`event.notification.enabled` not `true`): write `events = each.value.events` " +
			"in a resource block so that importing it leaves its polling or webhooks as they are. Without the " +
			"signature key, a secret the platform masks.",
		Computed: true,
		Attributes: map[string]schema.Attribute{
			"enabled":                 schema.BoolAttribute{MarkdownDescription: "Always `true` (`event.notification.enabled`).", Computed: true},
			"callback_url":            schema.StringAttribute{MarkdownDescription: "`event.notification.callback.url`.", Computed: true},
			"vendor_type":             schema.StringAttribute{MarkdownDescription: "`event.vendor.type`: `polling` or `webhook`.", Computed: true},
			"poller_refresh_interval": schema.Int64Attribute{MarkdownDescription: "`event.poller.refresh_interval` in minutes; null for webhooks.", Computed: true},
			"poller_configuration":    schema.StringAttribute{MarkdownDescription: "`event.poller.configuration`, JSON.", Computed: true},
		},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the element instances the account sees, of every element, optionally filtered. " +
			"Follows every page of `GET /instances` (`GET /elements/{key}/instances` with `element_key`) within the " +
			"read timeout (5 minutes). " + listCapsText + " Each item carries what a " +
			"`cloudelements_freshdesk_instance` block needs (name, subdomain, tags, enabled, filter_response_nulls), " +
			"for import blocks with `for_each`. No secret is included: no token (use the " +
			"`cloudelements_instance_token` ephemeral resource) and no API key (the platform never returns it).",
		Attributes: map[string]schema.Attribute{
			"element_key": schema.StringAttribute{
				MarkdownDescription: "Only instances of this element, such as `freshdeskv2` (exact match).",
				Optional:            true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Only instances carrying every one of these tags (sent as `tags[]`).",
				ElementType:         types.StringType,
				Optional:            true,
				Validators:          []validator.Set{setvalidator.ValueStringsAre(validate.NotBlank())},
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Only instances with exactly this name (case included).",
				Optional:            true,
				Validators:          []validator.String{validate.NotBlank()},
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
	defer d.provider.guard().keepOut(ctx, &resp.State, req.Config.Raw, &resp.Diagnostics)
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
	matches, err := listMatching(ctx, d.provider.client, f)
	if err != nil {
		resp.Diagnostics.AddError("Cannot list instances", d.provider.errorDetail(err))
		return
	}

	instances, diags := instanceListValue(ctx, matches)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.Instances = instances
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// instanceListValue converts listed instances to the instances attribute,
// building each object directly: the framework's reflection compiles
// regular expressions for every struct it converts, which at a listing's
// caps made hundreds of MiB of garbage. It stops when ctx ends.
func instanceListValue(ctx context.Context, matches []cloudelements.Instance) (types.List, diag.Diagnostics) {
	var diags diag.Diagnostics
	itemType := types.ObjectType{AttrTypes: instanceListItemAttrTypes}
	items := make([]attr.Value, 0, len(matches))
	for i := range matches {
		if i%1024 == 0 && ctx.Err() != nil {
			diags.AddError("Cannot list instances", fmt.Sprintf("Stopped converting the listing after %d of %d "+
				"instances: %v", i, len(matches), context.Cause(ctx)))
			return types.ListNull(itemType), diags
		}
		inst := &matches[i]
		s, d := summaryOf(ctx, inst)
		diags.Append(d...)
		events, d := listedEvents(ctx, inst)
		diags.Append(d...)
		item, d := types.ObjectValue(instanceListItemAttrTypes, map[string]attr.Value{
			"id": s.ID, "name": s.Name, "tags": s.Tags, "created_date": s.CreatedDate, "valid": s.Valid, "disabled": s.Disabled,
			"element_key":           types.StringValue(inst.Element.Key),
			"subdomain":             configString(inst.Configuration, configSubdomain),
			"enabled":               types.BoolValue(!inst.Disabled),
			"filter_response_nulls": types.BoolValue(configBool(inst.Configuration, configFilterResponseNulls, true)),
			"events_enabled":        types.BoolValue(inst.EventsEnabled),
			"events":                events,
		})
		diags.Append(d...)
		if diags.HasError() {
			return types.ListNull(itemType), diags
		}
		items = append(items, item)
	}
	list, d := types.ListValue(itemType, items)
	diags.Append(d...)
	return list, diags
}
