package provider

// The instance engine holds the lifecycle every instance resource shares
// (plan rules, create with reconcile, read, PATCH or PUT, enable/disable,
// events, import with adoption, identity, delete). A resource is a profile of
// it: its schema, its validation, and the mapping of its model onto an
// instanceSpec. Nothing here knows any element.
//
// Adding a typed resource for another element is one small file, as
// freshdesk_instance_resource.go shows: a model embedding
// instanceCommonModel next to the element's named attributes; a schema
// (instanceCommonAttributes plus those attributes, with eventsSchema worded
// for the element); its validators; and an instanceProfile whose spec maps
// the named attributes onto configuration keys (with the secrets, the
// MatchKeys the create reconcile compares, the ReprovisionKeys only a PUT
// changes and the webhook segment), whose readBack maps the answer's keys
// back, and whose checkPlan refuses what the element cannot do (such as a
// create without its secrets). The resource type embeds instanceEngine[M]
// and adds Metadata, Schema and ConfigValidators; register it in
// provider.go. Everything else (plan rules, CRUD, enable/disable, events,
// import, identity, moved blocks' private state) comes from here.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
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
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// instanceCommonModel holds the attributes every instance resource has; each
// resource's model embeds it.
type instanceCommonModel struct {
	ID            types.String   `tfsdk:"id"`
	Name          types.String   `tfsdk:"name"`
	Tags          types.Set      `tfsdk:"tags"`
	Enabled       types.Bool     `tfsdk:"enabled"`
	Events        types.Object   `tfsdk:"events"`
	Token         types.String   `tfsdk:"token"`
	ElementID     types.Int64    `tfsdk:"element_id"`
	CreatedDate   types.String   `tfsdk:"created_date"`
	Valid         types.Bool     `tfsdk:"valid"`
	Disabled      types.Bool     `tfsdk:"disabled"`
	EventsEnabled types.Bool     `tfsdk:"events_enabled"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// instanceSpec is what a profile asks of the platform, element-agnostic.
type instanceSpec struct {
	ElementKey string
	Name       string
	// Configuration holds the managed, non-secret keys (events excluded):
	// compared with the platform and changed by PATCH.
	Configuration map[string]string
	// ReprovisionKeys are keys of Configuration that only a PUT changes.
	ReprovisionKeys []string
	// Secrets are sent on create and PUT only, never compared or read back.
	Secrets map[string]string
	// MatchKeys identify the instance in the create reconcile.
	MatchKeys []string
	// ExternalAuthentication is sent on create and PUT when set.
	ExternalAuthentication string
	// WebhookHook is the element's segment in the platform's webhook address
	// (/events/<hook>/<base64 id>); "" when the element has none documented.
	WebhookHook string
}

// instanceProfile maps one resource type's model M onto the engine.
type instanceProfile[M any] interface {
	// label names the resource in messages ("Freshdesk instance").
	label() string
	// common returns the embedded common attributes of m.
	common(m *M) *instanceCommonModel
	// spec describes m; config carries write-only values and may be nil.
	// known is false when a value is not known yet (plan time).
	spec(ctx context.Context, m, config *M) (spec instanceSpec, known bool, diags diag.Diagnostics)
	// secretsChanged reports a change only a PUT applies besides
	// ReprovisionKeys: secrets, their write-only version, and the like.
	secretsChanged(plan, state *M) bool
	// checkPlan refuses, at plan time, a write the configuration cannot
	// make (a create or PUT without the secrets it must send). kind is
	// writePut for a create, writePatch when values are not known yet.
	checkPlan(plan, config *M, kind writeKind, creating bool) diag.Diagnostics
	// readBack copies the profile's attributes from an answer. With planned
	// set, m holds the plan: values meaning the same are kept, and a
	// contradicted value is kept with a warning.
	readBack(ctx context.Context, inst *cloudelements.Instance, m *M, planned bool) diag.Diagnostics
	// importDefaults sets what an imported instance starts from before Read.
	importDefaults(ctx context.Context, state *tfsdk.State) diag.Diagnostics
}

// instanceEngine implements the resource lifecycle for a profile; a resource
// type embeds it and adds Metadata, Schema and validation.
type instanceEngine[M any] struct {
	profile  instanceProfile[M]
	provider *providerData
}

// writeKind is the API write an update makes.
type writeKind int

const (
	writeNone  writeKind = iota // nothing, or only enable/disable
	writePatch                  // PATCH: name, tags, configuration, events
	writePut                    // PUT: re-provision with the full definition
)

// privateAdopt marks an imported instance (one private-state key for every
// instance resource, so that a moved block carries it): its secrets were
// never sent by Terraform, so the first secrets written in configuration are
// adopted rather than sent (sending may reissue the token), and until an
// apply writes the configuration, values the platform already has are
// adopted too. Its value holds sha256 hashes of the platform's values.
const privateAdopt = "adopt"

// privateKeyUnsent is the mark earlier releases of the Freshdesk resource
// left on an imported instance: read as an adoption of the secrets alone.
const privateKeyUnsent = "key_unsent"

type adoption struct {
	Config map[string]string `json:"config"`
	// Written: an apply has written the configuration since the import;
	// only the secrets are still to be adopted.
	Written bool `json:"written,omitempty"`
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func adoptionFrom(ctx context.Context, p privateGetter) (*adoption, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	raw, diags := p.GetKey(ctx, privateAdopt)
	if diags.HasError() {
		return nil, diags
	}
	if len(raw) == 0 {
		legacy, d := p.GetKey(ctx, privateKeyUnsent)
		diags.Append(d...)
		if len(legacy) == 0 || diags.HasError() {
			return nil, diags
		}
		return &adoption{Written: true}, diags
	}
	var a adoption
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, diags // unreadable: behave as a normal instance
	}
	return &a, diags
}

// configAdopted reports whether the configuration is still adopted.
func (a *adoption) configAdopted() bool { return a != nil && !a.Written }

func (a *adoption) hash(key string) (string, bool) {
	if !a.configAdopted() {
		return "", false
	}
	h, ok := a.Config[key]
	return h, ok
}

func hashValue(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}

// instanceTimeouts is the timeouts attribute of every instance resource.
func instanceTimeouts(ctx context.Context) schema.Attribute {
	return timeouts.Attributes(ctx, timeouts.Opts{
		Create: true, Read: true, Update: true, Delete: true,
		CreateDescription: "How long creating may take, retries included (default 10m).",
		ReadDescription:   "How long reading may take, retries included (default 5m).",
		UpdateDescription: "How long updating may take, retries included (default 10m).",
		DeleteDescription: "How long deleting may take, retries included (default 5m).",
	})
}

// instanceCommonAttributes is the schema every instance resource shares;
// a profile adds its own attributes and may reword descriptions.
func instanceCommonAttributes(ctx context.Context) map[string]schema.Attribute {
	useState := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The instance's numeric id on the platform. Never changes.",
			Computed:            true, PlanModifiers: useState,
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The instance's name. Changes are applied in place (`PATCH`).",
			Required:            true,
			Validators:          []validator.String{validate.NotBlank(), stringvalidator.LengthAtMost(255)},
		},
		"tags": schema.SetAttribute{
			MarkdownDescription: "Element instance tags. Changes are applied in place (`PATCH`); order does not matter. " +
				"`tags = []` and no `tags` both mean none.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.Set{setvalidator.ValueStringsAre(validate.NotBlank(), stringvalidator.LengthAtMost(255))},
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is enabled. A disabled instance keeps its configuration, " +
				"but hub calls with its token are refused (403). Defaults to `true`.",
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
		"events": eventsSchema("How the platform learns of changes in the element's system (`event.vendor.type`): "+
			"`polling` (default) or `webhook`.",
			"For `webhook`: the address the element's system must post its webhooks to, "+
				"`<base_url>/events/<element>/<base64 of the instance id>`, for the elements the platform documents "+
				"one for (`freshdeskv2`: `freshdesk`); null otherwise."),
		"token": schema.StringAttribute{
			MarkdownDescription: "The element-instance token, for hub calls with `Authorization: User <user secret>, " +
				"Element <token>`. Known after apply whenever the update writes (`PUT` or `PATCH`): the platform may issue a new one.",
			Computed: true, Sensitive: true, PlanModifiers: useState,
		},
		"element_id": schema.Int64Attribute{
			MarkdownDescription: "The element's numeric id. Never changes.",
			Computed:            true, PlanModifiers: []planmodifier.Int64{int64planmodifier.UseStateForUnknown()},
		},
		"created_date": schema.StringAttribute{
			MarkdownDescription: "When the platform created the instance (RFC 3339, UTC). Never changes.",
			Computed:            true, PlanModifiers: useState,
		},
		"valid": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform considers the instance's credentials valid. Known after apply " +
				"whenever the update writes (`PUT` or `PATCH`).",
			Computed: true, PlanModifiers: []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
		},
		"disabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform reports the instance disabled; planned as the opposite of `enabled`.",
			Computed:            true,
		},
		"events_enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the platform has events switched on. Known after apply whenever the update " +
				"writes (`PUT` or `PATCH`).",
			Computed: true,
		},
		"timeouts": instanceTimeouts(ctx),
	}
}

