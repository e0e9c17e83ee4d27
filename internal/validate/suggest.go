package validate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
)

// "Did you mean" for names the configuration gets wrong: element keys, step
// names, formula variables. The edit distance is agext/levenshtein's, the
// library HCL uses for its own suggestions.

// Suggest returns the candidate closest to got (ignoring case), or "" when
// none is close: at most two edits, and fewer edits than got has letters.
// Ties go to the candidate first in sorted order, so the text is stable.
func Suggest(got string, candidates []string) string {
	best, bestDist := "", 3
	g := strings.ToLower(got)
	sorted := slices.Clone(candidates)
	slices.Sort(sorted)
	for _, c := range sorted {
		if c == got {
			return "" // not a mistake
		}
		d := levenshtein.Distance(g, strings.ToLower(c), nil)
		if d < bestDist && d < len([]rune(got)) {
			best, bestDist = c, d
		}
	}
	return best
}

// DidYouMean is " Did you mean "x"?" for the closest candidate, or "".
func DidYouMean(got string, candidates []string) string {
	if s := Suggest(got, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// QuotedList writes names sorted and quoted, "none" when there are none,
// for messages that list what would have been accepted.
func QuotedList(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	quoted := make([]string, len(sorted))
	for i, n := range sorted {
		quoted[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(quoted, ", ")
}
