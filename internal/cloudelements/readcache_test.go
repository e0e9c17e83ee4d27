package cloudelements

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// pagedStore serves GET /instances in pages (nextPage is an offset) and
// GET|PATCH /instances/{id}, counting each.
type pagedStore struct {
	mu       sync.Mutex
	ids      []int64
	items    map[int64]map[string]any
	noTotal  bool           // leave Elements-Total-Count out
	abridged map[int64]bool // listed without configuration
	dupe     int64          // listed twice, with different names
	listFail bool           // answer listings with a 403
	lists    int            // GET /instances
	gets     map[int64]int  // GET /instances/{id}
	sizes    []string       // pageSize asked
}

func newPagedStore(n int) *pagedStore {
	s := &pagedStore{items: map[int64]map[string]any{}, gets: map[int64]int{}, abridged: map[int64]bool{}}
	for i := range n {
		id := int64(5000 + i)
		s.ids = append(s.ids, id)
		s.items[id] = instanceJSON(id, fmt.Sprintf("inst-%d", id))
	}
	return s
}

func (s *pagedStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
	if path == "/instances" && r.Method == http.MethodGet {
		s.lists++
		s.sizes = append(s.sizes, r.URL.Query().Get("pageSize"))
		if s.listFail {
			writeJSON(w, 403, map[string]string{"message": "Forbidden", "requestId": "r1"})
			return
		}
		size, _ := strconv.Atoi(r.URL.Query().Get("pageSize"))
		size = min(max(size, 1), 200)
		off, _ := strconv.Atoi(r.URL.Query().Get("nextPage"))
		end := min(off+size, len(s.ids))
		page := []map[string]any{}
		for _, id := range s.ids[off:end] {
			item := s.items[id]
			if s.abridged[id] {
				item = maps.Clone(item)
				delete(item, "configuration")
			}
			page = append(page, item)
			if id == s.dupe {
				other := maps.Clone(item)
				other["name"] = "someone else"
				page = append(page, other)
			}
		}
		if end < len(s.ids) {
			w.Header().Set("Elements-Next-Page-Token", strconv.Itoa(end))
		}
		if !s.noTotal {
			w.Header().Set("Elements-Total-Count", strconv.Itoa(len(s.ids)))
		}
		writeJSON(w, 200, page)
		return
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(path, "/instances/"), 10, 64)
	item := s.items[id]
	switch {
	case err != nil:
		writeJSON(w, 404, map[string]string{"message": "Not found"})
	case item == nil:
		s.gets[id]++
		writeJSON(w, 404, map[string]string{"message": "No instance found", "requestId": "r2"})
	case r.Method == http.MethodPatch:
		item["name"] = "patched"
		writeJSON(w, 200, item)
	default:
		s.gets[id]++
		writeJSON(w, 200, item)
	}
}

func (s *pagedStore) counts() (lists, gets int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.gets {
		gets += n
	}
	return s.lists, gets
}

// readAll reads ids in order and fails on any error or wrong answer.
func readAll(t *testing.T, c *Client, ids []int64) {
	t.Helper()
	for _, id := range ids {
		inst, err := c.ReadInstance(t.Context(), id, nil)
		if err != nil {
			t.Fatalf("read %d: %v", id, err)
		}
		if inst.ID != id || inst.Name != fmt.Sprintf("inst-%d", id) {
			t.Fatalf("read %d answered %d %q", id, inst.ID, inst.Name)
		}
	}
}

func TestReadInstanceFewReadsGoByGET(t *testing.T) {
	t.Parallel()
	s := newPagedStore(1000)
	c := newTestClient(t, s)
	readAll(t, c, s.ids[:DefaultBatchMinReads])
	if lists, gets := s.counts(); lists != 0 || gets != DefaultBatchMinReads {
		t.Fatalf("lists=%d gets=%d, want 0 and %d", lists, gets, DefaultBatchMinReads)
	}
}

func TestReadInstanceManyReadsFromTheListing(t *testing.T) {
	t.Parallel()
	s := newPagedStore(450)
	c := newTestClient(t, s)
	readAll(t, c, s.ids)
	lists, gets := s.counts()
	// 10 GETs, then 3 pages of 200 (the first at read 11 already tells the
	// total: 3 pages <= 11 reads).
	if lists != 3 || gets != DefaultBatchMinReads {
		t.Fatalf("lists=%d gets=%d, want 3 and %d", lists, gets, DefaultBatchMinReads)
	}
	if s.sizes[0] != "200" {
		t.Fatalf("pageSize %q, want 200", s.sizes[0])
	}
	if st := c.BatchStats(); st.Pages != 3 || st.Complete != 1 || st.Asked != 450 {
		t.Fatalf("stats %+v", st)
	}
	// A second read of an instance in the same run goes by GET.
	readAll(t, c, s.ids[400:401])
	if _, gets := s.counts(); gets != DefaultBatchMinReads+1 {
		t.Fatalf("second read: gets=%d", gets)
	}
}

// A handful of reads in a big organization: one page, never the listing.
func TestReadInstanceHandfulInABigOrganization(t *testing.T) {
	t.Parallel()
	s := newPagedStore(10000) // 50 pages
	c := newTestClient(t, s)
	readAll(t, c, s.ids[9960:])
	if lists, gets := s.counts(); lists != 1 || gets != 40 {
		t.Fatalf("lists=%d gets=%d, want 1 and 40", lists, gets)
	}
}

