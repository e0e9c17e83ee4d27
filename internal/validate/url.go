package validate

import (
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// APIPath is where the platform API lives on every host.
const APIPath = "/elements/api-v2"

// KnownBaseURLs are the platform base URLs the API reference names; a
// base_url error lists them so that a user can copy the right one.
func KnownBaseURLs() []string {
	return []string{
		"https://api.cloud-elements.com" + APIPath,
		"https://staging.cloud-elements.com" + APIPath,
		"https://api.openconnectors.us2.ext.hana.ondemand.com" + APIPath,
	}
}

// baseURLForm ends every base_url error: the expected form and the known hosts.
var baseURLForm = "expected https://<platform host>" + APIPath + ", for example one of: " + strings.Join(KnownBaseURLs(), ", ")

// CheckBaseURL accepts an absolute https URL, or http for a loopback host,
// whose path is APIPath (a trailing slash tolerated), with no query,
// fragment or credentials. Any other path would make every instance read as
// "not found". The URL is echoed without its userinfo, never with a password.
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("is not an absolute http(s) URL; %s", baseURLForm)
	}
	shown := redacted(u)
	if u.User != nil {
		return fmt.Errorf("%q must not carry credentials; use user_secret and organization_secret", shown)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return fmt.Errorf("%q must not have a query or fragment; %s", shown, baseURLForm)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback; secrets would cross the network "+
			"unencrypted, so use https (http is accepted only for localhost, 127.0.0.0/8 and ::1)", shown)
	}
	if strings.TrimSuffix(u.EscapedPath(), "/") != APIPath {
		return fmt.Errorf("%q does not end in %s, so the platform would answer every call with 404; %s",
			shown, APIPath, baseURLForm)
	}
	return nil
}

// BaseURL is CheckBaseURL as a validator, for the provider's base_url.
func BaseURL() validator.String {
	return StringCheck("an absolute https URL ending in "+APIPath+" (http only for loopback hosts)", CheckBaseURL)
}

// CheckCallbackURL accepts an absolute https URL, or http for a loopback
// host: where the platform posts events. Unlike a base URL, any path, query
// and credentials are the receiver's business; none of them is echoed.
func CheckCallbackURL(raw string) error {
	const form = "https://hooks.example.com/cloudelements"
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("is not an absolute URL; expected a form like %q", form)
	}
	if u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("%q is not an absolute URL; expected a form like %q", redacted(u), form)
	}
	if u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("%q uses plain http to a host that is not loopback; use https", redacted(u))
	}
	return nil
}

// CallbackURL is CheckCallbackURL as a validator.
func CallbackURL() validator.String {
	return StringCheck("an absolute https URL (http only for loopback hosts)", CheckCallbackURL)
}

// redacted renders u for an error message: without user name, password,
// query or fragment, any of which may carry a secret.
func redacted(u *url.URL) string {
	c := *u
	c.User = nil
	c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = "", false, "", ""
	return c.String()
}

// IsLoopback reports whether host is localhost or a loopback address, the
// only hosts plain http is accepted for.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
