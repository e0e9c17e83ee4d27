package cloudelements

import (
	"strings"
	"testing"
)

// Issue 27 item 9 and the previous round's split echo: a secret echoed in
// two halves, anywhere and in any order (an error's message and provider
// message, two places of one URL), shows at most its shorter part.
func TestMaskerHalvesOfShortSecret(t *testing.T) {
	const secret = "FAKEkey-3K&k/e<y>Vb" // 19 bytes: no 16-byte fragments
	var m masker
	m.add(secret)
	for _, text := range []string{
		"state=" + secret[:9] + "&redirect=x&scope=" + secret[9:], // two places of one URL
		secret[10:] + " rejected; key begins " + secret[:10],      // the halves swapped
		"k=" + secret[:12], // more than half
		"k=" + secret[5:],  // the longer end
	} {
		out := m.Replace(text)
		for _, part := range []string{secret[:9], secret[len(secret)-9:]} {
			if strings.Contains(out, part) {
				t.Errorf("%q shows half %q: %q", text, part, out)
			}
		}
	}
	// Swapped across two fields: message ends with the second half,
	// provider message starts with the first.
	a, b := m.ReplacePair("rejected "+secret[9:], secret[:9]+" was the key")
	if strings.Contains(a+b, secret[:9]) || strings.Contains(a+b, secret[9:]) {
		t.Errorf("swapped halves shown: %q / %q", a, b)
	}
	// Shorter than half, and unrelated text, stay.
	if out := m.Replace("FAKE and Vb and ordinary words"); out != "FAKE and Vb and ordinary words" {
		t.Errorf("less than half masked: %q", out)
	}
}

// A token seen only in a listing is masked in halves too.
func TestMaskerListedTokenHalves(t *testing.T) {
	const tok = "FAKEtok-T0k/en+=&1"
	var m masker
	m.addWhole(tok)
	if out := m.Replace("desk " + tok[:10] + " end " + tok[8:]); strings.Contains(out, tok[:9]) || strings.Contains(out, tok[9:]) {
		t.Errorf("a listed token's halves shown: %q", out)
	}
}
