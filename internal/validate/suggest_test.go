package validate

import (
	"strings"
	"testing"
)

// TestSuggest: close names are suggested, far ones and exact ones are not.
func TestSuggest(t *testing.T) {
	elements := []string{"freshdeskv2", "zendesk", "jira", "sfdc"}
	for _, tc := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"freshdesk", elements, "freshdeskv2"},
		{"FreshdeskV", elements, "freshdeskv2"},
		{"zendek", elements, "zendesk"},
		{"chek", []string{"check", "notify", "call-notify"}, "check"},
		{"trigger_instanc", []string{"trigger_instance", "target"}, "trigger_instance"},
		{"salesforce", elements, ""},
		{"check", []string{"check", "chuck"}, ""},
		{"a", []string{"b", "c"}, ""},
		{"x", nil, ""},
		{"ab", []string{"ac", "ab2"}, "ab2"}, // a tie at one edit: the first in sorted order
	} {
		if got := Suggest(tc.got, tc.candidates); got != tc.want {
			t.Errorf("Suggest(%q, %q) = %q, want %q", tc.got, tc.candidates, got, tc.want)
		}
	}
	if got := DidYouMean("chek", []string{"check"}); got != ` Did you mean "check"?` {
		t.Errorf("DidYouMean = %q", got)
	}
	if got := DidYouMean("zzz", []string{"check"}); got != "" {
		t.Errorf("DidYouMean far = %q", got)
	}
	if got := QuotedList([]string{"b", "a"}); got != `"a", "b"` {
		t.Errorf("QuotedList = %q", got)
	}
	if got := QuotedList(nil); !strings.Contains(got, "none") {
		t.Errorf("QuotedList(nil) = %q", got)
	}
}

// TestParseIDNamesTheKind: a formula id is never called an instance id.
func TestParseIDNamesTheKind(t *testing.T) {
	for kind, want := range map[string]string{
		"formula":          `"abc" is not a formula id; expected the numeric id Cloud Elements shows for the formula`,
		"instance":         `"abc" is not an instance id; expected the numeric id Cloud Elements shows for the instance`,
		"formula instance": `"abc" is not a formula instance id; expected the numeric id Cloud Elements shows for the formula instance`,
	} {
		_, err := ParseID(kind, "abc")
		if err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseID(%q) = %v, want %q...", kind, err, want)
		}
	}
	if _, err := ParseFormulaID("12"); err != nil {
		t.Error(err)
	}
}
