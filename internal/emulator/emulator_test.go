package emulator

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestCreateAnswersFullObject(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	body := createBody("<b>API</b> Instance", "Docs")
	body["configuration"] = map[string]any{
		"subdomain": "acme", "username": "k", "filter.response.nulls": false,
		"pagination.max": 30, "password": "p", "oauth.api.key": "x",
		"event.notification.signature.key": "sig", "smtp.password": "pw",
	}
	resp, b := e.do("POST", "/instances", body)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %s", resp.StatusCode, b)
	}
	if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
	var got instanceJSON
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.ID != 1000 || got.Name != "API Instance" || got.ElementID != 491 || got.Element.Key != "freshdeskv2" ||
		got.Element.Authentication.Type != "basic" || got.Element.Hub != "helpdesk" || !got.Valid || got.Disabled ||
		got.ExternalAuthentication != "none" || len(got.Tags) != 1 || got.Tags[0] != "Docs" {
		t.Fatalf("unexpected object %+v", got)
	}
	if len(got.Token) != 44 {
		t.Fatalf("token %q", got.Token)
	}
	if !strings.HasSuffix(got.CreatedDate, "Z") || len(got.CreatedDate) != len("2017-08-07T18:46:38Z") {
		t.Fatalf("createdDate %q", got.CreatedDate)
	}
	want := map[string]string{
		"subdomain": "acme", "username": "k", "filter.response.nulls": "false", "pagination.max": "30",
		"password": mask, "oauth.api.key": mask, "event.notification.signature.key": mask, "smtp.password": mask,
		"event.notification.enabled": "false", "base.url": "https://acme.freshdesk.com",
	}
	for k, v := range want {
		if got.Configuration[k] != v {
			t.Errorf("configuration[%s] = %q, want %q", k, got.Configuration[k], v)
		}
	}
	raw := decode(t, b)
	for _, k := range []string{"provisionInteractions", "maxCacheSize", "cacheTimeToLive", "eventsEnabled", "traceLoggingEnabled", "cachingEnabled", "user"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("missing field %s", k)
		}
	}
	stored, _ := e.s.Instance(1000)
	if stored.Configuration["password"] != "p" {
		t.Fatalf("stored value masked: %v", stored.Configuration)
	}
}

func TestMaskUsernameAndEventsEnabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaskUsername: true})
	body, cfg := createBody("x"), baseConfig()
	cfg["event.notification.enabled"] = true
	body["configuration"] = cfg
	_, b := e.do("POST", "/instances", body)
	got := decodeInstance(t, b)
	if got.Configuration["username"] != mask || !got.EventsEnabled {
		t.Fatalf("got %s", b)
	}
}

func TestCreateValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	cases := []struct {
		name, body, want string
	}{
		{"malformed", `{"name":`, "malformed JSON"},
		{"empty", ` `, "body is required"},
		{"no name", `{"element":{"key":"freshdeskv2"},"configuration":{"subdomain":"a","username":"b"}}`, "name"},
		{"no subdomain", `{"element":{"key":"freshdeskv2"},"name":"x","configuration":{"username":"b"}}`, "Missing required configuration: subdomain"},
		{"no username", `{"element":{"key":"freshdeskv2"},"name":"x","configuration":{"subdomain":"a","password":"secret-pw"}}`, "Missing required configuration: username"},
		{"bad tags", `{"element":{"key":"freshdeskv2"},"name":"x","configuration":{"subdomain":"a","username":"b"},"tags":[1]}`, "malformed"},
	}
	for _, c := range cases {
		resp, b := e.do("POST", "/instances", c.body)
		got := wantError(t, resp, b, 400)
		if !strings.Contains(got.Message, c.want) {
			t.Errorf("%s: message %q lacks %q", c.name, got.Message, c.want)
		}
		if strings.Contains(string(b), "secret-pw") {
			t.Errorf("%s: echoed a secret", c.name)
		}
	}
	if n := len(e.s.Instances()); n != 0 {
		t.Fatalf("%d instances stored", n)
	}
}

func TestProtocolErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	resp, b := e.do("GET", "/nothing", nil)
	wantError(t, resp, b, 404)
	resp, b = e.do("DELETE", "/instances", nil)
	wantError(t, resp, b, 405)
	resp, b = e.do("POST", "/instances", "name=x", "Content-Type", "text/plain")
	wantError(t, resp, b, 415)
	resp, b = e.do("GET", "/instances", nil, "Accept", "text/html")
	wantError(t, resp, b, 406)
	resp, _ = e.do("GET", "/instances", nil, "Accept", "text/html, */*;q=0.1")
	if resp.StatusCode != 200 {
		t.Fatalf("*/* refused: %d", resp.StatusCode)
	}
	for _, p := range []string{"/instances/999", "/instances/abc"} {
		resp, b = e.do("GET", p, nil)
		got := wantError(t, resp, b, 404)
		if !strings.Contains(got.Message, "No instance found with id") {
			t.Fatalf("message %q", got.Message)
		}
	}
	for _, m := range []string{"PATCH", "PUT", "DELETE"} {
		resp, b = e.do(m, "/instances/999", map[string]any{"name": "x"})
		if m == "PUT" {
			resp, b = e.do(m, "/instances/999", createBody("x"))
		}
		wantError(t, resp, b, 404)
	}
	for _, p := range []string{"/instances/999/enabled"} {
		resp, b = e.do("PUT", p, nil)
		wantError(t, resp, b, 404)
		resp, b = e.do("DELETE", p, nil)
		wantError(t, resp, b, 404)
	}
}

