package provider

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Default operation timeouts; creating makes the platform provision the
// instance, which can take a while, and retries wait within these bounds.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 5 * time.Minute
)

var (
	_ resource.Resource                     = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithConfigure        = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithImportState      = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithModifyPlan       = (*freshdeskInstanceResource)(nil)
	_ resource.ResourceWithConfigValidators = (*freshdeskInstanceResource)(nil)
)

// NewFreshdeskInstanceResource returns the cloudelements_freshdesk_instance resource.
func NewFreshdeskInstanceResource() resource.Resource {
	return &freshdeskInstanceResource{}
}

type freshdeskInstanceResource struct {
	provider *providerData
}

// freshdeskInstanceModel is the resource's Terraform state.
type freshdeskInstanceModel struct {
	ID                  types.String   `tfsdk:"id"`
	Name                types.String   `tfsdk:"name"`
	Subdomain           types.String   `tfsdk:"subdomain"`
	APIKey              types.String   `tfsdk:"api_key"`
	APIKeyWO            types.String   `tfsdk:"api_key_wo"`
	APIKeyWOVersion     types.Int64    `tfsdk:"api_key_wo_version"`
	Tags                types.Set      `tfsdk:"tags"`
	FilterResponseNulls types.Bool     `tfsdk:"filter_response_nulls"`
	Enabled             types.Bool     `tfsdk:"enabled"`
	Events              types.Object   `tfsdk:"events"`
	Token               types.String   `tfsdk:"token"`
	ElementID           types.Int64    `tfsdk:"element_id"`
	CreatedDate         types.String   `tfsdk:"created_date"`
	Valid               types.Bool     `tfsdk:"valid"`
	Disabled            types.Bool     `tfsdk:"disabled"`
	EventsEnabled       types.Bool     `tfsdk:"events_enabled"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

func (r *freshdeskInstanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_freshdesk_instance"
}

func (r *freshdeskInstanceResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = FreshdeskInstanceSchema(ctx)
}

// FreshdeskInstanceSchema is the resource's schema. It is exported for the
// benchmark's plugin floor, which must serve exactly the same schema.
func FreshdeskInstanceSchema(ctx context.Context) schema.Schema {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return schema.Schema{
		MarkdownDescription: "A Freshdesk V2 element instance: a connection from Cloud Elements to one Freshdesk " +
			"helpdesk, created with `POST /instances`. Its `token` authorizes calls to the helpdesk hub.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The instance's numeric id on the platform.",
				Computed:            true,
				PlanModifiers:       useState,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "The instance's name. Changes are applied in place (`PATCH`).",
				Required:            true,
				Validators:          []validator.String{notBlankString(), stringvalidator.LengthAtMost(255)},
			},
			"subdomain": schema.StringAttribute{
				MarkdownDescription: "The Freshdesk subdomain alone: `acme` for `https://acme.freshdesk.com`. " +
					"A change re-provisions the instance in place (`PUT`); the id is kept, the token may change.",
				Required:   true,
				Validators: []validator.String{validSubdomain()},
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "The Freshdesk API key (Profile settings, \"Your API Key\"), sent as " +
					"`configuration.username`. Kept in state; prefer `api_key_wo` on Terraform 1.11 and later. " +
					"Exactly one of `api_key` and `api_key_wo` must be set. A change re-provisions the instance (`PUT`). " +
					"It is never read back from the platform, so after an import it is empty until set in configuration.",
				Optional:   true,
				Sensitive:  true,
				Validators: []validator.String{notBlankString()},
			},
			"api_key_wo": schema.StringAttribute{
				MarkdownDescription: "The Freshdesk API key as a write-only argument (Terraform 1.11 and later): " +
					"sent to the platform but never stored in state or plan. Change `api_key_wo_version` to send a new key.",
				Optional:   true,
				Sensitive:  true,
				WriteOnly:  true,
				Validators: []validator.String{notBlankString()},
			},
			"api_key_wo_version": schema.Int64Attribute{
				MarkdownDescription: "Any number; changing it re-provisions the instance (`PUT`) with the current " +
					"`api_key_wo`. Required with `api_key_wo`.",
				Optional: true,
			},
			"tags": schema.SetAttribute{
				MarkdownDescription: "Element instance tags. Changes are applied in place (`PATCH`); order does not matter.",
				ElementType:         types.StringType,
				Optional:            true,
				Validators: []validator.Set{
					setvalidator.ValueStringsAre(notBlankString(), stringvalidator.LengthAtMost(255)),
				},
			},
			"filter_response_nulls": schema.BoolAttribute{
				MarkdownDescription: "Whether the platform drops null fields from hub responses " +
					"(`filter.response.nulls`). Defaults to `true`. A change re-provisions the instance (`PUT`).",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the instance is enabled. A disabled instance keeps its configuration, " +
					"but hub calls with its token are refused (403). Defaults to `true`.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"events":         eventsSchema(),
			"token":          schema.StringAttribute{MarkdownDescription: "The element-instance token, for calling the helpdesk hub with `Authorization: User <user secret>, Element <token>`. It may change when the instance is re-provisioned.", Computed: true, Sensitive: true, PlanModifiers: useState},
			"element_id":     schema.Int64Attribute{MarkdownDescription: "The element's id (491 for Freshdesk V2).", Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"created_date":   schema.StringAttribute{MarkdownDescription: "When the platform created the instance (RFC 3339, UTC).", Computed: true, PlanModifiers: useState},
			"valid":          schema.BoolAttribute{MarkdownDescription: "Whether the platform considers the instance's credentials valid.", Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}},
			"disabled":       schema.BoolAttribute{MarkdownDescription: "Whether the instance is disabled (the opposite of `enabled`, as the platform reports it).", Computed: true},
			"events_enabled": schema.BoolAttribute{MarkdownDescription: "Whether the platform has events switched on for the instance.", Computed: true},
			"timeouts": timeouts.Attributes(ctx, timeouts.Opts{
				Create: true, Read: true, Update: true, Delete: true,
				CreateDescription: "How long creating may take, retries included (default 10m).",
				ReadDescription:   "How long reading may take, retries included (default 5m).",
				UpdateDescription: "How long updating may take, retries included (default 10m).",
				DeleteDescription: "How long deleting may take, retries included (default 5m).",
			}),
		},
	}
}

