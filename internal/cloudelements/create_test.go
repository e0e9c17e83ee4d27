package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestCreateNoRetryOn5xxWithoutReconcile(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, _ func() map[string]any) bool {
		writeJSON(w, 500, map[string]string{"message": "boom"})
		return true
	}}
	c := newTestClient(t, s, func(c *Config) { c.MaxRetries = 1 })
	_, err := c.CreateInstance(context.Background(), testRequest())
	if err == nil {
		t.Fatal("no error")
	}
	// Each POST was followed by a reconcile before the next one.
	if s.posts != 2 || s.listHit != 2 {
		t.Errorf("posts %d lists %d", s.posts, s.listHit)
	}
}

func TestCreateRetry429(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, _ func() map[string]any) bool {
		if n == 1 {
			writeJSON(w, 429, map[string]string{"message": "slow down"})
			return true
		}
		return false
	}}
	c := newTestClient(t, s)
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst.ID != 1001 || s.posts != 2 || s.listHit != 0 {
		t.Fatalf("inst %v err %v posts %d lists %d", inst, err, s.posts, s.listHit)
	}
}

func TestCreateRetryRefused(t *testing.T) {
	s := &fakeStore{}
	var dials atomic.Int32
	tr := cloneDefaultTransport()
	base := tr.DialContext
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		}
		return base(ctx, network, addr)
	}
	c := newTestClient(t, s, func(c *Config) { c.HTTPClient = &http.Client{Transport: tr} })
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst == nil || s.posts != 1 || s.listHit != 0 || c.RetryCounts()["connection refused"] != 1 {
		t.Fatalf("err %v posts %d lists %d counts %v", err, s.posts, s.listHit, c.RetryCounts())
	}
}

func TestCreateReconcileAdoptsOne(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		writeJSON(w, 502, map[string]string{"message": "proxy error"})
		return true
	}}
	c := newTestClient(t, s)
	req := testRequest()
	req.Name = "<b>my-fd</b>" // the platform strips tags; the fake does not, so use the same
	inst, err := c.CreateInstance(context.Background(), req)
	if err != nil || inst.ID != 1001 || inst.Token == "" || s.posts != 1 || s.count() != 1 {
		t.Fatalf("inst %+v err %v posts %d", inst, err, s.posts)
	}
}

func TestCreateReconcileNoneThenCreateAgain(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, _ func() map[string]any) bool {
		if n == 1 {
			writeJSON(w, 503, map[string]string{"message": "unavailable"})
			return true
		}
		return false
	}}
	// An older look-alike must not be adopted.
	old := instanceJSON(900, "my-fd")
	old["createdDate"] = time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	s.items = append(s.items, old)
	c := newTestClient(t, s)
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst.ID != 1001 || s.posts != 2 || s.listHit != 1 {
		t.Fatalf("inst %v err %v posts %d lists %d", inst, err, s.posts, s.listHit)
	}
}

func TestCreateReconcileSeveralFails(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		store()
		writeJSON(w, 500, map[string]string{"message": "boom"})
		return true
	}}
	c := newTestClient(t, s)
	_, err := c.CreateInstance(context.Background(), testRequest())
	if err == nil || !strings.Contains(err.Error(), "instances 1001, 1002 all match") || s.posts != 1 {
		t.Fatalf("err %v posts %d", err, s.posts)
	}
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
		t.Errorf("POST error not wrapped: %v", err)
	}
}

func TestCreateCommitThenDrop(t *testing.T) {
	s := &fakeStore{}
	s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		hangUp(t, w, false)
		return true
	}
	c := newTestClient(t, s)
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst == nil || s.count() != 1 || s.posts != 1 {
		t.Fatalf("inst %v err %v count %d posts %d", inst, err, s.count(), s.posts)
	}
}

