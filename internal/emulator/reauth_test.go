package emulator

import (
	"net/url"
	"strings"
	"testing"
)

// sfdcByCode is a create body for an OAuth element, authorized by code.
func sfdcByCode(code string) map[string]any {
	b := sfdcBody(oauthConfig())
	b["tags"], b["providerData"] = []string{"t"}, map[string]any{"code": code}
	return b
}

func TestReauthenticateOAuthCode(t *testing.T) {
	e := newEnv(t, Options{})
	resp, b := e.do("POST", "/instances", sfdcByCode("first-code"))
	if resp.StatusCode != 200 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	inst := decodeInstance(t, b)
	e.s.ModifyInstance(inst.ID, func(i *Instance) { i.Valid = false }) // the vendor revoked the grant
	put := func(body map[string]any) ([]byte, int) {
		resp, b := e.do("PUT", "/instances/"+idOf(inst)+"?reAuthenticate=true", body)
		return b, resp.StatusCode
	}
	b, status := put(map[string]any{"element": map[string]any{"key": "sfdc"}, "providerData": map[string]any{"code": "new-code"}})
	if status != 200 {
		t.Fatalf("re-authenticate: %d %s", status, b)
	}
	after := decodeInstance(t, b)
	if after.Token == inst.Token || !after.Valid || after.Name != "crm" || len(after.Tags) != 1 {
		t.Fatalf("after re-authentication: token changed %v, valid %v, name %q, tags %v; want a new token, "+
			"valid, name and tags kept", after.Token != inst.Token, after.Valid, after.Name, after.Tags)
	}
	if strings.Contains(string(b), "new-code") {
		t.Fatalf("the answer echoes the code: %s", b)
	}
	if got := e.s.Instances()[0].Configuration["oauth.user.refresh_token"]; got != "emulated-refresh-token-for-new-code" {
		t.Fatalf("stored refresh token %q, want the one the code gave", got)
	}

	for name, body := range map[string]map[string]any{
		"used code":    {"providerData": map[string]any{"code": "new-code"}},
		"invalid code": {"providerData": map[string]any{"code": RefusedCredentialPrefix + "-x"}},
		"no code":      {"configuration": map[string]any{"oauth.callback.url": "https://example.com/x"}},
		"other element": {"element": map[string]any{"key": "freshdeskv2"},
			"providerData": map[string]any{"code": "c3"}},
	} {
		resp, b := e.do("PUT", "/instances/"+idOf(inst)+"?reAuthenticate=true", body)
		wantError(t, resp, b, 400)
		if cur := e.s.Instances()[0]; cur.Token != after.Token {
			t.Fatalf("%s: the token changed on a refused re-authentication", name)
		}
	}
	resp, b = e.do("PUT", "/instances/999999?reAuthenticate=true", map[string]any{"providerData": map[string]any{"code": "c4"}})
	wantError(t, resp, b, 404)
}

func TestReauthenticateRefreshTokenAndConfiguration(t *testing.T) {
	e := newEnv(t, Options{})
	resp, b := e.do("POST", "/instances", sfdcByCode("c1"))
	if resp.StatusCode != 200 {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	crm := decodeInstance(t, b)
	resp, b = e.do("PUT", "/instances/"+idOf(crm)+"?reAuthenticate=true", map[string]any{
		"externalAuthentication": "initial", "configuration": map[string]any{"oauth.user.refresh_token": "rt-2"}})
	if resp.StatusCode != 200 || decodeInstance(t, b).Token == crm.Token {
		t.Fatalf("refresh-token re-authentication: %d %s", resp.StatusCode, b)
	}

	fd := e.create("helpdesk")
	resp, b = e.do("PUT", "/instances/"+idOf(fd)+"?reAuthenticate=true", map[string]any{
		"configuration": map[string]any{"username": "new-api-key"}})
	if resp.StatusCode != 200 || decodeInstance(t, b).Token == fd.Token {
		t.Fatalf("configuration re-authentication: %d %s", resp.StatusCode, b)
	}
	for _, inst := range e.s.Instances() {
		if inst.ID == fd.ID && (inst.Configuration["username"] != "new-api-key" || inst.Configuration["subdomain"] != "acme") {
			t.Fatalf("configuration after re-authentication: %v; want the new key and the rest kept", inst.Configuration)
		}
	}
	resp, b = e.do("PUT", "/instances/"+idOf(fd)+"?reAuthenticate=true", map[string]any{
		"configuration": map[string]any{"username": RefusedCredentialPrefix + "-key"}})
	wantError(t, resp, b, 400)
	resp, b = e.do("PUT", "/instances/"+idOf(fd)+"?reAuthenticate=true", map[string]any{"providerData": map[string]any{"code": "c"}})
	wantError(t, resp, b, 400)
}

func TestOAuthURL(t *testing.T) {
	e := newEnv(t, Options{})
	q := url.Values{"apiKey": {"client-id"}, "apiSecret": {"client-secret"}, "callbackUrl": {"https://example.com/cb"},
		"scope": {"full refresh_token"}}
	resp, b := e.do("GET", "/elements/sfdc/oauth/url?"+q.Encode(), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("oauth url: %d %s", resp.StatusCode, b)
	}
	m := decode(t, b)
	u, err := url.Parse(as[string](m["oauthUrl"]))
	if err != nil || m["element"] != "sfdc" || u.Query().Get("client_id") != "client-id" ||
		u.Query().Get("redirect_uri") != "https://example.com/cb" || u.Query().Get("scope") != "full refresh_token" {
		t.Fatalf("answer %s", b)
	}
	if strings.Contains(string(b), "client-secret") {
		t.Fatalf("the URL carries the client secret: %s", b)
	}
	q.Del("apiSecret")
	resp, b = e.do("GET", "/elements/sfdc/oauth/url?"+q.Encode(), nil)
	wantError(t, resp, b, 400)
	resp, b = e.do("GET", "/elements/freshdeskv2/oauth/url", nil)
	wantError(t, resp, b, 400)
	resp, b = e.do("GET", "/elements/nosuch/oauth/url", nil)
	wantError(t, resp, b, 404)
}
