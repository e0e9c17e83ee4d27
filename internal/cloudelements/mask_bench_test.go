package cloudelements

import (
	"encoding/json"
	"fmt"
	"testing"
)

// listingPage is one logged page of n instances, each with its token, as
// the client logs it at TRACE (tokens redacted by key, the rest as answered).
func listingPage(page, n int) (string, []string) {
	items := make([]map[string]any, n)
	toks := make([]string, n)
	for i := range n {
		id := page*n + i
		toks[i] = fmt.Sprintf("tok%06d/AbCdEfGhIj+KlMnOpQr=", id)
		items[i] = map[string]any{
			"id": id, "name": fmt.Sprintf("instance <%d> & co", id), "token": redacted,
			"configuration": map[string]any{"subdomain": fmt.Sprintf("acme-%d", id), "base.url": "https://x.example/api/v2"},
		}
	}
	b, _ := json.Marshal(items)
	return string(b), toks
}

// BenchmarkMaskListing is issue 18's figure: 20,000 instances over 100
// pages, every page's tokens remembered, then the page masked for the log.
// Before the incremental masker one run took about 25 s.
func BenchmarkMaskListing(b *testing.B) {
	const pages, perPage = 100, MaxListItems / 100
	bodies := make([]string, pages)
	toks := make([][]string, pages)
	for p := range pages {
		bodies[p], toks[p] = listingPage(p, perPage)
	}
	b.ResetTimer()
	for range b.N {
		var m masker
		for p := range pages {
			m.addWhole(toks[p]...)
			_ = m.Replace(bodies[p])
		}
	}
}
