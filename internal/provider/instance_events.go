package provider

// Events: the events attribute every instance resource shares, its
// validation, and its mapping onto the platform's event.* configuration
// keys. Element-agnostic: an element's webhook address segment comes from
// its profile (instanceSpec.WebhookHook).

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Event vendor types and the polling default the platform documents.
const (
	vendorPolling          = "polling"
	vendorWebhook          = "webhook"
	defaultRefreshInterval = 15
)

// eventsModel is the events attribute.
type eventsModel struct {
	Enabled               types.Bool   `tfsdk:"enabled"`
	CallbackURL           types.String `tfsdk:"callback_url"`
	VendorType            types.String `tfsdk:"vendor_type"`
	PollerRefreshInterval types.Int64  `tfsdk:"poller_refresh_interval"`
	PollerConfiguration   jsonDocValue `tfsdk:"poller_configuration"`
	SignatureKey          types.String `tfsdk:"signature_key"`
	WebhookURL            types.String `tfsdk:"webhook_url"`
}

var eventsAttrTypes = map[string]attr.Type{
	"enabled":                 types.BoolType,
	"callback_url":            types.StringType,
	"vendor_type":             types.StringType,
	"poller_refresh_interval": types.Int64Type,
	"poller_configuration":    meaningType[strictJSON]{},
	"signature_key":           types.StringType,
	"webhook_url":             types.StringType,
}

// Validators used by the events schema.
var positiveMinutes = []validator.Int64{int64validator.AtLeast(1)}

// eventsSchema is the events attribute; vendorDoc and webhookDoc describe
// vendor_type and webhook_url in the element's terms.
func eventsSchema(vendorDoc, webhookDoc string) schema.SingleNestedAttribute {
	return schema.SingleNestedAttribute{
		MarkdownDescription: "Event set-up (polling or webhooks). When absent, events are off " +
			"(`event.notification.enabled` is `false`). Changes are applied in place, keeping the id.",
		Optional: true,
		Attributes: map[string]schema.Attribute{
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the platform sends events to `callback_url` (`event.notification.enabled`). Defaults to `true`.",
				Optional:            true, Computed: true, Default: booldefault.StaticBool(true),
			},
			"callback_url": schema.StringAttribute{
				MarkdownDescription: "Where the platform posts events (`event.notification.callback.url`): an absolute " +
					"`https` URL (`http` only for loopback hosts). Required when `enabled` is `true`.",
				Optional:   true,
				Validators: []validator.String{validate.CallbackURL()},
			},
			"vendor_type": schema.StringAttribute{
				MarkdownDescription: vendorDoc,
				Optional:            true, Computed: true, Default: stringdefault.StaticString(vendorPolling),
				Validators: []validator.String{stringvalidator.OneOf(vendorPolling, vendorWebhook)},
			},
			"poller_refresh_interval": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Minutes between polls (`event.poller.refresh_interval`), at least 1. "+
					"Defaults to %d for `polling`; unused for `webhook`.", defaultRefreshInterval),
				Optional: true, Computed: true, Validators: positiveMinutes,
			},
			"poller_configuration": schema.StringAttribute{
				MarkdownDescription: "The poller's configuration (`event.poller.configuration`) as a JSON object, " +
					"one key per polled resource (for example `incidents` and `contacts`). Compared by meaning: " +
					"whitespace and key order never show as a change. Use `jsonencode()`.",
				// Computed only so that a reformatted document can keep the
				// stored spelling in the plan. A plain string, not a JSON
				// type, so that invalid JSON gets this provider's message.
				Optional: true, Computed: true, CustomType: meaningType[strictJSON]{},
				Validators:    []validator.String{validate.JSONObject(pollerConfigurationExample)},
				PlanModifiers: []planmodifier.String{keepStateIfSame[strictJSON]()},
			},
			"signature_key": schema.StringAttribute{
				MarkdownDescription: "Key for the hash signature of event callbacks (`event.notification.signature.key`). " +
					"The platform masks it on read, so a change made outside Terraform is not detected.",
				Optional: true, Sensitive: true, Validators: []validator.String{validate.NotBlank()},
			},
			"webhook_url": schema.StringAttribute{
				MarkdownDescription: webhookDoc,
				Computed:            true,
			},
		},
	}
}

// eventsValidator checks rules that span attributes of the events object. It
// validates the resource rather than the object: an object validator's error
// would hide the errors of the attributes inside it, and every fault of an
// events block should show at once.
type eventsValidator struct{}

