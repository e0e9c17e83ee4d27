package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// detachedReconcileTimeout bounds the one reconcile made after the caller's
// context has ended, so a created instance is returned rather than orphaned.
const detachedReconcileTimeout = 30 * time.Second

// CreateInstance provisions an instance with exactly one committed POST
// /instances, reconciling after an ambiguous failure (see package doc and
// createAsset).
func (c *Client) CreateInstance(ctx context.Context, req InstanceRequest) (*Instance, error) {
	body, err := encodeRequest(req)
	if err != nil {
		return nil, err
	}
	cl := &call{method: http.MethodPost, path: "/instances", body: body, secrets: requestSecrets(req.Secrets, req.Configuration)}
	opts := ListOptions{SearchText: normalName(req.Name), Tags: req.Tags}
	return createAsset(ctx, c, cl, createKind[Instance]{
		what:   "instance",
		decode: c.decodeInstance,
		get:    c.GetInstance,
		id:     func(inst *Instance) int64 { return inst.ID },
		check: func(ctx context.Context, inst *Instance, start time.Time, strict bool) (bool, error) {
			return c.checkInstance(ctx, inst, req, start, strict)
		},
		candidates: func(ctx context.Context) ([]Instance, error) { return c.ListInstances(ctx, opts) },
		whole:      c.instanceSource().whole,
		describe:   fmt.Sprintf("no instance named %q with tags %q", normalName(req.Name), req.Tags),
	})
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

// mayPass reports whether a failed call might succeed if repeated.
func mayPass(err error) bool {
	var apiErr *Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode >= 500
	}
	var te *transportError
	return errors.As(err, &te) && te.kind != failFatal
}
