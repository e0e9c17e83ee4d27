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

// detachedReconcileTimeout bounds the one reconcile made after the caller's
// context has ended, so a created instance is returned rather than orphaned.
const detachedReconcileTimeout = 30 * time.Second

// CreateInstance provisions an instance with exactly one committed POST
// /instances, reconciling after an ambiguous failure (see package doc).
func (c *Client) CreateInstance(ctx context.Context, req InstanceRequest) (*Instance, error) {
	body, err := encodeRequest(req)
	if err != nil {
		return nil, err
	}
	ctx = c.LogContext(ctx)
	cl := &call{method: http.MethodPost, path: "/instances", body: body, apiKey: req.Configuration[ConfigUsername]}
	start := time.Now()
	for n := 0; ; n++ {
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("POST /instances: not sent: %w", err)
		}
		resp, err := c.attempt(ctx, cl, n+1)
		if err == nil && resp.status/100 == 2 {
			return c.decodeInstance(cl, resp.body)
		}
		if err == nil {
			err = c.apiError(cl, resp)
		}
		reason, safe, ambiguous := createFailure(resp, err)
		switch {
		case safe:
			// Nothing was created: retry as any other call would.
		case ambiguous:
			inst, rerr := c.reconcile(ctx, req, start, err)
			if inst != nil || rerr != nil {
				return inst, rerr
			}
			if ctx.Err() != nil {
				return nil, err
			}
			reason = "no instance after " + reason
		default:
			return nil, err
		}
		if n >= c.cfg.MaxRetries {
			return nil, err
		}
		if err := c.wait(ctx, cl, n, reason, resp, err); err != nil {
			return nil, err
		}
	}
}

// createFailure sorts a failed POST: safe to repeat (the platform surely
// created nothing: refused connection, 429), ambiguous (it may have: timeout,
// reset or EOF after sending, the caller's context ending mid-request, any
// 5xx), or final (other 4xx, TLS, body cap).
func createFailure(resp *response, err error) (reason string, safe, ambiguous bool) {
	if resp != nil {
		switch {
		case resp.status == http.StatusTooManyRequests:
			return statusReason(resp.status), true, false
		case resp.status >= 500:
			return statusReason(resp.status), false, true
		}
		return "", false, false
	}
	var te *transportError
	if !errors.As(err, &te) {
		return "", false, false
	}
	switch te.kind {
	case failRefused:
		return te.reason, true, false
	case failTimeout, failReset, failCaller:
		return te.reason, false, true
	}
	return "", false, false
}

// reconcile looks for the instance an ambiguous POST may have created. It
// returns the one match, or an error when several match or the lookup
// failed; (nil, nil) means none matched and a new POST is safe.
func (c *Client) reconcile(ctx context.Context, req InstanceRequest, start time.Time, postErr error) (*Instance, error) {
	if ctx.Err() != nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), detachedReconcileTimeout)
		defer cancel()
	}
	c.logAt(ctx, hclog.Info, "create failed ambiguously; looking for the instance", map[string]any{
		"error": postErr.Error(),
	})
	opts := ListOptions{SearchText: strings.TrimSpace(stripTags(req.Name))}
	if len(req.Tags) > 0 {
		opts.Tags = req.Tags
	}
	list, err := c.lookUp(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("%w; looking for an instance it may have created failed too: %w", postErr, err)
	}
	var matches []Instance
	for _, inst := range list {
		if c.createdBy(inst, req, start) {
			matches = append(matches, inst)
		}
	}
	switch len(matches) {
	case 0:
		return nil, nil
	case 1:
		inst := matches[0]
		c.logAt(ctx, hclog.Info, "adopting the instance the failed create made", map[string]any{"id": inst.ID})
		if inst.Token == "" {
			return c.GetInstance(ctx, inst.ID)
		}
		return &inst, nil
	}
	ids := make([]string, len(matches))
	for i, m := range matches {
		ids[i] = strconv.FormatInt(m.ID, 10)
	}
	return nil, fmt.Errorf("%w; instances %s all match the request; delete the extras or import one",
		postErr, strings.Join(ids, ", "))
}

// lookUp lists instances for reconcile. Giving up here could leave an
// instance the platform made missing from state, so a failure that may pass
// (429, any 5xx, a transport error) is retried beyond MaxRetries, until the
// lookup answers or the create's deadline passes.
func (c *Client) lookUp(ctx context.Context, opts ListOptions) ([]Instance, error) {
	for n := 0; ; n++ {
		list, err := c.ListInstances(ctx, opts)
		if err == nil || !mayPass(err) {
			return list, err
		}
		cl := &call{method: http.MethodGet, path: "/instances"}
		if werr := c.wait(ctx, cl, min(n, 8), "reconcile lookup failed", nil, err); werr != nil {
			return nil, werr
		}
	}
}

// mayPass reports whether a failed call might succeed if repeated.
func mayPass(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	var te *transportError
	return errors.As(err, &te) && te.kind != failFatal
}

// createdBy reports whether inst looks like the result of req, posted at
// start. The platform strips HTML from names, so both forms are compared.
func (c *Client) createdBy(inst Instance, req InstanceRequest, start time.Time) bool {
	if !strings.EqualFold(inst.Element.Key, req.Element.Key) {
		return false
	}
	if inst.Name != req.Name && inst.Name != stripTags(req.Name) {
		return false
	}
	if inst.Configuration[ConfigSubdomain] != req.Configuration[ConfigSubdomain] {
		return false
	}
	created, ok := ParseCreatedDate(inst.CreatedDate)
	return !ok || !created.Before(start.Add(-c.cfg.CreateReconcileSkew))
}
