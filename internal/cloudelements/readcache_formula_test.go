package cloudelements

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// formulaInstanceStore serves GET /formulas/instances (one page), GET of
// one formula instance and DELETE /formulas/9, counting listings.
type formulaInstanceStore struct {
	mu    sync.Mutex
	lists int
	gets  int
}

func (s *formulaInstanceStore) item(id int) string {
	return fmt.Sprintf(`{"id":%d,"name":"fi-%d","active":true,"formulaId":9,"configuration":{"desk":"1"},"settings":{}}`, id, id)
}

func (s *formulaInstanceStore) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	r.URL.Path = strings.TrimPrefix(r.URL.Path, "/elements/api-v2")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/formulas/instances":
		s.lists++
		items := make([]string, 0, 5)
		for id := 1; id <= 5; id++ {
			items = append(items, s.item(id))
		}
		_, _ = w.Write([]byte("[" + strings.Join(items, ",") + "]"))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/formulas/9/instances/"):
		s.gets++
		var id int
		_, _ = fmt.Sscanf(strings.TrimPrefix(r.URL.Path, "/formulas/9/instances/"), "%d", &id)
		_, _ = w.Write([]byte(s.item(id)))
	case r.Method == http.MethodDelete && r.URL.Path == "/formulas/9":
		_, _ = w.Write([]byte("{}"))
	default:
		http.NotFound(w, r)
	}
}

// A formula's delete may take its formula instances with it: a listing
// fetched before it must not answer for them.
func TestReadFormulaInstanceListingDroppedByFormulaDelete(t *testing.T) {
	t.Parallel()
	s := &formulaInstanceStore{}
	c := newTestClient(t, s, func(cfg *Config) { cfg.BatchReads.MinReads = 1 })
	read := func(id int64) {
		t.Helper()
		fi, err := c.ReadFormulaInstance(t.Context(), 9, id, nil)
		if err != nil || fi.ID != id || fi.FormulaID != 9 {
			t.Fatalf("read %d: %+v, %v", id, fi, err)
		}
	}
	read(1) // by GET
	read(2) // from the listing
	if s.lists != 1 || s.gets != 1 {
		t.Fatalf("lists=%d gets=%d, want 1 and 1", s.lists, s.gets)
	}
	if err := c.DeleteFormula(t.Context(), 9); err != nil {
		t.Fatal(err)
	}
	read(3)
	if s.lists != 2 {
		t.Fatalf("lists=%d after the formula's delete, want a new listing (2)", s.lists)
	}
	// A listed formula instance of another formula than asked is read by GET.
	if _, err := c.ReadFormulaInstance(t.Context(), 8, 4, nil); err == nil {
		t.Fatal("formula instance 4 of formula 8 answered from the listing of formula 9's")
	}
}
