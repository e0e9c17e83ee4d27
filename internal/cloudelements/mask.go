package cloudelements

import (
	"bytes"
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// masker replaces every secret a Client knows with "<redacted>", in every
// form the platform might echo it: as written, JSON-escaped (Go's \u0026
// form, \/, any \uXXXX), URL-encoded and HTML-escaped. It never forgets a
// secret and has no size cap; the replacer is built once per change of the
// set, so a pass costs the same however often it runs.
//
// Every non-empty secret is masked, even one shorter than 4 characters: that
// can garble unrelated text where those characters occur, but a short secret
// is still a secret, and unreadable beats leaked.
type masker struct {
	mu      sync.RWMutex
	secrets map[string]struct{}
	built   *maskSet // nil after a change, rebuilt on the next use
}

// maskSet is one build of the masker.
type maskSet struct {
	forms   *strings.Replacer // every form of every secret
	plain   *strings.Replacer // secrets as written, to test a decoded view
	written []string          // secrets as written, longest first
	// reach is the longest an echo of a secret can be: a byte percent-encoded
	// and then each character JSON-escaped takes 18 bytes (escaping the
	// escapes again adds less).
	reach int
}

// add remembers secrets; empty strings are ignored.
func (m *masker) add(secrets ...string) {
	m.mu.RLock()
	missing := false
	for _, s := range secrets {
		if _, ok := m.secrets[s]; !ok && s != "" {
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
	if m.secrets == nil {
		m.secrets = map[string]struct{}{}
	}
	for _, s := range secrets {
		if _, ok := m.secrets[s]; !ok && s != "" {
			m.secrets[s] = struct{}{}
			m.built = nil
		}
	}
}

func (m *masker) set() *maskSet {
	m.mu.RLock()
	ms := m.built
	m.mu.RUnlock()
	if ms != nil {
		return ms
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.built == nil && len(m.secrets) > 0 {
		m.built = buildMaskSet(m.secrets)
	}
	return m.built
}

func buildMaskSet(secrets map[string]struct{}) *maskSet {
	ms := &maskSet{}
	seen := map[string]bool{}
	var forms []string
	for s := range secrets {
		ms.written = append(ms.written, s)
		for _, f := range secretForms(s) {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
				ms.reach = max(ms.reach, len(f))
			}
		}
	}
	// Longest first, so a secret containing another is replaced whole.
	sortByLenDesc(forms)
	sortByLenDesc(ms.written)
	ms.reach = max(ms.reach, 18*len(ms.written[0]))
	ms.forms = strings.NewReplacer(pairs(forms)...)
	ms.plain = strings.NewReplacer(pairs(ms.written)...)
	return ms
}

func pairs(secrets []string) []string {
	out := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		out = append(out, s, redacted)
	}
	return out
}

var percentHex = regexp.MustCompile(`%[0-9A-F]{2}`)

// secretForms lists the forms of s an echo may carry. Mixed forms (some
// characters escaped, others not) are caught by the decoded views of
// maskSet.replace.
func secretForms(s string) []string {
	forms := []string{s, sanitize(s), html.EscapeString(s)}
	for _, escapeHTML := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		if enc.Encode(s) == nil {
			j := strings.TrimSuffix(strings.TrimSpace(b.String()), `"`)[1:]
			forms = append(forms, j, strings.ReplaceAll(j, "/", `\/`))
		}
	}
	for _, e := range []string{url.QueryEscape(s), url.PathEscape(s)} {
		forms = append(forms, e, percentHex.ReplaceAllStringFunc(e, strings.ToLower))
	}
	return forms
}

// Replace masks every secret in s.
func (m *masker) Replace(s string) string {
	ms := m.set()
	if ms == nil {
		return s
	}
	return ms.replace(s)
}

// Cut masks s, then cuts it to n bytes: masking first means a secret split by
// the cut never shows its first half. Only a prefix long enough to fill n
// bytes after masking is masked, so a large body costs little.
func (m *masker) Cut(s string, n int) string {
	ms := m.set()
	if ms == nil {
		return shorten(s, n)
	}
	// An echo cut at p starts after p-reach, so once the masked prefix is at
	// least n+reach long, its first n bytes hold no part of that echo.
	for p := n + ms.reach + 16; ; p *= 2 {
		if p >= len(s) {
			return shorten(ms.replace(s), n)
		}
		if out := ms.replace(s[:p]); len(out) >= n+ms.reach {
			return shorten(out, n)
		}
	}
}

func (ms *maskSet) replace(s string) string {
	s = ms.forms.Replace(s)
	if !strings.ContainsAny(s, `\%&`) {
		return s
	}
	// Mixed escapes: look for the secrets in decoded views of the text and
	// mask the original bytes they came from.
	v := identityView(s)
	var views []view
	hasJSON, hasPercent := strings.Contains(s, `\`), strings.Contains(s, "%")
	if hasPercent {
		views = append(views, v.decode(percentEscape))
	}
	// JSON inside a JSON string is escaped twice (an echoed request body in
	// a message), and a log line may quote it once more.
	for i, jv := 0, v; i < 3 && hasJSON && bytes.IndexByte(jv.text, '\\') >= 0; i++ {
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
		spans = append(spans, ms.find(w)...)
	}
	return maskSpans(s, spans)
}

// find returns the original spans of every secret in the decoded view w.
func (ms *maskSet) find(w view) [][2]int {
	text := string(w.text)
	if ms.plain.Replace(text) == text {
		return nil
	}
	var spans [][2]int
	for _, sec := range ms.written {
		for i := 0; ; {
			j := strings.Index(text[i:], sec)
			if j < 0 {
				break
			}
			a, b := i+j, i+j+len(sec)
			spans = append(spans, [2]int{int(w.start[a]), int(w.end[b-1])})
			i = a + 1
		}
	}
	return spans
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

// view is a decoded form of a text: text[i] came from the original bytes
// start[i] to end[i].
type view struct {
	text       []byte
	start, end []int32
}

func identityView(s string) view {
	v := view{text: []byte(s), start: make([]int32, len(s)), end: make([]int32, len(s))}
	for i := 0; i < len(s); i++ { // every byte, not every rune: a secret may end inside a multi-byte rune's bytes
		v.start[i], v.end[i] = int32(i), int32(i+1)
	}
	return v
}

// decode applies dec at every position of v: dec returns the decoded bytes
// and how many bytes it consumed (0 for none: the byte stays).
func (v view) decode(dec func([]byte) ([]byte, int)) view {
	w := view{text: make([]byte, 0, len(v.text)), start: make([]int32, 0, len(v.text)), end: make([]int32, 0, len(v.text))}
	for i := 0; i < len(v.text); {
		out, n := dec(v.text[i:])
		if n == 0 {
			out, n = v.text[i:i+1], 1
		}
		for _, c := range out {
			w.text = append(w.text, c)
			w.start = append(w.start, v.start[i])
			w.end = append(w.end, v.end[i+n-1])
		}
		i += n
	}
	return w
}

// jsonEscape decodes one JSON escape (\" \\ \/ \b \f \n \r \t \uXXXX,
// surrogate pairs included).
func jsonEscape(b []byte) ([]byte, int) {
	if len(b) < 2 || b[0] != '\\' {
		return nil, 0
	}
	switch b[1] {
	case '"', '\\', '/':
		return b[1:2], 2
	case 'b':
		return []byte{'\b'}, 2
	case 'f':
		return []byte{'\f'}, 2
	case 'n':
		return []byte{'\n'}, 2
	case 'r':
		return []byte{'\r'}, 2
	case 't':
		return []byte{'\t'}, 2
	case 'u':
		r, ok := hexRune(b[2:])
		if !ok {
			return nil, 0
		}
		n := 6
		if r >= 0xD800 && r < 0xDC00 && len(b) >= 12 && b[6] == '\\' && b[7] == 'u' {
			if lo, ok := hexRune(b[8:]); ok && lo >= 0xDC00 && lo < 0xE000 {
				r, n = 0x10000+(r-0xD800)<<10+(lo-0xDC00), 12
			}
		}
		return utf8.AppendRune(nil, r), n
	}
	return nil, 0
}

func hexRune(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		d, ok := hexDigit(c)
		if !ok {
			return 0, false
		}
		r = r<<4 | rune(d)
	}
	return r, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// percentEscape decodes one %XX.
func percentEscape(b []byte) ([]byte, int) {
	if len(b) < 3 || b[0] != '%' {
		return nil, 0
	}
	hi, ok1 := hexDigit(b[1])
	lo, ok2 := hexDigit(b[2])
	if !ok1 || !ok2 {
		return nil, 0
	}
	return []byte{hi<<4 | lo}, 3
}

// htmlEntity decodes one character reference (&amp; &#38; &#x26;).
func htmlEntity(b []byte) ([]byte, int) {
	if len(b) < 3 || b[0] != '&' {
		return nil, 0
	}
	end := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if end < 0 {
		return nil, 0
	}
	ref := string(b[:end+1])
	if dec := html.UnescapeString(ref); dec != ref {
		return []byte(dec), end + 1
	}
	return nil, 0
}

// sanitize makes platform text safe for a terminal: escape sequences (CSI,
// OSC and other ESC sequences) and control characters (C0, DEL, C1) are
// removed, tabs and line breaks become spaces, invalid UTF-8 becomes U+FFFD,
// and the bidirectional overrides that can make text read differently
// than it is are dropped.
func sanitize(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || isBidiControl(r) || r == utf8.RuneError {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0x1b || r == 0x9b || r == 0x9d:
			i += escapeLen(s[i:])
			continue
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case r < 0x20 || (r >= 0x7f && r < 0xa0) || isBidiControl(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s (ESC or
// a C1 introducer): CSI up to its final byte, OSC up to BEL or ST, others
// two bytes.
func escapeLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	kind := r
	if r == 0x1b {
		if len(s) < 2 {
			return size
		}
		switch s[1] {
		case '[':
			kind, size = 0x9b, 2
		case ']', 'P', '_', '^', 'X':
			kind, size = 0x9d, 2
		default:
			return 2
		}
	}
	for i := size; i < len(s); i++ {
		c := s[i]
		if kind == 0x9b && c >= 0x40 && c <= 0x7e {
			return i + 1
		}
		if kind == 0x9d && (c == 0x07 || c == 0x1b && i+1 < len(s) && s[i+1] == '\\') {
			if c == 0x1b {
				return i + 2
			}
			return i + 1
		}
	}
	return len(s)
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0x200e || r == 0x200f || r == 0x061c
}
