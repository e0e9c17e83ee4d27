package provider

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
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
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
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
	Subdomain           subdomainValue `tfsdk:"subdomain"`
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
	useBoolState := []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()}
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
					"Compared without regard to case and sent in lower case: a change of case alone makes no API call. " +
					"Any other change re-provisions the instance in place (`PUT`); the id is kept, the token may change.",
				Required:   true,
				CustomType: subdomainType{},
				Validators: []validator.String{validSubdomain()},
			},
			"api_key": schema.StringAttribute{
				MarkdownDescription: "The Freshdesk API key (Profile settings, \"Your API Key\"), sent as " +
					"`configuration.username`. Kept in state; prefer `api_key_wo` on Terraform 1.11 and later. " +
					"At most one of `api_key` and `api_key_wo` may be set; one is needed to create or re-provision an " +
					"instance, not to keep one. A change re-provisions the instance (`PUT`). It is never read back from " +
					"the platform: after an import, the key first written in configuration is adopted without any API call.",
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
				Validators:          []validator.Set{tagsValidator{}},
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
			"token":          schema.StringAttribute{MarkdownDescription: "The element-instance token, for calling the helpdesk hub with `Authorization: User <user secret>, Element <token>`. The platform may issue a new one on any write, so it shows as known after apply whenever an update sends a `PUT` or `PATCH`.", Computed: true, Sensitive: true, PlanModifiers: useState},
			"element_id":     schema.Int64Attribute{MarkdownDescription: "The element's id (491 for Freshdesk V2). Never changes after create.", Computed: true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()}},
			"created_date":   schema.StringAttribute{MarkdownDescription: "When the platform created the instance, as RFC 3339 in UTC (kept as the platform wrote it if it cannot be parsed). Never changes after create.", Computed: true, PlanModifiers: useState},
			"valid":          schema.BoolAttribute{MarkdownDescription: "Whether the platform considers the instance's credentials valid. May change on any write: known after apply whenever an update sends a `PUT` or `PATCH`.", Computed: true, PlanModifiers: useBoolState},
			"disabled":       schema.BoolAttribute{MarkdownDescription: "Whether the instance is disabled: planned as the opposite of `enabled`; a refresh shows what the platform reports.", Computed: true},
			"events_enabled": schema.BoolAttribute{MarkdownDescription: "Whether the platform has events switched on for the instance, as it reports it (it may lag behind `events`). Known after apply whenever an update sends a `PUT` or `PATCH`.", Computed: true, PlanModifiers: useBoolState},
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
	return []resource.ConfigValidator{apiKeyValidator{}, eventsValidator{}}
}

// apiKeyValidator allows at most one of api_key and api_key_wo, and
// api_key_wo_version exactly with api_key_wo. Whether a key is needed at all
// depends on the plan (create or re-provision), so ModifyPlan decides that.
// It reads three attributes directly: the generic path-expression
// validators cost more than the rest of validation together.
type apiKeyValidator struct{}

func (apiKeyValidator) Description(context.Context) string {
	return "at most one of api_key and api_key_wo; api_key_wo_version with api_key_wo"
}

func (v apiKeyValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

// apiKeyHelp says where the key comes from and how to give it.
const apiKeyHelp = "Set exactly one of api_key and api_key_wo: the Freshdesk API key (Profile settings, " +
	"\"Your API Key\"). api_key is kept in state; api_key_wo (Terraform 1.11 and later) is not."

func (apiKeyValidator) ValidateResource(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var key, keyWO types.String
	var version types.Int64
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key"), &key)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key_wo"), &keyWO)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("api_key_wo_version"), &version)...)
	if resp.Diagnostics.HasError() || key.IsUnknown() || keyWO.IsUnknown() {
		return // decided once the values are known
	}
	switch {
	case !key.IsNull() && !keyWO.IsNull():
		resp.Diagnostics.AddAttributeError(path.Root("api_key_wo"), "Both api_key and api_key_wo are set", apiKeyHelp)
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

// keyUnsentKey marks, in private state, an instance whose API key this
// provider has never sent (an imported one): the first key written in
// configuration is adopted, not sent, since the platform cannot be asked
// which key it holds and sending one may reissue the token.
const keyUnsentKey = "key_unsent"

// privateState is the part of the framework's private state used here.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func keyUnsent(ctx context.Context, p privateState) bool {
	v, _ := p.GetKey(ctx, keyUnsentKey)
	return len(v) > 0
}

