package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// echoing answers every call with a body that echoes the request, as some
// platform error pages do, plus a token.
func echoing(status *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		inst := instanceJSON(77, "my-fd")
		if status := int(status.Load()); status != 200 {
			writeJSON(w, status, map[string]any{
				"requestId":       "r1",
				"message":         "bad request " + string(b) + " auth=" + r.Header.Get("Authorization") + " token " + testToken + "-77",
				"providerMessage": "key " + testAPIKey,
			})
			return
		}
		writeJSON(w, 200, inst)
	})
}

var allSecrets = []string{testUserSecret, testOrgSecret, testAPIKey, testToken}

func assertNoSecret(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range allSecrets {
		if strings.Contains(s, secret) {
			t.Errorf("%s leaks %q:\n%s", where, secret, s)
		}
	}
}

func TestNoSecretsInLogsOrErrors(t *testing.T) {
	var buf bytes.Buffer
	t.Setenv("TF_LOG", "TRACE") // the client logs only when Terraform would show it
	ctx := tflogtest.RootLogger(context.Background(), &buf)

	var status atomic.Int32
	status.Store(200)
	c := newTestClient(t, echoing(&status))
	if _, err := c.CreateInstance(ctx, testRequest()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetInstance(ctx, 77); err != nil { // token now known: masked too
		t.Fatal(err)
	}

	status.Store(400)
	_, err := c.CreateInstance(ctx, testRequest())
	if err == nil {
		t.Fatal("no error")
	}
	assertNoSecret(t, "error", err.Error())
	if !strings.Contains(err.Error(), redacted) || !strings.Contains(err.Error(), "(request id r1)") {
		t.Errorf("error %q", err)
	}
	_, err = c.ReplaceInstance(ctx, 77, testRequest())
	assertNoSecret(t, "PUT error", err.Error())

	entries, jerr := tflogtest.MultilineJSONDecode(&buf)
	if jerr != nil {
		t.Fatal(jerr)
	}
	levels := map[string]int{}
	for _, e := range entries {
		level, ok := e["@level"].(string)
		if !ok {
			t.Errorf("@level %v (%T) is not a string", e["@level"], e["@level"])
		}
		levels[level]++
		if e["@module"] != "provider.cloudelements" {
			t.Errorf("module %v", e["@module"])
		}
	}
	if levels["trace"] == 0 || levels["debug"] == 0 {
		t.Errorf("levels %v", levels)
	}
	assertNoSecret(t, "log", buf.String())
	raw, _ := json.Marshal(entries)
	assertNoSecret(t, "log entries", string(raw))
	if !strings.Contains(string(raw), `\u003credacted\u003e`) && !strings.Contains(string(raw), "<redacted>") {
		t.Error("no redaction marker in the logs")
	}
}

func TestRetryIsLogged(t *testing.T) {
	var buf bytes.Buffer
	t.Setenv("TF_LOG", "TRACE") // the client logs only when Terraform would show it
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	h, _ := flaky(1, status(503, ""))
	c := newTestClient(t, h)
	if _, err := c.GetInstance(ctx, 12); err != nil {
		t.Fatal(err)
	}
	entries, _ := tflogtest.MultilineJSONDecode(&buf)
	for _, e := range entries {
		if e["@message"] == "retrying request" {
			if e["reason"] != "503 Service Unavailable" || e["attempt"] != float64(1) || e["path"] != "/instances/12" || e["wait"] == nil {
				t.Errorf("retry log %v", e)
			}
			return
		}
	}
	t.Errorf("no retry log in %s", buf.String())
}

func TestRedactJSON(t *testing.T) {
	got, ok := RedactJSON([]byte(`[{"token":"T","configuration":{"username":"K","password":"P","event.notification.signature.key":"S","subdomain":"acme"}}]`))
	if !ok || strings.ContainsAny(got, "TKPS") && !strings.Contains(got, "acme") {
		t.Fatalf("%s", got)
	}
	for _, s := range []string{`"T"`, `"K"`, `"P"`, `"S"`} {
		if strings.Contains(got, s) {
			t.Errorf("%s in %s", s, got)
		}
	}
	if _, ok := RedactJSON([]byte("<html>")); ok {
		t.Error("HTML accepted")
	}
}

// Without TF_LOG Terraform discards provider logs, so the client makes none.
func TestNoLogsUnlessTerraformShowsThem(t *testing.T) {
	for _, env := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PROVIDER_CLOUDELEMENTS"} {
		t.Setenv(env, "")
	}
	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &buf)
	h, _ := flaky(1, status(503, ""))
	c := newTestClient(t, h)
	if _, err := c.GetInstance(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Errorf("logged with logging off: %s", buf.String())
	}
	t.Setenv("TF_LOG_PROVIDER", "DEBUG")
	c = newTestClient(t, h)
	if _, err := c.GetInstance(ctx, 12); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"@message":"response"`) || strings.Contains(buf.String(), "response detail") {
		t.Errorf("TF_LOG_PROVIDER=DEBUG should log responses but not their TRACE detail: %s", buf.String())
	}
}
