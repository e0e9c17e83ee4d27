package cloudelements

import (
	"context"
	"errors"
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
