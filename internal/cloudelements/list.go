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

// listing accumulates the instances of one listing within its caps.
type listing struct {
	items []Instance
	bytes int
}

// ListInstances returns every instance matching opts, following
// Elements-Next-Page-Token across pages. It stops with an error at
// MaxListItems instances or MaxListBytes bytes of instance JSON, and when ctx
// ends (checked between pages and while decoding).
func (c *Client) ListInstances(ctx context.Context, opts ListOptions) ([]Instance, error) {
	ctx = c.LogContext(ctx)
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
	path := "/instances"
	if opts.ElementKey != "" {
		path = "/elements/" + url.PathEscape(opts.ElementKey) + "/instances"
	}
	var l listing
	seen := map[string]bool{}
	for page := 1; ; page++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("GET %s: stopped after %d pages: %w", path, page-1, context.Cause(ctx))
		}
		cl := &call{method: http.MethodGet, path: path, query: q.Encode()}
		resp, err := c.do(ctx, cl)
		if err != nil && page == 1 && opts.ElementKey != "" && isRouteMissing(err) {
			// A host without the element's own listing (documented, but
			// not everywhere alike): list every instance; the caller
			// keeps those of the element.
			path, opts.ElementKey, page = "/instances", "", 0
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := c.decodePage(ctx, &l, resp.body); err != nil {
			if errors.Is(err, errListCap) || ctx.Err() != nil {
				return nil, fmt.Errorf("GET %s: %w", path, err)
			}
			return nil, c.decodeError(cl, err)
		}
		next := resp.header.Get("Elements-Next-Page-Token")
		if next == "" {
			l.stampElement(opts.ElementKey)
			return l.items, nil
		}
		if seen[next] {
			return nil, fmt.Errorf("GET %s: page token repeated after %d pages; stopping", path, page)
		}
		if page >= maxListPages {
			return nil, fmt.Errorf("GET %s: more than %d pages; stopping", path, maxListPages)
		}
		seen[next] = true
		q.Set("nextPage", next)
	}
}

// stampElement names the element of an element-scoped listing on every
// instance whose answer left its key out.
func (l *listing) stampElement(key string) {
	if key == "" {
		return
	}
	for i := range l.items {
		if l.items[i].Element.Key == "" {
			l.items[i].Element.Key = key
		}
	}
}

// decodePage streams one page (a JSON array of instances) into l, item by
// item, stopping at the caps: an array of a million items is never held.
func (c *Client) decodePage(ctx context.Context, l *listing, body []byte) error {
	if err := expectJSON(body, '[', "an array"); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if _, err := dec.Token(); err != nil { // the '['
		return fmt.Errorf("invalid instance list JSON: %w", err)
	}
	for i := 0; dec.More(); i++ {
		if i%1024 == 0 && ctx.Err() != nil {
			return fmt.Errorf("stopped decoding: %w", context.Cause(ctx))
		}
		if len(l.items) >= MaxListItems {
			return fmt.Errorf("%w: more than %d instances (the provider's cap on one listing); "+
				"narrow it with tags or a name", errListCap, MaxListItems)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("invalid instance list JSON: %w", err)
		}
		if l.bytes += len(raw); l.bytes > MaxListBytes {
			return fmt.Errorf("%w: more than %d MiB of instances (the provider's cap on one listing); "+
				"narrow it with tags or a name", errListCap, MaxListBytes>>20)
		}
		inst, err := decodeInstanceItem(raw)
		if err != nil {
			return fmt.Errorf("instance list item %d: %w", i, err)
		}
		c.mask.addWhole(inst.Token) // many, never sent by us: no fragments
		l.items = append(l.items, *inst)
	}
	if _, err := dec.Token(); err != nil { // the ']'
		return fmt.Errorf("invalid instance list JSON: %w", err)
	}
	if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
		return errors.New("invalid instance list JSON: data after the array")
	}
	return nil
}
