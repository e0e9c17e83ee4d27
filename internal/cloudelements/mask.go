package cloudelements

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// masker replaces every secret a Client knows with "<redacted>", in every
// form the platform might echo it: as written, JSON-escaped (any \uXXXX,
// escaped up to three times), URL-encoded, HTML-escaped, base64 (standard
// or URL alphabet, any alignment), in another case, in a Unicode
// compatibility form (fullwidth), with invisible characters inside, and in
// part (any 16-byte fragment of a secret of 24 bytes or more; any prefix or
// suffix of at least half a shorter one of minFuzzy bytes or more). It
// never forgets a secret.
//
// Adding a secret inserts its forms into hash tables, and a pass rolls one
// hash per distinct pattern length over the text: the cost of a pass grows
// with the text and the number of distinct lengths, not with the number of
// secrets, and adding costs the same whatever is known already.
//
// Every non-empty secret is masked as written, even one shorter than 4
// characters: that can garble unrelated text, but unreadable beats leaked.
// The loose forms (case, Unicode forms, invisible characters, base64,
// fragments) are matched only for secrets of minFuzzy bytes or more: for a
// short secret they would match ordinary words and turn the rest of a
// message into a pattern that gives the secret away.
type masker struct {
	mu    sync.RWMutex
	known map[string]bool // secret -> fragments registered
	exact patterns        // matched on the text and its decoded views
	fuzzy patterns        // folded forms, matched on folded views
	// reach is the longest an echo of a secret can be in the text: a byte
	// percent-encoded and then JSON-escaped takes 18 bytes; 1 KiB more
	// allows for invisible characters inside it.
	reach int
}

const (
	// minFuzzy is the shortest secret matched in its loose forms.
	minFuzzy = 8
	// fragmentLen is the length of a partial echo that is masked; only
	// secrets of minFragmented bytes or more are masked by fragment, so
	// a fragment is at most two thirds of the secret.
	fragmentLen   = 16
	minFragmented = 24
)

// halves are the prefixes and suffixes of s at least half its length: a
// secret cut in two anywhere (one part in an error's message, the rest in
// its provider message or further on) shows no more than its shorter part.
// For secrets shorter than minFragmented, which have no fragments.
func halves(s string) []string {
	var out []string
	for n := len(s) / 2; n < len(s); n++ {
		out = append(out, s[:n], s[len(s)-n:])
	}
	return out
}

// add remembers secrets, each with its fragments; empty strings are ignored.
func (m *masker) add(secrets ...string) { m.addSecrets(true, secrets) }

// addWhole remembers secrets without their fragments, only their two
// halves: tokens seen in a listing, many and never sent by this process.
func (m *masker) addWhole(secrets ...string) { m.addSecrets(false, secrets) }