func (r *freshdeskInstanceResource) ConfigValidators(_ context.Context) []resource.ConfigValidator {
	return []resource.ConfigValidator{apiKeyValidator{}}
}

// apiKeyValidator requires exactly one of api_key and api_key_wo, and
// api_key_wo_version with api_key_wo. It reads three attributes directly:
// the generic path-expression validators cost more than the rest of
// validation together, on every resource of every plan.
type apiKeyValidator struct{}

func (apiKeyValidator) Description(context.Context) string {
	return "exactly one of api_key and api_key_wo; api_key_wo_version with api_key_wo"
}

func (v apiKeyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (apiKeyValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var key, keyWO types.String
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key"), &key)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key_wo"), &keyWO)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key_wo_version"), &version)...)
	if resp.Diagnostics.HasError() || key.IsUnknown() || keyWO.IsUnknown() {
		return // decided once the values are known
	}
	const which = "Set exactly one of api_key and api_key_wo: the Freshdesk API key (Profile settings, " +
		"\"Your API Key\"). api_key is kept in state; api_key_wo (Terraform 1.11 and later) is not."
	switch {
	case !key.IsNull() && !keyWO.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("api_key_wo"), "Both api_key and api_key_wo are set", which)
	case key.IsNull() && keyWO.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing api_key or api_key_wo", which)
	case !keyWO.IsNull() && version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("api_key_wo_version"), "Missing api_key_wo_version",
			"api_key_wo needs api_key_wo_version, a number: Terraform cannot see a write-only value change, "+
				"so a new version is what sends a new key.")
	case keyWO.IsNull() && !version.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("api_key_wo_version"), "api_key_wo_version without api_key_wo",
			"api_key_wo_version only applies with api_key_wo; remove it, or move the key to api_key_wo.")
	}
}

