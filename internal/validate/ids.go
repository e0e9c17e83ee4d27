package validate

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// subdomainPattern is one DNS label: letters, digits and inner hyphens.
var subdomainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// CheckSubdomain accepts the Freshdesk subdomain alone, e.g. "acme" for
// https://acme.freshdesk.com.
func CheckSubdomain(s string) error {
	const expected = `expected the part before ".freshdesk.com" alone, e.g. "acme" for https://acme.freshdesk.com`
	switch {
	case s == "":
		return errors.New("must not be empty; " + expected)
	case strings.ContainsAny(s, "./:"):
		return fmt.Errorf("%q is a URL or host name, not a subdomain; %s", s, expected)
	case len(s) > 63:
		return fmt.Errorf("is %d characters long, but a DNS label has at most 63; %s", len(s), expected)
	case !subdomainPattern.MatchString(s):
		return fmt.Errorf("%q is not a DNS label (letters, digits and hyphens, not starting or ending with a "+
			"hyphen, no spaces); %s", s, expected)
	}
	return nil
}

// Subdomain is CheckSubdomain as a validator.
func Subdomain() validator.String {
	return StringCheck("one DNS label, the Freshdesk subdomain", CheckSubdomain)
}

// ParseID parses the numeric id of a kind of object ("instance",
// "formula", "formula instance") from an import id, state or configuration:
// a positive integer, written canonically. The error names the kind, so a
// formula id is never called an instance id.
func ParseID(kind, s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s { // no sign, spaces or leading zeros
		return 0, fmt.Errorf("%q is not %s %s id; expected the numeric id Cloud Elements shows "+
			"for the %s, a positive whole number such as 12345", s, article(kind), kind, kind)
	}
	return id, nil
}

// article is "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// ParseInstanceID parses an element instance's id.
func ParseInstanceID(s string) (int64, error) { return ParseID("instance", s) }

// ParseFormulaID parses a formula's id.
func ParseFormulaID(s string) (int64, error) { return ParseID("formula", s) }

// ID is ParseID as a validator, for id attributes of that kind.
func ID(kind string) validator.String {
	return StringCheck("a positive whole number, the "+kind+"'s id", func(s string) error {
		_, err := ParseID(kind, s)
		return err
	})
}

// InstanceID validates an element instance id.
func InstanceID() validator.String { return ID("instance") }

// FormulaID validates a formula id.
func FormulaID() validator.String { return ID("formula") }
