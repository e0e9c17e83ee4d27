package provider

// The instance engine holds the lifecycle every instance resource shares
// (plan rules, create with reconcile, read, PATCH or PUT, enable/disable,
// events, import with adoption, delete). A resource is a profile of it: its
// schema, its validation, and the mapping of its model onto an
// instanceSpec. Nothing here knows any element.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
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

// privateAdopt marks an imported instance until its first apply: its
// secrets were never sent by Terraform, so the first apply adopts them
// (and configuration values the platform already has) instead of writing.
// Its value holds sha256 hashes of the platform's configuration values.
const privateAdopt = "adopt"

type adoption struct {
	Config map[string]string `json:"config"`
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func adoptionFrom(ctx context.Context, p privateGetter) (*adoption, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	raw, diags := p.GetKey(ctx, privateAdopt)
	if len(raw) == 0 || diags.HasError() {
		return nil, diags
	}
	var a adoption
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, diags // unreadable: behave as a normal instance
	}
	return &a, diags
}

func hashValue(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
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
			Validators:          []validator.String{notBlankString(), stringvalidator.LengthAtMost(255)},
		},
		"tags": schema.SetAttribute{
			MarkdownDescription: "Element instance tags. Changes are applied in place (`PATCH`); order does not matter. " +
				"`tags = []` and no `tags` both mean none.",
			ElementType: types.StringType,
			Optional:    true,
			Validators:  []validator.Set{setvalidator.ValueStringsAre(notBlankString(), stringvalidator.LengthAtMost(255))},
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the instance is enabled. A disabled instance keeps its configuration, " +
				"but hub calls with its token are refused (403). Defaults to `true`.",
			Optional: true, Computed: true, Default: booldefault.StaticBool(true),
		},
		"events": eventsSchema(),
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
		"timeouts": timeouts.Attributes(ctx, timeouts.Opts{
			Create: true, Read: true, Update: true, Delete: true,
			CreateDescription: "How long creating may take, retries included (default 10m).",
			ReadDescription:   "How long reading may take, retries included (default 5m).",
			UpdateDescription: "How long updating may take, retries included (default 10m).",
			DeleteDescription: "How long deleting may take, retries included (default 5m).",
		}),
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

// ModifyPlan plans disabled, the events' computed parts, and which computed
// values a write may change: token, valid and events_enabled are unknown
// exactly when apply will send a PUT or PATCH.
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
	ps, known, diags := e.profile.spec(ctx, &plan, &config)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(e.planEvents(ctx, pc, ps.WebhookHook)...)

	write := true
	if !req.State.Raw.IsNull() && known {
		var state M
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
		adopt, d := adoptionFrom(ctx, req.Private)
		resp.Diagnostics.Append(d...)
		if resp.Diagnostics.HasError() {
			return
		}
		w, d := e.plannedWrite(ctx, &plan, &config, &state, adopt)
		resp.Diagnostics.Append(d...)
		write = w.kind != writeNone
		if !write {
			sc := e.profile.common(&state)
			pc.Token, pc.Valid, pc.EventsEnabled = sc.Token, sc.Valid, sc.EventsEnabled
		}
	}
	if write {
		pc.Token, pc.Valid, pc.EventsEnabled = types.StringUnknown(), types.BoolUnknown(), types.BoolUnknown()
	}
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// planEvents fills in the events' computed parts (adapting the Freshdesk
// events helpers, which phase 2 moves here) and the webhook address.
func (e *instanceEngine[M]) planEvents(ctx context.Context, c *instanceCommonModel, hook string) diag.Diagnostics {
	fm := freshdeskInstanceModel{ID: c.ID, Events: c.Events}
	diags := planEvents(ctx, &fm, e.baseURL())
	c.Events = fm.Events
	diags.Append(e.setWebhookURL(ctx, c, hook)...)
	return diags
}

