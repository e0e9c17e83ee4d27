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
// configurations. Decoded instances take about as much again, so a listing at
// its caps stays near 150 MiB. Past either cap, narrow the query.
const (
	MaxListItems = 20000
	MaxListBytes = 64 << 20
)

// maxListPages stops a platform that keeps handing out new page tokens.
const maxListPages = 10000

// errListCap is wrapped by the error a listing past its caps returns.
var errListCap = errors.New("listing too large")

// listing accumulates the items of one listing within its caps.
type listing[T any] struct {
	items []T
	bytes int
}

// pagedList describes one paged listing: what it lists (for messages), how
// to narrow it (for the cap errors), and how one item decodes.
type pagedList[T any] struct {
	what   string // "instances", "formulas"
	narrow string // "narrow it with tags or a name"
	decode func(raw json.RawMessage) (*T, error)
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
	pl := pagedList[Instance]{what: "instances", narrow: "narrow it with tags or a name", decode: func(raw json.RawMessage) (*Instance, error) {
		inst, err := decodeInstanceItem(raw)
		if err == nil {
			c.rememberToken(inst.Token)
		}
		return inst, err
	}}
	if opts.ElementKey == "" {
		items, _, err := listAll(ctx, c, "/instances", q, pl)
		return items, err
	}
	items, pages, err := listAll(ctx, c, "/elements/"+url.PathEscape(opts.ElementKey)+"/instances", q, pl)
	if err != nil && pages == 0 && isRouteMissing(err) {
		// A host without the element's own listing (documented, but not
		// everywhere alike): list every instance; the caller keeps those
		// of the element.
		items, _, err = listAll(ctx, c, "/instances", q, pl)
		return items, err
	}
	for i := range items {
		// Every item of an element-scoped listing is of that element,
		// even when the answer names it by id alone.
		if items[i].Element.Key == "" {
			items[i].Element.Key = opts.ElementKey
		}
	}
	return items, err
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
		cl := &call{method: http.MethodGet, path: path, query: q.Encode()}
		resp, err := c.do(ctx, cl)
		if err != nil {
			return nil, page - 1, err
		}
		if err := decodePage(ctx, &l, resp.body, pl); err != nil {
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

// decodePage streams one page (a JSON array) into l, item by item, stopping
// at the caps: an array of a million items is never held.
func decodePage[T any](ctx context.Context, l *listing[T], body []byte, pl pagedList[T]) error {
	if err := expectJSON(body, '[', "an array"); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // the '['
		return fmt.Errorf("invalid list JSON: %w", err)
	}
	for i := 0; dec.More(); i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("stopped decoding: %w", context.Cause(ctx))
		}
		if len(l.items) >= MaxListItems {
			return fmt.Errorf("%w: more than %d %s (the provider's cap on one listing); %s",
				errListCap, MaxListItems, pl.what, pl.narrow)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("invalid list JSON: %w", err)
		}
		if l.bytes += len(raw); l.bytes > MaxListBytes {
			return fmt.Errorf("%w: more than %d MiB of %s (the provider's cap on one listing); %s",
				errListCap, MaxListBytes>>20, pl.what, pl.narrow)
		}
		item, err := pl.decode(raw)
		if err != nil {
			return fmt.Errorf("list item %d: %w", i, err)
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
