package emulator

import (
	"strings"
	"testing"
)

func TestUnknownElementIs404(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	resp, b := e.do("POST", "/instances", `{"element":{"key":"nope"},"name":"x"}`)
	if got := wantError(t, resp, b, 404); !strings.Contains(got.Message, "nope") {
		t.Fatalf("message %q", got.Message)
	}
	inst := e.create("x")
	resp, b = e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"element": map[string]any{"id": 777777}})
	wantError(t, resp, b, 404)
	if len(e.s.Instances()) != 1 {
		t.Fatal("unknown element stored")
	}
}

func TestJiraElement(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	body := map[string]any{
		"element": map[string]any{"key": "jira"}, "name": "j",
		"configuration": map[string]any{"username": "bob"},
	}
	resp, b := e.do("POST", "/instances", body)
	got := wantError(t, resp, b, 400)
	if !strings.Contains(got.Message, "jira.host, password") {
		t.Fatalf("missing keys not named: %q", got.Message)
	}
	body["configuration"] = map[string]any{"jira.host": "https://acme.atlassian.net", "username": "bob", "password": "hunter2"}
	resp, b = e.do("POST", "/instances", body)
	if resp.StatusCode != 200 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	inst := decodeInstance(t, b)
	cfg := inst.Configuration
	if cfg["password"] != mask || cfg["username"] != "bob" || cfg["base.url"] != "https://acme.atlassian.net/rest/api/2" ||
		inst.ElementID != 39 || inst.Element.Key != "jira" || inst.ExternalAuthentication != "none" || strings.Contains(string(b), "hunter2") {
		t.Fatalf("answer %s", b)
	}
	if stored, _ := e.s.Instance(inst.ID); stored.Configuration["password"] != "hunter2" {
		t.Fatal("password not stored")
	}
}

func sfdcBody(cfg map[string]any) map[string]any {
	return map[string]any{"element": map[string]any{"key": "sfdc"}, "name": "crm", "configuration": cfg}
}

func oauthConfig() map[string]any {
	return map[string]any{
		"oauth.api.key": "client-id", "oauth.api.secret": "client-secret",
		"oauth.callback.url": "https://example.com/cb",
	}
}

func TestSfdcOAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	resp, b := e.do("POST", "/instances", sfdcBody(oauthConfig()))
	if got := wantError(t, resp, b, 400); got.Message != oauthMessage {
		t.Fatalf("no code: %q", got.Message)
	}

	withCode := sfdcBody(oauthConfig())
	withCode["providerData"] = map[string]any{"code": "abc"}
	resp, b = e.do("POST", "/instances", withCode)
	if resp.StatusCode != 200 {
		t.Fatalf("with code: %d %s", resp.StatusCode, b)
	}
	inst := decodeInstance(t, b)
	if !inst.Element.TypeOauth || inst.Element.Authentication.Type != "oauth2" || inst.ExternalAuthentication != "none" ||
		strings.Contains(string(b), "providerData") || strings.Contains(string(b), "client-secret") {
		t.Fatalf("with code answer %s", b)
	}
	for _, k := range []string{"oauth.api.key", "oauth.api.secret", "oauth.user.refresh_token", "oauth.user.token"} {
		if inst.Configuration[k] != mask {
			t.Errorf("%s = %q, want masked", k, inst.Configuration[k])
		}
	}
	if inst.Configuration["oauth.callback.url"] != "https://example.com/cb" {
		t.Errorf("callback url %q", inst.Configuration["oauth.callback.url"])
	}

	initial := sfdcBody(oauthConfig())
	initial["externalAuthentication"] = "initial"
	resp, b = e.do("POST", "/instances", initial)
	if got := wantError(t, resp, b, 400); got.Message != "Missing required configuration: oauth.user.refresh_token" {
		t.Fatalf("initial without refresh token: %q", got.Message)
	}
	cfg := oauthConfig()
	cfg["oauth.user.refresh_token"] = "refresh-secret"
	initial["configuration"] = cfg
	resp, b = e.do("POST", "/instances", initial)
	if resp.StatusCode != 200 {
		t.Fatalf("initial: %d %s", resp.StatusCode, b)
	}
	inst = decodeInstance(t, b)
	if inst.ExternalAuthentication != "initial" || inst.Configuration["oauth.user.refresh_token"] != mask ||
		inst.Configuration["oauth.user.token"] != mask || strings.Contains(string(b), "refresh-secret") {
		t.Fatalf("initial answer %s", b)
	}
	_, b = e.do("GET", "/instances/"+idOf(inst), nil)
	if decodeInstance(t, b).ExternalAuthentication != "initial" {
		t.Fatalf("externalAuthentication not kept: %s", b)
	}
	// Re-provisioning replaces the definition, and needs authorising again.
	resp, b = e.do("PUT", "/instances/"+idOf(inst), sfdcBody(oauthConfig()))
	wantError(t, resp, b, 400)
	resp, b = e.do("PUT", "/instances/"+idOf(inst), withCode)
	if resp.StatusCode != 200 || decodeInstance(t, b).ExternalAuthentication != "none" {
		t.Fatalf("put with code: %d %s", resp.StatusCode, b)
	}

	bad := sfdcBody(oauthConfig())
	bad["externalAuthentication"] = "later"
	resp, b = e.do("POST", "/instances", bad)
	wantError(t, resp, b, 400)
}

func TestPatchClearsConfiguration(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	_, b := e.do("POST", "/instances", createBodyWith(map[string]any{
		"custom.a": "1", "custom.b": "2", "custom.c": "3", "pagination.max": "50",
	}))
	id := idOf(decodeInstance(t, b))

	resp, b := e.do("PATCH", "/instances/"+id, `{"configuration":{"custom.a":"","custom.b":null,"pagination.max":"","custom.d":"4"}}`)
	if resp.StatusCode != 200 {
		t.Fatalf("patch: %d %s", resp.StatusCode, b)
	}
	got := decodeInstance(t, b).Configuration
	_, hasA := got["custom.a"]
	_, hasB := got["custom.b"]
	if hasA || hasB || got["custom.c"] != "3" || got["custom.d"] != "4" || got["pagination.max"] != "100" || got["subdomain"] != "acme" {
		t.Fatalf("patch merge/clear: %v", got)
	}
	resp, b = e.do("PATCH", "/instances/"+id, `{"configuration":{"username":"","subdomain":null}}`)
	if got := wantError(t, resp, b, 400); got.Message != "Cannot clear required configuration: subdomain, username" {
		t.Fatalf("clearing required keys: %q", got.Message)
	}
	if inst, _ := e.s.Instance(1000); inst.Configuration["username"] != "api-key" {
		t.Fatal("refused patch changed the instance")
	}
}

func TestGetElementByKeyOrID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for _, keyOrID := range []string{"zendesk", "41"} {
		resp, b := e.do("GET", "/elements/"+keyOrID, nil)
		var el elementJSON
		mustUnmarshal(t, b, &el)
		if resp.StatusCode != 200 || el.ID != 41 || el.Key != "zendesk" || el.Hub != "helpdesk" {
			t.Fatalf("%s: %d %s", keyOrID, resp.StatusCode, b)
		}
	}
	resp, b := e.do("GET", "/elements/nope", nil)
	if got := wantError(t, resp, b, 404); !strings.Contains(got.Message, "nope") {
		t.Fatalf("message %q", got.Message)
	}
	if n := len(e.s.RequestsTo("GET", "/elements/*")); n != 3 {
		t.Fatalf("%d element lookups recorded", n)
	}
}
