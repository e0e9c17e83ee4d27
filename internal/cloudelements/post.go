package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
)

// createKind says how createAsset reads, checks and finds what a POST of
// one kind creates. Every kind (element instances, formulas, formula
// instances, ...) goes through the same rules; only this description
// differs.
type createKind[T any] struct {
	what   string // "formula", for messages
	decode func(cl *call, body []byte) (*T, error)
	// get reads an asset back by id (a salvaged id, an abridged or unsure
	// candidate, an adopted asset that is not whole).
	get func(ctx context.Context, id int64) (*T, error)
	id  func(*T) int64
	// check compares an asset with the request (see checks.go): an error
	// wrapping errNotRequested when it is shown to be another asset;
	// unsure when it leaves out something the request names, which a GET
	// may show. strict refuses an absent or unreadable createdDate. nil
	// checks nothing (an execution: the answer is all there is).
	check func(ctx context.Context, v *T, start time.Time, strict bool) (unsure bool, err error)
	// candidates lists the assets that may be the one an ambiguous POST
	// made (same name); nil means the POST cannot be reconciled.
	candidates func(ctx context.Context) ([]T, error)
	// whole says an item holds everything a GET answers (listings may
	// abridge items).
	whole func(*T) bool
	// describe says what the lookup looked for, for the error when it
	// found nothing.
	describe string
}

// createAsset sends a POST that is not idempotent. It is repeated directly
// only when the platform surely created nothing (refused connection, 429).
// After an ambiguous failure (timeout, reset, 5xx) the lookup looks for
// the asset first, for up to Config.ReconcileWait (listings may lag
// writes), and adopts one match; without one the POST is sent again. A
// 409 to that new POST says the name is taken, most likely by what the
// lost POST made: the lookup then goes on until the create's deadline and
// adopts only an asset that passes the checks. A 2xx answer goes to
// created and never leads to a second POST.
func createAsset[T any](ctx context.Context, c *Client, cl *call, k createKind[T]) (*T, error) {
	ctx = c.LogContext(ctx)
	start := time.Now()
	var lost error // the last ambiguous failure, when no asset was found after it
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("%s %s: not sent: %w", cl.method, cl.path, err)
		}
		resp, err := c.attempt(ctx, cl, n+1)
		if err == nil && resp.status/100 == 2 {
			return k.created(ctx, c, cl, start, resp)
		}
		if err == nil {
			err = c.apiError(cl, resp)
		}
		reason, safe, ambiguous := createFailure(resp, err)
		switch {
		case safe:
			// Nothing was created: retry as any other call would.
		case ambiguous && k.candidates != nil:
			v, rerr := k.reconcile(ctx, c, start, err, c.cfg.ReconcileWait)
			if v != nil || rerr != nil {
				return v, rerr
			}
			if ctx.Err() != nil {
				return nil, gaveUp(err, n+1, start)
			}
			lost, reason = err, "no "+k.what+" after "+reason
		case ambiguous:
			return nil, fmt.Errorf("%w; the platform may have acted on it, so it was not repeated", gaveUp(err, n+1, start))
		case lost != nil && resp != nil && resp.status == http.StatusConflict:
			return k.conflictAfterLoss(ctx, c, start, err, lost)
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

// conflictAfterLoss answers a 409 to a POST sent again after an ambiguous
// failure: the name is taken, most likely by the asset the lost POST made,
// which a lagging listing does not show yet. The lookup goes on until the
// create's deadline; it adopts only an asset that passes the checks (a
// date in the create's window included), never one that was there before.
func (k createKind[T]) conflictAfterLoss(ctx context.Context, c *Client, start time.Time, err, lost error) (*T, error) {
	c.logAt(ctx, hclog.Info, "name conflict after a lost create answer; looking for what that create made", map[string]any{
		"what": k.what, "error": err.Error(),
	})
	v, rerr := k.reconcile(ctx, c, start, err, 0)
	if v != nil || rerr != nil {
		return v, rerr
	}
	return nil, fmt.Errorf("%w; an earlier attempt failed without an answer (%v) and may have created the %s, but "+
		"%s created since %s was found before the create's deadline. Look for it on the platform and import it "+
		"rather than creating it again", err, lost, k.what, k.describe, start.UTC().Format(time.RFC3339))
}

// created reads a 2xx answer: the asset exists, so it is never posted
// again. A readable answer is adopted once it passes the checks; an id
// salvaged from an unreadable answer is read back and must pass them with
// a readable date. An answer that fails them (someone else's asset, an id
// that cannot be read back) is never adopted, since the next destroy would
// delete it: the lookup looks for the asset instead.
func (k createKind[T]) created(ctx context.Context, c *Client, cl *call, start time.Time, resp *response) (*T, error) {
	v, err := k.decode(cl, resp.body)
	if err == nil {
		if k.check == nil {
			return v, nil
		}
		_, cerr := k.check(ctx, v, start, false)
		if cerr == nil {
			return v, nil
		}
		err = fmt.Errorf("%s %s: the answer cannot be trusted: %w", cl.method, cl.path, cerr)
	} else if id := salvageID(resp.body); id > 0 && k.get != nil {
		c.logAt(ctx, hclog.Warn, "create answer not readable in full; reading back what it names", map[string]any{
			"what": k.what, "id": id, "error": err.Error(),
		})
		got, gerr := k.get(ctx, id)
		if gerr == nil && k.check == nil {
			return got, nil
		}
		if gerr == nil {
			if _, gerr = k.check(ctx, got, start, true); gerr == nil {
				return got, nil
			}
		}
		err = fmt.Errorf("%w; it names %s %d, which cannot be shown to be the one requested: %w", err, k.what, id, gerr)
	}
	if k.candidates == nil {
		return nil, fmt.Errorf("%w; the platform answered HTTP %d, so it has probably acted, but the answer could not be used",
			err, resp.status)
	}
	c.logAt(ctx, hclog.Warn, "create answer not usable; looking for what it made", map[string]any{"what": k.what, "error": err.Error()})
	v, rerr := k.reconcile(ctx, c, start, err, c.cfg.ReconcileWait)
	if v != nil || rerr != nil {
		return v, rerr
	}
	return nil, fmt.Errorf("%w; the platform answered HTTP %d, so it has probably created the %s, but %s created "+
		"since %s was found. Look for it on the platform and import it with `terraform import <resource address> <id>` "+
		"(or an import block) rather than creating it again", err, resp.status, k.what, k.describe,
		start.UTC().Format(time.RFC3339))
}

// reconcile looks for the asset an ambiguous POST may have made: one match
// is adopted, none is (nil, nil), several is an error naming them. A
// listing may lag writes, so while none matches it looks again for up to
// wait (0: until ctx's deadline). After the caller's context has ended the
// lookup still runs, detached and bounded, so that a created asset is not
// orphaned.
func (k createKind[T]) reconcile(ctx context.Context, c *Client, start time.Time, postErr error, wait time.Duration) (*T, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), detachedReconcileTimeout)
		defer cancel()
	}
	c.logAt(ctx, hclog.Info, "create may have made something; looking for it", map[string]any{
		"what": k.what, "error": postErr.Error(),
	})
	if _, ok := ctx.Deadline(); !ok && wait <= 0 {
		wait = detachedReconcileTimeout // never look forever
	}
	lookCtx := ctx
	if wait > 0 {
		var cancel context.CancelFunc
		lookCtx, cancel = context.WithTimeout(ctx, wait)
		defer cancel()
	}
	for n := 0; ; n++ {
		found, err := k.matches(ctx, c, start)
		if err != nil {
			return nil, fmt.Errorf("%w; looking for %s it may have created failed too: %w", postErr, article(k.what), err)
		}
		if len(found) > 0 {
			return k.adopt(ctx, c, found, postErr)
		}
		if !pause(lookCtx, pollInterval(n)) {
			return nil, nil
		}
	}
}

