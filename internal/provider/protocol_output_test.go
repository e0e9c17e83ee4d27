package provider

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The output of actions and list resources, checked through the protocol
// server as Terraform calls it: these run under any Terraform, where the
// CLI tests of actions and `terraform query` need Terraform 1.14.

// protoProvider is the provider as Terraform serves it, configured against
// baseURL.
type protoProvider struct {
	s      tfprotov6.ProviderServer
	schema *tfprotov6.GetProviderSchemaResponse
}

func newProtoProvider(t *testing.T, baseURL string) *protoProvider {
	t.Helper()
	ctx := context.Background()
	s := ProtocolServer(New("test")())
	schema, err := s.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	p := &protoProvider{s: s, schema: schema}
	cfg := p.value(t, schema.Provider, map[string]tftypes.Value{
		"base_url":            tftypes.NewValue(tftypes.String, baseURL),
		"user_secret":         tftypes.NewValue(tftypes.String, testUserSecret),
		"organization_secret": tftypes.NewValue(tftypes.String, testOrganizationSecret),
		"max_retries":         tftypes.NewValue(tftypes.Number, 0),
	})
	resp, err := s.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: cfg})
	if err != nil || diagsHaveError(resp.Diagnostics) {
		t.Fatalf("configure: %v %v", err, diagText(resp.Diagnostics))
	}
	return p
}

// value is an object of schema's type: attrs where given, null elsewhere.
func (p *protoProvider) value(t *testing.T, schema *tfprotov6.Schema, attrs map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	typ, _ := schema.ValueType().(tftypes.Object)
	vals := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		if v, ok := attrs[name]; ok {
			vals[name] = v
		} else {
			vals[name] = tftypes.NewValue(at, nil)
		}
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// invoke runs an action and returns its progress messages and the
// completed event's diagnostics.
func (p *protoProvider) invoke(t *testing.T, action string, attrs map[string]tftypes.Value) ([]string, []*tfprotov6.Diagnostic) {
	t.Helper()
	as, ok := p.s.(tfprotov6.ActionServer)
	if !ok {
		t.Fatal("the server serves no actions")
	}
	stream, err := as.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{ActionType: action,
		Config: p.value(t, p.schema.ActionSchemas[action].Schema, attrs)})
	if err != nil {
		t.Fatal(err)
	}
	var progress []string
	var diags []*tfprotov6.Diagnostic
	for ev := range stream.Events {
		switch e := ev.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			progress = append(progress, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = append(diags, e.Diagnostics...)
		}
	}
	return progress, diags
}

// list runs a list resource with include_resource and returns its results.
func (p *protoProvider) list(t *testing.T, typeName string, attrs map[string]tftypes.Value) []tfprotov6.ListResourceResult {
	t.Helper()
	ls, ok := p.s.(tfprotov6.ListResourceServer)
	if !ok {
		t.Fatal("the server serves no list resources")
	}
	stream, err := ls.ListResource(context.Background(), &tfprotov6.ListResourceRequest{TypeName: typeName,
		Config: p.value(t, p.schema.ListResourceSchemas[typeName], attrs), IncludeResource: true, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var out []tfprotov6.ListResourceResult
	for r := range stream.Results {
		out = append(out, r)
	}
	return out
}

func diagsHaveError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

func diagText(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "%s: %s\n", d.Summary, d.Detail)
	}
	return b.String()
}

// resultText is what `terraform query` and `terraform query -json` print of
// results of typeName: display names, diagnostics and every string of the
// resource objects.
func (p *protoProvider) resultText(t *testing.T, typeName string, results []tfprotov6.ListResourceResult) string {
	t.Helper()
	var b strings.Builder
	for _, r := range results {
		b.WriteString(r.DisplayName + "\n" + diagText(r.Diagnostics))
		if r.Resource == nil {
			continue
		}
		v, err := r.Resource.Unmarshal(p.schema.ResourceSchemas[typeName].ValueType())
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(strings.Join(stringsIn(v), "\n") + "\n")
	}
	return b.String()
}

// mustHide fails t for each of secrets, or any half of one, in text, and
// for each terminal control.
func mustHide(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		for _, form := range []string{s, s[:len(s)/2], s[len(s)-len(s)/2:]} {
			if strings.Contains(text, form) {
				t.Errorf("%s shows %q of secret %q: %q", where, form, s, text)
			}
		}
	}
	if n := escapesIn(text); n > 0 {
		t.Errorf("%s holds %d terminal controls: %q", where, n, text)
	}
}