func TestAuth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{UserSecret: "u1", OrganizationSecret: "o1"})
	for _, h := range []string{"User u1, Organization o1", "Organization o1, User u1", "Organization o1,User u1, Element x"} {
		resp, b := e.do("GET", "/instances", nil, "Authorization", h)
		if resp.StatusCode != 200 {
			t.Fatalf("%q: %d %s", h, resp.StatusCode, b)
		}
	}
	for _, h := range []string{"", "User u1", "User u1, Organization o2", "User bad-user, Organization o1"} {
		resp, b := e.do("GET", "/instances", nil, "Authorization", h)
		got := wantError(t, resp, b, 401)
		if got.Message != "Invalid Organization or User secret, or invalid Element token provided." {
			t.Fatalf("message %q", got.Message)
		}
		if strings.Contains(string(b), "bad-user") || strings.Contains(string(b), "o2") {
			t.Fatalf("secret echoed: %s", b)
		}
	}
}

func TestPatchMergesPutReplaces(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	inst := e.create("one", "a", "b")
	id, token := idOf(inst), inst.Token

	resp, b := e.do("PATCH", "/instances/"+id, map[string]any{
		"name": "<i>two</i>", "configuration": map[string]any{"event.notification.enabled": true, "extra": 5},
	})
	if resp.StatusCode != 200 {
		t.Fatalf("patch %d %s", resp.StatusCode, b)
	}
	m := decodeInstance(t, b)
	cfg := m.Configuration
	if m.Name != "two" || m.Token != token || cfg["subdomain"] != "acme" || cfg["extra"] != "5" ||
		cfg["event.notification.enabled"] != "true" || !m.EventsEnabled || len(m.Tags) != 2 {
		t.Fatalf("patch answer %s", b)
	}
	_, b = e.do("PATCH", "/instances/"+id, map[string]any{"tags": []string{"c"}})
	if tags := decodeInstance(t, b).Tags; len(tags) != 1 || tags[0] != "c" {
		t.Fatalf("tags %v", tags)
	}

	put := createBody("three", "d")
	put["configuration"] = map[string]any{"subdomain": "other", "username": "k2"}
	resp, b = e.do("PUT", "/instances/"+id, put)
	if resp.StatusCode != 200 {
		t.Fatalf("put %d %s", resp.StatusCode, b)
	}
	m = decodeInstance(t, b)
	cfg = m.Configuration
	if _, kept := cfg["extra"]; kept || cfg["event.notification.enabled"] != "false" || cfg["base.url"] != "https://other.freshdesk.com" {
		t.Fatalf("put did not replace configuration: %v", cfg)
	}
	if m.Token == token || idOf(m) != id || m.CreatedDate != inst.CreatedDate {
		t.Fatalf("put identity: %s", b)
	}
	resp, b = e.do("PUT", "/instances/"+id, map[string]any{"name": "x", "element": map[string]any{"key": "freshdeskv2"}})
	wantError(t, resp, b, 400)

	k := newEnv(t, Options{KeepTokenOnPut: true})
	inst = k.create("one")
	_, b = k.do("PUT", "/instances/"+idOf(inst), createBody("one"))
	if decodeInstance(t, b).Token != inst.Token {
		t.Fatal("KeepTokenOnPut rotated the token")
	}
}

func TestDeleteEnableAndHub(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	inst := e.create("one")
	id, token := idOf(inst), inst.Token
	hub := func() int {
		resp, _ := e.do("GET", "/hubs/helpdesk/incidents", nil, "Authorization", "User test-user-secret, Element "+token)
		return resp.StatusCode
	}
	if c := hub(); c != 200 {
		t.Fatalf("hub %d", c)
	}
	_, b := e.do("DELETE", "/instances/"+id+"/enabled", nil)
	if decode(t, b)["disabled"] != true || hub() != 403 {
		t.Fatalf("disable: %s", b)
	}
	_, b = e.do("PUT", "/instances/"+id+"/enabled", nil)
	if decode(t, b)["disabled"] != false || hub() != 200 {
		t.Fatalf("enable: %s", b)
	}
	resp, b := e.do("DELETE", "/instances/"+id, nil)
	if resp.StatusCode != 200 || strings.TrimSpace(string(b)) != "{}" {
		t.Fatalf("delete %d %s", resp.StatusCode, b)
	}
	if hub() != 401 {
		t.Fatal("hub with deleted token not 401")
	}
	resp, b = e.do("DELETE", "/instances/"+id, nil)
	wantError(t, resp, b, 404)
	if st := e.s.Stats(); st.Deletes != 1 || st.Creates != 1 || st.Instances != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestConfigurationEntries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	body, cfg := createBody("x"), baseConfig()
	cfg["password"] = "p"
	body["configuration"] = cfg
	_, b := e.do("POST", "/instances", body)
	id := idOf(decodeInstance(t, b))
	_, b = e.do("GET", "/instances/"+id+"/configuration", nil)
	var entries []configEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		t.Fatal(err)
	}
	var target configEntry
	for _, en := range entries {
		if en.Key == "password" && *en.PropertyValue != mask {
			t.Fatalf("password not masked")
		}
		if en.Key == "filter.response.nulls" {
			target = en
		}
	}
	resp, b := e.do("PATCH", "/instances/"+id+"/configuration/"+jsonNum(target.ID),
		map[string]any{"id": target.ID, "key": target.Key, "propertyValue": false})
	if resp.StatusCode != 200 || decode(t, b)["propertyValue"] != "false" {
		t.Fatalf("patch entry %d %s", resp.StatusCode, b)
	}
	inst, _ := e.s.Instance(1000)
	if inst.Configuration["filter.response.nulls"] != "false" {
		t.Fatalf("not stored: %v", inst.Configuration)
	}
	resp, b = e.do("PATCH", "/instances/"+id+"/configuration/999999", map[string]any{"propertyValue": "x"})
	wantError(t, resp, b, 404)
}
