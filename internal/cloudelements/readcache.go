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
// from a paged listing of GET /instances instead of one GET each; so do
// ReadFormula (GET /formulas) and ReadFormulaInstance (GET
// /formulas/instances), each kind with a listing of its own
// (readcache_sources.go).
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
// Correctness before speed: a listed item answers only when it is whole
// (as a GET would answer it, not abridged) and the caller accepts it (the
// resource compares it with its state; any difference is confirmed by GET).
// An instance missing from a listing is read by GET, whose 404 rules hold.
// An item answers once per listing and for at most MaxAge after its page
// came; a write through this Client takes the item out of the listing, and
// a delete that may cascade (a formula, an element instance) drops the
// formula instance listing.

// Defaults of BatchReads.
const (
	DefaultBatchMinReads = 10
	DefaultBatchPageSize = 200 // the platform's default and maximum page
	DefaultBatchMaxAge   = time.Minute
)

// BatchReads configures ReadInstance, ReadFormula and ReadFormulaInstance.
// Zero values take the defaults.
type BatchReads struct {
	// Off makes each a plain GET (GetInstance, GetFormula, GetFormulaInstance).
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

// listingSource is how a readCache lists one kind of asset.
type listingSource[T any] struct {
	path  string       // "/instances"
	pages pagedList[T] // decoding, ids and caps
	// whole says a listed item holds everything a GET answers (the
	// listing may abridge items).
	whole func(*T) bool
	// fingerprint is what the resources read of an item, compared
	// between a listing and the run's GETs (readcache_witness.go).
	fingerprint func(*T) any
}

// readCache is one Client's listing of one kind: what it has fetched and
// what is left.
type readCache[T any] struct {
	cfg BatchReads
	src listingSource[T]

	mu       sync.Mutex
	asked    int                   // reads asked of this Client
	items    map[int64]listedAt[T] // listed, not yet answered
	taken    map[int64]bool        // answered, written or ambiguous: never from this listing
	gen      int                   // the listing's generation: a reset starts a new one
	pages    int                   // pages of the current listing fetched
	perPage  int                   // items on its first page
	total    int                   // from its first page; -1 when not told
	tally    listTally             // what the listing holds so far, against its caps
	next     string                // token of the next page
	complete bool                  // the last page arrived
	stopped  bool                  // a page failed or a cap was reached: no more pages this listing
	running  bool                  // a read is fetching pages
	changed  chan struct{}         // closed and replaced when a page arrives or fetching stops
	started  time.Time             // the current listing's first page

	// Witnesses of a lagging listing (readcache_witness.go).
	witnesses map[int64]uint64 // what the run's GETs found: a fingerprint, 0 when gone
	listed    map[int64]uint64 // the current listing's fingerprints
	written   map[int64]bool   // written by this Client: differences are explained
	pending   int              // witness GETs under way
	lagging   bool             // the listing disagreed with a witness: reads go by GET
}

type listedAt[T any] struct {
	item T
	at   time.Time
}

func newReadCache[T any](cfg BatchReads, src listingSource[T]) *readCache[T] {
	return &readCache[T]{cfg: cfg.withDefaults(), src: src, total: -1, changed: make(chan struct{}),
		items: map[int64]listedAt[T]{}, taken: map[int64]bool{},
		witnesses: map[int64]uint64{}, listed: map[int64]uint64{}, written: map[int64]bool{}}
}

// read answers for id from the listing when the rule allows, the item is
// whole, accept (nil accepts any) takes it and the listing has not been
// seen to lag; else it calls get, whose answer witnesses the listing. Only
// a GET ever reports an item gone.
func (r *readCache[T]) read(ctx context.Context, c *Client, id int64, accept func(*T) bool, get func() (*T, error)) (*T, error) {
	if r == nil || id <= 0 {
		return get()
	}
	ctx = c.LogContext(ctx)
	item := r.lookup(ctx, c, id) // nil: counted as a witness GET under way
	if item != nil {
		if r.src.whole(item) && (accept == nil || accept(item)) && r.mayAnswer(ctx) {
			return item, nil
		}
		r.mu.Lock()
		r.pending++
		r.mu.Unlock()
	}
	return r.getWitnessed(ctx, c, id, get)
}

// mayAnswer waits for the witness GETs under way and reports whether the
// listing may answer.
func (r *readCache[T]) mayAnswer(ctx context.Context) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.awaitWitnessesLocked(ctx)
}

// BatchStats says what the listing did, for tests and the bench.
type BatchStats struct{ Asked, Pages, Listed, Complete int }

// BatchStats reports this Client's instance listing counters.
func (c *Client) BatchStats() BatchStats { return c.reads.stats() }

func (r *readCache[T]) stats() BatchStats {
	if r == nil {
		return BatchStats{}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	done := 0
	if r.complete {
		done = 1
	}
	return BatchStats{Asked: r.asked, Pages: r.pages, Listed: r.tally.items, Complete: done}
}

// forget takes an item this Client wrote out of the current listing.
func (r *readCache[T]) forget(id int64) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.items, id)
	r.taken[id] = true
	r.written[id] = true
}

// reset drops the current listing: a delete through this Client may have
// removed items of it (a cascade). Reads go on with a new listing.
func (r *readCache[T]) reset() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gen++
	r.clearLocked()
}

