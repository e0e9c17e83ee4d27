package cloudelements

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// echoForms are the ways a platform may echo secret s in a body: every form
// a masker must catch.
func echoForms(s string) []string {
	forms := []string{s, html.EscapeString(s), url.QueryEscape(s), url.PathEscape(s)}
	for _, escapeHTML := range []bool{true, false} {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(escapeHTML)
		_ = enc.Encode(s)
		j := strings.TrimSuffix(strings.TrimSpace(b.String()), `"`)[1:]
		forms = append(forms, j, strings.ReplaceAll(j, "/", `\/`))
	}
	// Every character as \uXXXX, and every other one.
	var all, half strings.Builder
	for i, r := range s {
		esc := fmt.Sprintf(`\u%04x`, r)
		if r > 0xffff { // a surrogate pair, as JSON writes it
			esc = fmt.Sprintf(`\u%04x\u%04x`, 0xd800+((r-0x10000)>>10), 0xdc00+((r-0x10000)&0x3ff))
		}
		all.WriteString(esc)
		if i%2 == 0 {
			half.WriteString(esc)
		} else {
			half.WriteRune(r)
		}
	}
	// A JSON-escaped echo of a path-escaped secret (a URL inside JSON).
	q, _ := json.Marshal(url.PathEscape(s))
	return append(forms, all.String(), half.String(), strings.Trim(string(q), `"`))
}

// shows reports whether secret can be read in out, as written or through
// any decoding the masker knows, the masker's markers not counting.
func shows(out, secret string) bool {
	v := identityView(strings.ReplaceAll(out, redacted, "\x00"))
	jv := v.decode(jsonEscape)
	for _, w := range []view{v, jv, v.decode(percentEscape), jv.decode(percentEscape), v.decode(htmlEntity)} {
		if strings.Contains(string(w.text), secret) {
			return true
		}
	}
	return false
}

func TestMaskerEveryForm(t *testing.T) {
	secrets := []string{"fd-APIKEY-55aa66", "sig&<key>/\"q\\", "T0KEN/abc+def=", "ü-€-𝄞-key", "a b%c"}
	var m masker
	m.add(secrets...)
	for _, s := range secrets {
		for _, f := range echoForms(s) {
			body := `{"message":"echo ` + f + ` end"}`
			out := m.Replace(body)
			if shows(out, s) || strings.Contains(out, f) {
				t.Errorf("secret %q in form %q survives in %q", s, f, out)
			}
			if !strings.Contains(out, "echo ") || !strings.Contains(out, " end") {
				t.Errorf("masking ate the text around %q: %q", f, out)
			}
		}
	}
}

func TestMaskerCutsAfterMasking(t *testing.T) {
	var m masker
	secret := "usr-SECRET-1f2e3d"
	m.add(secret)
	text := strings.Repeat("x", 95) + secret + " tail"
	for n := 90; n < 120; n++ {
		out := m.Cut(text, n)
		if strings.Contains(out, "usr-") || strings.Contains(out, "usr-SECRET"[:4]) {
			t.Errorf("cut at %d shows the secret's first part: %q", n, out)
		}
	}
	// Many secrets before the cut shrink the text: the part after them
	// must still be masked whole.
	many := strings.Repeat(secret, 400) + secret
	if out := m.Cut(many, 2000); strings.Contains(out, "usr") {
		t.Errorf("leak after shrinking: %q", out)
	}
	if got := m.Cut("short", 2000); got != "short" {
		t.Errorf("Cut changed plain text: %q", got)
	}
}

func TestMaskerNeverStops(t *testing.T) {
	var m masker
	for i := range 10000 {
		m.add(fmt.Sprintf("token-%05d-abcdef", i))
	}
	last := "token-09999-abcdef"
	if out := m.Replace("x " + last + " y"); strings.Contains(out, last) {
		t.Errorf("token 10000 not masked: %q", out)
	}
	m.add("") // ignored
	if got := m.Replace(""); got != "" {
		t.Errorf("empty text became %q", got)
	}
}

