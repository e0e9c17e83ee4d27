package cloudelements

import (
	"encoding/base64"
	"strings"
	"testing"
)

// fullwidth writes the ASCII letters and digits of s in their fullwidth forms.
func fullwidth(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + 0xff01
		}
		return r
	}, s)
}

// interleave puts sep after every rune of s but the last.
func interleave(s, sep string) string {
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		b.WriteRune(r)
		if i < len(rs)-1 {
			b.WriteString(sep)
		}
	}
	return b.String()
}

// Issue 19 item 4: transformed echoes are masked.
func TestMaskerTransformedEchoes(t *testing.T) {
	const secret = "FAKEkey-3K&k/e<y>Vb"
	var m masker
	m.add(secret)
	forms := map[string]string{
		"upper":          strings.ToUpper(secret),
		"lower":          strings.ToLower(secret),
		"fullwidth":      fullwidth(secret),
		"soft hyphens":   interleave(secret, "\u00ad"),
		"zero-width":     interleave(secret, "\u200b"),
		"base64 std":     base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 raw url": base64.RawURLEncoding.EncodeToString([]byte(secret)),
		"base64 inside":  base64.StdEncoding.EncodeToString([]byte("user:" + secret + "!")),
		"json fullwidth": `\uff26` + fullwidth(secret)[3:],
	}
	for name, f := range forms {
		out := m.Replace("echo " + f + " end")
		if !strings.Contains(out, redacted) || !strings.HasPrefix(out, "echo ") || !strings.HasSuffix(out, " end") {
			t.Errorf("%s: %q masked as %q", name, f, out)
		}
		for _, part := range []string{"3K&k", "3k&k", "Vb", "FAKE"} {
			if strings.Contains(out, part) {
				t.Errorf("%s: %q survives in %q", name, part, out)
			}
		}
	}
}

// A long secret echoed in part is masked by its fragments.
func TestMaskerPartialEcho(t *testing.T) {
	long := strings.Repeat("Zq8-", 1000) // 4,000 bytes
	var m masker
	m.add(long)
	out := m.Replace("half: " + long[1000:3000] + " end")
	if out != "half: "+redacted+" end" {
		t.Errorf("a half echo shows %d bytes: %.80q", len(out), out)
	}
	// A listed token is remembered whole only.
	var l masker
	l.addWhole(long)
	if out := l.Replace(long[:100]); out != long[:100] {
		t.Errorf("listed token fragment masked: %.40q", out)
	}
}

// Halves of a secret split across two texts are masked in both.
func TestMaskerReplacePair(t *testing.T) {
	const secret = "FAKEkey-3K&k/e<y>Vb"
	var m masker
	m.add(secret)
	a, b := m.ReplacePair("bad key "+secret[:9], secret[9:]+" rejected")
	if a != "bad key "+redacted || b != redacted+" rejected" {
		t.Errorf("halves shown: %q / %q", a, b)
	}
}

// Short secrets are masked as written only: their loose forms would match
// ordinary text and make the rest of the message give them away.
func TestMaskerShortSecretNotFuzzy(t *testing.T) {
	var m masker
	m.add("abc1")
	if out := m.Replace("ABC1 Abc1 abc1"); out != "ABC1 Abc1 "+redacted {
		t.Errorf("short secret matched loosely: %q", out)
	}
}
