package validate

import (
	"strings"
	"testing"
)

func TestCheckName(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{
		"Support desk": "",
		"a  b":         "",
		"":             "must not be empty",
		" \t":          "must not be empty",
		" Support":     `write it as "Support"`,
		"Support\n":    `write it as "Support"`,
	} {
		err := CheckName(name)
		switch {
		case want == "" && err != nil:
			t.Errorf("CheckName(%q) = %v, want nil", name, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("CheckName(%q) = %v, want an error with %q", name, err, want)
		}
	}
}