// forgedName is an instance name made to forge terminal output.
const forgedName = "desk\x1b[31m red\x1b[0m \x1b]0;pwned\x07\u202eforged"

// Issue 26 defect 8, issue 27 item 2: the re-authenticate action's progress
// quotes the instance's name cleaned.
func TestProtocolReauthenticateProgressCleaned(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	inst := env.emu.PutInstance(emulator.Instance{Name: forgedName, Configuration: map[string]string{"subdomain": "desk", "username": "old"}})
	const newKey = "FAKEnew-apikey-Reauth-71"
	p := newProtoProvider(t, env.baseURL)
	progress, diags := p.invoke(t, "cloudelements_instance_reauthenticate", map[string]tftypes.Value{
		"instance_id": tftypes.NewValue(tftypes.String, strconv.FormatInt(inst.ID, 10)),
		"secret_configuration": tftypes.NewValue(tftypes.Map{ElementType: tftypes.String},
			map[string]tftypes.Value{"username": tftypes.NewValue(tftypes.String, newKey)}),
	})
	if diagsHaveError(diags) || len(progress) < 2 || !strings.Contains(progress[1], "red") {
		t.Fatalf("progress %q, diagnostics %s", progress, diagText(diags))
	}
	mustHide(t, "progress", strings.Join(progress, "\n"), newKey, testUserSecret, testOrganizationSecret)
}

// rewriting serves h with every answer's old replaced by with.
func rewriting(h http.Handler, old, with string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(bytes.ReplaceAll(rec.Body.Bytes(), []byte(old), []byte(with)))
	})
}

// passwordFormula seeds a formula whose "pw" variable is a password, and an
// instance of it whose password is pw.
func passwordFormula(emu *emulator.Server, name, pw string) (emulator.Formula, emulator.FormulaInstance) {
	f := emu.PutFormula(emulator.Formula{Name: name, Active: true,
		Configuration: []emulator.FormulaConfig{{Key: "pw", Name: "Password", Type: "password"}, {Key: "region", Name: "Region", Type: "value"}},
		Steps:         []emulator.FormulaStep{{Name: "fetch", Type: "script"}, {Name: "send", Type: "script"}}})
	fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: name + "-run", Active: true,
		Configuration: map[string]string{"pw": pw, "region": "eu"}})
	return f, fi
}

func clearSecrets(o *emulator.Options) { o.Variance.ClearSecrets = true }

// Issue 27 item 3: a failing step's error quoting the formula instance's
// password (answered in clear) is masked, though this process never sent it.
func TestProtocolExecuteFailingStepMasksPassword(t *testing.T) {
	const pw = "FAKEexec-pw-Fail/9+="
	env := newAccEnvWith(t, clearSecrets, func(h http.Handler) http.Handler {
		return rewriting(h, emulator.StepFailureMessage, "TypeError: login refused for password "+pw)
	})
	env.needsEmulator(t)
	f, fi := passwordFormula(env.emu, "exec", pw)
	env.emu.SetExecutionPlan(emulator.ExecutionPlan{StepDelay: 50 * time.Millisecond, FailAtStep: "send"})
	p := newProtoProvider(t, env.baseURL)
	progress, diags := p.invoke(t, "cloudelements_formula_instance_execute", map[string]tftypes.Value{
		"formula_id":          tftypes.NewValue(tftypes.String, strconv.FormatInt(f.ID, 10)),
		"formula_instance_id": tftypes.NewValue(tftypes.String, strconv.FormatInt(fi.ID, 10)),
	})
	text := diagText(diags)
	if !strings.Contains(text, `Step "send" failed`) {
		t.Fatalf("want the failing step named; diagnostics %s", text)
	}
	mustHide(t, "the execute action's output", strings.Join(progress, "\n")+text, pw)
}

// Issue 26 defect 8: the timeout message says what is known before the
// first poll, not `still ""`.
func TestProtocolExecuteTimeoutBeforeFirstPoll(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	f, fi := seedFormula(env.emu)
	env.emu.SetExecutionPlan(emulator.ExecutionPlan{StepDelay: time.Hour})
	p := newProtoProvider(t, env.baseURL)
	_, diags := p.invoke(t, "cloudelements_formula_instance_execute", map[string]tftypes.Value{
		"formula_id":          tftypes.NewValue(tftypes.String, strconv.FormatInt(f, 10)),
		"formula_instance_id": tftypes.NewValue(tftypes.String, strconv.FormatInt(fi, 10)),
		"timeouts": tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{"invoke": tftypes.String}},
			map[string]tftypes.Value{"invoke": tftypes.NewValue(tftypes.String, "300ms")}),
	})
	text := diagText(diags)
	if !strings.Contains(text, "did not end within 300ms") || strings.Contains(text, `""`) || !strings.Contains(text, "status is unknown") {
		t.Errorf("timeout before the first poll reads: %s", text)
	}
}