func (eventsValidator) Description(context.Context) string {
	return "callback_url is required when events are enabled"
}
func (v eventsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (eventsValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var events types.Object
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("events"), &events)...)
	if resp.Diagnostics.HasError() || events.IsNull() || events.IsUnknown() {
		return
	}
	var ev eventsModel
	resp.Diagnostics.Append(events.As(ctx, &ev, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	if resp.Diagnostics.HasError() {
		return
	}
	at := path.Root("events")
	enabled := ev.Enabled.IsNull() || ev.Enabled.ValueBool() // enabled defaults to true
	if !ev.Enabled.IsUnknown() && enabled && ev.CallbackURL.IsNull() {
		resp.Diagnostics.AddAttributeError(at.AtName("callback_url"), "Missing events.callback_url",
			"events.callback_url is required when events are enabled: the platform needs an https address to post events to.")
	}
	if ev.VendorType.ValueString() == vendorWebhook && !ev.PollerRefreshInterval.IsNull() && !ev.PollerRefreshInterval.IsUnknown() {
		resp.Diagnostics.AddAttributeError(at.AtName("poller_refresh_interval"), "Unused events.poller_refresh_interval",
			`events.poller_refresh_interval applies to vendor_type = "polling" only.`)
	}
}

// pollerConfigurationExample ends the message for a poller configuration
// that is not a JSON object.
const pollerConfigurationExample = `jsonencode({ incidents = { url = "/hubs/helpdesk/incidents", idField = "id" } })`

// planEvents fills in the computed parts of events in a plan. The
// platform's events_enabled flag is not among them: it may lag behind.
// hook is the element's webhook address segment ("" for none).
func planEvents(ctx context.Context, plan *instanceCommonModel, baseURL, hook string) diag.Diagnostics {
	if plan.Events.IsUnknown() || plan.Events.IsNull() {
		return nil
	}
	var ev eventsModel
	diags := plan.Events.As(ctx, &ev, basetypes.ObjectAsOptions{})
	if diags.HasError() {
		return diags
	}
	polling := ev.VendorType.ValueString() == vendorPolling
	if ev.PollerRefreshInterval.IsUnknown() && !ev.VendorType.IsUnknown() {
		ev.PollerRefreshInterval = types.Int64Null()
		if polling {
			ev.PollerRefreshInterval = types.Int64Value(defaultRefreshInterval)
		}
	}
	ev.WebhookURL = webhookURL(ev.VendorType, plan.ID, baseURL, hook)
	obj, d := types.ObjectValueFrom(ctx, eventsAttrTypes, ev)
	diags.Append(d...)
	plan.Events = obj
	return diags
}

// webhookURL is where the element must post its webhooks for this instance,
// as the platform documents it (/events/<hook>/<base64 id>); null for
// polling or an element without a documented address.
func webhookURL(vendorType types.String, id types.String, baseURL, hook string) types.String {
	switch {
	case vendorType.IsUnknown():
		return types.StringUnknown()
	case vendorType.ValueString() != vendorWebhook || hook == "":
		return types.StringNull()
	case id.IsUnknown() || id.IsNull() || baseURL == "":
		return types.StringUnknown()
	}
	return types.StringValue(baseURL + "/events/" + hook + "/" + base64.StdEncoding.EncodeToString([]byte(id.ValueString())))
}

// eventsConfiguration maps events onto configuration keys. Without an events
// block a full body (create, PUT) sends nothing and leaves the platform's
// default (off), while a PATCH says "off" explicitly so that no stale
// setting survives.
func eventsConfiguration(ctx context.Context, events types.Object, fullBody bool) (map[string]string, diag.Diagnostics) {
	if events.IsNull() || events.IsUnknown() {
		if fullBody {
			return map[string]string{}, nil
		}
		return map[string]string{cloudelements.ConfigEventsEnabled: "false"}, nil
	}
	var ev eventsModel
	diags := events.As(ctx, &ev, basetypes.ObjectAsOptions{})
	cfg := map[string]string{
		cloudelements.ConfigEventsEnabled: strconv.FormatBool(ev.Enabled.ValueBool()),
	}
	setIfKnown := func(key string, v basetypes.StringValuable) {
		s, d := v.ToStringValue(ctx)
		diags.Append(d...)
		if !s.IsNull() && !s.IsUnknown() {
			cfg[key] = s.ValueString()
		}
	}
	setIfKnown(cloudelements.ConfigEventsVendorType, ev.VendorType)
	setIfKnown(cloudelements.ConfigEventsCallbackURL, ev.CallbackURL)
	setIfKnown(cloudelements.ConfigEventsSignatureKey, ev.SignatureKey)
	if !ev.PollerConfiguration.IsNull() && !ev.PollerConfiguration.IsUnknown() {
		cfg[cloudelements.ConfigEventsPollerConfig] = compactJSON(ev.PollerConfiguration.ValueString())
	}
	if !ev.PollerRefreshInterval.IsNull() && !ev.PollerRefreshInterval.IsUnknown() {
		cfg[cloudelements.ConfigEventsRefreshInterval] = strconv.FormatInt(ev.PollerRefreshInterval.ValueInt64(), 10)
	}
	return cfg, diags
}

// compactJSON sends the poller configuration without the user's layout, so
// that reformatting it never changes what is sent.
func compactJSON(raw string) string {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return raw
	}
	b, err := json.Marshal(v)
	if err != nil {
		return raw
	}
	return string(b)
}

