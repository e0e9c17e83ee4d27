package validate

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// fuzzSubdomainForm is the only form CheckSubdomain may accept.
var fuzzSubdomainForm = regexp.MustCompile(`^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$`)

// FuzzCheckSubdomain checks that every accepted subdomain is one DNS label.
func FuzzCheckSubdomain(f *testing.F) {
	for _, s := range []string{"acme", "a", "acme-eu", "-acme", "acme-", "acme.freshdesk.com",
		"https://acme.freshdesk.com", "ac/me", "ac me", "", strings.Repeat("a", 63), strings.Repeat("a", 64),
		"acme\n", "ácme", "a--b", "acme:443"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckSubdomain(s) != nil {
			return
		}
		if !fuzzSubdomainForm.MatchString(s) || strings.ContainsAny(s, "./: ") {
			t.Fatalf("CheckSubdomain accepted %q", s)
		}
	})
}

// FuzzCheckBaseURL checks that every accepted base URL is https, or http to
// a loopback host, without query, fragment or credentials.
func FuzzCheckBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.cloud-elements.com/elements/api-v2", "http://127.0.0.1:8080/elements/api-v2",
		"http://localhost/x", "http://[::1]:9/x", "http://api.example.com/x", "https://x.example.com/?a=b",
		"https://x.example.com/#f", "https://u:p@x.example.com/", "not a url", "", "ftp://x.example.com/",
		"https://x.example.com/?", "http://127.0.0.1.nip.io/", "HTTP://LOCALHOST/", "//x.example.com/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckBaseURL(s) != nil {
			requireNoPassword(t, s, CheckBaseURL)
			return
		}
		u, err := url.Parse(s)
		switch {
		case err != nil:
			t.Fatalf("accepted %q, which url.Parse rejects: %v", s, err)
		case u.Scheme != "https" && (u.Scheme != "http" || !IsLoopback(u.Hostname())):
			t.Fatalf("accepted %q: scheme %q, host %q", s, u.Scheme, u.Hostname())
		case u.Host == "":
			t.Fatalf("accepted %q without a host", s)
		case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(s, "#"):
			t.Fatalf("accepted %q with a query or fragment", s)
		case u.User != nil:
			t.Fatalf("accepted %q with credentials", s)
		}
	})
}

// FuzzParseInstanceID checks that only canonical positive integers parse.
func FuzzParseInstanceID(f *testing.F) {
	for _, s := range []string{"1", "12345", "0", "-5", "abc", "", " 7", "7 ", "+7", "007",
		"9223372036854775807", "9223372036854775808", "1e3", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseInstanceID(s)
		if err != nil {
			if id != 0 {
				t.Fatalf("%q: error with id %d", s, id)
			}
			return
		}
		if id <= 0 || strconv.FormatInt(id, 10) != s {
			t.Fatalf("ParseInstanceID(%q) = %d", s, id)
		}
	})
}

// FuzzCheckCallbackURL checks that every accepted callback URL is absolute
// https, or http to a loopback host, and that no error shows a password.
func FuzzCheckCallbackURL(f *testing.F) {
	for _, s := range []string{"https://hooks.example.com/ce", "https://u:p@hooks.example.com/ce?x=1", "http://127.0.0.1:9/ce",
		"http://admin:hunter2@hooks.example.com/ce", "hooks", "", "ftp://admin:hunter2@x.example.com/", "https://admin:hunter2@[::1/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckCallbackURL(s) != nil {
			requireNoPassword(t, s, CheckCallbackURL)
			return
		}
		u, perr := url.Parse(s)
		if perr != nil || u.Host == "" || (u.Scheme != "https" && (u.Scheme != "http" || !IsLoopback(u.Hostname()))) {
			t.Fatalf("CheckCallbackURL accepted %q", s)
		}
	})
}

// requireNoPassword fails when the error check gave for s depends on the
// password in s: the same URL with another password of the same length must
// get the same message. Only a password written once, unescaped, is tried.
func requireNoPassword(t *testing.T, s string, check func(string) error) {
	t.Helper()
	u, perr := url.Parse(s)
	if perr != nil || u.User == nil {
		return
	}
	p, ok := u.User.Password()
	if !ok || p == "" || strings.Count(s, p) != 1 {
		return
	}
	other := strings.Repeat("Z", len(p))
	if other == p {
		other = strings.Repeat("Y", len(p))
	}
	err, otherErr := check(s), check(strings.Replace(s, p, other, 1))
	if err == nil || otherErr == nil || err.Error() != otherErr.Error() {
		t.Fatalf("the error for %q depends on its password:\n%v\n%v", s, err, otherErr)
	}
}