// A secret shorter than 4 characters is masked too (documented choice).
func TestMaskerShortSecret(t *testing.T) {
	var m masker
	m.add("k9")
	if out := m.Replace("key=k9;"); strings.Contains(out, "k9") {
		t.Errorf("short secret survives: %q", out)
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                     "plain text",
		"red \x1b[31mALERT\x1b[0m done":  "red ALERT done",
		"title \x1b]0;pwned\x07 after":   "title  after",
		"osc \x1b]8;;http://x\x1b\\link": "osc link",
		"bell\x07 nul\x00 del\x7f":       "bell nul del",
		"c1 \u009b31m csi":               "c1  csi",
		"lines\r\nand\ttabs":             "lines  and tabs",
		"bidi \u202eevil\u202c":          "bidi evil",
		"bad \xff utf8":                  "bad \uFFFD utf8",
	} {
		if got := sanitize(in); got != want {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactJSONSecretKeys(t *testing.T) {
	got, ok := RedactJSON([]byte(`{"Token":"T1","TOKEN":"T2","a":{"accessToken":"T3","configuration":{"Event.Notification.Signature.Key":"S","subdomain":"acme"}}}`))
	if !ok {
		t.Fatal("not JSON")
	}
	for _, s := range []string{"T1", "T2", "T3", `"S"`} {
		if strings.Contains(got, s) {
			t.Errorf("%s in %s", s, got)
		}
	}
	if !strings.Contains(got, "acme") {
		t.Errorf("subdomain redacted: %s", got)
	}
}

// BenchmarkMask masks a 2 KiB error body with 20,000 tokens known, plain
// and with JSON escapes (which adds the decoded views).
func BenchmarkMask(b *testing.B) {
	var m masker
	for i := range MaxListItems {
		m.add(fmt.Sprintf("tok%05d/abcdefghij+klmn=", i))
	}
	for name, unit := range map[string]string{
		"plain":   `{"message":"nothing secret here, id 12345 and more"} `,
		"escaped": `{"message":"nothing secret here, id 12345 \u0026 more"} `,
	} {
		text := strings.Repeat(unit, 40)
		m.Replace(text) // builds the replacer once
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for range b.N {
				m.Replace(text)
			}
		})
	}
}

func FuzzMask(f *testing.F) {
	f.Add("usr-SECRET-1f2e3d", "pre ", " post", uint8(0), uint8(10))
	f.Add(`sig&<key>/"q\`, `{"m":"`, `"}`, uint8(3), uint8(1))
	f.Add("ü€𝄞 x", "", "", uint8(7), uint8(0))
	f.Add("0", "", "1", uint8(0), uint8(0)) // a short secret inside a word stays (see standsAlone)
	f.Fuzz(func(t *testing.T, secret, pre, post string, pick, cut uint8) {
		if secret == "" || !utf8.ValidString(secret) || strings.ContainsRune(secret, 0) ||
			shows(pre, secret) || shows(post, secret) {
			return // nothing to hide, or the text around the echo holds it already
		}
		if len(secret) < minEmbedded {
			// A short secret is masked only where it stands alone.
			if pre != "" && isWordByte(pre[len(pre)-1]) {
				pre += " "
			}
			if post != "" && isWordByte(post[0]) {
				post = " " + post
			}
		}
		var m masker
		m.add(secret)
		forms := echoForms(secret)
		body := pre + forms[int(pick)%len(forms)] + post
		out := m.Replace(body)
		if shows(out, secret) && !shows(pre+"\x00"+post, secret) {
			t.Fatalf("secret %q survives in %q (from %q)", secret, out, body)
		}
		// Cut masks first: the same as masking all, then cutting.
		n := len(pre) + int(cut)
		if got, want := m.Cut(body, n), shorten(out, n); got != want {
			t.Fatalf("Cut(%q, %d) = %q, mask then cut gives %q", body, n, got, want)
		}
	})
}

// A one-letter secret is masked where it stands alone, never inside words:
// "in<redacted>tance" everywhere would give it away.
func TestMaskShortSecretOnlyStandingAlone(t *testing.T) {
	var m masker
	m.add("s")
	got := m.Replace(`instance secret "s" s`)
	if want := `instance secret "` + redacted + `" ` + redacted; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
