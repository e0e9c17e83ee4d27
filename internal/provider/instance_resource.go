package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/mapvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/planmodify"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ resource.Resource                     = (*instanceResource)(nil)
	_ resource.ResourceWithConfigure        = (*instanceResource)(nil)
	_ resource.ResourceWithImportState      = (*instanceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*instanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*instanceResource)(nil)
	_ resource.ResourceWithMoveState        = (*instanceResource)(nil)
	_ resource.ResourceWithIdentity         = (*instanceResource)(nil)
)

// NewInstanceResource returns cloudelements_instance: an instance of any
// element, a thin profile of the instance engine.
func NewInstanceResource() resource.Resource {
	return &instanceResource{instanceEngine: instanceEngine[instanceModel]{profile: genericProfile{}}}
}

type instanceResource struct {
	instanceEngine[instanceModel]
}

// instanceModel is cloudelements_instance's state.
type instanceModel struct {
	instanceCommonModel

	ElementKey                   types.String `tfsdk:"element_key"`
	Configuration                types.Map    `tfsdk:"configuration"`
	SecretConfiguration          types.Map    `tfsdk:"secret_configuration"`
	SecretConfigurationWO        types.Map    `tfsdk:"secret_configuration_wo"`
	SecretConfigurationWOVersion types.Int64  `tfsdk:"secret_configuration_wo_version"`
	ExternalAuthentication       types.String `tfsdk:"external_authentication"`
}

func (r *instanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (r *instanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	attrs := instanceCommonAttributes(ctx, genericWording)
	attrs["element_key"] = schema.StringAttribute{
		MarkdownDescription: "The element's key, e.g. `freshdeskv2`, `jira`, `zendesk` or `sfdc`. A change replaces the instance.",
		Required:            true,
		Validators:          []validator.String{validate.NotBlank()},
		// An instance imported from an answer without the key adopts the
		// configured one rather than being replaced.
		PlanModifiers: []planmodifier.String{planmodify.RequiresReplaceIfStateSet("A change replaces the instance.")},
	}
	attrs["configuration"] = schema.MapAttribute{
		MarkdownDescription: "Non-secret configuration keys and their values as strings, e.g. " +
			"`{ subdomain = \"acme\" }`. Only the keys written here are managed and compared: keys the platform " +
			"adds (defaults such as `filter.response.nulls`) never show as drift. A changed or added key is applied " +
			"in place (`PATCH`); a key removed from the map is cleared on the platform (sent empty). The events " +
			"keys (`event.notification.*`, `event.vendor.type`, `event.poller.*` set by `events`) belong in `events`.",
		ElementType: types.StringType,
		Optional:    true,
		Validators:  []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), configurationKeysValidator{}},
	}
	attrs["secret_configuration"] = schema.MapAttribute{
		MarkdownDescription: "Secret configuration keys (passwords, API keys, OAuth client secrets and refresh " +
			"tokens). Sent on create and when re-provisioning; never read back, so answers masked (`********`) or in " +
			"clear never show as drift. A change re-provisions the instance in place (`PUT`: the id stays, the token " +
			"may change). Kept in state; prefer `secret_configuration_wo` on Terraform 1.11 and later.",
		ElementType: types.StringType,
		Optional:    true,
		Sensitive:   true,
		Validators:  []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.SizeAtLeast(1)},
	}
	attrs["secret_configuration_wo"] = schema.MapAttribute{
		MarkdownDescription: "`secret_configuration` as a write-only argument (Terraform 1.11 and later): sent but " +
			"never stored in state or plan. Change `secret_configuration_wo_version` to send new values.",
		ElementType: types.StringType,
		Optional:    true,
		Sensitive:   true,
		WriteOnly:   true,
		Validators:  []validator.Map{mapvalidator.KeysAre(validate.NotBlank()), mapvalidator.SizeAtLeast(1)},
	}
	attrs["secret_configuration_wo_version"] = schema.Int64Attribute{
		MarkdownDescription: "Any number; changing it re-provisions the instance (`PUT`) with the current " +
			"`secret_configuration_wo`. Required with `secret_configuration_wo`.",
		Optional: true,
	}
	attrs["external_authentication"] = schema.StringAttribute{
		MarkdownDescription: "`initial` creates an OAuth element's instance from an existing refresh token, without " +
			"the browser flow (the token and the OAuth client go in `secret_configuration`). Sent on create and " +
			"re-provision; a change re-provisions (`PUT`).",
		Optional:   true,
		Validators: []validator.String{stringvalidator.OneOf("initial", "none")},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "An instance of any element (Freshdesk, Jira, Zendesk, Salesforce, ...): a connection " +
			"created with `POST /instances`. Element-specific resources such as `cloudelements_freshdesk_instance` " +
			"validate and document their element's settings; this one takes the configuration keys as the " +
			"element documents them.",
		Attributes: attrs,
	}
}

