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
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// knownHosts are the platform hosts the reference names; an error about
// base_url lists them so that a user can copy the right one.
var knownHosts = []string{
	"https://api.cloud-elements.com" + apiPath,
	"https://staging.cloud-elements.com" + apiPath,
	"https://api.openconnectors.us2.ext.hana.ondemand.com" + apiPath,
}

// apiPath is where the platform API lives on every host.
const apiPath = "/elements/api-v2"

// baseURLForm ends every base_url error: the expected form and the known hosts.
var baseURLForm = "expected https://<platform host>" + apiPath + ", for example one of: " + strings.Join(knownHosts, ", ")

// checkBaseURL accepts an absolute https URL, or http for a loopback host,
// whose path is /elements/api-v2 (a trailing slash tolerated), with no query,
// fragment or credentials. Any other path would make every instance read as
// "not found". The URL is echoed without its userinfo, never with a password.
func checkBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("is not an absolute http(s) URL; %s", baseURLForm)
	}
	if u.User != nil {
		return fmt.Errorf("%q must not carry credentials; use user_secret and organization_secret", withoutUserinfo(u))
	}
	shown := withoutUserinfo(u)
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q must not have a query or fragment; %s", shown, baseURLForm)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback; secrets would cross the network "+
			"unencrypted, so use https (http is accepted only for localhost, 127.0.0.0/8 and ::1)", shown)
	}
	if strings.TrimSuffix(u.EscapedPath(), "/") != apiPath {
		return fmt.Errorf("%q does not end in %s, so the platform would answer every call with 404; %s",
			shown, apiPath, baseURLForm)
	}
	return nil
}

// withoutUserinfo renders u without user name or password.
func withoutUserinfo(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	return c.String()
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

// maxTagLength is the longest tag the platform takes.
const maxTagLength = 255

// checkTag explains what is wrong with one tag, in plain text.
func checkTag(tag string) error {
	switch {
	case strings.TrimSpace(tag) == "":
		return fmt.Errorf("tag %q is empty or only whitespace; remove it", tag)
	case strings.TrimSpace(tag) != tag:
		return fmt.Errorf("tag %q has spaces at its start or end, which the platform would not keep; write it as %q",
			tag, strings.TrimSpace(tag))
	case len(tag) > maxTagLength:
		return fmt.Errorf("tag %.20q… is %d characters long; a tag has at most %d", tag, len(tag), maxTagLength)
	}
	return nil
}

// tagsValidator checks every tag and reports each fault against tags itself,
// so that messages name the tag rather than a set-element path.
type tagsValidator struct{}

func (tagsValidator) Description(context.Context) string {
	return fmt.Sprintf("tags are non-empty, without surrounding spaces, at most %d characters", maxTagLength)
}
func (v tagsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (tagsValidator) ValidateSet(_ context.Context, req validator.SetRequest, resp *validator.SetResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	for _, el := range req.ConfigValue.Elements() {
		s, ok := el.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		if err := checkTag(s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid tag", "tags: "+err.Error())
		}
	}
}