// Without Elements-Total-Count the pages fetched never pass the reads asked.
func TestReadInstanceWithoutTotalCount(t *testing.T) {
	t.Parallel()
	s := newPagedStore(2000)
	s.noTotal = true
	c := newTestClient(t, s)
	readAll(t, c, s.ids[1970:]) // all on the last page
	lists, gets := s.counts()
	if lists > 30-DefaultBatchMinReads || lists+gets > 2*30 {
		t.Fatalf("lists=%d gets=%d for 30 reads", lists, gets)
	}
	readAll(t, c, s.ids[:1000]) // now the listing pays
	if lists, gets := s.counts(); lists != 10 || gets > 60 {
		t.Fatalf("lists=%d gets=%d after 1030 reads", lists, gets)
	}
}

func TestReadInstanceListingCannotAnswer(t *testing.T) {
	t.Parallel()
	s := newPagedStore(100)
	gone, abridged, refused := int64(5050), int64(5060), int64(5070)
	s.abridged[abridged], s.dupe = true, 5080
	delete(s.items, gone) // missing from the listing: its GET says it is gone
	s.ids = append(s.ids[:50], s.ids[51:]...)
	c := newTestClient(t, s)
	readAll(t, c, s.ids[:20])
	if _, err := c.ReadInstance(t.Context(), gone, nil); !IsNotFound(err) {
		t.Fatalf("gone: %v", err)
	}
	if _, err := c.ReadInstance(t.Context(), 999, nil); !IsNotFound(err) {
		t.Fatalf("never listed: %v", err)
	}
	readAll(t, c, []int64{abridged, 5080})
	if inst, err := c.ReadInstance(t.Context(), refused, func(*Instance) bool { return false }); err != nil || inst.ID != refused {
		t.Fatalf("refused: %v %v", inst, err)
	}
	if _, err := c.PatchInstance(t.Context(), 5090, InstancePatch{}); err != nil {
		t.Fatal(err)
	}
	if inst, err := c.ReadInstance(t.Context(), 5090, nil); err != nil || inst.Name != "patched" {
		t.Fatalf("written: %v %v", inst, err)
	}
	for _, id := range []int64{gone, 999, abridged, 5080, refused, 5090} {
		if s.gets[id] != 1 {
			t.Errorf("instance %d: %d GETs, want 1", id, s.gets[id])
		}
	}
	if lists, _ := s.counts(); lists != 1 {
		t.Fatalf("lists=%d", lists)
	}
}

func TestReadInstanceListingRefusedOrOff(t *testing.T) {
	t.Parallel()
	s := newPagedStore(300)
	s.listFail = true
	c := newTestClient(t, s)
	readAll(t, c, s.ids)
	if lists, gets := s.counts(); lists != 1 || gets != 300 {
		t.Fatalf("refused: lists=%d gets=%d", lists, gets)
	}
	off := newPagedStore(300)
	c = newTestClient(t, off, func(cfg *Config) { cfg.BatchReads.Off = true })
	readAll(t, c, off.ids)
	if lists, gets := off.counts(); lists != 0 || gets != 300 {
		t.Fatalf("off: lists=%d gets=%d", lists, gets)
	}
}

// Terraform reads ten at a time: readers wait for the pages, nobody reads
// twice, and the requests stay near the pages.
func TestReadInstanceConcurrentReaders(t *testing.T) {
	t.Parallel()
	s := newPagedStore(2000)
	c := newTestClient(t, s)
	work := make(chan int64)
	var wg sync.WaitGroup
	for range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range work {
				inst, err := c.ReadInstance(t.Context(), id, nil)
				if err != nil || inst.ID != id {
					t.Errorf("read %d: %v %v", id, inst, err)
				}
			}
		}()
	}
	for _, id := range s.ids {
		work <- id
	}
	close(work)
	wg.Wait()
	lists, gets := s.counts()
	if lists != 10 || gets > DefaultBatchMinReads+10 {
		t.Fatalf("lists=%d gets=%d for 2000 reads", lists, gets)
	}
}

// A read waiting on a slow listing ends with its own deadline; the listing
// is not given up for the reads after it.
func TestReadInstanceHonoursTimeouts(t *testing.T) {
	t.Parallel()
	s := newPagedStore(50)
	slow := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elements/api-v2/instances" {
			select {
			case <-slow:
			case <-r.Context().Done():
				return
			}
		}
		s.ServeHTTP(w, r)
	})
	c := newTestClient(t, h, func(cfg *Config) { cfg.BatchReads.MinReads = 1 })
	readAll(t, c, s.ids[:1])
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.ReadInstance(ctx, s.ids[1], nil); err == nil || time.Since(start) > 10*time.Second { // the page never comes
		t.Fatalf("read past its deadline: %v after %v", err, time.Since(start))
	}
	close(slow)
	readAll(t, c, s.ids[2:])
	// The abandoned page counts only if it reached the server before the
	// deadline, which a loaded machine does not promise.
	if lists, gets := s.counts(); lists < 1 || lists > 2 || gets != 1 {
		t.Fatalf("lists=%d gets=%d, want one whole page (after the abandoned one, if it arrived) and the first GET", lists, gets)
	}
}