// Issue 26 defect 1, issue 27 item 4: `terraform query` of formula
// instances whose passwords the platform answers in clear shows none,
// neither in the resource (-generate-config-out, -json) nor in a display
// name that echoes another instance's password.
func TestProtocolFormulaInstanceQueryHidesPasswords(t *testing.T) {
	const pw, pw2 = "FAKEquery-pw-One/7+=", "FAKEquery-pw-Two/8+="
	env := newAccEnvWith(t, clearSecrets, nil)
	env.needsEmulator(t)
	f, _ := passwordFormula(env.emu, "q", pw)
	env.emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: "echo " + pw + " and " + forgedName,
		Active: true, Configuration: map[string]string{"pw": pw2, "region": "us"}})
	p := newProtoProvider(t, env.baseURL)
	results := p.list(t, "cloudelements_formula_instance", nil)
	if len(results) != 2 || results[0].Resource == nil {
		t.Fatalf("want 2 results with their resources, got %d", len(results))
	}
	text := p.resultText(t, "cloudelements_formula_instance", results)
	if !strings.Contains(text, "\neu\n") {
		t.Fatalf("the results lost the non-secret configuration: %q", text)
	}
	mustHide(t, "terraform query", text, pw, pw2)
}

// The previous round's query case: an instance token, cut in two, in the
// display names and values of a listing.
func TestProtocolInstanceQueryHostileNames(t *testing.T) {
	item := `{"id":1017,"name":` + jsonString(forgedName+" "+hTok[:10]+" "+hTok2[8:]) + `,"token":"` + hTok +
		`","element":{"id":491,"key":"freshdeskv2"},"configuration":{"subdomain":"acme","username":"` + hKey +
		`"},"tags":[` + jsonString("t "+hTok[5:]) + `],"createdDate":"2024-01-02T03:04:05Z"}`
	other := `{"id":1018,"name":"other","token":"` + hTok2 + `","element":{"id":491,"key":"freshdeskv2"},` +
		`"configuration":{"subdomain":"b","username":"k"},"tags":[],"createdDate":"2024-01-02T03:04:05Z"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		rawJSON(w, 200, "["+item+","+other+"]")
	}))
	defer srv.Close()
	p := newProtoProvider(t, srv.URL+"/elements/api-v2")
	results := p.list(t, "cloudelements_freshdesk_instance", nil)
	if len(results) != 2 {
		t.Fatalf("want 2 results, got %d", len(results))
	}
	mustHide(t, "terraform query", p.resultText(t, "cloudelements_freshdesk_instance", results), hTok, hTok2, hKey)
}

// Issue 27 item 9: the OAuth URL warning quotes the platform's URL; a
// client secret echoed in it in two halves shows neither.
func TestProtocolOAuthURLWarningHalves(t *testing.T) {
	const secret = "FAKEoauth-Sec9/x+=&7" // 20 bytes: masked in halves, not fragments
	half := len(secret) / 2
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := "https://login.example/authorize?client_id=client-id&state=" + secret[:half] + "&x=1&nonce=" + secret[half:]
		hostileJSON(w, 200, map[string]any{"oauthUrl": u, "element": "sfdc"})
	}))
	defer srv.Close()
	p := newProtoProvider(t, srv.URL+"/elements/api-v2")
	const typ = "cloudelements_oauth_url"
	resp, err := p.s.OpenEphemeralResource(context.Background(), &tfprotov6.OpenEphemeralResourceRequest{TypeName: typ,
		Config: p.value(t, p.schema.EphemeralResourceSchemas[typ], map[string]tftypes.Value{
			"element_key":  tftypes.NewValue(tftypes.String, "sfdc"),
			"api_key":      tftypes.NewValue(tftypes.String, "client-id"),
			"api_secret":   tftypes.NewValue(tftypes.String, secret),
			"callback_url": tftypes.NewValue(tftypes.String, "https://example.com/cb"),
			"show_url":     tftypes.NewValue(tftypes.Bool, true),
		})})
	if err != nil {
		t.Fatal(err)
	}
	text := diagText(resp.Diagnostics)
	if !strings.Contains(text, "login.example/authorize") {
		t.Fatalf("want the URL shown in a warning; diagnostics %s", text)
	}
	mustHide(t, "the OAuth URL warning", text, secret)
}
