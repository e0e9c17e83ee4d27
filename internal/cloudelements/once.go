package cloudelements

import (
	"context"
	"sync"
)

// onceCache asks the platform once per key for a Client's life (one
// Terraform run): concurrent callers of a key share one request, and the
// answer is kept when keep says the result is a fact about the key (found,
// or the platform's 404); any other failure is dropped, so a later call
// asks again. Element lookups and the plan-time formula reads use it.
type onceCache[V any] struct {
	mu      sync.Mutex
	entries map[string]*onceEntry[V]
}

type onceEntry[V any] struct {
	done chan struct{} // closed once v and err are set
	v    V
	err  error
}

// get returns the kept result for key, or runs fetch. onDone wraps the
// error of a caller whose ctx ends while it waits for another's fetch.
func (c *onceCache[V]) get(ctx context.Context, key string, fetch func() (V, error), onDone func(error) error) (V, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[string]*onceEntry[V]{}
	}
	e, found := c.entries[key]
	if !found {
		e = &onceEntry[V]{done: make(chan struct{})}
		c.entries[key] = e
	}
	c.mu.Unlock()
	if found {
		select {
		case <-e.done:
			return e.v, e.err
		case <-ctx.Done():
			var zero V
			return zero, onDone(context.Cause(ctx))
		}
	}
	e.v, e.err = fetch()
	if e.err != nil && !IsNotFound(e.err) {
		c.mu.Lock()
		delete(c.entries, key) // transient: ask again next time
		c.mu.Unlock()
	}
	close(e.done)
	return e.v, e.err
}