func TestCreateDeadlineStillReconciles(t *testing.T) {
	s := &fakeStore{}
	s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		s.mu.Unlock()
		time.Sleep(300 * time.Millisecond) // longer than the caller's deadline
		s.mu.Lock()
		writeJSON(w, 200, map[string]any{})
		return true
	}
	c := newTestClient(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	inst, err := c.CreateInstance(ctx, testRequest())
	if err != nil || inst == nil || inst.ID != 1001 {
		t.Fatalf("inst %v err %v", inst, err)
	}
}

func TestCreate4xxFailsAtOnce(t *testing.T) {
	s := &fakeStore{onPost: func(n int, w http.ResponseWriter, _ func() map[string]any) bool {
		writeJSON(w, 400, map[string]string{"message": "bad subdomain"})
		return true
	}}
	c := newTestClient(t, s)
	_, err := c.CreateInstance(context.Background(), testRequest())
	if err == nil || s.posts != 1 || s.listHit != 0 {
		t.Fatalf("err %v posts %d", err, s.posts)
	}
}

// The lookup after an ambiguous failure outlasts MaxRetries: giving up would
// leave the instance the platform made missing from state.
func TestCreateReconcileLookupOutlastsMaxRetries(t *testing.T) {
	s := &fakeStore{failLists: 4, onPost: func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		hangUp(t, w, false)
		return true
	}}
	c := newTestClient(t, s, func(cfg *Config) { cfg.MaxRetries = 1 })
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst.ID != 1001 || s.posts != 1 || s.count() != 1 || s.listHit != 5 {
		t.Fatalf("inst %+v err %v posts %d lists %d", inst, err, s.posts, s.listHit)
	}
}

// A lookup that cannot succeed before the deadline ends the create with an
// error that names both failures, not with a second POST.
func TestCreateReconcileLookupBoundedByDeadline(t *testing.T) {
	s := &fakeStore{failLists: 1 << 30, onPost: func(n int, w http.ResponseWriter, store func() map[string]any) bool {
		store()
		writeJSON(w, 502, map[string]string{"message": "proxy error"})
		return true
	}}
	c := newTestClient(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.CreateInstance(ctx, testRequest())
	if err == nil || !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "looking for an instance") || s.posts != 1 {
		t.Fatalf("err %v posts %d", err, s.posts)
	}
}

// A 2xx create answer that cannot be decoded in full still yields the
// instance: its id is salvaged and the instance read back, with one POST.
func TestCreateSalvagesID(t *testing.T) {
	for name, answer := range map[string]func(id int64) string{
		"wrong type":     func(id int64) string { return fmt.Sprintf(`{"id":%d,"valid":"perhaps"}`, id) },
		"cut short":      func(id int64) string { return fmt.Sprintf(`{"name":"my-fd","id":"%d","element":{"id":491,`, id) },
		"duplicate keys": func(id int64) string { return fmt.Sprintf(`{"id":%d,"tags":[],"tags":["x"]}`, id) },
	} {
		s := &fakeStore{}
		s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
			id, _ := store()["id"].(int64)
			_, _ = w.Write([]byte(answer(id)))
			return true
		}
		c := newTestClient(t, s)
		inst, err := c.CreateInstance(context.Background(), testRequest())
		if err != nil || inst.ID != 1001 || inst.Token == "" || s.posts != 1 || s.gets != 1 || s.listHit != 0 {
			t.Errorf("%s: inst %+v err %v posts %d gets %d lists %d", name, inst, err, s.posts, s.gets, s.listHit)
		}
	}
}

