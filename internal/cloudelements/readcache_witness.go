package cloudelements

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"slices"

	"github.com/hashicorp/go-hclog"
)

// Listings that lag writes (issue 26 item 4). A listing may answer the
// platform as it was some seconds ago (a search index): it would go on
// listing a formula deleted outside Terraform, or an instance with a token
// since revoked, and a refresh answered from it would keep them in state.
// Nothing in a listing says how old it is, so every read by GET of the run
// is a witness: the first MinReads reads of a kind go by GET anyway, and so
// does every read the listing cannot answer. A listing that disagrees with
// a witness (it lists an item a GET found gone, or with other values than
// the GET found, the Client not having written it in between) lags: from
// then on every read of that kind in this process goes by GET, and a
// listed item never answers while a witness GET is still under way.
//
// What lagging costs: a GET per read after the disagreement, as with
// batch_reads = false. What is left: a change outside Terraform, made
// within the listing's lag, to an item no read of the run witnessed, is
// seen when the listing catches up (the next refresh). Listings that are
// current cost nothing more: the witnesses are reads made by GET anyway.

// witnessLocked records what a GET of id found (nil: gone) and checks it
// against the listing.
func (r *readCache[T]) witnessLocked(ctx context.Context, c *Client, id int64, item *T) {
	fp := uint64(0) // gone
	if item != nil {
		fp = r.fingerprint(item)
	}
	r.witnesses[id] = fp
	r.checkLocked(ctx, c, id)
}

// checkLocked marks the listing lagging when it disagrees with the witness
// of id. An item this Client wrote is not compared: the write explains a
// difference.
func (r *readCache[T]) checkLocked(ctx context.Context, c *Client, id int64) {
	seen, witnessed := r.witnesses[id]
	listed, isListed := r.listed[id]
	if !witnessed || !isListed || r.written[id] || r.lagging || seen == listed {
		return
	}
	r.lagging = true
	r.items, r.stopped = map[int64]listedAt[T]{}, true
	c.logAt(ctx, hclog.Warn, "batch reads: the listing lags writes (it disagrees with a read by GET); reads go by GET",
		map[string]any{"path": r.src.path, "id": id})
}

// listLocked files the fingerprints of a page's items and checks them
// against the witnesses.
func (r *readCache[T]) listLocked(ctx context.Context, c *Client, items []T) {
	for i := range items {
		id := r.src.pages.id(&items[i])
		r.listed[id] = r.fingerprint(&items[i])
		r.checkLocked(ctx, c, id)
	}
}

// fingerprint hashes what the resources read of an item.
func (r *readCache[T]) fingerprint(item *T) uint64 {
	b, err := json.Marshal(r.src.fingerprint(item))
	if err != nil {
		return 1
	}
	h := fnv.New64a()
	_, _ = h.Write(b)
	return h.Sum64() | 1 // never 0, which stands for gone
}

// awaitWitnessesLocked waits while witness GETs are under way, so that a
// listed item never answers before they have been compared with the
// listing. It reports whether the listing may still answer.
func (r *readCache[T]) awaitWitnessesLocked(ctx context.Context) bool {
	for r.pending > 0 && ctx.Err() == nil {
		r.waitLocked(ctx)
	}
	return !r.lagging && ctx.Err() == nil
}

// getWitnessed runs get as a witness of id; the caller counted it in
// pending.
func (r *readCache[T]) getWitnessed(ctx context.Context, c *Client, id int64, get func() (*T, error)) (*T, error) {
	item, err := get()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending--
	switch {
	case err == nil:
		r.witnessLocked(ctx, c, id, item)
	case IsNotFound(err):
		r.witnessLocked(ctx, c, id, nil)
	}
	r.wakeLocked()
	return item, err
}

// The fingerprints of each kind: what its resources read.
func instanceFingerprint(i *Instance) any {
	tags := slices.Clone(i.Tags)
	slices.Sort(tags)
	return []any{i.Name, i.Token, tags, i.Disabled, i.Configuration}
}

func formulaFingerprint(f *Formula) any {
	return []any{f.Name, f.Description, f.Active, f.SingleThreaded, f.Configuration, f.Triggers, f.Steps}
}

func formulaInstanceFingerprint(fi *FormulaInstance) any {
	return []any{fi.Name, fi.Active, fi.FormulaID, fi.Configuration, fi.Settings}
}
