package cloudelements

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// creator says how postOnce reads and finds what a POST creates.
type creator[T any] struct {
	what   string // "formula", for messages
	decode func(cl *call, body []byte) (*T, error)
	// get reads back an asset whose id was salvaged from an answer that
	// could not be decoded in full.
	get func(ctx context.Context, id int64) (*T, error)
	id  func(*T) int64
	// find lists the assets that may be the one an ambiguous POST made
	// since the given time; nil means the POST cannot be reconciled.
	find func(ctx context.Context, since time.Time) ([]T, error)
	// describe says what find looked for, for the error when it found
	// nothing after a 2xx answer that could not be read.
	describe string
}

// postOnce sends a POST that is not idempotent, with the same rules as
// CreateInstance (see postLoop); cr says how to read and find the asset.
func postOnce[T any](ctx context.Context, c *Client, cl *call, cr creator[T]) (*T, error) {
	ctx = c.LogContext(ctx)
	var reconcile func(context.Context, time.Time, error) (*T, error)
	if cr.find != nil {
		reconcile = func(ctx context.Context, start time.Time, err error) (*T, error) {
			return cr.reconcile(ctx, c, start, err)
		}
	}
	return postLoop(ctx, c, cl, cr.what, func(ctx context.Context, start time.Time, resp *response) (*T, error) {
		return cr.created(ctx, c, cl, start, resp)
	}, reconcile)
}

// postLoop sends a POST that is not idempotent: repeated directly only when
// the platform surely created nothing (refused connection, 429); after an
// ambiguous failure (timeout, reset, 5xx) reconcile looks for the asset
// first and adopts one match (nil: the POST is not repeated at all); a 2xx
// answer goes to created and never leads to a second POST.
func postLoop[T any](ctx context.Context, c *Client, cl *call, what string,
	created func(context.Context, time.Time, *response) (*T, error),
	reconcile func(context.Context, time.Time, error) (*T, error)) (*T, error) {
	start := time.Now()
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: not sent: %w", cl.method, cl.path, err)
		}
		resp, err := c.attempt(ctx, cl, n+1)
		if err == nil && resp.status/100 == 2 {
			return created(ctx, start, resp)
		}
		if err == nil {
			err = c.apiError(cl, resp)
		}
		reason, safe, ambiguous := createFailure(resp, err)
		switch {
		case safe:
			// Nothing was created: retry as any other call would.
		case ambiguous && reconcile != nil:
			v, rerr := reconcile(ctx, start, err)
			if v != nil || rerr != nil {
				return v, rerr
			}
			if ctx.Err() != nil {
				return nil, gaveUp(err, n+1, start)
			}
			reason = "no " + what + " after " + reason
		case ambiguous:
			return nil, fmt.Errorf("%w; the platform may have acted on it, so it was not repeated", gaveUp(err, n+1, start))
		default:
			return nil, err
		}
		if n >= c.cfg.MaxRetries {
			return nil, gaveUp(err, n+1, start)
		}
		if err := c.wait(ctx, cl, n, reason, resp, err); err != nil {
			return nil, gaveUp(err, n+1, start)
		}
	}
}

// created reads a 2xx answer: the asset exists, so it is never lost. An
// unreadable answer's id is salvaged and the asset read back (a failed
// read-back is a *CreatedError); without an id, find looks for it.
func (cr creator[T]) created(ctx context.Context, c *Client, cl *call, start time.Time, resp *response) (*T, error) {
	v, err := cr.decode(cl, resp.body)
	if err == nil {
		return v, nil
	}
	if id := salvageID(resp.body); id > 0 && cr.get != nil {
		c.logAt(ctx, hclog.Warn, "create answer not readable in full; reading it back", map[string]any{
			"what": cr.what, "id": id, "error": err.Error(),
		})
		v, gerr := cr.get(ctx, id)
		if gerr != nil {
			return nil, &CreatedError{ID: id, Err: fmt.Errorf("its answer could not be read (%v), and reading it back failed: %w", err, gerr)}
		}
		return v, nil
	}
	if cr.find == nil {
		return nil, fmt.Errorf("%w; the platform answered HTTP %d, so it has probably acted, but the answer could not be read",
			err, resp.status)
	}
	v, rerr := cr.reconcile(ctx, c, start, err)
	if v != nil || rerr != nil {
		return v, rerr
	}
	return nil, fmt.Errorf("%w; the platform answered HTTP %d, so it has probably created the %s, but the answer could "+
		"not be read and %s created since %s was found. Look for it on the platform and import it rather than "+
		"creating it again", err, resp.status, cr.what, cr.describe, start.UTC().Format(time.RFC3339))
}

// reconcile looks for the asset an ambiguous POST may have made: one match
// is adopted, none is (nil, nil), several is an error naming them. After
// the caller's context has ended the lookup still runs once, detached and
// bounded, so that a created asset is not orphaned.
func (cr creator[T]) reconcile(ctx context.Context, c *Client, start time.Time, postErr error) (*T, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), detachedReconcileTimeout)
		defer cancel()
	}
	c.logAt(ctx, hclog.Info, "create may have made something; looking for it", map[string]any{
		"what": cr.what, "error": postErr.Error(),
	})
	var found []T
	var err error
	for n := 0; ; n++ {
		if found, err = cr.find(ctx, start); err == nil || !mayPass(err) || ctx.Err() != nil {
			break
		}
		if werr := c.wait(ctx, &call{method: "GET", path: "(" + cr.what + " lookup)"}, n, "lookup failed", nil, err); werr != nil {
			break
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w; looking for a %s it may have created failed too: %w", postErr, cr.what, err)
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		c.logAt(ctx, hclog.Info, "adopting what the failed create made", map[string]any{"what": cr.what, "id": cr.id(&found[0])})
		return &found[0], nil
	}
	ids := make([]string, len(found))
	for i := range found {
		ids[i] = strconv.FormatInt(cr.id(&found[i]), 10)
	}
	return nil, fmt.Errorf("%w; %ss %s all match the request; delete the extras or import one",
		postErr, cr.what, strings.Join(ids, ", "))
}