func (e *instanceEngine[M]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	pd, err := clientFrom(req.ProviderData)
	if err != nil {
		resp.Diagnostics.AddError("Unexpected provider data", err.Error())
		return
	}
	e.provider = pd
}

func (e *instanceEngine[M]) configured(diags *diag.Diagnostics) bool {
	if e.provider == nil {
		diags.AddError("Provider not configured", "The cloudelements provider was not configured before use; "+
			"please report this issue to the provider developers.")
		return false
	}
	return true
}

func (e *instanceEngine[M]) baseURL() string {
	if e.provider == nil {
		return ""
	}
	return e.provider.baseURL
}

// hook is m's webhook address segment.
func (e *instanceEngine[M]) hook(ctx context.Context, m *M) string {
	s, _, _ := e.profile.spec(ctx, m, nil)
	return s.WebhookHook
}

// ModifyPlan works out the computed values a change implies, so that the
// plan says exactly what apply will do: disabled, the events' computed
// parts, and token, valid and events_enabled, unknown exactly when apply
// will send a PUT or PATCH (the platform may change them on any write).
func (e *instanceEngine[M]) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) {
		return // destroy, or nothing to do
	}
	var plan, config M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	pc := e.profile.common(&plan)
	if !pc.Enabled.IsUnknown() {
		pc.Disabled = types.BoolValue(!pc.Enabled.ValueBool())
	}
	// The events' computed parts first: whether the plan is known includes them.
	resp.Diagnostics.Append(planEvents(ctx, pc, e.baseURL(), e.hook(ctx, &plan))...)
	_, known, diags := e.profile.spec(ctx, &plan, &config)
	resp.Diagnostics.Append(diags...)

	creating := req.State.Raw.IsNull()
	kind := writePut // a create writes everything
	if !creating {
		var state M
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		adopt, d := adoptionFrom(ctx, req.Private)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		kind = writePatch // not known yet: some write
		if known {
			w, d := e.plannedWrite(ctx, &plan, &config, &state, adopt)
			resp.Diagnostics.Append(d...)
			kind = w.kind
		}
		if kind == writeNone {
			sc := e.profile.common(&state)
			pc.Token, pc.Valid, pc.EventsEnabled = sc.Token, sc.Valid, sc.EventsEnabled
		}
	}
	resp.Diagnostics.Append(e.profile.checkPlan(&plan, &config, kind, creating)...)
	if kind != writeNone {
		pc.Token, pc.Valid, pc.EventsEnabled = types.StringUnknown(), types.BoolUnknown(), types.BoolUnknown()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// plannedWriteResult is the one request an update sends. ModifyPlan and
// Update both work it out with plannedWrite, so the plan says exactly what
// apply does.
type plannedWriteResult struct {
	kind  writeKind
	spec  instanceSpec
	patch cloudelements.InstancePatch
	// cleared are keys no longer configured, sent empty by a PUT too.
	cleared []string
}

func (e *instanceEngine[M]) plannedWrite(ctx context.Context, plan, config, state *M, adopt *adoption) (plannedWriteResult, diag.Diagnostics) {
	ps, _, diags := e.profile.spec(ctx, plan, config)
	ss, _, d := e.profile.spec(ctx, state, nil)
	diags.Append(d...)
	pc, sc := e.profile.common(plan), e.profile.common(state)
	events, d := eventsConfiguration(ctx, pc.Events, false)
	diags.Append(d...)
	priorEvents, d := eventsConfiguration(ctx, sc.Events, false)
	diags.Append(d...)
	w := plannedWriteResult{spec: ps}
	if diags.HasError() {
		return w, diags
	}

	// Configuration keys are compared one by one; after an import, with
	// the platform's values as well.
	changed := map[string]string{}
	for k, v := range ps.Configuration {
		old, ok := ss.Configuration[k]
		same := ok && old == v
		if h, ok := adopt.hash(k); ok && !same {
			same = h == hashValue(v)
		}
		if !same {
			changed[k] = v
		}
	}
	if !adopt.configAdopted() { // after an import, keys not written are left alone
		for k := range ss.Configuration {
			if _, ok := ps.Configuration[k]; !ok {
				changed[k] = ""
				w.cleared = append(w.cleared, k)
			}
		}
		for k := range priorEvents {
			if _, ok := events[k]; !ok {
				w.cleared = append(w.cleared, k)
			}
		}
	}
	slices.Sort(w.cleared)
	w.cleared = slices.Compact(w.cleared)

	reprovision := adopt == nil && e.profile.secretsChanged(plan, state)
	for _, k := range ps.ReprovisionKeys {
		if _, ok := changed[k]; ok {
			reprovision = true
		}
	}
	if reprovision {
		w.kind = writePut
		return w, diags
	}
	if ps.Name != ss.Name {
		name := ps.Name
		w.patch.Name = &name
	}
	if !sameTags(ctx, pc.Tags, sc.Tags) {
		tags, d := tagList(ctx, pc.Tags)
		diags.Append(d...)
		w.patch.Tags = &tags
	}
	// Events are one block: any change sends all its keys, and the keys no
	// longer set are cleared explicitly (PATCH merges). An adopted
	// signature key, masked by the platform, is not a change.
	cmpEvents, cmpPrior := events, priorEvents
	if adopt != nil {
		cmpEvents, cmpPrior = maps.Clone(events), maps.Clone(priorEvents)
		delete(cmpEvents, cloudelements.ConfigEventsSignatureKey)
		delete(cmpPrior, cloudelements.ConfigEventsSignatureKey)
	}
	if pc.Events.IsUnknown() || !maps.Equal(cmpEvents, cmpPrior) {
		for k := range priorEvents {
			if _, ok := events[k]; !ok {
				events[k] = ""
			}
		}
		maps.Copy(changed, events)
		if v := events[cloudelements.ConfigEventsSignatureKey]; v != "" {
			w.patch.Secrets = []string{v}
		}
	}
	if len(changed) > 0 {
		w.patch.Configuration = changed
	}
	if w.patch.Name != nil || w.patch.Tags != nil || w.patch.Configuration != nil {
		w.kind = writePatch
	}
	return w, diags
}

// knownValues reports whether every value is wholly known.
func knownValues(ctx context.Context, vals ...attr.Value) bool {
	for _, v := range vals {
		tv, err := v.ToTerraformValue(ctx)
		if err != nil || !tv.IsFullyKnown() {
			return false
		}
	}
	return true
}

// sameTags compares tags as sets; null and [] both mean "no tags".
func sameTags(ctx context.Context, a, b types.Set) bool {
	if a.IsUnknown() || b.IsUnknown() {
		return false
	}
	x, d1 := tagList(ctx, a)
	y, d2 := tagList(ctx, b)
	return !d1.HasError() && !d2.HasError() && slices.Equal(sortedUnique(x), sortedUnique(y))
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

// fullRequest is the create or PUT body: every managed key, the secrets and
// the events; cleared keys are sent empty so a PUT leaves none behind.
func fullRequest(ctx context.Context, s instanceSpec, c *instanceCommonModel, cleared []string) (cloudelements.InstanceRequest, diag.Diagnostics) {
	tags, diags := tagList(ctx, c.Tags)
	events, d := eventsConfiguration(ctx, c.Events, true)
	diags.Append(d...)
	cfg := map[string]string{}
	for _, k := range cleared {
		cfg[k] = ""
	}
	maps.Copy(cfg, events)
	maps.Copy(cfg, s.Configuration)
	maps.Copy(cfg, s.Secrets)
	var secrets []string
	for _, v := range s.Secrets {
		secrets = append(secrets, v)
	}
	if v := events[cloudelements.ConfigEventsSignatureKey]; v != "" {
		secrets = append(secrets, v)
	}
	return cloudelements.InstanceRequest{
		Element:                cloudelements.ElementRef{Key: s.ElementKey},
		Name:                   s.Name,
		Configuration:          cfg,
		Tags:                   tags,
		ExternalAuthentication: s.ExternalAuthentication,
		Secrets:                secrets,
		MatchKeys:              s.MatchKeys,
	}, diags
}

func (e *instanceEngine[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan, config M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	pc := e.profile.common(&plan)
	timeout, diags := pc.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	spec, _, diags := e.profile.spec(ctx, &plan, &config)
	resp.Diagnostics.Append(diags...)
	body, diags := fullRequest(ctx, spec, pc, nil)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	inst, err := e.provider.client.CreateInstance(ctx, body)
	if err != nil {
		var created *cloudelements.CreatedError
		if errors.As(err, &created) {
			// The instance exists but its answer is unusable: record the id
			// and what was sent, so that Terraform taints it instead of
			// losing it.
			pc.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
			pc.Enabled, pc.Disabled = types.BoolValue(true), types.BoolValue(false) // the platform's default
			resp.Diagnostics.Append(planEvents(ctx, pc, e.baseURL(), spec.WebhookHook)...)
			resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
			resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, pc.ID)...)
			resp.Diagnostics.AddError(upperFirst(e.profile.label())+" created, but its answer is unusable",
				e.provider.errorDetail(err))
			return
		}
		summary, detail := createErrorText(e.profile.label(), spec, err)
		if cloudelements.IsUnauthorized(err) {
			detail = e.provider.errorDetail(err)
		}
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	want := pc.Enabled.ValueBool()
	resp.Diagnostics.Append(e.readBack(ctx, inst, &plan, true)...)
	pc.Enabled, pc.Disabled = types.BoolValue(!inst.Disabled), types.BoolValue(inst.Disabled)
	if want == inst.Disabled {
		// On failure, state records the truth and keeps the instance:
		// Terraform taints it instead of forgetting it.
		resp.Diagnostics.Append(e.setEnabled(ctx, inst.ID, pc, want, "created")...)
	}
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, pc.ID)...)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// setStateKnown stores m with any value still unknown turned null, so that a
// failed step still records a valid state.
func setStateKnown[M any](ctx context.Context, state *tfsdk.State, m *M) diag.Diagnostics {
	diags := state.Set(ctx, m)
	if diags.HasError() {
		return diags
	}
	raw, err := tftypes.Transform(state.Raw, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if !v.IsKnown() {
			return tftypes.NewValue(v.Type(), nil), nil
		}
		return v, nil
	})
	if err != nil {
		diags.AddError("Cannot record the instance in state", err.Error())
		return diags
	}
	state.Raw = raw
	return diags
}

