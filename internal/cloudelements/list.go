package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// Caps on one listing (all pages together), so that whatever the platform
// answers, a listing holds bounded memory. Each page is already capped at
// 8 MiB (maxBody); without these, a platform handing out page after page, or
// one page of a million tiny items, grows the provider without end.
//
// A real estate fits with room to spare: an instance in a listing is about
// 1-2 KiB of JSON, so 20,000 instances (100 pages of the platform's default
// 200) take 20-40 MiB; the byte cap of 64 MiB leaves room for long
// configurations. Past either cap, narrow the query. With the caps on what
// items hold (caps.go), the hostile suite measures a flood at the caps
// (listed, and converted as the data sources do) under 256 MiB of peak RSS,
// for every shape: tiny items, tags, configuration maps, padded names,
// formulas of tiny steps, formula instances of tiny configuration entries.
const (
	MaxListItems = 20000
	MaxListBytes = 64 << 20
)

// maxListPages stops a platform that keeps handing out new page tokens.
const maxListPages = 10000

// MaxItemStringBytes caps one name, token, tag, configuration key or value
// of a listed instance (the other caps are in caps.go).
const MaxItemStringBytes = 64 << 10

// errListCap is wrapped by the error a listing past its caps returns.
var errListCap = errors.New("listing too large")

// admitInstance refuses a listed instance with a string past
// MaxItemStringBytes.
func admitInstance(inst *Instance) error {
	if what := longString(inst); what != "" {
		return fmt.Errorf("instance %d has a %s longer than %d KiB", inst.ID, what, MaxItemStringBytes>>10)
	}
	return nil
}

// longString names the first part of inst longer than MaxItemStringBytes.
func longString(inst *Instance) string {
	const n = MaxItemStringBytes
	switch {
	case len(inst.Name) > n:
		return "name"
	case len(inst.Token) > n:
		return "token"
	case len(inst.CreatedDate) > n:
		return "createdDate"
	case len(inst.Element.Key)+len(inst.Element.Name)+len(inst.Element.Hub) > n:
		return "element"
	}
	for _, t := range inst.Tags {
		if len(t) > n {
			return "tag"
		}
	}
	for k, v := range inst.Configuration {
		if len(k) > n || len(v) > n {
			return "configuration entry"
		}
	}
	return ""
}

// listing accumulates the items of one listing within its caps.
type listing[T any] struct {
	items []T
	tally listTally
}

// pagedList describes one paged listing: what it lists (for messages), how
// to narrow it (for the cap errors), how one item decodes (within the
// item caps) and counts against the listing caps.
type pagedList[T any] struct {
	what   string // "instances", "formulas"
	narrow string // "narrow it with tags or a name"
	decode func(raw json.RawMessage) (*T, error)
	id     func(*T) int64 // for the log: a listing's body is never logged
	caps   *kindCaps[T]
	// admit, when set, refuses an item past a cap of its own kind.
	admit func(item *T) error
}

// ListInstances returns every instance matching opts, following
// Elements-Next-Page-Token across pages. It stops with an error at
// MaxListItems instances or MaxListBytes bytes of instance JSON, and when ctx
// ends (checked between pages and while decoding).
func (c *Client) ListInstances(ctx context.Context, opts ListOptions) ([]Instance, error) {
	q := url.Values{}
	for _, t := range opts.Tags {
		q.Add("tags[]", t)
	}
	if opts.SearchText != "" {
		q.Set("searchText", opts.SearchText)
	}
	if opts.PageSize > 0 {
		q.Set("pageSize", strconv.Itoa(opts.PageSize))
	}
	pl := c.instancePages()
	scoped := opts.ElementKey
	path := "/instances"
	if scoped != "" {
		path = "/elements/" + url.PathEscape(scoped) + "/instances"
	}
	items, pages, err := listAll(ctx, c, path, q, pl)
	if err != nil && pages == 0 && scoped != "" && isRouteMissing(err) {
		// A host without the element's own listing (documented, but not
		// everywhere alike): list every instance; the caller keeps those
		// of the element.
		scoped = ""
		items, _, err = listAll(ctx, c, "/instances", q, pl)
	}
	if err != nil {
		return nil, err
	}
	c.labelElements(c.LogContext(ctx), items, scoped)
	return items, nil
}

// labelElements names the element of every instance whose answer named it
// by id alone. In an element-scoped listing (scoped is its key) an item
// without any element, or with the scoped element's id, is of that element;
// an item with another id is looked up by it (cached per Client), never
// labelled with the scoped key. A failed lookup leaves the key empty: an
// item of an unknown element is not shown as one of the scoped element.
func (c *Client) labelElements(ctx context.Context, items []Instance, scoped string) {
	var scopedID int64
	scopedAsked := false
	for i := range items {
		inst := &items[i]
		if inst.Element.Key != "" {
			continue
		}
		if scoped != "" && inst.ElementID != 0 && !scopedAsked {
			scopedAsked = true
			if el, err := c.GetElement(ctx, scoped); err == nil {
				scopedID = el.ID
			}
		}
		if scoped != "" && (inst.ElementID == 0 || inst.ElementID == scopedID) {
			inst.Element.Key = scoped
			continue
		}
		c.resolveElement(ctx, inst)
	}
}