// When the salvaged id cannot be read back, it cannot be checked: the
// reconcile lookup decides. Found, the instance is adopted; not found, the
// error names the id to look at but is no *CreatedError, so the caller
// records nothing that might be someone else's instance.
func TestCreateSalvagedReadBackFails(t *testing.T) {
	for _, stored := range []bool{true, false} {
		s := &fakeStore{failGets: true}
		s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
			if stored {
				store()
			}
			_, _ = w.Write([]byte(`{"id":"1001","createdDate":{}}`))
			return true
		}
		c := newTestClient(t, s)
		inst, err := c.CreateInstance(context.Background(), testRequest())
		if stored {
			if err != nil || inst.ID != 1001 || s.posts != 1 || s.listHit != 1 {
				t.Fatalf("stored: inst %+v err %v posts %d lists %d", inst, err, s.posts, s.listHit)
			}
			continue
		}
		var ce *CreatedError
		if errors.As(err, &ce) || err == nil || !strings.Contains(err.Error(), "names instance 1001") ||
			!strings.Contains(err.Error(), "createdDate") || s.posts != 1 {
			t.Fatalf("not stored: err %v posts %d", err, s.posts)
		}
	}
}

// With no id to salvage, the reconcile lookup finds the instance; if it
// finds none, the error names what to look for and how to import it. There
// is never a second POST.
func TestCreateUnreadableWithoutID(t *testing.T) {
	for _, tc := range []struct {
		name   string
		body   string
		stored bool
	}{
		{"html, found", `<html>ok</html>`, true},
		{"no id, found", `{"name":"my-fd"}`, true},
		{"two ids, found", `{"id":1001,"id":1002}`, true},
		{"html, not found", `<html>ok</html>`, false},
		{"empty, not found", ``, false},
	} {
		s := &fakeStore{}
		s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
			if tc.stored {
				store()
			}
			_, _ = w.Write([]byte(tc.body))
			return true
		}
		c := newTestClient(t, s)
		inst, err := c.CreateInstance(context.Background(), testRequest())
		if s.posts != 1 || s.listHit != 1 {
			t.Errorf("%s: posts %d lists %d", tc.name, s.posts, s.listHit)
		}
		if tc.stored {
			if err != nil || inst.ID != 1001 {
				t.Errorf("%s: inst %+v err %v", tc.name, inst, err)
			}
			continue
		}
		var ce *CreatedError
		if err == nil || errors.As(err, &ce) {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, want := range []string{"POST /instances: unexpected answer", "answered HTTP 200", `named "my-fd"`, `["team-a"]`, "terraform import"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("%s: %q lacks %q", tc.name, err, want)
			}
		}
	}
}

func TestSalvageID(t *testing.T) {
	for body, want := range map[string]int64{
		`{"id":12}`:   12,
		`{"id":"12"}`: 12,
		`{"a":{"id":5,"b":[{"id":6}]},"id":12,"x":`: 12,
		`{"name":"x","id":12,"tags":[`:              12,
		`{"id":12,"id":12}`:                         12,
		`{"id":12,"id":13}`:                         0,
		`{"id":-12}`:                                0,
		`{"id":1.5}`:                                0,
		`{"id":"x"}`:                                0,
		`{"a":{"id":5}}`:                            0,
		`{"ID":5}`:                                  0,
		`[{"id":5}]`:                                0,
		`<html>`:                                    0,
		``:                                          0,
	} {
		if got := salvageID([]byte(body)); got != want {
			t.Errorf("%s: %d, want %d", body, got, want)
		}
	}
}