// lookup returns the listed item for id, fetching pages when the rule says
// so, or nil when the listing cannot answer: the caller GETs, and that GET
// is counted as under way before the lock is let go, so that no listed
// item answers before it has witnessed the listing.
func (r *readCache[T]) lookup(ctx context.Context, c *Client, id int64) (found *T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() {
		if found == nil {
			r.pending++
		}
	}()
	r.asked++
	r.expireLocked(time.Now())
	for {
		if r.taken[id] || r.lagging || ctx.Err() != nil {
			return nil // the GET that follows reports the deadline
		}
		if e, ok := r.items[id]; ok {
			delete(r.items, id)
			r.taken[id] = true // once per listing: a second read in a run is a GET
			if time.Since(e.at) > r.cfg.MaxAge {
				return nil
			}
			return &e.item
		}
		if r.complete || r.stopped {
			return nil // missing from the listing: only a GET may say it is gone
		}
		if r.running {
			r.waitLocked(ctx)
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
func (r *readCache[T]) wantPageLocked() bool {
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
func (r *readCache[T]) expireLocked(now time.Time) {
	if r.running || r.pages == 0 || now.Sub(r.started) <= r.cfg.MaxAge {
		return
	}
	r.clearLocked()
}

func (r *readCache[T]) clearLocked() {
	r.items, r.taken, r.listed = map[int64]listedAt[T]{}, map[int64]bool{}, map[int64]uint64{}
	r.pages, r.perPage, r.total, r.tally = 0, 0, -1, listTally{}
	r.next, r.complete, r.stopped = "", false, false
}

// fetchLocked fetches pages while the rule wants them, unlocking around
// each request. Readers waiting are woken after every page.
func (r *readCache[T]) fetchLocked(ctx context.Context, c *Client) {
	r.running = true
	defer func() {
		r.running = false
		r.wakeLocked()
	}()
	for !r.complete && !r.stopped && r.wantPageLocked() {
		next, gen, tally := r.next, r.gen, r.tally
		r.mu.Unlock()
		p, err := fetchListingPage(ctx, c, r.src, r.cfg.PageSize, next, tally)
		r.mu.Lock()
		if gen != r.gen {
			continue // reset while the page came: it may hold what was deleted
		}
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
		r.listLocked(ctx, c, p.items)
		r.wakeLocked()
	}
}

// waitLocked lets go of the lock until something changes (a page came,
// fetching stopped, a witness GET ended) or ctx ends.
func (r *readCache[T]) waitLocked(ctx context.Context) {
	ch := r.changed
	r.mu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
	}
	r.mu.Lock()
}

func (r *readCache[T]) wakeLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// addPageLocked files one page's items, within the listing caps.
func (r *readCache[T]) addPageLocked(p page[T]) {
	now := time.Now()
	if r.pages == 0 {
		r.started, r.perPage, r.total = now, len(p.items), p.total
	}
	r.pages++
	r.tally = p.tally
	for _, item := range p.items {
		id := r.src.pages.id(&item)
		if _, dup := r.items[id]; dup {
			// Listed twice: the listing cannot say which answer is right.
			delete(r.items, id)
			r.taken[id] = true
			continue
		}
		if !r.taken[id] {
			r.items[id] = listedAt[T]{item: item, at: now}
		}
	}
	switch {
	case p.next == "":
		r.complete = true
	case p.next == r.next, r.pages >= maxListPages, r.tally.items >= MaxListItems, r.tally.bytes >= MaxListBytes:
		r.stopped = true // a repeated token or the caps: the rest go by GET
	}
	r.next = p.next
}

// page is one page of a listing.
type page[T any] struct {
	items []T
	tally listTally // of the listing, this page included
	next  string
	total int // Elements-Total-Count; -1 when absent or not a count
}

// fetchListingPage fetches one page of every item src lists; tally is what
// the pages before hold, so the listing caps hold across pages.
func fetchListingPage[T any](ctx context.Context, c *Client, src listingSource[T], size int, next string, tally listTally) (page[T], error) {
	q := url.Values{}
	q.Set("pageSize", strconv.Itoa(size))
	if next != "" {
		q.Set("nextPage", next)
	}
	cl := &call{method: http.MethodGet, path: src.path, query: q.Encode(), listing: true}
	resp, err := c.do(ctx, cl)
	if err != nil {
		return page[T]{}, err
	}
	l := listing[T]{tally: tally}
	err = decodePage(ctx, &l, resp.body, src.pages)
	c.traceListed(ctx, src.path, src.pages.ids(l.items))
	if err != nil {
		if errors.Is(err, errListCap) || ctx.Err() != nil {
			return page[T]{}, fmt.Errorf("GET %s: %w", src.path, err)
		}
		return page[T]{}, c.decodeError(cl, err)
	}
	c.apiConfirmed.Store(true) // the API answered an array: its 404s can be believed
	total := -1
	if n, err := strconv.Atoi(strings.TrimSpace(resp.header.Get("Elements-Total-Count"))); err == nil && n >= 0 {
		total = n
	}
	return page[T]{items: l.items, tally: l.tally, next: resp.header.Get("Elements-Next-Page-Token"), total: total}, nil
}