// setWebhookURL sets events.webhook_url: where the element must post its
// webhooks for this instance, as the platform documents it.
func (e *instanceEngine[M]) setWebhookURL(_ context.Context, c *instanceCommonModel, hook string) diag.Diagnostics {
	if c.Events.IsNull() || c.Events.IsUnknown() {
		return nil
	}
	attrs := maps.Clone(c.Events.Attributes())
	vendor, _ := attrs["vendor_type"].(types.String)
	url := types.StringNull()
	switch {
	case vendor.IsUnknown():
		url = types.StringUnknown()
	case vendor.ValueString() != vendorWebhook || hook == "":
	case c.ID.IsUnknown() || c.ID.IsNull() || e.baseURL() == "":
		url = types.StringUnknown()
	default:
		url = types.StringValue(e.baseURL() + "/events/" + hook + "/" + base64.StdEncoding.EncodeToString([]byte(c.ID.ValueString())))
	}
	attrs["webhook_url"] = url
	obj, diags := types.ObjectValue(eventsAttrTypes, attrs)
	c.Events = obj
	return diags
}

// plannedWrite works out the one request an update sends. ModifyPlan and
// Update both use it, so the plan says exactly what apply does.
type plannedWriteResult struct {
	kind  writeKind
	spec  instanceSpec
	patch cloudelements.InstancePatch
	// cleared are managed keys removed from the configuration, sent empty.
	cleared []string
}