// pollInterval paces the lookups of a lagging listing: 250ms, doubling up
// to 2s.
func pollInterval(n int) time.Duration { return min(250*time.Millisecond<<min(n, 3), 2*time.Second) }

// pause waits d, or less when ctx would end first; false when ctx ends.
func pause(ctx context.Context, d time.Duration) bool {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// matches lists the candidates and keeps those that pass the checks; a
// candidate that is abridged, or leaves out something the request names,
// is read by GET first. A lookup that fails in a way that may pass is
// tried again until ctx ends.
func (k createKind[T]) matches(ctx context.Context, c *Client, start time.Time) ([]T, error) {
	var list []T
	var err error
	for n := 0; ; n++ {
		if list, err = k.candidates(ctx); err == nil || !mayPass(err) || ctx.Err() != nil {
			break
		}
		if werr := c.wait(ctx, &call{method: http.MethodGet, path: "(" + k.what + " lookup)"}, min(n, 8), "lookup failed", nil, err); werr != nil {
			return nil, werr
		}
	}
	if err != nil {
		return nil, err
	}
	var found []T
	for i := range list {
		v := &list[i]
		unsure, cerr := k.check(ctx, v, start, true)
		if cerr == nil && (unsure || !k.whole(v)) {
			full, gerr := k.get(ctx, k.id(v))
			if IsNotFound(gerr) {
				continue // listed, but gone
			}
			if gerr != nil {
				return nil, fmt.Errorf("reading %s %d to compare it with the request failed: %w", k.what, k.id(v), gerr)
			}
			v = full
			_, cerr = k.check(ctx, v, start, true)
		}
		if cerr == nil {
			found = append(found, *v)
		}
	}
	return found, nil
}

// adopt returns the one match, read back in full when the listing
// abridged it; several matches are an error naming them.
func (k createKind[T]) adopt(ctx context.Context, c *Client, found []T, postErr error) (*T, error) {
	if len(found) > 1 {
		ids := make([]string, len(found))
		for i := range found {
			ids[i] = strconv.FormatInt(k.id(&found[i]), 10)
		}
		return nil, fmt.Errorf("%w; %ss %s all match the request; delete the extras or import one",
			postErr, k.what, strings.Join(ids, ", "))
	}
	v := &found[0]
	id := k.id(v)
	c.logAt(ctx, hclog.Info, "adopting what the failed create made", map[string]any{"what": k.what, "id": id})
	if k.whole(v) {
		return v, nil
	}
	full, err := k.get(ctx, id)
	if err != nil {
		// It is ours (it matched): the caller keeps its id.
		return nil, &CreatedError{ID: id, Err: fmt.Errorf("reading it back failed: %w", err)}
	}
	return full, nil
}

// article is what with "a" or "an" before it.
func article(what string) string {
	if strings.ContainsRune("aeiou", rune(what[0])) {
		return "an " + what
	}
	return "a " + what
}

// errNotRequested is wrapped by a check's error: the asset is shown to be
// another than the one requested.
var errNotRequested = errors.New("not the one requested")