// ModifyPlan works out the computed values a change implies, so that the plan
// says exactly what apply will do and apply never reports an inconsistency:
// token, valid and events_enabled are unknown whenever the update writes.
func (r *freshdeskInstanceResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	if !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) {
		return // no change: the prior state already holds every computed value
	}
	var plan, config freshdeskInstanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
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

	write := writePut // a create writes everything
	if !req.State.Raw.IsNull() {
		var state freshdeskInstanceModel
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		if resp.Diagnostics.HasError() {
			return
		}
		var diags diag.Diagnostics
		write, diags = plannedWrite(ctx, plan, state, keyUnsent(ctx, req.Private))
		resp.Diagnostics.Append(diags...)
	}
	switch {
	case write == writePut && missingKey(plan, config):
		summary, what := "Missing api_key or api_key_wo", "Creating the instance"
		if !req.State.Raw.IsNull() {
			summary, what = "Re-provisioning needs the API key", "Changing subdomain or filter_response_nulls re-provisions the instance (PUT), which"
		}
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), summary,
			what+" sends the Freshdesk API key, and the platform never returns it. "+apiKeyHelp)
	case write != writeNone:
		// The platform may reissue the token, re-validate the credentials
		// and switch events on or off on any write: promise nothing.
		plan.Token, plan.Valid, plan.EventsEnabled = types.StringUnknown(), types.BoolUnknown(), types.BoolUnknown()
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// writeKind is the API write an update makes.
type writeKind int

const (
	writeNone  writeKind = iota // nothing, or only enable/disable
	writePatch                  // PATCH: name, tags, events
	writePut                    // PUT: re-provision with the full definition
)

// plannedWrite decides the one write an update makes; ModifyPlan and Update
// both use it, so the plan promises what apply does.
func plannedWrite(ctx context.Context, plan, state freshdeskInstanceModel, keyUnsent bool) (writeKind, diag.Diagnostics) {
	if needsReprovision(plan, state, keyUnsent) {
		return writePut, nil
	}
	_, changed, diags := instancePatch(ctx, plan, state)
	if changed {
		return writePatch, diags
	}
	return writeNone, diags
}

// needsReprovision reports whether a change can only be made with a full PUT.
// A key newly written after an import (keyUnsent) is adopted, not sent, and
// a key removed from configuration is simply no longer managed.
func needsReprovision(plan, state freshdeskInstanceModel, keyUnsent bool) bool {
	sameSubdomain, _ := plan.Subdomain.StringSemanticEquals(context.Background(), state.Subdomain)
	newKey := (!plan.APIKey.IsNull() && !plan.APIKey.Equal(state.APIKey)) ||
		(!plan.APIKeyWOVersion.IsNull() && !plan.APIKeyWOVersion.Equal(state.APIKeyWOVersion))
	return plan.Subdomain.IsUnknown() || !sameSubdomain ||
		(newKey && !keyUnsent) ||
		!plan.FilterResponseNulls.Equal(state.FilterResponseNulls)
}

// missingKey reports that neither api_key nor api_key_wo is configured; an
// unknown key counts as present.
func missingKey(plan, config freshdeskInstanceModel) bool {
	return plan.APIKey.IsNull() && config.APIKeyWO.IsNull()
}