func (e *instanceEngine[M]) plannedWrite(ctx context.Context, plan, config, state *M, adopt *adoption) (plannedWriteResult, diag.Diagnostics) {
	ps, _, diags := e.profile.spec(ctx, plan, config)
	ss, _, d := e.profile.spec(ctx, state, nil)
	diags.Append(d...)
	pc, sc := e.profile.common(plan), e.profile.common(state)
	desired, d := mergedConfiguration(ctx, ps.Configuration, pc.Events)
	diags.Append(d...)
	prior, d := mergedConfiguration(ctx, ss.Configuration, sc.Events)
	diags.Append(d...)
	w := plannedWriteResult{spec: ps}
	if diags.HasError() {
		return w, diags
	}

	changed := map[string]string{}
	for k, v := range desired {
		same := false
		if h, ok := adoptedHash(adopt, k); ok {
			same = h == hashValue(v)
		} else {
			old, ok := prior[k]
			same = ok && old == v
		}
		if !same && !(adopt != nil && k == cloudelements.ConfigEventsSignatureKey) { // masked: adopted like secrets
			changed[k] = v
		}
	}
	if adopt == nil { // after an import, keys not written are left alone
		for k := range prior {
			if _, ok := desired[k]; !ok {
				changed[k] = ""
				w.cleared = append(w.cleared, k)
			}
		}
	}
	slices.Sort(w.cleared)

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
	if !pc.Tags.Equal(sc.Tags) && !sameTagSets(ctx, pc.Tags, sc.Tags) {
		tags, d := tagList(ctx, pc.Tags)
		diags.Append(d...)
		w.patch.Tags = &tags
	}
	if len(changed) > 0 {
		w.patch.Configuration = changed
		if v := changed[cloudelements.ConfigEventsSignatureKey]; v != "" {
			w.patch.Secrets = []string{v}
		}
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

func adoptedHash(adopt *adoption, key string) (string, bool) {
	if adopt == nil {
		return "", false
	}
	h, ok := adopt.Config[key]
	return h, ok
}

// sameTagSets treats null and [] alike: both mean "no tags" on the platform.
func sameTagSets(ctx context.Context, a, b types.Set) bool {
	x, d1 := tagList(ctx, a)
	y, d2 := tagList(ctx, b)
	return !d1.HasError() && !d2.HasError() && len(x) == 0 && len(y) == 0
}

// mergedConfiguration is the managed configuration with the events keys a
// PATCH compares (events absent means "off").
func mergedConfiguration(ctx context.Context, cfg map[string]string, events types.Object) (map[string]string, diag.Diagnostics) {
	out, diags := eventsConfiguration(ctx, events, false)
	maps.Copy(out, cfg)
	return out, diags
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
			// The instance exists: record it (Terraform taints it) rather
			// than orphan it.
			pc.ID = types.StringValue(strconv.FormatInt(created.ID, 10))
			resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
		}
		summary, detail := createErrorText(e.profile.label(), spec, err)
		resp.Diagnostics.AddError(summary, detail)
		return
	}
	wantEnabled := pc.Enabled.ValueBool()
	resp.Diagnostics.Append(e.readBack(ctx, inst, &plan, true, spec.WebhookHook)...)
	pc.Enabled, pc.Disabled = types.BoolValue(!inst.Disabled), types.BoolValue(inst.Disabled)
	if wantEnabled == inst.Disabled {
		resp.Diagnostics.Append(e.setEnabled(ctx, inst.ID, inst.Token, pc, wantEnabled)...)
	}
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
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

// setEnabled enables or disables the instance, then reads it back until the
// platform agrees (bounded by ctx). c.Enabled and c.Disabled end as the
// platform has them, or as planned with a warning when it never agreed.
func (e *instanceEngine[M]) setEnabled(ctx context.Context, id int64, token string, c *instanceCommonModel, want bool) diag.Diagnostics {
	var diags diag.Diagnostics
	verb := map[bool]string{true: "enable", false: "disable"}[want]
	if err := e.provider.client.SetInstanceEnabled(ctx, id, token, want); err != nil {
		diags.AddError("Cannot "+verb+" the "+e.profile.label(),
			fmt.Sprintf("Instance %d: %s. State records whether it is enabled as it was.", id, err))
		return diags
	}
	c.Enabled, c.Disabled = types.BoolValue(want), types.BoolValue(!want)
	wait := 200 * time.Millisecond
	for {
		inst, err := e.provider.client.GetInstance(ctx, id)
		if err == nil && inst.Disabled == !want {
			return diags
		}
		reason := "the platform still reports disabled = " + strconv.FormatBool(!want)
		if err != nil {
			reason = "reading it back failed: " + err.Error()
		}
		if deadline, ok := ctx.Deadline(); err != nil || (ok && time.Until(deadline) < wait) {
			diags.AddAttributeWarning(path.Root("disabled"), "Platform has not confirmed the instance is "+verb+"d",
				fmt.Sprintf("Instance %d was asked to %s, but %s. State keeps the planned disabled = %t; the next "+
					"refresh shows the platform's value.", id, verb, reason, !want))
			return diags
		}
		select {
		case <-ctx.Done():
			return diags
		case <-time.After(wait):
		}
		wait = min(wait*2, 5*time.Second)
	}
}

// readBack copies an answer into m: the common attributes here, the
// profile's own through it. With planned, m holds the plan and keeps values
// that mean the same; where the answer contradicts the plan, the plan is
// kept (Terraform insists) with a warning naming the attribute.
func (e *instanceEngine[M]) readBack(ctx context.Context, inst *cloudelements.Instance, m *M, planned bool, hook string) diag.Diagnostics {
	var diags diag.Diagnostics
	c := e.profile.common(m)
	c.ID = types.StringValue(strconv.FormatInt(inst.ID, 10))
	if planned && !c.Name.IsUnknown() {
		if stripHTML(c.Name.ValueString()) != inst.Name {
			diags.Append(contradicted("name", c.Name.ValueString(), inst.Name))
		}
	} else if c.Name.IsNull() || c.Name.IsUnknown() || stripHTML(c.Name.ValueString()) != inst.Name {
		c.Name = types.StringValue(inst.Name)
	}
	diags.Append(readTagSet(ctx, inst.Tags, &c.Tags, planned)...)
	if inst.Token != "" || c.Token.IsUnknown() {
		c.Token = types.StringValue(inst.Token)
	}
	if id := elementIDOf(inst); id != 0 || c.ElementID.IsUnknown() {
		c.ElementID = types.Int64Value(id)
	}
	if !planned || c.CreatedDate.IsUnknown() {
		c.CreatedDate = types.StringValue(normalizeCreatedDate(inst.CreatedDate))
	}
	if !planned || c.Valid.IsUnknown() {
		c.Valid = types.BoolValue(inst.Valid)
	}
	if !planned || c.EventsEnabled.IsUnknown() {
		c.EventsEnabled = types.BoolValue(inst.EventsEnabled)
	}
	if !planned {
		c.Disabled, c.Enabled = types.BoolValue(inst.Disabled), types.BoolValue(!inst.Disabled)
		fm := freshdeskInstanceModel{ID: c.ID, Events: c.Events}
		diags.Append(readEvents(ctx, inst, &fm, e.baseURL())...)
		c.Events = fm.Events
	}
	diags.Append(e.setWebhookURL(ctx, c, hook)...)
	diags.Append(e.profile.readBack(ctx, inst, m, planned)...)
	return diags
}

// readTagSet applies the decided tags rule: compared as a set; null, absent
// and [] all mean none; a configured [] stays [] and a null stays null.
func readTagSet(ctx context.Context, answered []string, tags *types.Set, planned bool) diag.Diagnostics {
	cur, diags := tagList(ctx, *tags)
	if tags.IsUnknown() {
		cur = nil
	}
	if slices.Equal(sortedUnique(cur), sortedUnique(answered)) && !tags.IsUnknown() {
		return diags
	}
	if planned && !tags.IsUnknown() {
		diags.Append(contradicted("tags", fmt.Sprint(sortedUnique(cur)), fmt.Sprint(sortedUnique(answered))))
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

// contradicted is the warning for a planned value the platform's answer
// contradicts. Never used for secrets.
func contradicted(attribute, planned, answered string) diag.Diagnostic {
	return diag.NewAttributeWarningDiagnostic(path.Root(attribute), "Platform answered a different "+attribute,
		fmt.Sprintf("The plan said %s = %q, the platform answered %q. State keeps the planned value; the next "+
			"refresh shows the platform's.", attribute, planned, answered))
}

// createdDateLayouts are the ISO-8601 forms the platform may answer.
var createdDateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05",
}

// normalizeCreatedDate stores a date as RFC 3339 UTC; unparseable text is
// kept as it came.
func normalizeCreatedDate(s string) string {
	for _, l := range createdDateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.UTC().Format(time.RFC3339Nano)
		}
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC().Format(time.RFC3339Nano)
	}
	return s
}

