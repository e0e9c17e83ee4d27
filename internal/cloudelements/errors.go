package cloudelements

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"regexp"
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

// ErrHostNotFound is wrapped by the error of a call whose host name does
// not exist (DNS NXDOMAIN). Such a call is not retried: it is reported at
// once, as the base URL is most likely mistyped.
var ErrHostNotFound = errors.New("host not found")

// IsHostNotFound reports whether err says the base URL's host does not
// exist.
func IsHostNotFound(err error) bool { return errors.Is(err, ErrHostNotFound) }

// isRouteMissing reports whether err says the host does not serve the
// route at all: a 405, or a 404 that is not the platform's own JSON answer.
func isRouteMissing(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusMethodNotAllowed ||
		apiErr.StatusCode == http.StatusNotFound && !apiErr.FromPlatform)
}

func hasStatus(err error, code int) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == code
}

// apiError maps a non-2xx answer to *Error. Platform text is cleaned of
// control characters, masked, and only then cut, so neither a terminal
// escape nor part of a secret reaches the user.
func (c *Client) apiError(cl *call, resp *response) *Error {
	e := &Error{Method: cl.method, Path: cl.path, StatusCode: resp.status}
	var body struct {
		RequestID       json.RawMessage `json:"requestId"`
		Message         json.RawMessage `json:"message"`
		ProviderMessage json.RawMessage `json:"providerMessage"`
	}
	if err := json.Unmarshal(resp.body, &body); err == nil {
		e.RequestID = c.platformText(rawText(body.RequestID), 100)
		// One pass over both: a secret split across them is masked in each.
		msg, prov := c.mask.ReplacePair(clip(sanitize(rawText(body.Message))), clip(sanitize(rawText(body.ProviderMessage))))
		e.Message = showable(msg, maxPlatformText)
		e.ProviderMessage = showable(prov, maxPlatformText)
		e.FromPlatform = e.Message != "" || e.RequestID != ""
	} else {
		e.Message = c.platformText(textSnippet(string(resp.body)), 200)
	}
	if e.RequestID == "" {
		e.RequestID = c.platformText(resp.header.Get("Elements-Request-Id"), 100)
	}
	return e
}

// maxPlatformText caps each message from the platform: enough for any
// honest message, too little to carry much of a secret.
const maxPlatformText = 400

// clip bounds the platform text masked before it is cut for showing: an
// echo starting past this point never reaches the shown part.
func clip(s string) string {
	if len(s) > 64<<10 {
		return s[:64<<10]
	}
	return s
}

// platformText makes text from the platform fit to show: control characters
// and escape sequences removed, every secret masked, opaque runs dropped,
// then cut to n bytes.
func (c *Client) platformText(s string, n int) string {
	return showable(c.mask.Cut(strings.TrimSpace(sanitize(s)), 2*n+maxOpaque), n)
}

// CleanText is platformText for the provider's own diagnostics (warnings
// that quote an answered value): the one place platform text is made fit
// for a terminal.
func (c *Client) CleanText(s string, n int) string { return c.platformText(s, n) }

// ContainsSecret reports whether s holds, in any form the masker knows, a
// secret of this Client.
func (c *Client) ContainsSecret(s string) bool { return c.mask.Replace(s) != s }

// maxOpaque is the longest run of token characters shown from platform
// text; a longer one could be a secret the provider does not know (or part
// of one) and is replaced by a note of its length.
const maxOpaque = 40

var opaqueRE = regexp.MustCompile(`[A-Za-z0-9+/=_.~%-]{41,}`)

// showable drops opaque runs from masked text, then cuts it to n bytes.
func showable(s string, n int) string {
	s = opaqueRE.ReplaceAllStringFunc(s, func(run string) string {
		if strings.Count(run, ".") >= 3 {
			return run // a dotted name (a host, a Java class), not a token
		}
		return fmt.Sprintf("<%d opaque bytes>", len(run))
	})
	return shorten(strings.TrimSpace(s), n)
}

// rawText renders a JSON value as text: strings unquoted, null as empty,
// objects and arrays as compact JSON with their secret keys redacted. It
// does not cut: the caller masks first.
func rawText(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	if r, ok := RedactJSON(raw); ok {
		return r
	}
	return string(raw)
}

var (
	tagRE   = regexp.MustCompile(`<[^>]*>`)
	spaceRE = regexp.MustCompile(`\s+`)
)

// textSnippet turns a non-JSON body (an HTML page from a proxy) into one
// line: tags stripped, entities decoded, whitespace collapsed. It does not
// cut, so that the caller can mask before cutting.
func textSnippet(s string) string {
	s = html.UnescapeString(stripTags(s))
	return strings.TrimSpace(spaceRE.ReplaceAllString(s, " "))
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
	return fmt.Errorf("%s %s: unexpected answer: %s", cl.method, cl.path, c.platformText(err.Error(), 500))
}

const redacted = "<redacted>"

// CleanDiagnostic makes a diagnostic's text fit for a terminal: each line
// cleaned as platform text is (escape sequences, control characters, bidi
// overrides and carriage returns removed; line breaks kept, as Terraform
// prints them) and every secret the Client knows masked. A nil Client only
// cleans.
func (c *Client) CleanDiagnostic(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	s = strings.Join(lines, "\n")
	if c == nil {
		return s
	}
	return c.mask.Replace(s)
}