func (r *instanceResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{
		validate.WriteOnlyPair("secret_configuration", "secret_configuration_wo", "secret_configuration_wo_version",
			"Give the secret configuration either in secret_configuration (kept in state) or in secret_configuration_wo "+
				"(Terraform 1.11 and later, never stored), not both."),
		secretKeysValidator{},
	}
}

// configurationKeysValidator keeps the events keys out of configuration:
// two attributes managing one key would fight.
type configurationKeysValidator struct{}

var eventsKeys = []string{
	cloudelements.ConfigEventsEnabled, cloudelements.ConfigEventsCallbackURL, cloudelements.ConfigEventsVendorType,
	cloudelements.ConfigEventsRefreshInterval, cloudelements.ConfigEventsPollerConfig, cloudelements.ConfigEventsSignatureKey,
}

func (configurationKeysValidator) Description(context.Context) string {
	return "no key the events attribute manages"
}

func (v configurationKeysValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (configurationKeysValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	for k := range req.ConfigValue.Elements() {
		if slices.Contains(eventsKeys, k) {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(k), "Events key in configuration",
				fmt.Sprintf("%q is set through the events attribute (see its documentation); remove it from configuration.", k))
		}
	}
}

// secretKeysValidator refuses a key in both configuration and the secrets.
type secretKeysValidator struct{}

func (secretKeysValidator) Description(context.Context) string {
	return "no key both in configuration and in the secret configuration"
}

func (v secretKeysValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (secretKeysValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg, secrets, secretsWO types.Map
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("configuration"), &cfg)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_configuration"), &secrets)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("secret_configuration_wo"), &secretsWO)...)
	for _, s := range []types.Map{secrets, secretsWO} {
		for k := range s.Elements() {
			if _, ok := cfg.Elements()[k]; ok {
				resp.Diagnostics.AddAttributeError(path.Root("configuration").AtMapKey(k), "Key in both configuration and secrets",
					fmt.Sprintf("%q is in configuration and in the secret configuration; keep it in one of them "+
						"(secret values belong in the secret configuration only).", k))
			}
		}
	}
}

// genericProfile maps cloudelements_instance onto the engine.
type genericProfile struct{}

func (genericProfile) label() string { return "instance" }

// elementKey: the element comes from configuration, checked at plan time.
func (genericProfile) elementKey(m *instanceModel) types.String { return m.ElementKey }

func (genericProfile) common(m *instanceModel) *instanceCommonModel { return &m.instanceCommonModel }

func (genericProfile) spec(ctx context.Context, m, config *instanceModel) (instanceSpec, bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	known := knownValues(ctx, m.ElementKey, m.Name, m.Tags, m.Events, m.Configuration, m.SecretConfiguration)
	s := instanceSpec{
		ElementKey:             m.ElementKey.ValueString(),
		Name:                   m.Name.ValueString(),
		ExternalAuthentication: m.ExternalAuthentication.ValueString(),
		WebhookHook:            factsOf(m.ElementKey.ValueString()).webhookHook,
		Configuration:          map[string]string{},
		Secrets:                map[string]string{},
	}
	if !known {
		return s, false, diags
	}
	diags.Append(stringMap(ctx, m.Configuration, s.Configuration)...)
	diags.Append(stringMap(ctx, m.SecretConfiguration, s.Secrets)...)
	if config != nil && knownValues(ctx, config.SecretConfigurationWO) {
		diags.Append(stringMap(ctx, config.SecretConfigurationWO, s.Secrets)...)
	}
	// Only keys that identify an instance of the element are compared when
	// the create reconcile looks for one whose answer was lost: others may
	// be answered masked, normalised or not at all.
	for _, k := range factsOf(s.ElementKey).matchKeys {
		if _, ok := s.Configuration[k]; ok {
			s.MatchKeys = append(s.MatchKeys, k)
		}
	}
	return s, true, diags
}