func (r *freshdeskInstanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	r.provider = pd
}

// ModifyPlan works out the computed values a change implies, so that the plan
// says exactly what apply will do and apply never reports an inconsistency.
func (r *freshdeskInstanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if req.Plan.Raw.Equal(req.State.Raw) {
		return // no change: the prior state already holds every computed value
	}
	var plan freshdeskInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !plan.Enabled.IsUnknown() {
		plan.Disabled = types.BoolValue(!plan.Enabled.ValueBool())
	}
	baseURL := ""
	if r.provider != nil {
		baseURL = r.provider.baseURL
	}
	resp.Diagnostics.Append(planEvents(ctx, &plan, baseURL)...)

	if !req.State.Raw.IsNull() {
		var state freshdeskInstanceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		if needsReprovision(plan, state) {
			// PUT may issue a new token and re-validate the credentials.
			plan.Token = types.StringUnknown()
			plan.Valid = types.BoolUnknown()
		}
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// needsReprovision reports whether a change can only be made with a full PUT.
func needsReprovision(plan, state freshdeskInstanceModel) bool {
	return !plan.Subdomain.Equal(state.Subdomain) ||
		!plan.APIKey.Equal(state.APIKey) ||
		!plan.APIKeyWOVersion.Equal(state.APIKeyWOVersion) ||
		!plan.FilterResponseNulls.Equal(state.FilterResponseNulls)
}

func (r *freshdeskInstanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config freshdeskInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	body, diags := instanceRequest(ctx, plan, config)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inst, err := r.provider.client.CreateInstance(ctx, body)
	if err != nil {
		resp.Diagnostics.AddError("Cannot create the Freshdesk instance", err.Error())
		return
	}
	wantEnabled := plan.Enabled.ValueBool()
	resp.Diagnostics.Append(applyInstance(ctx, inst, &plan, r.provider.baseURL)...)
	if !wantEnabled {
		// On failure state keeps the planned values (Terraform insists on
		// them) and the instance: Terraform taints it instead of forgetting
		// an instance that exists on the platform.
		if err := r.provider.client.SetInstanceEnabled(ctx, inst.ID, inst.Token, false); err != nil {
			resp.Diagnostics.AddError("Cannot disable the new Freshdesk instance",
				fmt.Sprintf("Instance %d was created but not disabled: %s", inst.ID, err))
		}
		plan.Enabled, plan.Disabled = types.BoolValue(false), types.BoolValue(true)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, plan.ID)...)
}

func (r *freshdeskInstanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state freshdeskInstanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id, ok := r.target(state, &resp.Diagnostics)
	if !ok {
		return
	}
	inst, err := r.provider.client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		// Deleted outside Terraform: plan a create rather than fail.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the Freshdesk instance", err.Error())
		return
	}
	if key := inst.Element.Key; key != "" && key != cloudelements.FreshdeskElementKey {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Not a Freshdesk V2 instance",
			fmt.Sprintf("Instance %d belongs to element %q, not %q; import it with the matching resource type.",
				id, key, cloudelements.FreshdeskElementKey))
		return
	}
	read := state
	resp.Diagnostics.Append(applyInstance(ctx, inst, &read, r.provider.baseURL)...)
	if !sameValues(read, state) { // resp.State already holds the prior state
		resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	}
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, read.ID)...)
}

