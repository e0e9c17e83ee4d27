package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Element lookups: once per key or id per Client, found or not.
func TestGetElementCached(t *testing.T) {
	c, em := newEmulatorClient(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if el, err := c.GetElement(ctx, "zendesk"); err != nil || el.ID != 41 || el.Key != "zendesk" {
				t.Errorf("el %+v err %v", el, err)
			}
		}()
	}
	wg.Wait()
	for range 2 {
		ok, err := c.ElementExists(ctx, "nope")
		if ok || err != nil {
			t.Fatalf("nope: %v %v", ok, err)
		}
		if ok, err := c.ElementExists(ctx, "freshdeskv2"); !ok || err != nil {
			t.Fatalf("freshdeskv2: %v %v", ok, err)
		}
	}
	_, err := c.GetElement(ctx, "nope")
	if !IsNotFound(err) {
		t.Fatalf("unknown element: %v", err)
	}
	got := map[string]int{}
	for _, r := range em.RequestsTo(http.MethodGet, "/elements/*") {
		got[r.Path]++
	}
	if len(got) != 3 || got["/elements/zendesk"] != 1 || got["/elements/nope"] != 1 || got["/elements/freshdeskv2"] != 1 {
		t.Errorf("lookups %v", got)
	}
}

// A failure that says nothing about the element is not kept.
func TestGetElementTransientNotCached(t *testing.T) {
	c, em := newEmulatorClient(t, func(c *Config) { c.MaxRetries = -1 })
	em.Script(http.MethodGet, "/elements/*", emulator.Fault{Kind: emulator.FaultStatus, Status: 503})
	if _, err := c.GetElement(context.Background(), "zendesk"); err == nil || IsNotFound(err) {
		t.Fatalf("503: %v", err)
	}
	if el, err := c.GetElement(context.Background(), "zendesk"); err != nil || el.Key != "zendesk" {
		t.Fatalf("after the 503: %+v %v", el, err)
	}
}

// An answer about another element than the one asked is refused.
func TestGetElementAnswerMustMatch(t *testing.T) {
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte(`{"id":491,"key":"freshdeskv2"}`))
	}))
	for _, keyOrID := range []string{"zendesk", "41"} {
		if _, err := c.GetElement(context.Background(), keyOrID); err == nil || !strings.Contains(err.Error(), "the answer is about element") {
			t.Errorf("%s: %v", keyOrID, err)
		}
	}
	if _, err := c.GetElement(context.Background(), "FreshdeskV2"); err != nil {
		t.Errorf("key in another case: %v", err)
	}
}

// ElementKeyOf resolves an element named by id alone (issue 18 item 8: a
// Zendesk instance answered as {"id": 41} is not taken for Freshdesk).
func TestElementKeyOf(t *testing.T) {
	c, _ := newEmulatorClient(t)
	ctx := context.Background()
	for _, tc := range []struct {
		inst Instance
		want string
		err  bool
	}{
		{Instance{ID: 1, Element: ElementRef{Key: "jira"}}, "jira", false},
		{Instance{ID: 2, ElementID: 41}, "zendesk", false},
		{Instance{ID: 3, Element: ElementRef{ID: 491}}, "freshdeskv2", false},
		{Instance{ID: 4, ElementID: 424242}, "", true},
		{Instance{ID: 5}, "", true},
	} {
		key, err := c.ElementKeyOf(ctx, &tc.inst)
		if key != tc.want || (err != nil) != tc.err || (err != nil && !errors.Is(err, ErrElementUnknown)) {
			t.Errorf("instance %d: %q %v", tc.inst.ID, key, err)
		}
	}
}