func (m *masker) addSecrets(fragments bool, secrets []string) {
	m.mu.RLock()
	missing := false
	for _, s := range secrets {
		if frag, ok := m.known[s]; s != "" && (!ok || fragments && !frag) {
			missing = true
			break
		}
	}
	m.mu.RUnlock()
	if !missing {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.known == nil {
		m.known = map[string]bool{}
	}
	for _, s := range secrets {
		frag, ok := m.known[s]
		if s == "" || ok && (frag || !fragments) {
			continue
		}
		if !ok {
			m.addForms(s)
		}
		if fragments && len(s) >= minFragmented {
			for i := 0; i+fragmentLen <= len(s); i++ {
				m.exact.add(s[i : i+fragmentLen])
			}
		} else if fragments && len(s) >= minFuzzy {
			for _, part := range halves(s) {
				m.exact.add(part)
			}
		}
		if !ok && !fragments && len(s) >= minFuzzy {
			// A listed token: its two halves only (two patterns, whatever
			// its length), so that it is never shown cut in two.
			m.exact.add(s[:len(s)/2])
			m.exact.add(s[len(s)-len(s)/2:])
		}
		m.known[s] = fragments
	}
}

func (m *masker) addForms(s string) {
	m.reach = max(m.reach, 18*len(s)+1024)
	q := url.QueryEscape(s)
	for _, f := range []string{s, sanitize(s), q, percentHex.ReplaceAllStringFunc(q, strings.ToLower)} {
		m.exact.add(f)
	}
	if len(s) < minFuzzy {
		return
	}
	m.fuzzy.add(string(identityView(s).decode(foldRune).text))
	for _, enc := range []*base64.Encoding{base64.RawStdEncoding, base64.RawURLEncoding} {
		for _, f := range base64Forms(enc, s) {
			m.exact.add(f)
		}
	}
}

var percentHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// base64Forms are the characters of s's base64 encoding that depend on s
// alone, for each of the three alignments s can have inside a longer
// encoded text (so padding does not matter either).
func base64Forms(enc *base64.Encoding, s string) []string {
	var out []string
	for k := range 3 {
		e := enc.EncodeToString(append(make([]byte, k), s...))
		from, to := (8*k+5)/6, 8*(k+len(s))/6
		if to-from >= minFuzzy {
			out = append(out, e[from:to])
		}
	}
	return out
}

// Replace masks every secret in s.
func (m *masker) Replace(s string) string {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.known) == 0 || s == "" {
		return s
	}
	return maskSpans(s, m.spans(s))
}

// ReplacePair masks a and b as one text, so that a secret whose first part
// ends a and whose rest starts b (a message and the provider's message)
// is masked in both.
func (m *masker) ReplacePair(a, b string) (string, string) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if len(m.known) == 0 {
		return a, b
	}
	var sa, sb [][2]int
	for _, sp := range m.spans(a + b) {
		if sp[0] < len(a) {
			sa = append(sa, [2]int{sp[0], min(sp[1], len(a))})
		}
		if sp[1] > len(a) {
			sb = append(sb, [2]int{max(sp[0], len(a)) - len(a), sp[1] - len(a)})
		}
	}
	return maskSpans(a, sa), maskSpans(b, sb)
}

// Cut masks s, then cuts it to n bytes: masking first means a secret split by
// the cut never shows its first half. Only a prefix long enough to fill n
// bytes after masking is masked, so a large body costs little.
func (m *masker) Cut(s string, n int) string {
	m.mu.RLock()
	reach := m.reach
	m.mu.RUnlock()
	// An echo cut at p starts after p-reach, so once the masked prefix is at
	// least n+reach long, its first n bytes hold no part of that echo.
	for p := n + reach + 16; ; p *= 2 {
		if p >= len(s) {
			return shorten(m.Replace(s), n)
		}
		if out := m.Replace(s[:p]); len(out) >= n+reach {
			return shorten(out, n)
		}
	}
}