// sameValues reports whether two models of the same type hold equal values,
// which spares writing back a state that a refresh found unchanged.
func sameValues[M any](a, b M) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		x, okX := va.Field(i).Interface().(attr.Value)
		y, okY := vb.Field(i).Interface().(attr.Value)
		if !okX || !okY || !x.Equal(y) {
			return false
		}
	}
	return true
}

func (r *freshdeskInstanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config freshdeskInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id, ok := r.target(state, &resp.Diagnostics)
	if !ok {
		return
	}

	var inst *cloudelements.Instance
	var err error
	switch {
	case needsReprovision(plan, state):
		body, diags := instanceRequest(ctx, plan, config)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		inst, err = r.provider.client.ReplaceInstance(ctx, id, body)
	default:
		patch, changed, diags := instancePatch(ctx, plan, state)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		if changed {
			inst, err = r.provider.client.PatchInstance(ctx, id, patch)
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the Freshdesk instance", err.Error())
		return
	}

	// Start from the plan: values the platform does not return (the API key)
	// or that did not change keep their planned value.
	if inst != nil {
		resp.Diagnostics.Append(applyInstance(ctx, inst, &plan, r.provider.baseURL)...)
	} else {
		plan.Token, plan.Valid, plan.EventsEnabled = state.Token, state.Valid, state.EventsEnabled
	}
	if !plan.Enabled.Equal(state.Enabled) {
		if err := r.provider.client.SetInstanceEnabled(ctx, id, plan.Token.ValueString(), plan.Enabled.ValueBool()); err != nil {
			resp.Diagnostics.AddError("Cannot change whether the Freshdesk instance is enabled", err.Error())
			return // state keeps the prior values, which still hold
		}
	}
	plan.Disabled = types.BoolValue(!plan.Enabled.ValueBool())
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, plan.ID)...)
}

func (r *freshdeskInstanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state freshdeskInstanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id, ok := r.target(state, &resp.Diagnostics)
	if !ok {
		return
	}
	err := r.provider.client.DeleteInstance(ctx, id)
	if err != nil && !cloudelements.IsNotFound(err) { // a 404 means already gone
		resp.Diagnostics.AddError("Cannot delete the Freshdesk instance", err.Error())
	}
}

func (r *freshdeskInstanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importID(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, types.StringValue(id))...)
	// Read fills in the rest; these defaults match what an instance created
	// by hand has until the platform says otherwise.
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("filter_response_nulls"), true)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("enabled"), true)...)
}

// target parses the id in state and lets the client mask the state's token,
// which a platform error may echo before this run has seen it in an answer.
func (r *freshdeskInstanceResource) target(state freshdeskInstanceModel, diags *diag.Diagnostics) (int64, bool) {
	id, err := parseInstanceID(state.ID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid instance id", err.Error())
		return 0, false
	}
	r.provider.client.RememberToken(state.Token.ValueString())
	return id, true
}

func (r *freshdeskInstanceResource) configured(diags *diag.Diagnostics) bool {
	if r.provider == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; please report this issue to the provider developers.")
		return false
	}
	return true
}

// apiKey returns the API key from api_key, or from the write-only api_key_wo,
// which only the configuration holds.
func apiKey(plan, config freshdeskInstanceModel) string {
	if !plan.APIKey.IsNull() {
		return plan.APIKey.ValueString()
	}
	return config.APIKeyWO.ValueString()
}

// instanceRequest is the full create or re-provision body.
func instanceRequest(ctx context.Context, plan, config freshdeskInstanceModel) (cloudelements.InstanceRequest, diag.Diagnostics) {
	tags, diags := tagList(ctx, plan.Tags)
	configuration := map[string]string{
		cloudelements.ConfigSubdomain:           plan.Subdomain.ValueString(),
		cloudelements.ConfigUsername:            apiKey(plan, config),
		cloudelements.ConfigFilterResponseNulls: strconv.FormatBool(plan.FilterResponseNulls.ValueBool()),
	}
	events, d := eventsConfiguration(ctx, plan.Events, true)
	diags.Append(d...)
	for k, v := range events {
		configuration[k] = v
	}
	return cloudelements.InstanceRequest{
		Element:       cloudelements.ElementRef{Key: cloudelements.FreshdeskElementKey},
		Name:          plan.Name.ValueString(),
		Configuration: configuration,
		Tags:          tags,
	}, diags
}

