package cloudelements

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// subsystem is the tflog subsystem every request and response is logged to.
const subsystem = "cloudelements"

// LogContext returns ctx with the "cloudelements" log subsystem. The
// client masks its own log lines (logAt); tflog also masks the user and
// organization secrets, for lines others write to this subsystem.
func (c *Client) LogContext(ctx context.Context) context.Context {
	if !c.logging() {
		return ctx // nobody reads these logs: skip the subsystem and its masks
	}
	ctx = tflog.NewSubsystem(ctx, subsystem, tflog.WithLevel(c.logLevel))
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, c.Secrets()...)
	return tflog.SubsystemMaskMessageStrings(ctx, subsystem, c.Secrets()...)
}

// logging reports whether this Client writes logs at all.
func (c *Client) logging() bool { return c.logLevel != hclog.Off }

// logAt writes one entry to the subsystem, when logging is on, with every
// known secret masked in the message and in every field: tflog's own masks
// cover plain strings only, not the header maps.
func (c *Client) logAt(ctx context.Context, level hclog.Level, msg string, fields map[string]any) {
	if !c.logging() {
		return
	}
	msg = c.mask.Replace(msg)
	for k, v := range fields {
		fields[k] = c.maskField(v)
	}
	switch level {
	case hclog.Trace:
		tflog.SubsystemTrace(ctx, subsystem, msg, fields)
	case hclog.Debug:
		tflog.SubsystemDebug(ctx, subsystem, msg, fields)
	case hclog.Info:
		tflog.SubsystemInfo(ctx, subsystem, msg, fields)
	default:
		tflog.SubsystemWarn(ctx, subsystem, msg, fields)
	}
}

// maskField masks a log field value: strings, errors and string maps (keys
// too). Numbers carry nothing secret.
func (c *Client) maskField(v any) any {
	switch t := v.(type) {
	case string:
		return c.mask.Replace(t)
	case error:
		return c.mask.Replace(t.Error())
	case map[string]string:
		out := make(map[string]string, len(t))
		for k, val := range t {
			out[c.mask.Replace(k)] = c.mask.Replace(val)
		}
		return out
	}
	return v
}

// logLevelFromEnv is the subsystem's level. Terraform shows provider logs
// only when TF_LOG (or TF_LOG_PROVIDER) asks for them; without either the
// lines would be built, redacted, sent and thrown away, so they are not made.
func logLevelFromEnv() hclog.Level {
	for _, env := range []string{"TF_LOG_PROVIDER_CLOUDELEMENTS", "TF_LOG_PROVIDER", "TF_LOG"} {
		v := strings.TrimSpace(os.Getenv(env))
		if v == "" {
			continue
		}
		if level := hclog.LevelFromString(v); level != hclog.NoLevel {
			return level
		}
		return hclog.Trace // JSON, or a value Terraform reads as "everything"
	}
	return hclog.Off
}

// traceRequest logs the outgoing headers and body at TRACE, redacted.
func (c *Client) traceRequest(ctx context.Context, cl *call, h http.Header, n int) {
	if !c.logging() || !tflog.SubsystemIsTrace(ctx, subsystem) {
		return
	}
	fields := map[string]any{
		"method": cl.method, "path": cl.path, "query": cl.query, "attempt": n,
		"request_headers": logHeaders(h),
	}
	c.addBody(fields, cl, "request_body", cl.body)
	c.logAt(ctx, hclog.Trace, "sending request", fields)
}

// logResponse logs one answer: a summary at DEBUG, headers and body at TRACE.
func (c *Client) logResponse(ctx context.Context, cl *call, r *response, n int, d time.Duration) {
	if !c.logging() {
		return
	}
	requestID := r.header.Get("Elements-Request-Id")
	c.logAt(ctx, hclog.Debug, "response", map[string]any{
		"method": cl.method, "path": cl.path, "status": r.status,
		"duration_ms": d.Milliseconds(), "request_id": shorten(sanitize(requestID), 100), "attempt": n,
	})
	if !tflog.SubsystemIsTrace(ctx, subsystem) {
		return
	}
	fields := map[string]any{
		"method": cl.method, "path": cl.path, "status": r.status, "attempt": n,
		"response_headers": logHeaders(r.header),
	}
	if cl.listing {
		fields["response_body_length"] = len(r.body)
	} else {
		c.addBody(fields, cl, "response_body", r.body)
	}
	c.logAt(ctx, hclog.Trace, "response detail", fields)
}

