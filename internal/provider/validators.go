package provider

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// checkBaseURL accepts an absolute https URL, or http for a loopback host,
// with no query, fragment or credentials.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute http(s) URL; expected a form like %q", raw,
			"https://api.cloud-elements.com/elements/api-v2")
	}
	if u.User != nil {
		return errors.New("the URL must not carry credentials; use user_secret and organization_secret")
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q must not have a query or fragment; expected a form like %q", raw,
			"https://api.cloud-elements.com/elements/api-v2")
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback; secrets would cross the network "+
			"unencrypted, so use https (http is accepted only for localhost, 127.0.0.0/8 and ::1)", raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// subdomainPattern is one DNS label: letters, digits and inner hyphens.
var subdomainPattern = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// checkSubdomain accepts the Freshdesk subdomain alone, e.g. "acme" for
// https://acme.freshdesk.com.
func checkSubdomain(s string) error {
	const expected = `expected the part before ".freshdesk.com" alone, e.g. "acme" for https://acme.freshdesk.com`
	switch {
	case s == "":
		return errors.New("must not be empty; " + expected)
	case strings.Contains(s, "://") || strings.ContainsAny(s, "./:"):
		return fmt.Errorf("%q is a URL or host name, not a subdomain; %s", s, expected)
	case len(s) > 63:
		return fmt.Errorf("is %d characters long, but a DNS label has at most 63; %s", len(s), expected)
	case !subdomainPattern.MatchString(s):
		return fmt.Errorf("%q is not a DNS label (letters, digits and hyphens, not starting or ending with a "+
			"hyphen, no spaces); %s", s, expected)
	}
	return nil
}

// parseInstanceID parses an import id or the id in state: a positive integer.
func parseInstanceID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s { // no sign, spaces or leading zeros
		return 0, fmt.Errorf("%q is not an instance id; expected the numeric id Cloud Elements shows "+
			"for the instance, a positive whole number such as 12345", s)
	}
	return id, nil
}

// stringCheckValidator adapts a check function to a framework validator, so
// that plan-time errors name the attribute and say what form is expected.
type stringCheckValidator struct {
	description string
	check       func(string) error
}

func (v stringCheckValidator) Description(_ context.Context) string         { return v.description }
func (v stringCheckValidator) MarkdownDescription(_ context.Context) string { return v.description }

func (v stringCheckValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := v.check(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+req.Path.String(), req.Path.String()+": "+err.Error())
	}
}

func validBaseURL() validator.String {
	return stringCheckValidator{description: "an absolute https URL (http only for loopback hosts)", check: checkBaseURL}
}

func validSubdomain() validator.String {
	return stringCheckValidator{description: "one DNS label, the Freshdesk subdomain", check: checkSubdomain}
}

// notBlank rejects values that are empty or only whitespace. The message
// never echoes the value, which may be a secret.
func notBlank(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("must not be empty or only whitespace")
	}
	return nil
}

func notBlankString() validator.String {
	return stringCheckValidator{description: "a non-empty value that is not only whitespace", check: notBlank}
}
