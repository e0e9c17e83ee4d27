package cloudelements

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

// Issue 26 defect 1 and issue 27 item 3: a formula instance's password
// variables answered in clear are masked before anything logs them.
const (
	clearPassword = "FAKEclear-pw-9Q7/x+="
	otherPassword = "FAKEother-pw-Zk4/y+="
)

// formulaPlatform answers formula 5 (a password variable "pw") and
// formula instances of it and of formula 6, whose formula is not read.
func formulaPlatform(formulaReads *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch strings.TrimPrefix(r.URL.Path, "/elements/api-v2") {
		case "/instances":
			writeJSON(w, 200, []any{})
		case "/formulas/5":
			formulaReads.Add(1)
			writeJSON(w, 200, map[string]any{"id": 5, "name": "f", "configuration": []any{
				map[string]any{"key": "pw", "name": "Password", "type": "password"},
				map[string]any{"key": "desk", "name": "Desk", "type": "elementInstance"},
			}, "triggers": []any{}, "steps": []any{}})
		case "/formulas/5/instances/9":
			writeJSON(w, 200, map[string]any{"id": 9, "name": "fi", "formula": map[string]any{"id": 5},
				"configuration": map[string]any{"pw": clearPassword, "desk": "12"}, "settings": map[string]any{}})
		case "/formulas/instances":
			writeJSON(w, 200, []any{
				map[string]any{"id": 9, "name": "fi", "formula": map[string]any{"id": 5},
					"configuration": map[string]any{"pw": clearPassword, "desk": "12"}, "settings": map[string]any{}},
				map[string]any{"id": 10, "name": "other", "formulaId": 6,
					"configuration": map[string]any{"code": otherPassword}, "settings": map[string]any{}},
			})
		default:
			writeJSON(w, 404, map[string]any{"message": "no such thing", "requestId": "r404"})
		}
	})
}

// tracing makes c log at TRACE into buf, as under TF_LOG=TRACE.
func tracing(c *Client, buf *bytes.Buffer) context.Context {
	c.logLevel = hclog.Trace
	return tflogtest.RootLogger(context.Background(), buf)
}

func noBatchReads(cfg *Config) { cfg.BatchReads.Off = true }

func TestFormulaInstanceSecretsMaskedBeforeLogged(t *testing.T) {
	c := newTestClient(t, formulaPlatform(new(atomic.Int32)), noBatchReads)
	var buf bytes.Buffer
	ctx := tracing(c, &buf)
	keys, err := c.FormulaSecretKeys(ctx, 5)
	if err != nil || !keys["pw"] || keys["desk"] {
		t.Fatalf("formula 5 declares %v (%v); want pw alone", keys, err)
	}
	fi, err := c.GetFormulaInstance(ctx, 5, 9)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Configuration["pw"] != clearPassword {
		t.Fatalf("the answer was changed: %v", fi.Configuration)
	}
	if !c.ContainsSecret("echo " + clearPassword) {
		t.Error("the password answered in clear is not known to the masker")
	}
	if _, err := c.ListFormulaInstances(ctx, FormulaInstanceListOptions{}); err != nil {
		t.Fatal(err)
	}
	log := buf.String()
	for _, s := range []string{clearPassword, otherPassword} {
		if strings.Contains(log, s) {
			t.Errorf("the TRACE log holds %q", s)
		}
	}
	if !strings.Contains(log, `\"desk\":\"12\"`) {
		t.Errorf("the TRACE log lost the non-secret configuration of a known formula:\n%s", log)
	}
}

func TestFormulaSecretKeysReadOnce(t *testing.T) {
	var reads atomic.Int32
	c := newTestClient(t, formulaPlatform(&reads), noBatchReads)
	ctx := context.Background()
	for range 3 {
		if _, err := c.FormulaSecretKeys(ctx, 5); err != nil {
			t.Fatal(err)
		}
	}
	if n := reads.Load(); n != 1 {
		t.Errorf("formula 5 read %d times, want once", n)
	}
	if _, err := c.FormulaSecretKeys(ctx, 7); !IsNotFound(err) {
		t.Errorf("an unknown formula: %v, want its 404", err)
	}
	fi := &FormulaInstance{FormulaID: 5, Configuration: map[string]string{"pw": "FAKEpw-learnt-3x", "desk": "FAKEdesk-not-1"}}
	if _, err := c.LearnFormulaInstance(ctx, fi); err != nil {
		t.Fatal(err)
	}
	if !c.ContainsSecret("FAKEpw-learnt-3x") || c.ContainsSecret("FAKEdesk-not-1") {
		t.Error("LearnFormulaInstance masks the wrong values")
	}
}

// Issue 27, previous round: a write-only value sent by an earlier run,
// echoed into an answer, is recognised by its fingerprint and masked
// before it is logged or quoted.
func TestFingerprintedValueMasked(t *testing.T) {
	const wo = "FAKEwo-val-77/k+="
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			writeJSON(w, 400, map[string]any{"message": "bad key " + wo + " here", "requestId": "r1"})
			return
		}
		inst := instanceJSON(77, "fd")
		inst["configuration"] = map[string]any{"subdomain": wo}
		inst["tags"] = []string{wo}
		writeJSON(w, 200, inst)
	}))
	var buf bytes.Buffer
	ctx := tracing(c, &buf)
	c.RememberFingerprints(c.Fingerprint(wo))
	if _, err := c.GetInstance(ctx, 77); err != nil {
		t.Fatal(err)
	}
	if !c.ContainsSecret(wo) {
		t.Error("the echoed write-only value is not known to the masker")
	}
	_, err := c.ReplaceInstance(ctx, 77, testRequest())
	if err == nil || strings.Contains(err.Error(), wo) {
		t.Errorf("the error quotes the write-only value: %v", err)
	}
	if strings.Contains(buf.String(), wo) {
		t.Error("the TRACE log holds the write-only value")
	}
}

func TestMaskedValue(t *testing.T) {
	for v, want := range map[string]bool{"********": true, "***": true, " **** ": true, redacted: true, "•••••": true,
		"**": false, "pa**word": false, "": false, "secret": false} {
		if MaskedValue(v) != want {
			t.Errorf("MaskedValue(%q) = %v", v, !want)
		}
	}
}

// Issue 27 item 7: what state keeps of a multi-line value.
func TestStripTerminalControls(t *testing.T) {
	in := "line one\x1b]0;pwned\x07\n\tline \x1b[31mtwo\x1b[0m\r\u202eevil\x00\u2066"
	if got, want := StripTerminalControls(in), "line one\n\tline twoevil"; got != want {
		t.Errorf("StripTerminalControls = %q, want %q", got, want)
	}
	if s := "plain\nlines\tand tabs"; StripTerminalControls(s) != s {
		t.Error("a clean value was changed")
	}
}