// createErrorText explains a failed create; an OAuth element created without
// a code is pointed at external_authentication.
func createErrorText(label string, spec instanceSpec, err error) (string, string) {
	var apiErr *cloudelements.Error
	if errors.As(err, &apiErr) && apiErr.StatusCode == 400 && strings.Contains(strings.ToLower(apiErr.Message), "oauth code") {
		return "Element " + strconv.Quote(spec.ElementKey) + " needs OAuth authorization",
			err.Error() + "\n\nThis element is authorized through OAuth. Terraform cannot run the browser flow; create the " +
				"instance from an existing refresh token instead: set external_authentication = \"initial\" and put the " +
				"OAuth client key, secret and refresh token in secret_configuration (for example oauth.api.key, " +
				"oauth.api.secret and oauth.user.refresh_token). See the \"OAuth elements\" example of the " +
				"cloudelements_instance resource documentation."
	}
	return "Cannot create the " + label, err.Error()
}

// Bounds of the read-back after enabling or disabling, within the
// operation's timeout: the platform may report the new state late.
const (
	enabledReadBackLimit = 60 * time.Second
	enabledReadBackFirst = 250 * time.Millisecond
	enabledReadBackMax   = 5 * time.Second
)

// setEnabled makes the platform's enabled flag want, then reads the instance
// back until the platform agrees. If the call fails, c keeps the flag as it
// is (c.Enabled on entry) and the error says the instance was done (created,
// updated) but not enabled or disabled; if the platform never agrees, c
// keeps the planned value and a warning says so.
func (e *instanceEngine[M]) setEnabled(ctx context.Context, id int64, c *instanceCommonModel, want bool, done string) diag.Diagnostics {
	var diags diag.Diagnostics
	if err := e.provider.client.SetInstanceEnabled(ctx, id, c.Token.ValueString(), want); err != nil {
		verb := map[bool]string{true: "enabled", false: "disabled"}[want]
		diags.AddError("Cannot change whether the "+e.profile.label()+" is enabled",
			e.provider.errorDetail(fmt.Errorf("instance %d was %s but not %s: %w", id, done, verb, err)))
		return diags
	}
	c.Enabled, c.Disabled = types.BoolValue(want), types.BoolValue(!want)
	answered, err := e.awaitDisabled(ctx, id, !want)
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
func (e *instanceEngine[M]) awaitDisabled(ctx context.Context, id int64, want bool) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, enabledReadBackLimit)
	defer cancel()
	wait := enabledReadBackFirst
	for {
		inst, err := e.provider.client.GetInstance(ctx, id)
		if err != nil {
			return false, err
		}
		if inst.Disabled == want {
			return want, nil
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			return inst.Disabled, nil
		}
		select {
		case <-ctx.Done():
			return inst.Disabled, nil
		case <-time.After(wait):
		}
		wait = min(2*wait, enabledReadBackMax)
	}
}

