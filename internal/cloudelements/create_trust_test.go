package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Trust on the create path (issues 18 and 19), against the emulator where
// it can answer the case, and asserting on what it recorded.

// newEmulatorClient serves an emulator and returns a client for it.
func newEmulatorClient(t *testing.T, mutate ...func(*Config)) (*Client, *emulator.Server) {
	t.Helper()
	em := emulator.New(emulator.Options{})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.UserSecret, cfg.OrganizationSecret = "test-user-secret", "test-organization-secret"
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, em
}

// oneCreate checks that exactly one POST reached the emulator and one
// instance exists, which the client returned.
func oneCreate(t *testing.T, em *emulator.Server, inst *Instance, err error) {
	t.Helper()
	posts := em.RequestsTo(http.MethodPost, "/instances")
	all := em.Instances()
	if err != nil || inst == nil || len(posts) != 1 || len(all) != 1 || all[0].ID != inst.ID {
		t.Fatalf("inst %+v err %v; %d POSTs, %d instances stored", inst, err, len(posts), len(all))
	}
}

// Issue 18 item 1: the platform stores names trimmed; a lost create answer
// must still find the instance made.
func TestCreateLostAnswerTrimmedName(t *testing.T) {
	c, em := newEmulatorClient(t)
	em.Script(http.MethodPost, "/instances", emulator.Fault{Kind: emulator.FaultCommitThenDrop})
	req := testRequest()
	req.Name = "  spaced <b>name</b> "
	inst, err := c.CreateInstance(context.Background(), req)
	oneCreate(t, em, inst, err)
	if inst.Name != "spaced name" {
		t.Errorf("name %q", inst.Name)
	}
}

// Issue 18 item 2: a match key answered masked (jira's password) is
// unknown, not different: a lost answer does not lead to a second POST.
func TestCreateLostAnswerMaskedMatchKey(t *testing.T) {
	c, em := newEmulatorClient(t)
	em.Script(http.MethodPost, "/instances", emulator.Fault{Kind: emulator.FaultCommitThenDrop})
	req := InstanceRequest{
		Element: ElementRef{Key: "jira"}, Name: "j", Tags: []string{"t"},
		Configuration: map[string]string{"jira.host": "https://acme.atlassian.net", "username": "bob", "password": "hunter2"},
		MatchKeys:     []string{"jira.host", "password", "username"},
	}
	inst, err := c.CreateInstance(context.Background(), req)
	oneCreate(t, em, inst, err)
}

// Issue 18 item 12: a transport error after the request was written (here a
// malformed answer) may follow a create that was applied: reconcile.
func TestCreateMalformedAnswerAfterCommit(t *testing.T) {
	c, em := newEmulatorClient(t)
	em.Script(http.MethodPost, "/instances", emulator.Fault{Kind: emulator.FaultCommitThenMalformed})
	inst, err := c.CreateInstance(context.Background(), testRequest())
	oneCreate(t, em, inst, err)
	if n := len(em.RequestsTo(http.MethodGet, "/instances")); n != 1 {
		t.Errorf("%d reconcile lookups", n)
	}
}

// A failure before anything was sent stays final for a create when it is
// not a connection failure: nothing to reconcile.
func TestCreateFailureBeforeSendingIsFinal(t *testing.T) {
	_, _, ambiguous := createFailure(nil, &transportError{kind: failFatal, reason: "TLS verification failed"})
	_, _, big := createFailure(nil, &transportError{kind: failFatal, sent: true, err: errBodyTooLarge})
	_, _, sent := createFailure(nil, &transportError{kind: failFatal, sent: true, err: errors.New("stream reset")})
	if ambiguous || big || !sent {
		t.Fatalf("unsent %v body cap %v sent %v", ambiguous, big, sent)
	}
}

// Issue 19 item 9: a look-alike dated in the future is not adopted.
func TestCreateReconcileRefusesFutureDate(t *testing.T) {
	s := &fakeStore{}
	lookAlike := instanceJSON(999, "my-fd")
	lookAlike["createdDate"] = "2099-01-01T00:00:00Z"
	s.items = append(s.items, lookAlike)
	s.onPost = func(n int, w http.ResponseWriter, _ func() map[string]any) bool {
		if n == 1 {
			writeJSON(w, 502, map[string]string{"message": "proxy error"})
			return true
		}
		return false
	}
	c := newTestClient(t, s)
	inst, err := c.CreateInstance(context.Background(), testRequest())
	if err != nil || inst.ID == 999 || s.posts != 2 {
		t.Fatalf("inst %+v err %v posts %d", inst, err, s.posts)
	}
}