// hasKey reports that configuration names a key (api_key or a write-only
// version), which state then records as the instance's key.
func hasKey(m freshdeskInstanceModel) bool {
	return !m.APIKey.IsNull() || !m.APIKeyWOVersion.IsNull()
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
	body.MatchKeys = []string{cloudelements.ConfigSubdomain}
	inst, err := r.provider.client.CreateInstance(ctx, body)
	var created *cloudelements.CreatedError
	if errors.As(err, &created) {
		// The instance exists but its answer is unusable: record the id and
		// what was sent, so that Terraform taints it instead of losing it.
		plan.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
		plan.Enabled, plan.Disabled = types.BoolValue(true), types.BoolValue(false) // the platform's default
		resp.Diagnostics.Append(settleUnknowns(ctx, &plan, r.provider.baseURL)...)
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		r.addAPIError(&resp.Diagnostics, "Freshdesk instance created, but its answer is unusable", err)
		return
	}
	if err != nil {
		r.addAPIError(&resp.Diagnostics, "Cannot create the Freshdesk instance", err)
		return
	}
	resp.Diagnostics.Append(applyAnswer(ctx, inst, &plan, r.provider.baseURL, false)...)
	if !plan.Enabled.ValueBool() {
		// The platform creates instances enabled. On failure, state records
		// that truth and keeps the instance: Terraform taints it instead of
		// forgetting an instance that exists on the platform.
		resp.Diagnostics.Append(r.setEnabled(ctx, inst.ID, &plan, true, "created")...)
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
	// The framework wants the identity even when the resource is removed.
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, state.ID)...)
	inst, err := r.provider.client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		// The platform says the instance does not exist: plan a create.
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		r.addAPIError(&resp.Diagnostics, "Cannot read the Freshdesk instance", err)
		return
	}
	if key := inst.Element.Key; key != "" && key != cloudelements.FreshdeskElementKey {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Not a Freshdesk V2 instance",
			fmt.Sprintf("Instance %d belongs to element %q, not %q; import it with the matching resource type.",
				id, key, cloudelements.FreshdeskElementKey))
		return
	}
	read := state
	resp.Diagnostics.Append(readInstance(ctx, inst, &read, r.provider.baseURL)...)
	if !sameValues(read, state) { // resp.State already holds the prior state
		resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	}
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

	write, diags := plannedWrite(ctx, plan, state, keyUnsent(ctx, req.Private))
	resp.Diagnostics.Append(diags...)
	var inst *cloudelements.Instance
	var err error
	switch write {
	case writePut:
		body, diags := instanceRequest(ctx, plan, config)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		inst, err = r.provider.client.ReplaceInstance(ctx, id, body)
	case writePatch:
		patch, _, diags := instancePatch(ctx, plan, state)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		inst, err = r.provider.client.PatchInstance(ctx, id, patch)
	}
	if err != nil {
		r.addAPIError(&resp.Diagnostics, "Cannot update the Freshdesk instance", err)
		return
	}
	if hasKey(plan) {
		// The key in state is now the one sent, or adopted after an import:
		// a later change of it is a deliberate send.
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, keyUnsentKey, nil)...)
	}

	// Start from the plan: values the platform does not return (the API key)
	// or that did not change keep their planned value.
	enabledChanges := !plan.Enabled.Equal(state.Enabled)
	if inst != nil {
		resp.Diagnostics.Append(applyAnswer(ctx, inst, &plan, r.provider.baseURL, !enabledChanges)...)
	} else {
		plan.Token, plan.Valid, plan.EventsEnabled = state.Token, state.Valid, state.EventsEnabled
	}
	if enabledChanges {
		// A failure still records what was written above, with the
		// enabled flag as it really is.
		resp.Diagnostics.Append(r.setEnabled(ctx, id, &plan, state.Enabled.ValueBool(), "updated")...)
	}
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
	if err != nil && !cloudelements.IsNotFound(err) { // the platform says it is already gone
		r.addAPIError(&resp.Diagnostics, "Cannot delete the Freshdesk instance", err)
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
	// Importing must not touch the instance: the key later written in
	// configuration is adopted rather than sent.
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, keyUnsentKey, []byte("true"))...)
}

// Bounds of the read-back after enabling or disabling: the platform may
// report the new state late.
const (
	enabledReadBackLimit = 60 * time.Second
	enabledReadBackFirst = 250 * time.Millisecond
	enabledReadBackMax   = 5 * time.Second
)

