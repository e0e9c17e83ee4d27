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

// LogContext returns ctx with the "cloudelements" log subsystem, masking the
// secrets and every instance token this Client has seen.
func (c *Client) LogContext(ctx context.Context) context.Context {
	if !c.logging() {
		return ctx // nobody reads these logs: skip the subsystem and its masks
	}
	ctx = tflog.NewSubsystem(ctx, subsystem, tflog.WithLevel(c.logLevel))
	return maskStrings(ctx, c.secretsFor("")...)
}

// logging reports whether this Client writes logs at all.
func (c *Client) logging() bool { return c.logLevel != hclog.Off }

// logAt writes one entry to the subsystem, when logging is on.
func (c *Client) logAt(ctx context.Context, level hclog.Level, msg string, fields map[string]any) {
	if !c.logging() {
		return
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

// maskStrings is the second line of defence behind body redaction: tflog
// replaces these strings wherever they show up in a message or field.
func maskStrings(ctx context.Context, secrets ...string) context.Context {
	ctx = tflog.SubsystemMaskAllFieldValuesStrings(ctx, subsystem, secrets...)
	return tflog.SubsystemMaskMessageStrings(ctx, subsystem, secrets...)
}

// callContext adds the call's API key to the masks.
func callContext(ctx context.Context, cl *call) context.Context {
	if cl.apiKey == "" || !tflog.SubsystemIsDebug(ctx, subsystem) {
		return ctx
	}
	return maskStrings(ctx, cl.apiKey)
}

// traceRequest logs the outgoing headers and body at TRACE, redacted.
func (c *Client) traceRequest(ctx context.Context, cl *call, h http.Header, n int) {
	if !c.logging() || !tflog.SubsystemIsTrace(ctx, subsystem) {
		return
	}
	fields := map[string]any{
		"method": cl.method, "path": cl.path, "query": cl.query, "attempt": n,
		"request_headers": redactHeaders(h),
	}
	addBody(fields, "request_body", cl.body)
	c.logAt(callContext(ctx, cl), hclog.Trace, "sending request", fields)
}

// logResponse logs one answer: a summary at DEBUG, headers and body at TRACE.
func (c *Client) logResponse(ctx context.Context, cl *call, r *response, n int, d time.Duration) {
	if !c.logging() {
		return
	}
	ctx = callContext(ctx, cl)
	requestID := r.header.Get("Elements-Request-Id")
	c.logAt(ctx, hclog.Debug, "response", map[string]any{
		"method": cl.method, "path": cl.path, "status": r.status,
		"duration_ms": d.Milliseconds(), "request_id": requestID, "attempt": n,
	})
	if !tflog.SubsystemIsTrace(ctx, subsystem) {
		return
	}
	fields := map[string]any{
		"method": cl.method, "path": cl.path, "status": r.status, "attempt": n,
		"response_headers": redactHeaders(r.header),
	}
	addBody(fields, "response_body", r.body)
	c.logAt(ctx, hclog.Trace, "response detail", fields)
}

// logFailure logs an attempt that got no usable answer.
func (c *Client) logFailure(ctx context.Context, cl *call, n int, d time.Duration, te *transportError) {
	if !c.logging() {
		return
	}
	c.logAt(callContext(ctx, cl), hclog.Debug, "request failed", map[string]any{
		"method": cl.method, "path": cl.path, "attempt": n, "duration_ms": d.Milliseconds(),
		"reason": te.reason, "error": te.err.Error(),
	})
}

func redactHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, v := range h {
		if http.CanonicalHeaderKey(k) == "Authorization" {
			out[k] = redacted
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

// addBody puts a redacted JSON body in fields, or only its length when it is
// not JSON (we cannot tell what a foreign body hides).
func addBody(fields map[string]any, key string, body []byte) {
	if len(body) == 0 {
		return
	}
	if s, ok := RedactJSON(body); ok {
		fields[key] = s
		return
	}
	fields[key+"_length"] = len(body)
}

// secretConfigKeys are configuration keys whose values never reach a log.
var secretConfigKeys = map[string]bool{
	ConfigUsername:           true,
	"password":               true,
	ConfigEventsSignatureKey: true,
}

// RedactJSON returns body with every "token" value and the secret
// configuration values (username, password, event.notification.signature.key)
// replaced by "<redacted>", at any depth. ok is false when body is not JSON.
func RedactJSON(body []byte) (string, bool) {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return "", false
	}
	redactValue(v)
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
			switch {
			case k == "token" && child != nil:
				t[k] = redacted
			case k == "configuration":
				if cfg, ok := child.(map[string]any); ok {
					for ck, cv := range cfg {
						if secretConfigKeys[ck] && cv != nil {
							cfg[ck] = redacted
						}
					}
				}
				redactValue(child)
			default:
				redactValue(child)
			}
		}
	case []any:
		for _, child := range t {
			redactValue(child)
		}
	}
}
