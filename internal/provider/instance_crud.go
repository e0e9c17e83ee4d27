package provider

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

func (e *instanceEngine[M]) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	defer e.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, config M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	e.provider.guard().remember(ctx, tfsdk.State(req.Plan), tfsdk.State(req.Config))
	resp.Diagnostics.Append(e.provider.guard().keepPrints(ctx, req.Config, resp.Private)...)
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
	resp.Diagnostics.Append(e.settleAnswer(ctx, inst, &plan)...)
	pc.Enabled, pc.Disabled = types.BoolValue(!inst.Disabled), types.BoolValue(inst.Disabled)
	if want == inst.Disabled {
		resp.Diagnostics.Append(e.enableCreated(ctx, inst.ID, pc, want)...)
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

func (e *instanceEngine[M]) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	defer e.provider.guard().keepOut(ctx, &resp.State, req.Plan.Raw, &resp.Diagnostics)
	var plan, state, config M
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	adopt, diags := adoptionFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || !e.configured(&resp.Diagnostics) {
		return
	}
	e.provider.guard().recall(ctx, req.Private, req.State, tfsdk.State(req.Plan), tfsdk.State(req.Config))
	resp.Diagnostics.Append(e.provider.guard().keepPrints(ctx, req.Config, resp.Private)...)
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
	var applied *cloudelements.AppliedError
	switch {
	case errors.As(err, &applied):
		// Applied (2xx) but the answer is unusable: not a failure. State
		// records the plan, computed values from state; a refresh settles.
		resp.Diagnostics.AddWarning(upperFirst(e.profile.label())+" updated, but its answer is unusable",
			e.provider.errorDetail(err)+"\n\nThe change was applied. State records the planned values; the next "+
				"refresh reads the instance again.")
		inst = nil
	case err != nil:
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
		resp.Diagnostics.Append(e.settleAnswer(ctx, inst, &plan)...)
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
	e.provider.guard().remember(ctx, st)
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
