package cloudelements

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

const testCode = "CODE-one-time-7f7f"

// reauthServer serves GET and PUT /instances/1001; onPut answers the n-th
// PUT (true: handled), else the PUT succeeds with a new token.
type reauthServer struct {
	mu     sync.Mutex
	inst   map[string]any
	puts   []map[string]any
	query  []string
	onPut  func(n int, w http.ResponseWriter, commit func()) bool
	answer func(inst map[string]any) map[string]any // reshapes the PUT answer
}

func newReauthServer() *reauthServer {
	inst := instanceJSON(1001, "crm")
	inst["configuration"] = map[string]any{"oauth.api.key": "********", "oauth.callback.url": "https://cb",
		"oauth.user.refresh_token": "OLD-REFRESH", "subdomain": "acme"}
	return &reauthServer{inst: inst}
}

func (s *reauthServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.URL.Path != "/elements/api-v2/instances/1001" {
		writeJSON(w, 404, map[string]string{"message": "Not found", "requestId": "r404"})
		return
	}
	if r.Method == http.MethodGet {
		writeJSON(w, 200, s.inst)
		return
	}
	b, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(b, &body)
	s.puts = append(s.puts, body)
	s.query = append(s.query, r.URL.RawQuery)
	commit := func() { s.inst["token"] = "NEW-TOKEN/" + r.URL.RawQuery + string(rune('a'+len(s.puts))) }
	if s.onPut != nil && s.onPut(len(s.puts), w, commit) {
		return
	}
	commit()
	answer := s.inst
	if s.answer != nil {
		answer = s.answer(s.inst)
	}
	writeJSON(w, 200, answer)
}

func (s *reauthServer) putCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.puts)
}

func TestReauthenticateRequest(t *testing.T) {
	srv := newReauthServer()
	c := newTestClient(t, srv)
	inst, err := c.ReauthenticateInstance(context.Background(), 1001, Reauthentication{OAuthCode: testCode,
		Configuration: map[string]string{"oauth.api.secret": "NEW-CLIENT-SECRET"}})
	if err != nil {
		t.Fatal(err)
	}
	if inst.ID != 1001 || !strings.HasPrefix(inst.Token, "NEW-TOKEN") {
		t.Fatalf("answer %+v", inst)
	}
	if len(srv.puts) != 1 || srv.query[0] != "reAuthenticate=true" {
		t.Fatalf("puts %d, query %q", len(srv.puts), srv.query)
	}
	body := srv.puts[0]
	cfg, _ := body["configuration"].(map[string]any)
	el, _ := body["element"].(map[string]any)
	pd, _ := body["providerData"].(map[string]any)
	tags, _ := body["tags"].([]any)
	switch {
	case el["key"] != "freshdeskv2" || body["name"] != "crm" || len(tags) != 1:
		t.Fatalf("the definition as read is not kept: %v", body)
	case pd["code"] != testCode:
		t.Fatalf("providerData %v", body["providerData"])
	case cfg["oauth.api.secret"] != "NEW-CLIENT-SECRET" || cfg["subdomain"] != "acme" || cfg["oauth.callback.url"] != "https://cb":
		t.Fatalf("configuration %v: want the new key over the clear ones", cfg)
	case cfg["oauth.api.key"] != nil || cfg["oauth.user.refresh_token"] != nil:
		t.Fatalf("configuration %v sends back a masked value or the old user token", cfg)
	}
}

func TestReauthenticateRefreshToken(t *testing.T) {
	srv := newReauthServer()
	c := newTestClient(t, srv)
	if _, err := c.ReauthenticateInstance(context.Background(), 1001, Reauthentication{RefreshToken: "RT-new"}); err != nil {
		t.Fatal(err)
	}
	cfg, _ := srv.puts[0]["configuration"].(map[string]any)
	if srv.puts[0]["externalAuthentication"] != "initial" || cfg["oauth.user.refresh_token"] != "RT-new" || srv.puts[0]["providerData"] != nil {
		t.Fatalf("body %v", srv.puts[0])
	}
}

