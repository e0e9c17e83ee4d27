package emulator

// Request checks: the platform's Authorization header and content negotiation.

import (
	"bytes"
	"crypto/subtle"
	"mime"
	"net/http"
	"strings"
)

// check applies the platform-wide request checks: auth, Accept, Content-Type.
func (s *Server) check(r *http.Request, body []byte, rt routed) reply {
	if !rt.hub && !s.platformAuth(r.Header.Get("Authorization")) {
		return errReply(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		return errReply(http.StatusNotAcceptable, "Not acceptable: this API only produces application/json")
	}
	if len(bytes.TrimSpace(body)) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			return errReply(http.StatusUnsupportedMediaType, "Unsupported media type: request bodies must be application/json")
		}
	}
	return reply{}
}

// authParts parses "User u, Organization o, Element t" in any order.
func authParts(h string) map[string]string {
	parts := map[string]string{}
	for _, p := range strings.Split(h, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), " ")
		if ok {
			parts[strings.ToLower(name)] = strings.TrimSpace(value)
		}
	}
	return parts
}

func secretEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (s *Server) platformAuth(h string) bool {
	parts := authParts(h)
	return secretEqual(parts["user"], s.opts.UserSecret) &&
		secretEqual(parts["organization"], s.opts.OrganizationSecret)
}

func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			switch mt {
			case "application/json", "*/*", "application/*":
				return true
			}
		}
	}
	return false
}
