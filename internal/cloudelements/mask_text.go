package cloudelements

import (
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

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
func sanitize(s string) string { return stripControls(s, false) }

// StripTerminalControls is sanitize for text that keeps its lines: escape
// sequences, control characters and bidi controls removed, invalid UTF-8
// replaced, newlines and tabs kept (carriage returns, which let a line
// overwrite itself, dropped). For values read into state, which Terraform
// prints raw as heredoc lines.
func StripTerminalControls(s string) string { return stripControls(s, true) }

func stripControls(s string, keepLines bool) string {
	clean := true
	for _, r := range s {
		if (r < 0x20 && (!keepLines || (r != '\n' && r != '\t'))) || (r >= 0x7f && r < 0xa0) || isBidiControl(r) || r == utf8.RuneError {
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
		case keepLines && (r == '\t' || r == '\n'):
			b.WriteRune(r)
		case r == '\t' || r == '\n' || r == '\r' && !keepLines:
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

// foldRune decodes one rune into the form loose matching compares: NFKC
// (fullwidth and other compatibility forms become plain), lower case, and
// nothing at all for an invisible character (format characters such as
// the soft hyphen and zero-width space, and the other default-ignorables).
func foldRune(b []byte) ([]byte, int) {
	if b[0] < utf8.RuneSelf {
		return asciiLower[b[0] : b[0]+1], 1
	}
	r, n := utf8.DecodeRune(b)
	if r == utf8.RuneError || isInvisible(r) {
		if r == utf8.RuneError && n == 1 {
			return nil, 0 // keep an invalid byte as it is
		}
		return []byte{}, n
	}
	return []byte(strings.ToLower(norm.NFKC.String(string(r)))), n
}

// asciiLower maps every ASCII byte to its lower case.
var asciiLower = func() []byte {
	b := make([]byte, utf8.RuneSelf)
	for i := range b {
		b[i] = byte(i)
		if i >= 'A' && i <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return b
}()

func isInvisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		r == 0x034f || r == 0x115f || r == 0x1160 || r == 0x3164 || r == 0xffa0 || unicode.Is(unicode.Mn, r) && r >= 0x180b && r <= 0x180f
}
