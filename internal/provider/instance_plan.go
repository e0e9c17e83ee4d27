package provider

import (
	"context"
	"maps"
	"slices"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

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
	if creating {
		resp.Diagnostics.Append(e.profile.checkCreate(&plan, &config)...)
	} else {
		resp.Diagnostics.Append(e.profile.checkUpdate(&plan, &config, kind)...)
	}
	if kind != writeNone {
		pc.Token, pc.Valid, pc.EventsEnabled = types.StringUnknown(), types.BoolUnknown(), types.BoolUnknown()
	}
	if resp.Diagnostics.HasError() {
		return // invalid anyway: no need to ask the platform about the element
	}
	resp.Diagnostics.Append(e.checkElement(ctx, req.State, &plan, &config)...)
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
		same := ok && old == v || adopt.matches(e.client(), k, v) || adopt.adoptsSecretLike(ps.ElementKey, k)
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