// readBack copies an answer into m: the common attributes here, the
// profile's own through it. Without planned it is a refresh: the platform
// is right, but values it normalises (HTML stripped from names, tag order,
// the form of no tags) keep m's spelling when they mean the same, so plans
// stay empty. With planned, m holds the plan: computed values come from the
// answer, and where the answer contradicts the plan, the plan is kept
// (Terraform insists) with a warning naming the attribute.
func (e *instanceEngine[M]) readBack(ctx context.Context, inst *cloudelements.Instance, m *M, planned bool) diag.Diagnostics {
	diags := e.profile.readBack(ctx, inst, m, planned)
	if diags.HasError() {
		return diags
	}
	c := e.profile.common(m)
	c.ID = types.StringValue(strconv.FormatInt(inst.ID, 10))
	if planned && !c.Name.IsUnknown() {
		if stripHTML(c.Name.ValueString()) != inst.Name {
			diags.Append(contradicted(path.Root("name"), c.Name.ValueString(), inst.Name))
		}
	} else if c.Name.IsNull() || c.Name.IsUnknown() || stripHTML(c.Name.ValueString()) != inst.Name {
		c.Name = types.StringValue(inst.Name)
	}
	diags.Append(readTags(ctx, inst.Tags, &c.Tags, planned)...)
	if inst.Token != "" || c.Token.IsUnknown() {
		c.Token = types.StringValue(inst.Token)
	}
	unset := func(v attr.Value) bool { return v.IsNull() || v.IsUnknown() }
	if id := elementIDOf(inst); unset(c.ElementID) || (id != 0 && !planned) {
		c.ElementID = types.Int64Value(id)
	}
	if unset(c.CreatedDate) || (inst.CreatedDate != "" && !planned) {
		c.CreatedDate = types.StringValue(normalizeCreatedDate(inst.CreatedDate))
	}
	if !planned || c.Valid.IsUnknown() {
		c.Valid = types.BoolValue(inst.Valid)
	}
	if !planned || c.EventsEnabled.IsUnknown() {
		c.EventsEnabled = types.BoolValue(inst.EventsEnabled)
	}
	hook := e.hook(ctx, m)
	if !planned {
		c.Disabled, c.Enabled = types.BoolValue(inst.Disabled), types.BoolValue(!inst.Disabled)
		diags.Append(readEvents(ctx, inst, c, e.baseURL(), hook)...)
		return diags
	}
	answered := *c
	diags.Append(readEvents(ctx, inst, &answered, e.baseURL(), hook)...)
	events, d := settleEvents(ctx, c.Events, answered.Events)
	diags.Append(d...)
	c.Events = events
	return diags
}

