package cloudelements

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
)

// Batch reads: when a run refreshes many instances, ReadInstance answers
// from a paged listing of GET /instances instead of one GET each.
//
// The rule, by the numbers. The provider cannot know how many reads a run
// will ask, only how many it has asked so far, so:
//   - the first MinReads reads of a Client go by GET (a handful of instances
//     never costs a listing);
//   - the next read fetches the listing's first page, which tells the total
//     (Elements-Total-Count) and so the pages P the whole listing needs;
//   - each further page is fetched only while the reads asked so far are at
//     least P (without the header: at least the pages fetched plus one).
//     Until then reads go by GET and the rule is checked again on each.
//
// So the listing never costs more requests than the reads it replaces, and
// a run never spends more than about twice the requests of the better
// choice, known only afterwards. A workspace of 50 instances in an
// organization of 50,000 (250 pages) stays on GETs after one page.
//
// Correctness before speed: a listed item answers only when it is complete
// (a token and a configuration object) and the caller accepts it (the
// resource compares it with its state; any difference is confirmed by GET).
// An instance missing from a listing is read by GET, whose 404 rules hold.
// An item answers once per listing and for at most MaxAge after its page
// came; a write through this Client takes the instance out of the listing.

// Defaults of BatchReads.
const (
	DefaultBatchMinReads = 10
	DefaultBatchPageSize = 200 // the platform's default and maximum page
	DefaultBatchMaxAge   = time.Minute
)

// BatchReads configures ReadInstance. Zero values take the defaults.
type BatchReads struct {
	// Off makes ReadInstance a plain GetInstance.
	Off bool
	// MinReads is how many reads go by GET before a listing is considered
	// (default DefaultBatchMinReads).
	MinReads int
	// PageSize is asked of the listing (default DefaultBatchPageSize).
	PageSize int
	// MaxAge is how long after its page arrived a listed item may answer
	// (default DefaultBatchMaxAge).
	MaxAge time.Duration
}

func (b BatchReads) withDefaults() BatchReads {
	if b.MinReads <= 0 {
		b.MinReads = DefaultBatchMinReads
	}
	if b.PageSize <= 0 {
		b.PageSize = DefaultBatchPageSize
	}
	if b.MaxAge <= 0 {
		b.MaxAge = DefaultBatchMaxAge
	}
	return b
}

// readCache is one Client's listing: what it has fetched and what is left.
type readCache struct {
	cfg BatchReads

	mu       sync.Mutex
	asked    int                // reads asked of this Client
	items    map[int64]listedAt // listed, not yet answered
	taken    map[int64]bool     // answered, written or ambiguous: never from this listing
	pages    int                // pages of the current listing fetched
	perPage  int                // items on its first page
	total    int                // from its first page; -1 when not told
	count    int                // items listed so far
	bytes    int                // their JSON
	next     string             // token of the next page
	complete bool               // the last page arrived
	stopped  bool               // a page failed or a cap was reached: no more pages this listing
	running  bool               // a read is fetching pages
	changed  chan struct{}      // closed and replaced when a page arrives or fetching stops
	started  time.Time          // the current listing's first page
}

type listedAt struct {
	inst Instance
	at   time.Time
}

func newReadCache(cfg BatchReads) *readCache {
	return &readCache{cfg: cfg.withDefaults(), total: -1, changed: make(chan struct{}),
		items: map[int64]listedAt{}, taken: map[int64]bool{}}
}

// ReadInstance reads one instance, from this run's listing when the rule
// above allows and accept (nil accepts any complete item) takes the listed
// answer, else by GetInstance. Only a GET ever reports an instance gone.
func (c *Client) ReadInstance(ctx context.Context, id int64, accept func(*Instance) bool) (*Instance, error) {
	if c.reads == nil || id <= 0 {
		return c.GetInstance(ctx, id)
	}
	inst := c.reads.lookup(c.LogContext(ctx), c, id)
	if inst != nil && inst.Token != "" && inst.Configuration != nil && (accept == nil || accept(inst)) {
		return inst, nil
	}
	return c.GetInstance(ctx, id)
}

// BatchStats says what the listing did, for tests and the bench.
type BatchStats struct{ Asked, Pages, Listed, Complete int }

// BatchStats reports this Client's listing counters.
func (c *Client) BatchStats() BatchStats {
	if c.reads == nil {
		return BatchStats{}
	}
	r := c.reads
	r.mu.Lock()
	defer r.mu.Unlock()
	done := 0
	if r.complete {
		done = 1
	}
	return BatchStats{Asked: r.asked, Pages: r.pages, Listed: r.count, Complete: done}
}

// forget takes an instance this Client wrote out of the current listing.
func (r *readCache) forget(id int64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.items, id)
	r.taken[id] = true
}

