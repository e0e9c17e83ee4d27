package emulator

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Codes, refresh tokens and configuration values starting with
// RefusedCredentialPrefix are refused by the emulated vendor on
// re-authentication, as a revoked grant or a mistyped key would be.
// A code is refused too when it was used before: OAuth codes work once.
const RefusedCredentialPrefix = "invalid"

// refusedMessage and refusedVendor are the answer to refused credentials.
const (
	refusedMessage = "Failed to re-authenticate the instance: the provider refused the credentials"
	refusedVendor  = "invalid_grant: authentication failure"
)

// reauthenticate answers PUT /instances/{id}?reAuthenticate=true. Unlike a
// plain PUT it merges: the body's configuration keys and credentials replace
// the stored ones, everything else is kept. An OAuth element needs a code
// (providerData.code) or externalAuthentication "initial" with
// oauth.user.refresh_token; another element new configuration. Success
// always issues a new token and makes the instance valid.
func (s *Server) reauthenticate(params []string, body []byte) reply {
	b, rep := decodeBody(body)
	if rep.status != 0 {
		return rep
	}
	cfg, _, err := b.configuration()
	if err != nil {
		return errReply(http.StatusBadRequest, "Bad request: %v", err)
	}
	code := ""
	if b.ProviderData != nil {
		code = b.ProviderData.Code
	}
	initial := b.ExternalAuthentication != nil && *b.ExternalAuthentication == "initial"
	return s.withInstance(params, func(rec *record) reply {
		inst := &rec.inst
		el := catalogElement(inst.ElementKey)
		if b.Element != nil && ((b.Element.Key != "" && b.Element.Key != el.Key) || (b.Element.ID != 0 && b.Element.ID != el.ID)) {
			return errReply(http.StatusBadRequest, "Invalid element: instance %d is an instance of '%s'", inst.ID, el.Key)
		}
		switch {
		case el.OAuthCode && code != "":
			if strings.HasPrefix(code, RefusedCredentialPrefix) || s.usedCodes[code] {
				return reply{status: http.StatusBadRequest, message: refusedMessage, vendor: refusedVendor}
			}
			s.spendCodeLocked(code)
			cfg["oauth.user.refresh_token"] = "emulated-refresh-token-for-" + code
			cfg["oauth.user.token"] = "emulated-access-token-for-" + code
		case el.OAuthCode && initial && cfg["oauth.user.refresh_token"] != "":
			if strings.HasPrefix(cfg["oauth.user.refresh_token"], RefusedCredentialPrefix) {
				return reply{status: http.StatusBadRequest, message: refusedMessage, vendor: refusedVendor}
			}
			cfg["oauth.user.token"] = "emulated-access-token-from-refresh-token"
			inst.ExternalAuthentication = "initial"
		case el.OAuthCode:
			return errReply(http.StatusBadRequest, oauthMessage)
		case code != "":
			return errReply(http.StatusBadRequest, "Element '%s' does not use OAuth: re-authenticate it with its configuration", el.Key)
		case len(cfg) == 0:
			return errReply(http.StatusBadRequest, "Missing configuration: re-authentication needs new credentials")
		}
		for _, v := range cfg {
			if strings.HasPrefix(v, RefusedCredentialPrefix) {
				return reply{status: http.StatusBadRequest, message: refusedMessage, vendor: refusedVendor}
			}
		}
		if s.profile.Variance.ReauthReplaces {
			inst.Configuration = map[string]string{}
		}
		for k, v := range cfg {
			if v != "" {
				inst.Configuration[k] = v
			}
		}
		delete(s.tokens, inst.Token)
		inst.Token = s.newTokenLocked()
		s.tokens[inst.Token] = inst.ID
		inst.Valid = !s.profile.Variance.InvalidAfterWrite
		return okReply(s.renderLocked(rec))
	})
}

// spendCodeLocked remembers an OAuth code as used.
func (s *Server) spendCodeLocked(code string) {
	if s.usedCodes == nil {
		s.usedCodes = map[string]bool{}
	}
	s.usedCodes[code] = true
}

// oauthURL answers GET /elements/{keyOrId}/oauth/url: the vendor's
// authorization URL for an OAuth element, built from the query's apiKey
// (the client id) and callbackUrl. apiSecret is required but never shown.
func (s *Server) oauthURL(r *http.Request, params []string, _ []byte) reply {
	el := elements[params[0]]
	if id, err := strconv.ParseInt(params[0], 10, 64); err == nil {
		el = elementByID(id)
	}
	if el == nil {
		return errReply(http.StatusNotFound, "No element found with key '%s'", params[0])
	}
	if !el.OAuthCode {
		return errReply(http.StatusBadRequest, "Element '%s' does not use OAuth", el.Key)
	}
	q := r.URL.Query()
	for _, p := range []string{"apiKey", "apiSecret", "callbackUrl"} {
		if q.Get(p) == "" {
			return errReply(http.StatusBadRequest, "Missing required query parameter: %s", p)
		}
	}
	state := q.Get("state")
	if state == "" {
		state = el.Key
	}
	v := url.Values{"response_type": {"code"}, "client_id": {q.Get("apiKey")}, "redirect_uri": {q.Get("callbackUrl")},
		"state": {state}}
	if scope := q.Get("scope"); scope != "" {
		v.Set("scope", scope)
	}
	return okReply(map[string]string{
		"element":  el.Key,
		"oauthUrl": "https://login.emulated.example/services/oauth2/authorize?" + v.Encode(),
	})
}