// foreignStore holds someone else's instance 999 besides what is posted.
func foreignStore(answer func(ours map[string]any) string, storeOurs bool) *fakeStore {
	s := &fakeStore{}
	s.items = append(s.items, instanceJSON(999, "someone else's"))
	s.onPost = func(_ int, w http.ResponseWriter, store func() map[string]any) bool {
		var ours map[string]any
		if storeOurs {
			ours = store()
		}
		_, _ = w.Write([]byte(answer(ours)))
		return true
	}
	return s
}

// Issue 19 item 10: an id salvaged from an unreadable answer, or named by a
// well-formed one, is adopted only when it reads as the instance requested.
// Otherwise the reconcile lookup finds ours, or the error names no id to
// keep: the foreign instance is never adopted (and so never destroyed).
func TestCreateForeignAnswerNotAdopted(t *testing.T) {
	for _, tc := range []struct {
		name   string
		answer string
	}{
		{"unreadable, salvaged id", `{"id":999,"valid":"perhaps"}`},
		{"well-formed, other name", `{"id":999,"name":"someone else's","element":{"id":491,"key":"freshdeskv2"},"token":"t"}`},
		{"well-formed, other element", `{"id":999,"name":"my-fd","element":{"id":41,"key":"zendesk"},"token":"t"}`},
		{"well-formed, old date", `{"id":999,"name":"my-fd","createdDate":"2020-01-01T00:00:00Z","token":"t"}`},
	} {
		for _, stored := range []bool{true, false} {
			s := foreignStore(func(map[string]any) string { return tc.answer }, stored)
			c := newTestClient(t, s)
			inst, err := c.CreateInstance(context.Background(), testRequest())
			var ce *CreatedError
			switch {
			case s.posts != 1:
				t.Errorf("%s (stored %v): %d POSTs", tc.name, stored, s.posts)
			case stored && (err != nil || inst.ID == 999):
				t.Errorf("%s: inst %+v err %v", tc.name, inst, err)
			case !stored && (err == nil || inst != nil || errors.As(err, &ce)):
				t.Errorf("%s (not stored): inst %+v err %v", tc.name, inst, err)
			case !stored && !strings.Contains(err.Error(), "999"):
				t.Errorf("%s (not stored): the error does not say which answer was refused: %v", tc.name, err)
			}
		}
	}
}

// Issue 19 item 11: an id past int64 is refused, never clamped and used.
func TestOverflowingIDsRefused(t *testing.T) {
	for _, body := range []string{`{"id":9223372036854775808}`, `{"id":"9223372036854775808"}`, `{"id":"01017"}`} {
		if got := salvageID([]byte(body)); got != 0 {
			t.Errorf("salvageID(%s) = %d", body, got)
		}
		if inst, err := DecodeInstance([]byte(body)); err == nil {
			t.Errorf("DecodeInstance(%s) = %+v", body, inst)
		}
	}
	s := foreignStore(func(map[string]any) string { return `{"id":9223372036854775808,"valid":"x"}` }, false)
	c := newTestClient(t, s)
	if _, err := c.CreateInstance(context.Background(), testRequest()); err == nil || s.gets != 0 {
		t.Fatalf("err %v gets %d", err, s.gets)
	}
}

// Issue 19 item 8: a Retry-After that outlasts the deadline fails every
// request sharing the pause at once, without sending it.
func TestRateLimitPausePastDeadlineFailsAtOnce(t *testing.T) {
	var mu sync.Mutex
	var seen int
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		seen++
		mu.Unlock()
		w.Header().Set("Retry-After", "31536000")
		writeJSON(w, 429, map[string]string{"message": "slow down"})
	})
	c := newTestClient(t, h)
	for i := range 3 {
		// Waiting for the deadline would take 20 s: failing at once takes
		// well under 5 s even on a loaded machine.
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		start := time.Now()
		var err error
		if i == 2 {
			_, err = c.CreateInstance(ctx, testRequest())
		} else {
			_, err = c.GetInstance(ctx, 1)
		}
		cancel()
		if took := time.Since(start); err == nil || took > 5*time.Second {
			t.Fatalf("call %d: err %v after %s", i, err, took)
		}
		if i > 0 && !strings.Contains(err.Error(), "after this operation's deadline") {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if seen != 1 {
		t.Errorf("%d requests reached the server during the pause", seen)
	}
}

// Issue 18 item 10: a 2xx write whose answer cannot be used was applied.
func TestUnusableWriteAnswerIsApplied(t *testing.T) {
	for name, body := range map[string]string{"cut short": `{"id":`, "another instance": `{"id":8}`} {
		h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) })
		c := newTestClient(t, h)
		_, perr := c.PatchInstance(context.Background(), 7, InstancePatch{})
		_, rerr := c.ReplaceInstance(context.Background(), 7, testRequest())
		for _, err := range []error{perr, rerr} {
			var ae *AppliedError
			if !errors.As(err, &ae) || ae.ID != 7 || !strings.Contains(err.Error(), "was applied") {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}