// readEvents maps the platform's configuration (strings) back onto events.
// The signature key comes back masked, so its known value is kept.
func readEvents(ctx context.Context, inst *cloudelements.Instance, m *instanceCommonModel, baseURL, hook string) diag.Diagnostics {
	cfg := inst.Configuration
	enabled := configBool(cfg, cloudelements.ConfigEventsEnabled, false)
	if m.Events.IsNull() && !enabled {
		return nil // events off, and not declared: nothing to show
	}
	var prior eventsModel
	var diags diag.Diagnostics
	if !m.Events.IsNull() && !m.Events.IsUnknown() {
		diags.Append(m.Events.As(ctx, &prior, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})...)
	}
	ev := eventsModel{
		Enabled:      types.BoolValue(enabled),
		CallbackURL:  configString(cfg, cloudelements.ConfigEventsCallbackURL),
		VendorType:   types.StringValue(vendorPolling),
		SignatureKey: prior.SignatureKey,
	}
	if ev.SignatureKey.IsUnknown() {
		ev.SignatureKey = types.StringNull()
	}
	if v := cfg[cloudelements.ConfigEventsVendorType]; v != "" {
		ev.VendorType = types.StringValue(v)
	}
	ev.PollerRefreshInterval = types.Int64Null()
	if n, err := strconv.ParseInt(cfg[cloudelements.ConfigEventsRefreshInterval], 10, 64); err == nil && ev.VendorType.ValueString() == vendorPolling {
		ev.PollerRefreshInterval = types.Int64Value(n)
	}
	ev.PollerConfiguration = meantOrNull[strictJSON](cfg[cloudelements.ConfigEventsPollerConfig])
	ev.WebhookURL = webhookURL(ev.VendorType, m.ID, baseURL, hook)
	obj, d := types.ObjectValueFrom(ctx, eventsAttrTypes, ev)
	diags.Append(d...)
	m.Events = obj
	return diags
}

func configString(cfg map[string]string, key string) types.String {
	if v, ok := cfg[key]; ok && v != "" {
		return types.StringValue(v)
	}
	return types.StringNull()
}

// configBool reads a boolean the platform stores as a string.
func configBool(cfg map[string]string, key string, fallback bool) bool {
	b, err := strconv.ParseBool(cfg[key])
	if err != nil {
		return fallback
	}
	return b
}

// settleEvents is the events state after a write: the planned block, whose
// webhook_url the caller works out from the planned vendor_type. Each
// setting the answer contradicts gets a warning; the signature key is never
// compared (the platform masks it).
func settleEvents(ctx context.Context, planned, answered types.Object) (types.Object, diag.Diagnostics) {
	differ := map[string][2]attr.Value{}
	obj, diags := settledEvents(ctx, planned, answered, differ)
	for _, name := range slices.Sorted(maps.Keys(differ)) {
		at := path.Root("events")
		if name != "" {
			at = at.AtName(name)
		}
		diags.Append(contradicted(at, differ[name][0].String(), differ[name][1].String()))
	}
	return obj, diags
}

func settledEvents(ctx context.Context, planned, answered types.Object, contradicted map[string][2]attr.Value) (types.Object, diag.Diagnostics) {
	if planned.IsNull() || planned.IsUnknown() {
		if !answered.IsNull() {
			var ev eventsModel
			diags := answered.As(ctx, &ev, basetypes.ObjectAsOptions{})
			if ev.Enabled.ValueBool() {
				contradicted[""] = [2]attr.Value{planned, types.StringValue("events enabled")}
			}
			return planned, diags
		}
		return planned, nil
	}
	var want, got eventsModel
	diags := planned.As(ctx, &want, basetypes.ObjectAsOptions{UnhandledUnknownAsEmpty: true})
	if answered.IsNull() {
		contradicted[""] = [2]attr.Value{types.StringValue("events block"), types.StringValue("no events")}
	} else {
		diags.Append(answered.As(ctx, &got, basetypes.ObjectAsOptions{})...)
		same := sameMeaning(ctx, want.PollerConfiguration, got.PollerConfiguration)
		for name, pair := range map[string][2]attr.Value{
			"enabled":                 {want.Enabled, got.Enabled},
			"callback_url":            {want.CallbackURL, got.CallbackURL},
			"vendor_type":             {want.VendorType, got.VendorType},
			"poller_refresh_interval": {want.PollerRefreshInterval, got.PollerRefreshInterval},
		} {
			if !pair[0].Equal(pair[1]) {
				contradicted[name] = pair
			}
		}
		if !same && !want.PollerConfiguration.Equal(got.PollerConfiguration) {
			contradicted["poller_configuration"] = [2]attr.Value{want.PollerConfiguration, got.PollerConfiguration}
		}
	}
	if want.WebhookURL.IsUnknown() {
		want.WebhookURL = types.StringNull()
	}
	obj, d := types.ObjectValueFrom(ctx, eventsAttrTypes, want)
	diags.Append(d...)
	return obj, diags
}
