package provider

import (
	"context"
	"encoding/json"
	"reflect"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

func (e *instanceEngine[M]) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	defer e.provider.guard().keepOut(ctx, &resp.State, req.State.Raw, &resp.Diagnostics)
	e.provider.guard().recall(ctx, req.Private) // write-only values an earlier run sent
	var state M
	ctx, cancel, id, ok := e.begin(ctx, req.State, &state, timeouts.Value.Read, defaultReadTimeout, &resp.Diagnostics)
	defer cancel()
	if !ok {
		return
	}
	c := e.profile.common(&state)
	// The framework wants the identity even when the resource is removed.
	resp.Diagnostics.Append(setInstanceIdentity(ctx, resp.Identity, c.ID)...)
	adopt, diags := adoptionFrom(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	inst, err := e.readInstance(ctx, id, state, adopt.configAdopted())
	if cloudelements.IsNotFound(err) {
		resp.State.RemoveResource(ctx) // deleted outside Terraform: plan a create
		return
	}
	if err == nil {
		err = e.resolveElement(ctx, inst)
	}
	if err != nil {
		resp.Diagnostics.AddError("Cannot read the "+e.profile.label(), e.provider.errorDetail(err))
		return
	}
	read := state
	resp.Diagnostics.Append(e.readAnswer(ctx, inst, &read)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !sameValues(read, state) { // resp.State already holds the prior state
		resp.Diagnostics.Append(resp.State.Set(ctx, &read)...)
	}
	if adopt.configAdopted() { // remember what the platform has, for the adopting apply
		adopt.remember(e.provider.client, inst)
		raw, _ := json.Marshal(adopt)
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateAdopt, raw)...)
	}
}

// resolveElement names inst's element by key when the answer gave its id
// alone (one cached lookup per run), so that the profile can refuse an
// instance of another element. An answer naming no element is left as it is.
func (e *instanceEngine[M]) resolveElement(ctx context.Context, inst *cloudelements.Instance) error {
	if inst.Element.Key != "" || elementIDOf(inst) == 0 {
		return nil
	}
	key, err := e.provider.client.ElementKeyOf(ctx, inst)
	inst.Element.Key = key
	return err
}

// sameValues reports whether two models of the same type hold values that
// mean the same (sameMeaning; embedded structs compared field by field),
// which spares writing back a state that a refresh found unchanged.
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
		if !okX || !okY || !sameMeaning(context.Background(), x, y) {
			return false
		}
	}
	return true
}