// lookup returns the listed item for id, fetching pages when the rule says
// so, or nil when the listing cannot answer (the caller GETs).
func (r *readCache) lookup(ctx context.Context, c *Client, id int64) *Instance {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked++
	r.expireLocked(time.Now())
	for {
		if r.taken[id] || ctx.Err() != nil {
			return nil // the GET that follows reports the deadline
		}
		if e, ok := r.items[id]; ok {
			delete(r.items, id)
			r.taken[id] = true // once per listing: a second read in a run is a GET
			if time.Since(e.at) > r.cfg.MaxAge {
				return nil
			}
			return &e.inst
		}
		if r.complete || r.stopped {
			return nil // missing from the listing: only a GET may say it is gone
		}
		if r.running {
			ch := r.changed
			r.mu.Unlock()
			select {
			case <-ch:
			case <-ctx.Done():
			}
			r.mu.Lock()
			continue
		}
		if !r.wantPageLocked() {
			return nil
		}
		r.fetchLocked(ctx, c)
	}
}

// wantPageLocked is the rule: another page only when the reads asked cover
// the pages the listing needs.
func (r *readCache) wantPageLocked() bool {
	if r.asked <= r.cfg.MinReads {
		return false
	}
	if r.pages == 0 {
		return true
	}
	need := r.pages + 1
	if r.total >= 0 && r.perPage > 0 {
		need = max(need, (r.total+r.perPage-1)/r.perPage)
	}
	return r.asked >= need
}

// expireLocked drops a listing older than MaxAge, unless pages are being
// fetched; the reads asked are kept as the run's size.
func (r *readCache) expireLocked(now time.Time) {
	if r.running || r.pages == 0 || now.Sub(r.started) <= r.cfg.MaxAge {
		return
	}
	r.items, r.taken = map[int64]listedAt{}, map[int64]bool{}
	r.pages, r.perPage, r.total, r.count, r.bytes = 0, 0, -1, 0, 0
	r.next, r.complete, r.stopped = "", false, false
}

// fetchLocked fetches pages while the rule wants them, unlocking around
// each request. Readers waiting are woken after every page.
func (r *readCache) fetchLocked(ctx context.Context, c *Client) {
	r.running = true
	defer func() {
		r.running = false
		r.wakeLocked()
	}()
	for !r.complete && !r.stopped && r.wantPageLocked() {
		next := r.next
		r.mu.Unlock()
		p, err := c.listingPage(ctx, r.cfg.PageSize, next)
		r.mu.Lock()
		if err != nil {
			if ctx.Err() != nil {
				return // this read's timeout: a read still waiting may go on
			}
			// Not an answer about any instance: reads go by GET. A listing
			// the host does not serve or refuses is not retried this run.
			r.stopped = true
			c.logAt(ctx, hclog.Debug, "batch reads: listing stopped, reads go by GET", map[string]any{"error": err})
			return
		}
		r.addPageLocked(p)
		r.wakeLocked()
	}
}

func (r *readCache) wakeLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// addPageLocked files one page's items, within the listing caps.
func (r *readCache) addPageLocked(p page) {
	now := time.Now()
	if r.pages == 0 {
		r.started, r.perPage, r.total = now, len(p.items), p.total
	}
	r.pages++
	r.count += len(p.items)
	r.bytes += p.bytes
	for _, inst := range p.items {
		if _, dup := r.items[inst.ID]; dup {
			// Listed twice: the listing cannot say which answer is right.
			delete(r.items, inst.ID)
			r.taken[inst.ID] = true
			continue
		}
		if !r.taken[inst.ID] {
			r.items[inst.ID] = listedAt{inst: inst, at: now}
		}
	}
	switch {
	case p.next == "":
		r.complete = true
	case p.next == r.next, r.pages >= maxListPages, r.count >= MaxListItems, r.bytes >= MaxListBytes:
		r.stopped = true // a repeated token or the caps: the rest go by GET
	}
	r.next = p.next
}

// page is one page of GET /instances.
type page struct {
	items []Instance
	bytes int
	next  string
	total int // Elements-Total-Count; -1 when absent or not a count
}

// listingPage fetches one page of every instance.
func (c *Client) listingPage(ctx context.Context, size int, next string) (page, error) {
	q := url.Values{}
	q.Set("pageSize", strconv.Itoa(size))
	if next != "" {
		q.Set("nextPage", next)
	}
	cl := &call{method: http.MethodGet, path: "/instances", query: q.Encode()}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return page{}, err
	}
	var l listing[Instance]
	if err := decodePage(ctx, &l, resp.body, c.instancePages(&instanceCaps{})); err != nil {
		if errors.Is(err, errListCap) || ctx.Err() != nil {
			return page{}, fmt.Errorf("GET /instances: %w", err)
		}
		return page{}, c.decodeError(cl, err)
	}
	c.apiConfirmed.Store(true) // GET /instances answered an array: its 404s can be believed
	total := -1
	if n, err := strconv.Atoi(strings.TrimSpace(resp.header.Get("Elements-Total-Count"))); err == nil && n >= 0 {
		total = n
	}
	return page{items: l.items, bytes: l.bytes, next: resp.header.Get("Elements-Next-Page-Token"), total: total}, nil
}
