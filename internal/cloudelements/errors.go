package cloudelements

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Error is a non-2xx answer from the platform. Message and ProviderMessage
// have every known secret replaced by "<redacted>".
type Error struct {
	Method          string
	Path            string
	StatusCode      int
	Message         string
	RequestID       string
	ProviderMessage string
	// FromPlatform is true when the body was the platform's own JSON error
	// object (with a message or a requestId), not a proxy's page or nothing.
	FromPlatform bool
}

// Error reads like "DELETE /instances/12: HTTP 401 Unauthorized: <message>
// (request id ...); provider message: ...".
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		b.WriteString(" (request id " + e.RequestID + ")")
	}
	if e.ProviderMessage != "" {
		b.WriteString("; provider message: " + e.ProviderMessage)
	}
	return b.String()
}

// IsNotFound reports whether err is the platform saying that something does
// not exist: a 404 with its JSON error body. A 404 with an HTML, empty or
// other body (a wrong base URL, a proxy) is not: it says nothing about the
// instance.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound && apiErr.FromPlatform
}

// IsUnauthorized reports whether err is a 401 from the platform: the user or
// organization secret is wrong.
func IsUnauthorized(err error) bool { return hasStatus(err, http.StatusUnauthorized) }

func hasStatus(err error, code int) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == code
}

// apiError maps a non-2xx answer to *Error, redacting secrets the platform
// may echo from the request.
func (c *Client) apiError(cl *call, resp *response) *Error {
	e := &Error{Method: cl.method, Path: cl.path, StatusCode: resp.status}
	var body struct {
		RequestID       json.RawMessage `json:"requestId"`
		Message         json.RawMessage `json:"message"`
		ProviderMessage json.RawMessage `json:"providerMessage"`
	}
	if err := json.Unmarshal(resp.body, &body); err == nil {
		e.RequestID = rawText(body.RequestID)
		e.Message = rawText(body.Message)
		e.ProviderMessage = rawText(body.ProviderMessage)
		e.FromPlatform = e.Message != "" || e.RequestID != ""
	} else {
		e.Message = textSnippet(string(resp.body))
	}
	if e.RequestID == "" {
		e.RequestID = resp.header.Get("Elements-Request-Id")
	}
	r := c.redactor(cl)
	e.Message = r.Replace(e.Message)
	e.ProviderMessage = r.Replace(e.ProviderMessage)
	e.RequestID = r.Replace(shorten(e.RequestID, 100))
	return e
}

// rawText renders a JSON value as text: strings unquoted, null as empty,
// anything else compact.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return shorten(s, 2000)
	}
	return shorten(string(raw), 2000)
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// textSnippet turns a non-JSON body (an HTML page from a proxy) into a short
// line: tags stripped, entities decoded, whitespace collapsed.
func textSnippet(s string) string {
	s = shorten(s, 64<<10) // bound the regexp work
	s = html.UnescapeString(stripTags(s))
	return shorten(strings.TrimSpace(spaceRE.ReplaceAllString(s, " ")), 200)
}

func stripTags(s string) string { return tagRE.ReplaceAllString(s, "") }

// shorten cuts s to at most n bytes on a rune boundary.
func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}

// decodeError names the call whose 2xx answer was not the JSON expected.
func (c *Client) decodeError(cl *call, err error) error {
	return fmt.Errorf("%s %s: unexpected answer: %s", cl.method, cl.path, c.redactor(cl).Replace(err.Error()))
}

const redacted = "<redacted>"

// secretsFor lists the strings that must never leave the client: both
// secrets, the call's API key and every instance token seen.
func (c *Client) secretsFor(apiKey string) []string {
	out := []string{c.cfg.UserSecret, c.cfg.OrganizationSecret}
	if apiKey != "" {
		out = append(out, apiKey)
	}
	c.tokensMu.RLock()
	for t := range c.tokens {
		out = append(out, t)
	}
	c.tokensMu.RUnlock()
	return out
}

// redactor replaces every secret of cl with "<redacted>", longest first so a
// secret that contains another is not half-replaced.
func (c *Client) redactor(cl *call) *strings.Replacer {
	secrets := c.secretsFor(cl.apiKey)
	sortByLenDesc(secrets)
	pairs := make([]string, 0, 2*len(secrets))
	for _, s := range secrets {
		pairs = append(pairs, s, redacted)
	}
	return strings.NewReplacer(pairs...)
}

func sortByLenDesc(s []string) {
	slices.SortFunc(s, func(a, b string) int { return len(b) - len(a) })
}