// instancePatch holds what changed among the fields PATCH can change.
func instancePatch(ctx context.Context, plan, state freshdeskInstanceModel) (cloudelements.InstancePatch, bool, diag.Diagnostics) {
	var patch cloudelements.InstancePatch
	var diags diag.Diagnostics
	changed := false
	if !plan.Name.Equal(state.Name) {
		name := plan.Name.ValueString()
		patch.Name, changed = &name, true
	}
	if !plan.Tags.Equal(state.Tags) {
		tags, d := tagList(ctx, plan.Tags)
		diags.Append(d...)
		patch.Tags, changed = &tags, true
	}
	planned, d := eventsConfiguration(ctx, plan.Events, false)
	diags.Append(d...)
	prior, d := eventsConfiguration(ctx, state.Events, false)
	diags.Append(d...)
	if !sameStrings(planned, prior) {
		// PATCH merges, so a setting no longer configured is cleared
		// explicitly rather than left behind.
		for k := range prior {
			if _, ok := planned[k]; !ok {
				planned[k] = ""
			}
		}
		patch.Configuration, changed = planned, true
	}
	return patch, changed, diags
}

func sameStrings(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// tagList turns the tags set into the list the API takes, never nil, so
// that the body says "tags": [] rather than null.
func tagList(ctx context.Context, set types.Set) ([]string, diag.Diagnostics) {
	tags := []string{}
	if set.IsNull() || set.IsUnknown() {
		return tags, nil
	}
	diags := set.ElementsAs(ctx, &tags, false)
	return tags, diags
}

// applyInstance copies what the platform returned into m. Values the platform
// normalises (HTML stripped from names, subdomain case, tag order) keep the
// configured spelling when they mean the same, so plans stay empty.
func applyInstance(ctx context.Context, inst *cloudelements.Instance, m *freshdeskInstanceModel, baseURL string) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(strconv.FormatInt(inst.ID, 10))
	if m.Name.IsNull() || m.Name.IsUnknown() || stripHTML(m.Name.ValueString()) != inst.Name {
		m.Name = types.StringValue(inst.Name)
	}
	if sub, ok := inst.Configuration[cloudelements.ConfigSubdomain]; ok && !equalFold(m.Subdomain, sub) {
		m.Subdomain = types.StringValue(sub)
	}
	m.FilterResponseNulls = types.BoolValue(configBool(inst.Configuration, cloudelements.ConfigFilterResponseNulls, true))
	if len(inst.Tags) == 0 && m.Tags.IsNull() {
		// No tags on either side: keep null rather than plan an empty set.
	} else {
		tags, d := types.SetValueFrom(ctx, types.StringType, inst.Tags)
		diags.Append(d...)
		m.Tags = tags
	}
	if inst.Token != "" || m.Token.IsUnknown() {
		m.Token = types.StringValue(inst.Token)
	}
	elementID := inst.ElementID
	if elementID == 0 {
		elementID = inst.Element.ID
	}
	m.ElementID = types.Int64Value(elementID)
	m.CreatedDate = types.StringValue(inst.CreatedDate)
	m.Valid = types.BoolValue(inst.Valid)
	m.Disabled = types.BoolValue(inst.Disabled)
	m.Enabled = types.BoolValue(!inst.Disabled)
	m.EventsEnabled = types.BoolValue(inst.EventsEnabled)
	diags.Append(readEvents(ctx, inst, m, baseURL)...)
	return diags
}

// Validators used by the events schema as well.
var positiveMinutes = []validator.Int64{int64validator.AtLeast(1)}