// readTags applies the decided tags rule: compared as a set; null, absent
// and [] all mean none; a configured [] stays [] and a null stays null.
func readTags(ctx context.Context, answered []string, tags *types.Set, planned bool) diag.Diagnostics {
	cur, diags := tagList(ctx, *tags)
	if tags.IsUnknown() {
		cur = nil
	}
	if slices.Equal(sortedUnique(cur), sortedUnique(answered)) && !tags.IsUnknown() {
		return diags
	}
	if planned && !tags.IsUnknown() {
		diags.Append(contradicted(path.Root("tags"), fmt.Sprint(sortedUnique(cur)), fmt.Sprint(sortedUnique(answered))))
		return diags
	}
	if len(answered) == 0 && !tags.IsUnknown() {
		*tags = types.SetValueMust(types.StringType, []attr.Value{}) // was set: keep [] rather than null
		return diags
	}
	set, d := types.SetValueFrom(ctx, types.StringType, sortedUnique(answered))
	diags.Append(d...)
	*tags = set
	return diags
}

func sortedUnique(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return slices.Compact(out)
}

var htmlTag = regexp.MustCompile(`<[^>]*>`)

// stripHTML does what the platform does to instance names.
func stripHTML(s string) string { return htmlTag.ReplaceAllString(s, "") }

