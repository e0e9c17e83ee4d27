package cloudelements

import (
	"context"
	"fmt"
)

// Listings may abridge items (no configuration, token, steps, ...): no
// reader uses a listed item as whole. The readers that list (data sources,
// list resources, the create lookup) get whole items from ListFormulas,
// ListFormulaInstances and CompleteInstances, which read by GET every item
// the listing abridged, here, once for every kind. (Batch reads GET an
// abridged item themselves: readCache.read.)

// wholeItems returns items with each one that whole says is abridged read
// by GET; an item gone since it was listed is left out.
func wholeItems[T any](ctx context.Context, what string, items []T, whole func(*T) bool, id func(*T) int64,
	get func(context.Context, *T) (*T, error)) ([]T, error) {
	out := items[:0]
	for i := range items {
		it := &items[i]
		if !whole(it) {
			full, err := get(ctx, it)
			if IsNotFound(err) {
				continue // deleted since it was listed
			}
			if err != nil {
				return nil, fmt.Errorf("reading %s %d, listed without all its fields: %w", what, id(it), err)
			}
			it = full
		}
		out = append(out, *it)
	}
	return out, nil
}

// CompleteInstances reads by GET each listed instance without its
// configuration, or that need (nil: none) says lacks something; an
// instance gone since it was listed is left out.
func (c *Client) CompleteInstances(ctx context.Context, items []Instance, need func(*Instance) bool) ([]Instance, error) {
	return wholeItems(ctx, "instance", items,
		func(inst *Instance) bool { return len(inst.Configuration) > 0 && (need == nil || !need(inst)) },
		func(inst *Instance) int64 { return inst.ID },
		func(ctx context.Context, inst *Instance) (*Instance, error) { return c.GetInstance(ctx, inst.ID) })
}
