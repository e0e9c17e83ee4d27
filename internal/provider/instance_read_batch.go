package provider

import (
	"context"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// readInstance is a refresh's read of one instance: from the run's listing
// when the client has one (batch reads) and the listed item says exactly
// what state says, else by GET. So a listing only ever confirms state; any
// difference (drift, an abridged or masked item, a listing lagging behind a
// write) is read again by the instance's own GET, which alone may report it
// gone. An imported instance still adopting reads by GET: the adoption keeps
// hashes of every configuration value the platform holds.
func (e *instanceEngine[M]) readInstance(ctx context.Context, id int64, state M, adopting bool) (*cloudelements.Instance, error) {
	client := e.provider.client
	if adopting {
		return client.GetInstance(ctx, id)
	}
	return client.ReadInstance(ctx, id, func(inst *cloudelements.Instance) bool {
		return e.listedAgrees(ctx, inst, state)
	})
}

// listedAgrees says whether a listed item answers for state: it holds every
// configuration key the resource manages, and reading it back changes
// nothing and says nothing.
func (e *instanceEngine[M]) listedAgrees(ctx context.Context, inst *cloudelements.Instance, state M) bool {
	spec, known, diags := e.profile.spec(ctx, &state, nil)
	if !known || diags.HasError() {
		return false
	}
	for k := range spec.Configuration {
		if _, ok := inst.Configuration[k]; !ok {
			return false
		}
	}
	read := state
	if d := e.readAnswer(ctx, inst, &read); len(d) > 0 {
		return false
	}
	return sameValues(read, state)
}