// spans finds every echo in s: the exact forms in s and in its decoded
// views (mixed escapes, JSON escaped up to three times as in an echoed
// request body inside a message inside a log line), the folded forms in
// folded views.
func (m *masker) spans(s string) [][2]int {
	v := identityView(s)
	views := []view{v}
	hasJSON, hasPercent := strings.Contains(s, `\`), strings.Contains(s, "%")
	if hasPercent {
		views = append(views, v.decode(percentEscape))
	}
	jv := v
	for i := 0; i < 3 && hasJSON && bytes.IndexByte(jv.text, '\\') >= 0; i++ {
		jv = jv.decode(jsonEscape)
		views = append(views, jv)
		if hasPercent {
			views = append(views, jv.decode(percentEscape))
		}
	}
	if strings.Contains(s, "&") {
		views = append(views, v.decode(htmlEntity))
	}
	var spans [][2]int
	for _, w := range views {
		spans = m.exact.find(w, spans)
	}
	if len(m.fuzzy.lens) > 0 {
		spans = m.fuzzy.find(v.decode(foldRune), spans)
		if hasJSON {
			spans = m.fuzzy.find(jv.decode(foldRune), spans)
		}
	}
	return slices.DeleteFunc(spans, func(sp [2]int) bool { return !standsAlone(s, sp) })
}

// minEmbedded is the shortest echo masked inside a word. A shorter secret
// is masked only where it stands alone: masked inside words it would turn
// every message into a pattern that gives it away ("in***tance" says the
// secret is "s").
const minEmbedded = 4

func standsAlone(s string, sp [2]int) bool {
	if sp[1]-sp[0] >= minEmbedded {
		return true
	}
	return (sp[0] == 0 || !isWordByte(s[sp[0]-1])) && (sp[1] >= len(s) || !isWordByte(s[sp[1]]))
}

func isWordByte(b byte) bool {
	return b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= 0x80
}

// maskSpans replaces the union of spans in s with redacted.
func maskSpans(s string, spans [][2]int) string {
	if len(spans) == 0 {
		return s
	}
	hide := make([]bool, len(s)+1)
	for _, sp := range spans {
		for i := sp[0]; i < sp[1]; i++ {
			hide[i] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if !hide[i] {
			b.WriteByte(s[i])
			continue
		}
		b.WriteString(redacted)
		for i+1 < len(s) && hide[i+1] {
			i++
		}
	}
	return b.String()
}

// patterns is a set of strings found by Rabin-Karp: one hash table per
// pattern length, so adding one is O(its length) and a search rolls one
// hash per distinct length.
type patterns struct {
	byLen map[int]*lenTable
	lens  []int
}

type lenTable struct {
	pow uint64 // hashBase^length, to drop the byte leaving the window
	set map[uint64][]string
	// seen is a bit per hash prefix, at least 16 bits per pattern, so that
	// most windows are passed over without a map lookup.
	seen  []uint64
	shift uint64 // 64 - log2(bits in seen)
	count int
}

func (t *lenTable) mark(h uint64) {
	bit := h >> t.shift
	t.seen[bit/64] |= 1 << (bit % 64)
}

func (t *lenTable) maybe(h uint64) bool {
	bit := h >> t.shift
	return t.seen[bit/64]&(1<<(bit%64)) != 0
}

// grow doubles the filter while it has fewer than 16 bits per pattern.
func (t *lenTable) grow() {
	if len(t.seen)*64 >= 16*t.count {
		return
	}
	t.seen = make([]uint64, 2*len(t.seen))
	t.shift--
	for h := range t.set {
		t.mark(h)
	}
}

const hashBase = 1099511628211

func (p *patterns) add(s string) {
	if s == "" {
		return
	}
	if p.byLen == nil {
		p.byLen = map[int]*lenTable{}
	}
	t := p.byLen[len(s)]
	if t == nil {
		t = &lenTable{pow: 1, set: map[uint64][]string{}, seen: make([]uint64, 16), shift: 64 - 10}
		for range len(s) {
			t.pow *= hashBase
		}
		p.byLen[len(s)] = t
		p.lens = append(p.lens, len(s))
	}
	h := hashOf(s)
	for _, have := range t.set[h] {
		if have == s {
			return
		}
	}
	t.set[h] = append(t.set[h], s)
	t.count++
	t.mark(h)
	t.grow()
}

func hashOf(s string) uint64 {
	var h uint64
	for i := 0; i < len(s); i++ {
		h = h*hashBase + uint64(s[i])
	}
	return h
}

// find appends the original spans of every pattern in the view w.
func (p *patterns) find(w view, spans [][2]int) [][2]int {
	text := w.text
	for _, n := range p.lens {
		if n > len(text) {
			continue
		}
		t := p.byLen[n]
		var h uint64
		for i := range n {
			h = h*hashBase + uint64(text[i])
		}
		for a := 0; ; a++ {
			if t.maybe(h) {
				for _, c := range t.set[h] {
					if string(text[a:a+n]) == c {
						spans = append(spans, [2]int{int(w.start[a]), int(w.end[a+n-1])})
						break
					}
				}
			}
			if a+n >= len(text) {
				break
			}
			h = h*hashBase + uint64(text[a+n]) - t.pow*uint64(text[a])
		}
	}
	return spans
}