// setEnabled makes the platform's enabled flag m.Enabled, then reads the
// instance back until the platform agrees. If the call fails, m records the
// flag as it was (was) and the error says the instance was done (created,
// updated) but not enabled or disabled; if the platform never agrees, m keeps
// the planned value and a warning says so.
func (r *freshdeskInstanceResource) setEnabled(ctx context.Context, id int64, m *freshdeskInstanceModel, was bool, done string) diag.Diagnostics {
	var diags diag.Diagnostics
	want := m.Enabled.ValueBool()
	if err := r.provider.client.SetInstanceEnabled(ctx, id, m.Token.ValueString(), want); err != nil {
		m.Enabled, m.Disabled = types.BoolValue(was), types.BoolValue(!was)
		verb := "disabled"
		if want {
			verb = "enabled"
		}
		r.addAPIError(&diags, "Cannot change whether the Freshdesk instance is enabled",
			fmt.Errorf("instance %d was %s but not %s: %w", id, done, verb, err))
		return diags
	}
	m.Disabled = types.BoolValue(!want)
	answered, err := r.awaitDisabled(ctx, id, !want)
	switch {
	case err != nil:
		diags.AddAttributeWarning(path.Root("disabled"), "Cannot confirm the enabled state",
			fmt.Sprintf("The platform accepted the change, but reading instance %d back failed: %s. "+
				"State keeps disabled = %t; the next refresh shows the platform's value.", id, err, !want))
	case answered != !want:
		diags.AddAttributeWarning(path.Root("disabled"), "The platform has not confirmed the enabled state",
			fmt.Sprintf("disabled: planned %t, but the platform still answered %t after waiting. "+
				"State keeps the planned value; the next refresh shows the platform's value.", !want, answered))
	}
	return diags
}

// awaitDisabled reads the instance back, with backoff, until its disabled
// flag is want or the time runs out, and returns the last answer.
func (r *freshdeskInstanceResource) awaitDisabled(ctx context.Context, id int64, want bool) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, enabledReadBackLimit)
	defer cancel()
	wait := enabledReadBackFirst
	for {
		inst, err := r.provider.client.GetInstance(ctx, id)
		if err != nil {
			return false, err
		}
		if inst.Disabled == want {
			return want, nil
		}
		select {
		case <-ctx.Done():
			return inst.Disabled, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, enabledReadBackMax)
	}
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

// addAPIError reports a failed API call, with the provider's hints.
func (r *freshdeskInstanceResource) addAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, r.provider.errorDetail(err))
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
	key := apiKey(plan, config)
	configuration := map[string]string{
		cloudelements.ConfigSubdomain:           strings.ToLower(plan.Subdomain.ValueString()),
		cloudelements.ConfigUsername:            key,
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
		Secrets:       secretsOf(key, events),
	}, diags
}

// secretsOf lists the secrets a request carries, for the client to mask.
func secretsOf(key string, cfg map[string]string) []string {
	var out []string
	for _, s := range []string{key, cfg[cloudelements.ConfigEventsSignatureKey]} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
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
	if !sameTags(plan.Tags, state.Tags) {
		tags, d := tagList(ctx, plan.Tags)
		diags.Append(d...)
		patch.Tags, changed = &tags, true
	}
	planned, d := eventsConfiguration(ctx, plan.Events, false)
	diags.Append(d...)
	prior, d := eventsConfiguration(ctx, state.Events, false)
	diags.Append(d...)
	if plan.Events.IsUnknown() || !sameStrings(planned, prior) {
		// PATCH merges, so a setting no longer configured is cleared
		// explicitly rather than left behind.
		for k := range prior {
			if _, ok := planned[k]; !ok {
				planned[k] = ""
			}
		}
		patch.Configuration, changed = planned, true
		patch.Secrets = secretsOf("", planned)
	}
	return patch, changed, diags
}