// contradicted is the warning for a planned value the platform's answer
// contradicts. Never used for secrets.
func contradicted(at path.Path, planned, answered string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(at, "Platform answered a different "+at.String(),
		fmt.Sprintf("The plan said %s = %s, the platform answered %s. State keeps the planned value; the next "+
			"refresh shows the platform's.", at, planned, answered))
}

// normalizeCreatedDate stores a date as RFC 3339 UTC; unparseable text is
// kept as it came.
func normalizeCreatedDate(s string) string {
	if t, ok := cloudelements.ParseCreatedDate(s); ok {
		return t.Format(time.RFC3339Nano)
	}
	return s
}

func (e *instanceEngine[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	ctx, cancel, id, ok := e.begin(ctx, req.State, &state, timeouts.Value.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	c := e.profile.common(&state)
	// The framework wants the identity even when the resource is removed.
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, c.ID)...)
	inst, err := e.provider.client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform: plan a create
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the "+e.profile.label(), e.provider.errorDetail(err))
		return
	}
	read := state
	resp.Diagnostics.Append(e.readBack(ctx, inst, &read, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !sameValues(read, state) { // resp.State already holds the prior state
		resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	}
	adopt, diags := adoptionFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if adopt.configAdopted() { // remember what the platform has, for the adopting apply
		adopt.Config = map[string]string{}
		for k, v := range inst.Configuration {
			adopt.Config[k] = hashValue(v)
		}
		raw, _ := json.Marshal(adopt)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, raw)...)
	}
}

