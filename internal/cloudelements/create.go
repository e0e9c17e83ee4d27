package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
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
	cl := &call{method: http.MethodPost, path: "/instances", body: body, secrets: requestSecrets(req.Secrets, req.Configuration)}
	return postLoop(ctx, c, cl, "instance",
		func(ctx context.Context, start time.Time, resp *response) (*Instance, error) {
			return c.createdAnswer(ctx, cl, req, start, resp)
		},
		func(ctx context.Context, start time.Time, err error) (*Instance, error) {
			return c.reconcile(ctx, req, start, err)
		})
}

// createdAnswer reads a 2xx answer to POST /instances. The instance exists
// then, so it never posts again. An answer is adopted only once checked
// against the request (checkCreated): a readable answer about an instance
// with another name, element or date, or an id salvaged from an unreadable
// answer that reads back as another instance (or cannot be read back), is
// never adopted: the reconcile lookup looks for the instance instead, and
// without one the error says what to look for. Adopting a foreign id would
// make the next destroy delete someone else's instance.
func (c *Client) createdAnswer(ctx context.Context, cl *call, req InstanceRequest, start time.Time, resp *response) (*Instance, error) {
	inst, err := c.decodeInstance(cl, resp.body)
	if err == nil {
		cerr := c.checkCreated(ctx, inst, req, start, false)
		if cerr == nil {
			return inst, nil
		}
		err = fmt.Errorf("POST /instances: the answer cannot be trusted: %w", cerr)
	} else if id := salvageID(resp.body); id > 0 {
		c.logAt(ctx, hclog.Warn, "create answer not readable in full; reading the instance it names back", map[string]any{
			"id": id, "error": err.Error(),
		})
		inst, gerr := c.GetInstance(ctx, id)
		if gerr == nil {
			if gerr = c.checkCreated(ctx, inst, req, start, true); gerr == nil {
				return inst, nil
			}
		}
		err = fmt.Errorf("%w; it names instance %d, which cannot be shown to be the one requested: %w", err, id, gerr)
	}
	c.logAt(ctx, hclog.Warn, "create answer not usable; looking for the instance", map[string]any{"error": err.Error()})
	inst, rerr := c.reconcile(ctx, req, start, err)
	if inst != nil || rerr != nil {
		return inst, rerr
	}
	return nil, fmt.Errorf("%w; the platform answered HTTP %d, so it has probably created the instance, but "+
		"no instance named %q with tags %q created since %s was found. Look for it on the "+
		"platform and import it with `terraform import <resource address> <id>` (or an import block) rather than "+
		"creating it again", err, resp.status, normalName(req.Name), req.Tags, start.UTC().Format(time.RFC3339))
}

// salvageID finds the top-level "id" of a create answer that could not be
// decoded in full (it may be cut short or hold a field of the wrong type),
// as a number or a numeric string. It returns 0 when there is none, or when
// the answer holds several different ones.
func salvageID(body []byte) int64 {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return 0
	}
	var id int64
	for {
		t, err := dec.Token()
		key, ok := t.(string)
		if err != nil || !ok {
			return id // the end of the object, or cut short here: keep what was found
		}
		if t, err = dec.Token(); err != nil {
			return id
		}
		if key == "id" {
			n, ok := parseWholeNumber(fmt.Sprint(t))
			if !ok || n <= 0 || (id != 0 && n != id) {
				return 0
			}
			id = n
		} else if skipRest(dec, t) != nil {
			return id
		}
	}
}

// skipRest reads the rest of the value whose first token is t.
func skipRest(dec *json.Decoder, t json.Token) error {
	for depth := 0; ; {
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
		var err error
		if t, err = dec.Token(); err != nil {
			return err
		}
	}
}

// createFailure sorts a failed POST: safe to repeat (the platform surely
// created nothing: refused connection, 429), ambiguous (it may have: timeout,
// reset or EOF after sending, the caller's context ending mid-request, any
// other transport failure after the request was written, any 5xx), or final
// (other 4xx, TLS, body cap, anything before the request was written).
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
	switch {
	case te.kind == failRefused:
		return te.reason, true, false
	case te.kind == failTimeout, te.kind == failReset, te.kind == failCaller:
		return te.reason, false, true
	case te.sent && !errors.Is(te, errBodyTooLarge):
		// Any other failure after the whole request was written (a
		// malformed answer, an HTTP/2 stream reset): it may have been
		// applied.
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
	c.logAt(ctx, hclog.Info, "create may have made an instance; looking for it", map[string]any{
		"error": postErr.Error(),
	})
	opts := ListOptions{SearchText: normalName(req.Name)}
	if len(req.Tags) > 0 {
		opts.Tags = req.Tags
	}
	list, err := c.lookUp(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("%w; looking for an instance it may have created failed too: %w", postErr, err)
	}
	var matches []Instance
	for _, inst := range list {
		c.resolveElement(ctx, &inst)
		made, unsure := c.createdBy(inst, req, start)
		if made && unsure {
			// The list left a match key out: only the full instance can tell.
			full, err := c.GetInstance(ctx, inst.ID)
			if err != nil {
				return nil, fmt.Errorf("%w; reading instance %d to compare it with the request failed: %w", postErr, inst.ID, err)
			}
			inst = *full
			c.resolveElement(ctx, &inst)
			made, _ = c.createdBy(inst, req, start)
		}
		if made {
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
			full, err := c.GetInstance(ctx, inst.ID)
			if err != nil {
				// It is ours (it matched): the caller keeps its id.
				return nil, &CreatedError{ID: inst.ID, Err: fmt.Errorf("reading it back failed: %w", err)}
			}
			return full, nil
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
