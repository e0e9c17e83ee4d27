package provider

// cloudelements_freshdesk_instance: a typed profile of the instance engine
// (instance_engine.go) for the Freshdesk V2 element. This file holds only
// what is Freshdesk's: the schema, its validation, and the mapping of the
// named attributes onto configuration keys.

import (
	"context"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

var (
	_ resource.Resource                     = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithConfigure        = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithImportState      = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithIdentity         = (*freshdeskInstanceResource)(nil)
)

// NewFreshdeskInstanceResource returns the cloudelements_freshdesk_instance resource.
func NewFreshdeskInstanceResource() resource.Resource { return newFreshdeskInstanceResource() }

func newFreshdeskInstanceResource() *freshdeskInstanceResource {
	return &freshdeskInstanceResource{instanceEngine: instanceEngine[freshdeskInstanceModel]{profile: freshdeskProfile{}}}
}

type freshdeskInstanceResource struct {
	instanceEngine[freshdeskInstanceModel]
}

// freshdeskInstanceModel is the resource's Terraform state.
type freshdeskInstanceModel struct {
	instanceCommonModel

	Subdomain           subdomainValue `tfsdk:"subdomain"`
	APIKey              types.String   `tfsdk:"api_key"`
	APIKeyWO            types.String   `tfsdk:"api_key_wo"`
	APIKeyWOVersion     types.Int64    `tfsdk:"api_key_wo_version"`
	FilterResponseNulls types.Bool     `tfsdk:"filter_response_nulls"`
}

func (r *freshdeskInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (r *freshdeskInstanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = FreshdeskInstanceSchema(ctx)
}

// FreshdeskInstanceSchema is the resource's schema: the common instance
// attributes and Freshdesk's own. It is exported for the benchmark's plugin
// floor, which must serve exactly the same schema.
func FreshdeskInstanceSchema(ctx context.Context) schema.Schema {
	attrs := instanceCommonAttributes(ctx, instanceWording{
		eventsVendorType: "How the platform learns of changes in Freshdesk (`event.vendor.type`): " +
			"`polling` (default) or `webhook`.",
		webhookURL: "For `webhook`: the address to give Freshdesk (Admin, Observer, \"Trigger Webhook\"): " +
			"`<base_url>/events/freshdesk/<base64 of the instance id>`.",
		elementID: "The element's id (491 for Freshdesk V2). Never changes.",
	})
	attrs["subdomain"] = schema.StringAttribute{
		MarkdownDescription: "The Freshdesk subdomain alone: `acme` for `https://acme.freshdesk.com`. " +
			"Compared without regard to case and sent in lower case: a change of case alone makes no API call. " +
			"Any other change re-provisions the instance in place (`PUT`); the id is kept, the token may change.",
		Required:   true,
		CustomType: meaningType[dnsLabel]{},
		Validators: []validator.String{validate.Subdomain()},
	}
	attrs["api_key"] = schema.StringAttribute{
		MarkdownDescription: "The Freshdesk API key (Profile settings, \"Your API Key\"), sent as " +
			"`configuration.username`. Kept in state; prefer `api_key_wo` on Terraform 1.11 and later. " +
			"At most one of `api_key` and `api_key_wo` may be set; one is needed to create or re-provision an " +
			"instance, not to keep one. A change re-provisions the instance (`PUT`). It is never read back from " +
			"the platform: after an import, the key first written in configuration is adopted without any API call.",
		Optional:   true,
		Sensitive:  true,
		Validators: []validator.String{validate.NotBlank()},
	}
	attrs["api_key_wo"] = schema.StringAttribute{
		MarkdownDescription: "The Freshdesk API key as a write-only argument (Terraform 1.11 and later): " +
			"sent to the platform but never stored in state or plan. Change `api_key_wo_version` to send a new key.",
		Optional:   true,
		Sensitive:  true,
		WriteOnly:  true,
		Validators: []validator.String{validate.NotBlank()},
	}
	attrs["api_key_wo_version"] = schema.Int64Attribute{
		MarkdownDescription: "Any number; changing it re-provisions the instance (`PUT`) with the current " +
			"`api_key_wo`. Required with `api_key_wo`.",
		Optional: true,
	}
	attrs["filter_response_nulls"] = schema.BoolAttribute{
		MarkdownDescription: "Whether the platform drops null fields from hub responses " +
			"(`filter.response.nulls`). Defaults to `true`. A change re-provisions the instance (`PUT`).",
		Optional: true,
		Computed: true,
		Default:  booldefault.StaticBool(true),
	}
	return schema.Schema{
		MarkdownDescription: "A Freshdesk V2 element instance: a connection from Cloud Elements to one Freshdesk " +
			"helpdesk, created with `POST /instances`. Its `token` authorizes calls to the helpdesk hub.",
		Attributes: attrs,
	}
}

func (r *freshdeskInstanceResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{validate.WriteOnlyPair("api_key", "api_key_wo", "api_key_wo_version", apiKeyHelp), eventsValidator{}}
}

// apiKeyHelp says where the key comes from and how to give it.
const apiKeyHelp = "Set exactly one of api_key and api_key_wo: the Freshdesk API key (Profile settings, " +
	"\"Your API Key\"). api_key is kept in state; api_key_wo (Terraform 1.11 and later) is not."

// freshdeskProfile maps cloudelements_freshdesk_instance onto the engine.
type freshdeskProfile struct{}

func (freshdeskProfile) label() string { return "Freshdesk instance" }

func (freshdeskProfile) common(m *freshdeskInstanceModel) *instanceCommonModel {
	return &m.instanceCommonModel
}

// spec sends the subdomain in lower case (compared without regard to case),
// the API key as configuration.username (a secret, never compared or read
// back) and filter_response_nulls as filter.response.nulls. The create
// reconcile recognises the instance by its subdomain; a new subdomain or
// filter setting re-provisions it.
func (freshdeskProfile) spec(ctx context.Context, m, config *freshdeskInstanceModel) (instanceSpec, bool, diag.Diagnostics) {
	s := instanceSpec{
		ElementKey: freshdeskElement.key,
		Name:       m.Name.ValueString(),
		Configuration: map[string]string{
			configSubdomain:           strings.ToLower(m.Subdomain.ValueString()),
			configFilterResponseNulls: strconv.FormatBool(m.FilterResponseNulls.ValueBool()),
		},
		ReprovisionKeys: []string{configSubdomain, configFilterResponseNulls},
		Secrets:         map[string]string{},
		MatchKeys:       freshdeskElement.matchKeys,
		WebhookHook:     freshdeskElement.webhookHook,
	}
	key := m.APIKey.ValueString()
	if m.APIKey.IsNull() && config != nil {
		key = config.APIKeyWO.ValueString() // write-only: only the configuration holds it
	}
	if key != "" {
		s.Secrets[configUsername] = key
	}
	known := knownValues(ctx, m.Name, m.Tags, m.Events, m.Subdomain, m.FilterResponseNulls, m.APIKey, m.APIKeyWOVersion)
	return s, known, nil
}

// secretsChanged: a new key, or a new write-only version, is sent with a
// PUT; a key removed from configuration is simply no longer managed.
func (freshdeskProfile) secretsChanged(plan, state *freshdeskInstanceModel) bool {
	return (!plan.APIKey.IsNull() && !plan.APIKey.Equal(state.APIKey)) ||
		(!plan.APIKeyWOVersion.IsNull() && !plan.APIKeyWOVersion.Equal(state.APIKeyWOVersion))
}

// hasAPIKey: an unknown key counts as present.
func hasAPIKey(plan, config *freshdeskInstanceModel) bool {
	return !plan.APIKey.IsNull() || !config.APIKeyWO.IsNull()
}

// checkCreate: creating sends the API key.
func (freshdeskProfile) checkCreate(plan, config *freshdeskInstanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if !hasAPIKey(plan, config) {
		diags.AddAttributeError(path.Root("api_key"), "Missing api_key or api_key_wo",
			"Creating the instance sends the Freshdesk API key, and the platform never returns it. "+apiKeyHelp)
	}
	return diags
}

// checkUpdate: re-provisioning (PUT) sends the API key too.
func (freshdeskProfile) checkUpdate(plan, config *freshdeskInstanceModel, kind writeKind) diag.Diagnostics {
	var diags diag.Diagnostics
	reprovision := kind == writePut || plan.Subdomain.IsUnknown() || plan.FilterResponseNulls.IsUnknown()
	if reprovision && !hasAPIKey(plan, config) {
		diags.AddAttributeError(path.Root("api_key"), "Re-provisioning needs the API key",
			"Changing subdomain or filter_response_nulls re-provisions the instance (PUT), which sends the "+
				"Freshdesk API key, and the platform never returns it. "+apiKeyHelp)
	}
	return diags
}

// read maps subdomain and filter.response.nulls back; an instance of
// another element is refused.
func (freshdeskProfile) read(_ context.Context, inst *cloudelements.Instance, m *freshdeskInstanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if wrongElement(inst, freshdeskElement.key, freshdeskElement.label,
		"import it with the matching resource type", &diags) {
		return diags
	}
	if sub, ok := inst.Configuration[configSubdomain]; ok {
		m.Subdomain = meant[dnsLabel](sub) // the type keeps m's spelling when only the case differs
	}
	m.FilterResponseNulls = types.BoolValue(configBool(inst.Configuration, configFilterResponseNulls, true))
	return diags
}

// settle warns where the answer contradicts the planned subdomain or filter.
func (freshdeskProfile) settle(_ context.Context, inst *cloudelements.Instance, m *freshdeskInstanceModel) diag.Diagnostics {
	var diags diag.Diagnostics
	if sub, ok := inst.Configuration[configSubdomain]; ok && !strings.EqualFold(sub, m.Subdomain.ValueString()) {
		diags.Append(contradicted(path.Root("subdomain"), m.Subdomain.ValueString(), sub))
	}
	if nulls := configBool(inst.Configuration, configFilterResponseNulls, true); nulls != m.FilterResponseNulls.ValueBool() {
		diags.Append(contradicted(path.Root("filter_response_nulls"), m.FilterResponseNulls.String(), strconv.FormatBool(nulls)))
	}
	return diags
}

// importDefaults: what an instance created by hand has until Read says
// otherwise.
func (freshdeskProfile) importDefaults(ctx context.Context, state *tfsdk.State) diag.Diagnostics {
	return state.SetAttribute(ctx, path.Root("filter_response_nulls"), true)
}
