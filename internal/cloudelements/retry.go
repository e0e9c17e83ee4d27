package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// do runs an idempotent call (GET, PUT, PATCH, DELETE) with retries and
// returns a 2xx answer or an error.
func (c *Client) do(ctx context.Context, cl *call) (*response, error) {
	start := time.Now()
	for n := 0; ; n++ {
		resp, err := c.attempt(ctx, cl, n+1)
		if err == nil && resp.status/100 == 2 {
			return resp, nil
		}
		if err == nil {
			err = c.apiError(cl, resp)
		}
		reason, ok := idempotentRetryReason(resp, err)
		if !ok || n >= c.cfg.MaxRetries {
			return nil, gaveUp(err, n+1, start)
		}
		if err := c.wait(ctx, cl, n, reason, resp, err); err != nil {
			return nil, gaveUp(err, n+1, start)
		}
	}
}

// gaveUp adds to a connection failure (refused, reset, timeout) that ended
// a call how many attempts were made over how long, which tells an operator
// a dead endpoint from a blip. Other errors are returned as they are.
func gaveUp(err error, attempts int, start time.Time) error {
	var te *transportError
	if !errors.As(err, &te) || te.kind == failFatal {
		return err
	}
	d := time.Since(start)
	if d >= time.Second {
		d = d.Round(100 * time.Millisecond)
	} else {
		d = d.Round(time.Millisecond)
	}
	plural := "s"
	if attempts == 1 {
		plural = ""
	}
	return fmt.Errorf("%w (gave up after %d attempt%s over %s)", err, attempts, plural, d)
}

// idempotentRetryReason says whether a failed attempt of an idempotent call
// may be repeated, and why. 500 is not retried: it is usually a bug that
// repeats, while 502-504 come from proxies and overload.
func idempotentRetryReason(resp *response, err error) (string, bool) {
	if resp != nil {
		switch resp.status {
		case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
			return statusReason(resp.status), true
		}
		return "", false
	}
	var te *transportError
	if errors.As(err, &te) {
		switch te.kind {
		case failRefused, failTimeout, failReset:
			return te.reason, true
		}
	}
	return "", false
}

func statusReason(code int) string { return strconv.Itoa(code) + " " + http.StatusText(code) }

// wait sleeps before retry n+1. It returns lastErr (wrapped) at once when
// the wait would pass ctx's deadline, and when ctx ends during the wait.
func (c *Client) wait(ctx context.Context, cl *call, n int, reason string, resp *response, lastErr error) error {
	d := c.backoff(n, resp)
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("%w (not retried: waiting %s would pass the deadline)", lastErr, d.Round(time.Millisecond))
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("%w (not retried: %w)", lastErr, err)
	}
	c.countRetry(reason)
	c.logAt(ctx, hclog.Warn, "retrying request", map[string]any{
		"method": cl.method, "path": cl.path, "attempt": n + 1, "next_attempt": n + 2,
		"reason": reason, "wait": d.String(),
	})
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("%w (retry abandoned: %w)", lastErr, context.Cause(ctx))
	case <-t.C:
		return nil
	}
}

// backoff is Retry-After plus a little jitter when the server sent one,
// else full-jitter exponential backoff between RetryWaitMin and RetryWaitMax.
func (c *Client) backoff(n int, resp *response) time.Duration {
	if resp != nil {
		if ra, ok := retryAfter(resp.header.Get("Retry-After"), time.Now()); ok {
			// Jitter so parallel clients told the same moment do not stampede.
			return ra + rand.N(ra/10+c.cfg.RetryWaitMin/2+1)
		}
	}
	ceil := c.cfg.RetryWaitMax
	if n < 32 {
		if e := c.cfg.RetryWaitMin << n; e > 0 && e < ceil {
			ceil = e
		}
	}
	return rand.N(ceil + 1)
}

// retryAfter parses a Retry-After value: integer seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(24*time.Hour/time.Second) {
			secs = int64(24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(t.Sub(now), 0), true
}

func (c *Client) countRetry(reason string) { c.retryCounts.add(reason) }

// RetryCounts returns how many retries this Client made, by reason (for
// example "429 Too Many Requests" or "connection reset").
func (c *Client) RetryCounts() map[string]int64 { return c.retryCounts.snapshot() }

// retryCounter counts retries by reason. It is safe for concurrent use and
// its zero value is ready.
type retryCounter struct {
	mu sync.Mutex
	n  map[string]int64
}

func (r *retryCounter) add(reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.n == nil {
		r.n = map[string]int64{}
	}
	r.n[reason]++
}

// snapshot returns a copy of the counts; the caller may keep or change it.
func (r *retryCounter) snapshot() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.n))
	for k, v := range r.n {
		out[k] = v
	}
	return out
}

// errPausePastDeadline is wrapped by a request that was not sent because
// the platform's rate-limit pause ends after the request's deadline.
var errPausePastDeadline = errors.New("rate-limit pause past the deadline")

// pauseFor holds back this Client's requests for d from now (never shortening
// a pause already in force).
func (c *Client) pauseFor(d time.Duration) {
	until := time.Now().Add(d)
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	if until.After(c.pausedUntil) {
		c.pausedUntil = until
	}
}

// holdForRateLimit waits out a pause set by a 429, or until ctx ends. A
// pause that cannot end before ctx's deadline fails at once, for every
// request sharing it: waiting would only stall the run until its timeout.
func (c *Client) holdForRateLimit(ctx context.Context) error {
	c.pauseMu.Lock()
	until := c.pausedUntil
	c.pauseMu.Unlock()
	wait := time.Until(until)
	if wait <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && dl.Before(until) {
		return fmt.Errorf("%w: the platform answered 429 Too Many Requests with a Retry-After that holds every request "+
			"until %s, %s from now, which is after this operation's deadline (%s from now); try again later, or raise "+
			"the operation's timeout", errPausePastDeadline, until.UTC().Format(time.RFC3339),
			wait.Round(time.Second), time.Until(dl).Round(time.Second))
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return context.Cause(ctx)
	case <-t.C:
		return nil
	}
}