// givenKeys: the keys of configuration, the secret configuration and the
// events block that have a value; not known while a map is unknown.
func (genericProfile) givenKeys(ctx context.Context, m, config *instanceModel) (map[string]bool, bool) {
	keys := map[string]bool{}
	given := []types.Map{m.Configuration, m.SecretConfiguration}
	if config != nil {
		given = append(given, config.SecretConfigurationWO)
	}
	for _, mp := range given {
		if mp.IsUnknown() {
			return nil, false
		}
		for k, v := range mp.Elements() {
			if s, ok := v.(types.String); !ok || s.IsUnknown() || s.ValueString() != "" {
				keys[k] = true // an unknown value will be set
			}
		}
	}
	if !knownValues(ctx, m.Events) {
		return nil, false
	}
	events, diags := eventsConfiguration(ctx, m.Events, true)
	for k, v := range events {
		if v != "" {
			keys[k] = true
		}
	}
	return keys, !diags.HasError()
}

// checkCreate and checkUpdate: what an element needs is the platform's to say.
func (genericProfile) checkCreate(*instanceModel, *instanceModel) diag.Diagnostics { return nil }

func (genericProfile) checkUpdate(*instanceModel, *instanceModel, writeKind) diag.Diagnostics {
	return nil
}

// secretsChanged: new secrets, or a new write-only version, are sent with a
// PUT. Secrets removed from configuration are simply no longer managed: a
// PUT without them would be refused, or wipe the platform's credentials.
func (genericProfile) secretsChanged(plan, state *instanceModel) bool {
	return (!plan.SecretConfiguration.IsNull() && !plan.SecretConfiguration.Equal(state.SecretConfiguration)) ||
		(!plan.SecretConfigurationWOVersion.IsNull() && !plan.SecretConfigurationWOVersion.Equal(state.SecretConfigurationWOVersion)) ||
		!plan.ExternalAuthentication.Equal(state.ExternalAuthentication)
}

// read maps the element key and the managed configuration keys. Only keys
// already in m are read: the platform's own keys are not managed.
func (genericProfile) read(ctx context.Context, inst *cloudelements.Instance, m *instanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if key := inst.Element.Key; key != "" && !strings.EqualFold(key, m.ElementKey.ValueString()) {
		m.ElementKey = types.StringValue(key)
	}
	if m.Configuration.IsNull() || m.Configuration.IsUnknown() {
		return diags
	}
	cur := map[string]string{}
	diags.Append(stringMap(ctx, m.Configuration, cur)...)
	read := map[string]string{}
	for k, v := range cur {
		answered, ok := inst.Configuration[k]
		switch {
		case ok && (answered == v || isMasked(answered)): // masked: unknown, never different
			read[k] = v
		case ok && answered != "":
			read[k] = answered
		case v == "":
			read[k] = v // written empty, answered empty or absent: the same
		}
		// otherwise the key is gone from the platform: dropped, so the plan sets it again
	}
	cfg, d := types.MapValueFrom(ctx, types.StringType, read)
	diags.Append(d...)
	m.Configuration = cfg
	return diags
}

// settle warns where the answer contradicts the planned element key or a
// managed configuration key; a key not echoed is no contradiction.
func (genericProfile) settle(ctx context.Context, inst *cloudelements.Instance, m *instanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if key := inst.Element.Key; key != "" && !strings.EqualFold(key, m.ElementKey.ValueString()) {
		diags.Append(contradicted(path.Root("element_key"), m.ElementKey.ValueString(), key))
	}
	cur := map[string]string{}
	diags.Append(stringMap(ctx, m.Configuration, cur)...)
	for k, v := range cur {
		if answered, ok := inst.Configuration[k]; ok && answered != v && !isMasked(answered) {
			diags.Append(contradicted(path.Root("configuration").AtMapKey(k), v, answered))
		}
	}
	return diags
}

func (genericProfile) importDefaults(context.Context, *tfsdk.State) diag.Diagnostics { return nil }

// isMasked reports whether an answered value is the platform's mask
// ("********") rather than a value.
func isMasked(v string) bool { return len(v) >= 4 && strings.Trim(v, "*") == "" }

// stringMap copies a known map of strings into out.
func stringMap(ctx context.Context, m types.Map, out map[string]string) diag.Diagnostics {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	var in map[string]string
	diags := m.ElementsAs(ctx, &in, false)
	maps.Copy(out, in)
	return diags
}
