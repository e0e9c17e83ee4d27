package cloudelements

import (
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// A Freshdesk V2 instance, as the tests build requests: the client itself
// knows no element.
const (
	testElementKey   = "freshdeskv2"
	testSubdomainKey = "subdomain"
	testUsernameKey  = "username"
)

const (
	testUserSecret = "usr-SECRET-1f2e3d"
	testOrgSecret  = "org-SECRET-9a8b7c"
	testAPIKey     = "fd-APIKEY-55aa66"
	testToken      = "TOKEN/abc+def="
)

func testConfig(url string) Config {
	return Config{
		BaseURL: url + "/elements/api-v2/", UserSecret: testUserSecret, OrganizationSecret: testOrgSecret,
		UserAgent: "terraform-provider-cloudelements/test", RetryWaitMin: time.Millisecond,
		RetryWaitMax: 5 * time.Millisecond, AttemptTimeout: 2 * time.Second,
		// One lookup after an ambiguous failure, one DELETE after a 409:
		// these fakes do not lag, and nothing is being deleted meanwhile.
		ReconcileWait: time.Millisecond, DependentsWait: time.Millisecond,
	}
}

// newTestClient serves h and returns a Client for it; mutate tweaks the
// config before New.
func newTestClient(t *testing.T, h http.Handler, mutate ...func(*Config)) *Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// hangUp drops the connection without an answer; reset makes it an RST.
func hangUp(t *testing.T, w http.ResponseWriter, reset bool) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		t.Errorf("%T cannot hijack the connection", w)
		return
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok && reset {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

func instanceJSON(id int64, name string) map[string]any {
	return map[string]any{
		"id": id, "name": name, "createdDate": time.Now().UTC().Format(time.RFC3339),
		"token":   fmt.Sprintf("%s-%d", testToken, id),
		"element": map[string]any{"id": 491, "key": "freshdeskv2"}, "elementId": 491,
		"tags": []string{"team-a"}, "valid": true,
		"configuration": map[string]any{"subdomain": "acme", "username": testAPIKey},
	}
}

func testRequest() InstanceRequest {
	return InstanceRequest{
		Element: ElementRef{Key: testElementKey}, Name: "my-fd",
		Configuration: map[string]string{testSubdomainKey: "acme", testUsernameKey: testAPIKey},
		Tags:          []string{"team-a"},
	}
}

// fakeStore is a minimal /instances back end for create tests.
type fakeStore struct {
	mu      sync.Mutex
	nextID  int64
	items   []map[string]any
	posts   int
	onPost  func(n int, w http.ResponseWriter, store func() map[string]any) bool // true: handled
	listHit int
	// failLists answers that many list requests with a 500 first.
	failLists int
	// gets counts GET /instances/{id}; failGets answers them with a 500.
	gets     int
	failGets bool
	// listWithoutConfig leaves configuration out of list items, as a
	// lighter list answer might.
	listWithoutConfig bool
}

func (s *fakeStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/instances"):
		s.posts++
		var req InstanceRequest
		_ = json.NewDecoder(r.Body).Decode(&req)
		store := func() map[string]any {
			s.nextID++
			inst := instanceJSON(1000+s.nextID, req.Name)
			s.items = append(s.items, inst)
			return inst
		}
		if s.onPost != nil && s.onPost(s.posts, w, store) {
			return
		}
		writeJSON(w, 200, store())
	case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/instances"):
		s.listHit++
		if s.listHit <= s.failLists {
			writeJSON(w, 500, map[string]string{"message": "lookup broke"})
			return
		}
		list := make([]map[string]any, 0, len(s.items))
		for _, item := range s.items {
			if s.listWithoutConfig {
				item = maps.Clone(item)
				delete(item, "configuration")
			}
			list = append(list, item)
		}
		writeJSON(w, 200, list)
	case r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/instances/"):
		s.gets++
		if s.failGets {
			writeJSON(w, 500, map[string]string{"message": "read broke"})
			return
		}
		for _, item := range s.items {
			if r.URL.Path == fmt.Sprintf("/elements/api-v2/instances/%d", item["id"]) {
				writeJSON(w, 200, item)
				return
			}
		}
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	default:
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	}
}

func (s *fakeStore) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.items)
}