// maxLoggedIDs bounds the ids traceListed names.
const maxLoggedIDs = 1000

// traceListed logs what a listing page held at TRACE: how many items and
// their ids, never the body. Its items are not yet read by their resources,
// so the run may not know their secrets yet (a token or key the platform
// answers in a configuration value would reach the log unmasked).
func (c *Client) traceListed(ctx context.Context, path string, ids []int64) {
	if !c.logging() || !tflog.SubsystemIsTrace(ctx, subsystem) {
		return
	}
	fields := map[string]any{"path": path, "items": len(ids)}
	if len(ids) > maxLoggedIDs {
		ids, fields["ids_truncated"] = ids[:maxLoggedIDs], true
	}
	fields["ids"] = ids
	c.logAt(ctx, hclog.Trace, "listing page", fields)
}

// logFailure logs an attempt that got no usable answer.
func (c *Client) logFailure(ctx context.Context, cl *call, n int, d time.Duration, te *transportError) {
	if !c.logging() {
		return
	}
	c.logAt(ctx, hclog.Debug, "request failed", map[string]any{
		"method": cl.method, "path": cl.path, "attempt": n, "duration_ms": d.Milliseconds(),
		"reason": te.reason, "error": te.err.Error(),
	})
}

// credentialHeaders are never logged, not even masked.
var credentialHeaders = map[string]bool{
	"Authorization": true, "Proxy-Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// logHeaders flattens headers for a log line, without the credential
// headers; logAt masks the rest.
func logHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if credentialHeaders[http.CanonicalHeaderKey(k)] {
			continue
		}
		if len(v) == 1 {
			out[k] = v[0]
		} else {
			b, _ := json.Marshal(v)
			out[k] = string(b)
		}
	}
	return out
}

// maxLoggedBody bounds a body logged at TRACE: a larger one is logged by
// length only, so a flooding answer does not also flood memory and the log.
const maxLoggedBody = 256 << 10

// addBody puts a redacted JSON body in fields, or only its length when it is
// too large or not JSON (we cannot tell what a foreign body hides). A
// formula instance's body is also redacted of what its formula declares
// secret.
func (c *Client) addBody(fields map[string]any, cl *call, key string, body []byte) {
	if len(body) == 0 {
		return
	}
	if len(body) <= maxLoggedBody {
		extra := func(any) {}
		if fid, ok := formulaOfPath(cl.path); ok {
			extra = func(v any) { c.redactFormulaInstances(v, fid) }
		}
		if s, ok := redactJSON(body, extra); ok {
			fields[key] = s
			return
		}
	}
	fields[key+"_length"] = len(body)
}

// RedactJSON returns body with the value of every secret key (see
// SecretKey) replaced by "<redacted>", at any depth. ok is false when body is not JSON.
func RedactJSON(body []byte) (string, bool) { return redactJSON(body, func(any) {}) }

// redactJSON is RedactJSON, with extra redacting the decoded body further.
func redactJSON(body []byte, extra func(any)) (string, bool) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", false
	}
	redactValue(v)
	extra(v)
	b, err := json.Marshal(v)
	if err != nil {
		return "", false
	}
	return string(b), true
}

func redactValue(v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, child := range t {
			if SecretKey(k) && child != nil {
				t[k] = redacted
				continue
			}
			redactValue(child)
		}
	case []any:
		for _, child := range t {
			redactValue(child)
		}
	}
}

// requestSecrets are the values a request carries that must be masked:
// the caller's Secrets and the values of the secret configuration keys.
func requestSecrets(declared []string, configuration map[string]string) []string {
	out := append([]string(nil), declared...)
	for k, v := range configuration {
		if SecretKey(k) {
			out = append(out, v)
		}
	}
	return out
}
