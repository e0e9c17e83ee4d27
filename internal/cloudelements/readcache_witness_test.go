package cloudelements

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// batchClient serves an emulator with a listing that lists after minReads
// reads and returns a client for it and what the emulator holds.
func batchClient(t *testing.T, minReads int) (*Client, *emulator.Server) {
	t.Helper()
	em := emulator.New(emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrgSecret})
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.BatchReads = BatchReads{MinReads: minReads}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, em
}

// refreshAll reads every id in parallel, each accepting a listed item equal
// to what it knew (as a refresh does), and returns what each read found.
func refreshAll(t *testing.T, c *Client, known map[int64]Instance) map[int64]string {
	t.Helper()
	var mu sync.Mutex
	got := map[int64]string{}
	var wg sync.WaitGroup
	for id, k := range known {
		wg.Add(1)
		go func() {
			defer wg.Done()
			inst, err := c.ReadInstance(context.Background(), id, func(i *Instance) bool { return i.Token == k.Token })
			mu.Lock()
			defer mu.Unlock()
			switch {
			case IsNotFound(err):
				got[id] = "gone"
			case err != nil:
				t.Errorf("read %d: %v", id, err)
			default:
				got[id] = inst.Token
			}
		}()
	}
	wg.Wait()
	return got
}

// Issue 26 item 4: a listing that lags writes is found out by the run's
// reads by GET; no read then answers from it, so neither a revoked token
// nor a deleted instance is kept. A current listing answers as before.
func TestBatchReadsLaggingListing(t *testing.T) {
	t.Parallel()
	seed := func(em *emulator.Server) map[int64]Instance {
		known := map[int64]Instance{}
		for range 8 {
			inst := em.PutInstance(emulator.Instance{Name: "fd", Configuration: map[string]string{"subdomain": "a", "username": "k"}})
			known[inst.ID] = Instance{ID: inst.ID, Token: inst.Token}
		}
		return known
	}

	c, em := batchClient(t, 3)
	known := seed(em)
	refreshAll(t, c, known)
	if gets := len(em.RequestsTo(http.MethodGet, "/instances/*")); gets != 3 {
		t.Errorf("current listing: %d GETs, want the 3 reads before the listing", gets)
	}

	c, em = batchClient(t, 3)
	known = seed(em)
	em.FreezeListings()
	var gone int64
	for id := range known { // every token revoked, one instance deleted
		if gone == 0 {
			gone = id
			em.RemoveInstance(id)
			continue
		}
		em.ModifyInstance(id, func(i *emulator.Instance) { i.Token = "" })
	}
	got := refreshAll(t, c, known)
	for id, k := range known {
		now, ok := em.Instance(id)
		switch {
		case !ok && got[id] != "gone":
			t.Errorf("instance %d was deleted, the read found %q", id, got[id])
		case ok && got[id] != now.Token:
			t.Errorf("instance %d: read token %q (revoked: %v), the platform has %q", id, got[id], got[id] == k.Token, now.Token)
		}
	}
}