// sameValues reports whether two models of the same type hold equal values
// (embedded structs compared field by field), which spares writing back a
// state that a refresh found unchanged.
func sameValues[M any](a, b M) bool {
	return sameFields(reflect.ValueOf(a), reflect.ValueOf(b))
}

func sameFields(va, vb reflect.Value) bool {
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if va.Type().Field(i).Anonymous && fa.Kind() == reflect.Struct {
			if !sameFields(fa, fb) {
				return false
			}
			continue
		}
		x, okX := fa.Interface().(attr.Value)
		y, okY := fb.Interface().(attr.Value)
		if !okX || !okY || !x.Equal(y) {
			return false
		}
	}
	return true
}

func (e *instanceEngine[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, config M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	adopt, diags := adoptionFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	pc, sc := e.profile.common(&plan), e.profile.common(&state)
	timeout, diags := pc.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id, ok := e.target(sc, &resp.Diagnostics)
	if !ok {
		return
	}
	w, diags := e.plannedWrite(ctx, &plan, &config, &state, adopt)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	var inst *cloudelements.Instance
	var err error
	switch w.kind {
	case writePut:
		body, d := fullRequest(ctx, w.spec, pc, w.cleared)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		inst, err = e.provider.client.ReplaceInstance(ctx, id, body)
	case writePatch:
		inst, err = e.provider.client.PatchInstance(ctx, id, w.patch)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot update the "+e.profile.label(), e.provider.errorDetail(err))
		return // nothing was applied: state keeps the prior values
	}
	switch {
	case len(w.spec.Secrets) > 0: // sent, or adopted: normal from now on
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, nil)...)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyUnsent, nil)...)
	case adopt.configAdopted() && w.kind != writeNone: // the secrets are still to adopt
		raw, _ := json.Marshal(adoption{Written: true})
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, raw)...)
	}
	enabledChanges := !pc.Enabled.Equal(sc.Enabled)
	if inst != nil {
		resp.Diagnostics.Append(e.readBack(ctx, inst, &plan, true)...)
		if !enabledChanges && inst.Disabled != pc.Disabled.ValueBool() {
			resp.Diagnostics.Append(contradicted(path.Root("disabled"), pc.Disabled.String(), strconv.FormatBool(inst.Disabled)))
		}
	} else {
		pc.Token, pc.Valid, pc.EventsEnabled = sc.Token, sc.Valid, sc.EventsEnabled
	}
	if enabledChanges {
		// A failure still records what was written above, with the
		// enabled flag as it really is.
		want := pc.Enabled.ValueBool()
		pc.Enabled, pc.Disabled = sc.Enabled, sc.Disabled
		resp.Diagnostics.Append(e.setEnabled(ctx, id, pc, want, "updated")...)
	}
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, pc.ID)...)
}