// A PUT with a one-time code is not repeated after an ambiguous failure: the
// instance is read back instead, and a new valid token is success.
func TestReauthenticateCodeAmbiguous(t *testing.T) {
	for _, tc := range []struct {
		name    string
		commit  bool
		wantErr string
	}{
		{"took", true, ""},
		{"did not take", false, "get a new one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newReauthServer()
			srv.onPut = func(_ int, w http.ResponseWriter, commit func()) bool {
				if tc.commit {
					commit()
				}
				writeJSON(w, 502, map[string]string{"message": "Provider server error " + testCode, "requestId": "r502"})
				return true
			}
			c := newTestClient(t, srv)
			inst, err := c.ReauthenticateInstance(context.Background(), 1001, Reauthentication{OAuthCode: testCode})
			if n := srv.putCount(); n != 1 {
				t.Fatalf("%d PUTs, want 1: a code works once", n)
			}
			if tc.wantErr == "" {
				if err != nil || !strings.HasPrefix(inst.Token, "NEW-TOKEN") {
					t.Fatalf("got %v, %v; want the instance read back", inst, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), "r502") {
				t.Fatalf("error %v; want one naming the request id and saying %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), testCode) {
				t.Fatalf("error shows the code: %v", err)
			}
		})
	}
}

// Safe failures (429) are retried with a code; without one, transient 5xx
// are retried too, as for any idempotent PUT.
func TestReauthenticateRetries(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		r      Reauthentication
	}{
		{"code after 429", 429, Reauthentication{OAuthCode: testCode}},
		{"configuration after 503", 503, Reauthentication{Configuration: map[string]string{"username": "K2"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newReauthServer()
			srv.onPut = func(n int, w http.ResponseWriter, _ func()) bool {
				if n == 1 {
					writeJSON(w, tc.status, map[string]string{"message": "later"})
					return true
				}
				return false
			}
			c := newTestClient(t, srv)
			if _, err := c.ReauthenticateInstance(context.Background(), 1001, tc.r); err != nil {
				t.Fatal(err)
			}
			if n := srv.putCount(); n != 2 {
				t.Fatalf("%d PUTs, want 2", n)
			}
		})
	}
}

func TestReauthenticateRefusals(t *testing.T) {
	srv := newReauthServer()
	srv.onPut = func(_ int, w http.ResponseWriter, _ func()) bool {
		writeJSON(w, 400, map[string]string{"message": "bad code " + testCode + " / NEWKEY", "requestId": "r400",
			"providerMessage": "invalid_grant"})
		return true
	}
	c := newTestClient(t, srv)
	_, err := c.ReauthenticateInstance(context.Background(), 1001, Reauthentication{OAuthCode: testCode,
		Configuration: map[string]string{"x": "NEWKEY"}})
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), "r400") ||
		!strings.Contains(err.Error(), "invalid_grant") {
		t.Fatalf("error %v; want status, request id and provider message", err)
	}
	if strings.Contains(err.Error(), testCode) || strings.Contains(err.Error(), "NEWKEY") {
		t.Fatalf("error shows a secret: %v", err)
	}

	srv = newReauthServer()
	srv.answer = func(map[string]any) map[string]any { return instanceJSON(2002, "other") }
	c = newTestClient(t, srv)
	if _, err := c.ReauthenticateInstance(context.Background(), 1001, Reauthentication{OAuthCode: testCode}); err == nil ||
		!strings.Contains(err.Error(), "instance 2002") {
		t.Fatalf("an answer about another instance: %v", err)
	}

	for _, r := range []Reauthentication{{}, {OAuthCode: "a", RefreshToken: "b"}} {
		if _, err := c.ReauthenticateInstance(context.Background(), 1001, r); err == nil {
			t.Fatalf("%+v accepted", r)
		}
	}
	if _, err := c.ReauthenticateInstance(context.Background(), 404, Reauthentication{OAuthCode: "x"}); err == nil ||
		!strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("missing instance: %v", err)
	}
}