// checkInstance adopts only what it can show the request made.
func TestCheckInstance(t *testing.T) {
	c, _ := New(testConfig("https://x"))
	start := time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC)
	req := testRequest()
	req.MatchKeys = []string{testSubdomainKey}
	base := Instance{
		ID: 7, Name: "my-fd", CreatedDate: "2026-01-02T10:00:01Z", Element: ElementRef{Key: testElementKey},
		Tags: []string{"other", "team-a"}, Configuration: map[string]string{testSubdomainKey: "acme"},
	}
	for _, tc := range []struct {
		name         string
		change       func(*Instance)
		made, unsure bool
	}{
		{"same", func(*Instance) {}, true, false},
		{"date +0000 with millis", func(i *Instance) { i.CreatedDate = "2026-01-02T10:00:01.250+0000" }, true, false},
		{"date in epoch millis", func(i *Instance) { i.CreatedDate = "1767348001000" }, true, false},
		{"date within the skew", func(i *Instance) { i.CreatedDate = "2026-01-02T09:59:00+00:00" }, true, false},
		{"date too old", func(i *Instance) { i.CreatedDate = "2026-01-02T09:50:00Z" }, false, false},
		{"date unparseable", func(i *Instance) { i.CreatedDate = "last tuesday" }, false, false},
		{"date absent", func(i *Instance) { i.CreatedDate = "" }, false, false},
		{"subdomain in other case", func(i *Instance) { i.Configuration[testSubdomainKey] = "ACME" }, true, false},
		{"other subdomain", func(i *Instance) { i.Configuration[testSubdomainKey] = "acme2" }, false, false},
		{"subdomain not answered", func(i *Instance) { i.Configuration = nil }, true, true},
		{"tags not answered", func(i *Instance) { i.Tags = nil }, true, true},
		{"subdomain masked", func(i *Instance) { i.Configuration[testSubdomainKey] = "********" }, true, false},
		{"subdomain empty", func(i *Instance) { i.Configuration[testSubdomainKey] = "" }, true, false},
		{"date in the future within the skew", func(i *Instance) { i.CreatedDate = time.Now().Add(time.Minute).UTC().Format(time.RFC3339) }, true, false},
		{"date in the future", func(i *Instance) { i.CreatedDate = "2099-01-01T00:00:00Z" }, false, false},
		{"name trimmed by the platform", func(i *Instance) { i.Name = "my-fd" }, true, false},
		{"other name", func(i *Instance) { i.Name = "my-fd-2" }, false, false},
		{"other element", func(i *Instance) { i.Element.Key = "jira" }, false, false},
		{"element by id only", func(i *Instance) { i.Element = ElementRef{ID: 491}; i.ElementID = 491 }, true, false},
		{"tag missing", func(i *Instance) { i.Tags = []string{"other"} }, false, false},
	} {
		inst := base
		inst.Configuration = maps.Clone(base.Configuration)
		tc.change(&inst)
		unsure, err := c.checkInstance(context.Background(), &inst, req, start, true)
		made := err == nil
		if !made {
			unsure = false
		}
		if made != tc.made || unsure != tc.unsure {
			t.Errorf("%s: made %v unsure %v", tc.name, made, unsure)
		}
	}
	// Without match keys, configuration is not compared: the client knows no
	// element's keys.
	inst := base
	inst.Configuration = map[string]string{testSubdomainKey: "elsewhere"}
	req.MatchKeys = nil
	if _, err := c.checkInstance(context.Background(), &inst, req, start, true); err != nil {
		t.Error("compared a key not in MatchKeys")
	}
}

// A list that leaves configuration out makes the reconcile read candidates
// in full before comparing their match keys.
func TestCreateReconcileReadsCandidatesInFull(t *testing.T) {
	for _, subdomain := range []string{"acme", "other"} {
		s := &fakeStore{listWithoutConfig: true}
		s.onPost = func(n int, w http.ResponseWriter, store func() map[string]any) bool {
			if n == 1 {
				inst := store()
				inst["configuration"] = map[string]any{"subdomain": subdomain}
				writeJSON(w, 502, map[string]string{"message": "proxy error"})
				return true
			}
			return false
		}
		c := newTestClient(t, s)
		req := testRequest()
		req.MatchKeys = []string{testSubdomainKey}
		inst, err := c.CreateInstance(context.Background(), req)
		wantPosts := map[string]int{"acme": 1, "other": 2}[subdomain]
		if err != nil || s.posts != wantPosts || s.gets < 1 {
			t.Errorf("%s: inst %+v err %v posts %d gets %d", subdomain, inst, err, s.posts, s.gets)
		}
	}
}
