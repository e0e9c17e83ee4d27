package provider

import (
	"strings"
	"testing"
)

// TestScriptTextMeaning: bodies that differ in whitespace only mean the
// same; any other difference, a space removed between tokens included, is
// a change.
func TestScriptTextMeaning(t *testing.T) {
	for _, c := range []struct {
		a, b string
		same bool
	}{
		{"done(x);\n", "done(x);", true},
		{"  var a = 1;   \r\n  done(a);\n\n", "var a = 1;\ndone(a);", true},
		{"if (a) {\n\treturn b;\n}", "if (a) {\n    return b;\n}", true},
		{"var a = 1;", "var a = 2;", false},
		{"var a", "vara", false},
		{"", " ", true},
	} {
		if got := (scriptText{}).same(c.a, c.b); got != c.same {
			t.Errorf("same(%q, %q) = %v, want %v", c.a, c.b, got, c.same)
		}
	}
}

// TestCheckConfigList: a configuration is a JSON array of objects, each
// with a type; the refusal shows what to write.
func TestCheckConfigList(t *testing.T) {
	for raw, want := range map[string]string{
		`[{"type":"remove"}]`:                           "",
		`[{"type":"passThrough","properties":{"a":1}}]`: "",
		`[]`:                     "",
		`{"type":"remove"}`:      "must be a JSON array",
		`[{"properties":{}}]`:    "entry 0 has no type",
		`[{"type":" "}]`:         "entry 0 has no type",
		`not json`:               "must be a JSON array",
		`[{"type":"remove"}, 1]`: "must be a JSON array",
	} {
		err := checkConfigList(raw)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s refused: %v", raw, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: got %v, want an error containing %q", raw, err, want)
		}
	}
}