func (e *instanceEngine[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	c := e.profile.common(&state)
	timeout, diags := c.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id, ok := e.target(c, &resp.Diagnostics)
	if !ok {
		return
	}
	inst, err := e.provider.client.GetInstance(ctx, id)
	if cloudelements.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform: plan a create
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the "+e.profile.label(), err.Error())
		return
	}
	read := state
	spec, _, diags := e.profile.spec(ctx, &read, nil)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(e.readBack(ctx, inst, &read, false, spec.WebhookHook)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	adopt, diags := adoptionFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if adopt != nil { // remember what the platform has, for the adopting apply
		adopt.Config = map[string]string{}
		for k, v := range inst.Configuration {
			adopt.Config[k] = hashValue(v)
		}
		raw, _ := json.Marshal(adopt)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, raw)...)
	}
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
		resp.Diagnostics.AddError("Cannot update the "+e.profile.label(), err.Error())
		return // nothing was applied: state keeps the prior values
	}
	if inst != nil {
		resp.Diagnostics.Append(e.readBack(ctx, inst, &plan, true, w.spec.WebhookHook)...)
	} else {
		pc.Token, pc.Valid, pc.EventsEnabled = sc.Token, sc.Valid, sc.EventsEnabled
	}
	// What was written is recorded even if enabling fails below.
	want := pc.Enabled.ValueBool()
	pc.Enabled, pc.Disabled = sc.Enabled, sc.Disabled
	if want != sc.Enabled.ValueBool() {
		resp.Diagnostics.Append(e.setEnabled(ctx, id, pc.Token.ValueString(), pc, want)...)
	}
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, nil)...) // adopted or sent: normal from now on
	resp.Diagnostics.Append(setStateKnown(ctx, &resp.State, &plan)...)
}

func (e *instanceEngine[M]) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state M
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	c := e.profile.common(&state)
	timeout, diags := c.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	id, ok := e.target(c, &resp.Diagnostics)
	if !ok {
		return
	}
	if err := e.provider.client.DeleteInstance(ctx, id); err != nil && !cloudelements.IsNotFound(err) {
		resp.Diagnostics.AddError("Cannot delete the "+e.profile.label(), err.Error())
	}
}

// ImportState takes an id; Read fills in the rest. The instance is marked
// for adoption: its secrets were never sent by Terraform.
func (e *instanceEngine[M]) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if _, err := parseInstanceID(req.ID); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("id"), "Invalid import id", err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("enabled"), true)...)
	resp.Diagnostics.Append(e.profile.importDefaults(ctx, &resp.State)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, []byte(`{"config":{}}`))...)
}

// target parses the id in state and lets the client mask the state's token.
func (e *instanceEngine[M]) target(c *instanceCommonModel, diags *diag.Diagnostics) (int64, bool) {
	id, err := parseInstanceID(c.ID.ValueString())
	if err != nil {
		diags.AddAttributeError(path.Root("id"), "Invalid instance id", err.Error())
		return 0, false
	}
	e.provider.client.RememberToken(c.Token.ValueString())
	return id, true
}