func (e *instanceEngine[M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	ctx, cancel, id, ok := e.begin(ctx, req.State, &state, timeouts.Value.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	err := e.provider.client.DeleteInstance(ctx, id)
	if err != nil && !cloudelements.IsNotFound(err) { // the platform says it is already gone
		resp.Diagnostics.AddError("Cannot delete the "+e.profile.label(), e.provider.errorDetail(err))
	}
}

// ImportState takes an id (or the identity's); Read fills in the rest.
// Importing must not touch the instance: it is marked for adoption, since
// its secrets were never sent by Terraform.
func (e *instanceEngine[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id, ok := importID(ctx, req, &resp.Diagnostics)
	if !ok {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, types.StringValue(id))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("enabled"), true)...)
	resp.Diagnostics.Append(e.profile.importDefaults(ctx, &resp.State)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, []byte(`{"config":{}}`))...)
}

// begin reads the state into m, bounds ctx by the operation's timeout
// (bound, e.g. timeouts.Value.Read) and parses the instance id.
func (e *instanceEngine[M]) begin(ctx context.Context, st tfsdk.State, m *M,
	bound func(timeouts.Value, context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	fallback time.Duration, diags *diag.Diagnostics,
) (context.Context, context.CancelFunc, int64, bool) {
	diags.Append(st.Get(ctx, m)...)
	if diags.HasError() || !e.configured(diags) {
		return ctx, func() {}, 0, false
	}
	c := e.profile.common(m)
	timeout, d := bound(c.Timeouts, ctx, fallback)
	diags.Append(d...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	id, ok := e.target(c, diags)
	return ctx, cancel, id, ok
}

// target parses the id in state and lets the client mask the state's token,
// which a platform error may echo before this run has seen it in an answer.
func (e *instanceEngine[M]) target(c *instanceCommonModel, diags *diag.Diagnostics) (int64, bool) {
	id, err := validate.ParseInstanceID(c.ID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid instance id", err.Error())
		return 0, false
	}
	e.provider.client.RememberToken(c.Token.ValueString())
	return id, true
}