// instancePages is how a listing of instances decodes: every token seen
// is masked from then on.
func (c *Client) instancePages() pagedList[Instance] {
	return pagedList[Instance]{what: "instances", narrow: "narrow it with tags or a name",
		caps: &instanceCaps, admit: admitInstance, id: func(i *Instance) int64 { return i.ID },
		decode: func(raw json.RawMessage) (*Instance, error) {
			inst, err := decodeInstanceItem(raw)
			if err == nil {
				c.mask.addWhole(inst.Token) // many, never sent by us: no fragments
			}
			return inst, err
		}}
}

// listAll follows Elements-Next-Page-Token across the pages of path and
// returns every item, or an error at the caps, on a repeated token, past
// maxListPages, or when ctx ends. pages is how many pages were fetched.
func listAll[T any](ctx context.Context, c *Client, path string, q url.Values, pl pagedList[T]) (items []T, pages int, err error) {
	ctx = c.LogContext(ctx)
	q = cloneValues(q)
	var l listing[T]
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, page - 1, fmt.Errorf("GET %s: stopped after %d pages: %w", path, page-1, context.Cause(ctx))
		}
		cl := &call{method: http.MethodGet, path: path, query: q.Encode(), listing: true}
		resp, err := c.do(ctx, cl)
		if err != nil {
			return nil, page - 1, err
		}
		before := len(l.items)
		err = decodePage(ctx, &l, resp.body, pl)
		c.traceListed(ctx, path, pl.ids(l.items[before:]))
		if err != nil {
			if errors.Is(err, errListCap) || ctx.Err() != nil {
				return nil, page, fmt.Errorf("GET %s: %w", path, err)
			}
			return nil, page, c.decodeError(cl, err)
		}
		next := resp.header.Get("Elements-Next-Page-Token")
		if next == "" {
			return l.items, page, nil
		}
		if seen[next] {
			return nil, page, fmt.Errorf("GET %s: page token repeated after %d pages; stopping", path, page)
		}
		if page >= maxListPages {
			return nil, page, fmt.Errorf("GET %s: more than %d pages; stopping", path, maxListPages)
		}
		seen[next] = true
		q.Set("nextPage", next)
	}
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// ids are the ids of items, for the log (none for a listing of things
// without ids, such as the element catalog's keys).
func (pl pagedList[T]) ids(items []T) []int64 {
	if pl.id == nil {
		return nil
	}
	out := make([]int64, len(items))
	for i := range items {
		out[i] = pl.id(&items[i])
	}
	return out
}

// capped is the error for list item i past an item cap.
func (pl pagedList[T]) capped(i int, err error) error {
	return fmt.Errorf("%w: %s list item %d: %w; %s", errListCap, pl.what, i, err, pl.narrow)
}

// decodePage streams one page (a JSON array) into l, item by item, stopping
// at the caps: an array of a million items is never held. l.tally may
// start with the pages before.
func decodePage[T any](ctx context.Context, l *listing[T], body []byte, pl pagedList[T]) error {
	if err := expectJSON(body, '[', "an array"); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // the '['
		return fmt.Errorf("invalid list JSON: %w", err)
	}
	t := &l.tally
	for i := 0; dec.More(); i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("stopped decoding: %w", context.Cause(ctx))
		}
		if t.items >= MaxListItems {
			return fmt.Errorf("%w: more than %d %s (the provider's cap on one listing); %s",
				errListCap, MaxListItems, pl.what, pl.narrow)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("invalid list JSON: %w", err)
		}
		if t.bytes += len(raw); t.bytes > MaxListBytes {
			return fmt.Errorf("%w: more than %d MiB of %s (the provider's cap on one listing); %s",
				errListCap, MaxListBytes>>20, pl.what, pl.narrow)
		}
		item, err := pl.decode(raw)
		if err == nil && pl.admit != nil {
			if err := pl.admit(item); err != nil {
				return pl.capped(i, err)
			}
		}
		if ce := (*capError)(nil); errors.As(err, &ce) && ce.what != "" {
			return pl.capped(i, err) // nesting is not a matter of size: an unexpected answer
		} else if err != nil {
			return fmt.Errorf("list item %d: %w", i, err)
		}
		t.items++
		if pl.caps != nil {
			if err := t.add(&pl.caps.capSet, pl.caps.count(item), pl.what, pl.narrow); err != nil {
				return err
			}
		}
		l.items = append(l.items, *item)
	}
	if _, err := dec.Token(); err != nil { // the ']'
		return fmt.Errorf("invalid list JSON: %w", err)
	}
	if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
		return errors.New("invalid list JSON: data after the array")
	}
	return nil
}