// sameTags compares tags as sets, null and empty alike ("no tags").
func sameTags(a, b types.Set) bool {
	if a.IsUnknown() || b.IsUnknown() {
		return false
	}
	if len(a.Elements()) == 0 && len(b.Elements()) == 0 {
		return true
	}
	return a.Equal(b)
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

// readInstance copies what the platform returned into m, as a refresh sees
// it: the platform is right. Values the platform normalises (HTML stripped
// from names, subdomain case, tag order) keep m's spelling when they mean the
// same, so plans stay empty.
func readInstance(ctx context.Context, inst *cloudelements.Instance, m *freshdeskInstanceModel, baseURL string) diag.Diagnostics {
	var diags diag.Diagnostics
	m.ID = types.StringValue(strconv.FormatInt(inst.ID, 10))
	if m.Name.IsNull() || m.Name.IsUnknown() || stripHTML(m.Name.ValueString()) != inst.Name {
		m.Name = types.StringValue(inst.Name)
	}
	if sub, ok := inst.Configuration[cloudelements.ConfigSubdomain]; ok {
		m.Subdomain = newSubdomain(sub) // the type keeps m's spelling when only the case differs
	}
	m.FilterResponseNulls = types.BoolValue(configBool(inst.Configuration, cloudelements.ConfigFilterResponseNulls, true))
	diags.Append(readTags(ctx, inst.Tags, m)...)
	if inst.Token != "" || m.Token.IsUnknown() {
		m.Token = types.StringValue(inst.Token)
	}
	elementID := inst.ElementID
	if elementID == 0 {
		elementID = inst.Element.ID
	}
	if elementID != 0 || m.ElementID.IsNull() || m.ElementID.IsUnknown() {
		m.ElementID = types.Int64Value(elementID)
	}
	if inst.CreatedDate != "" || m.CreatedDate.IsNull() || m.CreatedDate.IsUnknown() {
		m.CreatedDate = types.StringValue(createdDateRFC3339(inst.CreatedDate))
	}
	m.Valid = types.BoolValue(inst.Valid)
	m.Disabled = types.BoolValue(inst.Disabled)
	m.Enabled = types.BoolValue(!inst.Disabled)
	m.EventsEnabled = types.BoolValue(inst.EventsEnabled)
	diags.Append(readEvents(ctx, inst, m, baseURL)...)
	return diags
}

// readTags records the platform's tags. No tags (null, absent or [] in the
// answer) keeps m's form, null or [], so that neither flips to the other.
func readTags(ctx context.Context, tags []string, m *freshdeskInstanceModel) diag.Diagnostics {
	if len(tags) == 0 {
		if m.Tags.IsNull() {
			return nil
		}
		m.Tags = types.SetValueMust(types.StringType, []attr.Value{})
		return nil
	}
	set, diags := types.SetValueFrom(ctx, types.StringType, slices.Compact(slices.Sorted(slices.Values(tags))))
	m.Tags = set
	return diags
}

// createdDateRFC3339 normalises the platform's createdDate to RFC 3339 in
// UTC; text that cannot be parsed is kept as it is.
func createdDateRFC3339(raw string) string {
	if t, ok := cloudelements.ParseCreatedDate(raw); ok {
		return t.UTC().Format(time.RFC3339Nano)
	}
	return raw
}

// applyAnswer records a write's answer in the planned model m. Computed
// values come from the answer; the planned configuration is kept, since
// Terraform insists on it, and each value the answer contradicts gets a
// warning. enabled and disabled are compared only with checkEnabled (no
// enable or disable call follows, which checks them itself).
func applyAnswer(ctx context.Context, inst *cloudelements.Instance, m *freshdeskInstanceModel, baseURL string, checkEnabled bool) diag.Diagnostics {
	planned := *m
	diags := readInstance(ctx, inst, m, baseURL)
	answered := *m
	*m = planned
	m.ID, m.Token, m.ElementID, m.CreatedDate = answered.ID, answered.Token, answered.ElementID, answered.CreatedDate
	m.Valid, m.EventsEnabled = answered.Valid, answered.EventsEnabled

	sameSubdomain, _ := planned.Subdomain.StringSemanticEquals(ctx, answered.Subdomain)
	contradicted := map[string][2]attr.Value{}
	if !planned.Name.Equal(answered.Name) {
		contradicted["name"] = [2]attr.Value{planned.Name, answered.Name}
	}
	if !sameSubdomain {
		contradicted["subdomain"] = [2]attr.Value{planned.Subdomain, answered.Subdomain}
	}
	if !sameTags(planned.Tags, answered.Tags) {
		contradicted["tags"] = [2]attr.Value{planned.Tags, answered.Tags}
	}
	if !planned.FilterResponseNulls.Equal(answered.FilterResponseNulls) {
		contradicted["filter_response_nulls"] = [2]attr.Value{planned.FilterResponseNulls, answered.FilterResponseNulls}
	}
	if checkEnabled && !planned.Disabled.Equal(answered.Disabled) {
		contradicted["disabled"] = [2]attr.Value{planned.Disabled, answered.Disabled}
	}
	events, d := settleEvents(ctx, planned.Events, answered.Events, contradicted)
	diags.Append(d...)
	m.Events = events
	for _, name := range slices.Sorted(maps.Keys(contradicted)) {
		v := contradicted[name]
		diags.AddWarning("The platform's answer differs from the plan",
			fmt.Sprintf("%s: planned %s, the platform answered %s. State keeps the planned value; "+
				"the next refresh shows the platform's value.", name, v[0], v[1]))
	}
	return diags
}

// settleUnknowns replaces what the plan left unknown with null, for a state
// recorded without an answer: state may hold no unknown value.
func settleUnknowns(ctx context.Context, m *freshdeskInstanceModel, baseURL string) diag.Diagnostics {
	if m.Token.IsUnknown() {
		m.Token = types.StringNull()
	}
	if m.ElementID.IsUnknown() {
		m.ElementID = types.Int64Null()
	}
	if m.CreatedDate.IsUnknown() {
		m.CreatedDate = types.StringNull()
	}
	if m.Valid.IsUnknown() {
		m.Valid = types.BoolNull()
	}
	if m.EventsEnabled.IsUnknown() {
		m.EventsEnabled = types.BoolNull()
	}
	return planEvents(ctx, m, baseURL) // webhook_url, now that the id is known
}

// Validators used by the events schema as well.
var positiveMinutes = []validator.Int64{int64validator.AtLeast(1)}

// subdomainType is a string compared without regard to case: Freshdesk
// subdomains are DNS labels. Through semantic equality the framework keeps
// the configured spelling when the platform answers another case.
type subdomainType struct{ basetypes.StringType }

var _ basetypes.StringTypable = subdomainType{}

func (subdomainType) Equal(o attr.Type) bool { _, ok := o.(subdomainType); return ok }
func (subdomainType) String() string         { return "subdomainType" }

func (subdomainType) ValueType(context.Context) attr.Value { return subdomainValue{} }

func (subdomainType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return subdomainValue{StringValue: in}, nil
}

func (t subdomainType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return subdomainValue{StringValue: s}, nil
}

// subdomainValue is a value of subdomainType.
type subdomainValue struct{ basetypes.StringValue }

var _ basetypes.StringValuableWithSemanticEquals = subdomainValue{}

func newSubdomain(s string) subdomainValue { return subdomainValue{StringValue: types.StringValue(s)} }

func (v subdomainValue) Equal(o attr.Value) bool {
	other, ok := o.(subdomainValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

func (subdomainValue) Type(context.Context) attr.Type { return subdomainType{} }

// StringSemanticEquals reports whether two known subdomains differ in case at
// most.
func (v subdomainValue) StringSemanticEquals(ctx context.Context, other basetypes.StringValuable) (bool, diag.Diagnostics) {
	o, diags := other.ToStringValue(ctx)
	if v.IsNull() || v.IsUnknown() || o.IsNull() || o.IsUnknown() {
		return v.StringValue.Equal(o), diags
	}
	return strings.EqualFold(v.ValueString(), o.ValueString()), diags
}
