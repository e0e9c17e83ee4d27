package cloudelements

import "strings"

// SecretKey reports whether a JSON or configuration key names a secret. It
// is the one rule for "secret-like": the log redactor blanks these keys'
// values, the client masks their values in requests, and the provider keeps
// them out of non-sensitive attributes.
//
// The key is compared in lower case with everything but letters and digits
// dropped, so "x-api-key", "oauth.api.key", "apiKey" and "API_KEY" are one
// name. It is secret-like when it is "username" (basic authentication: an
// API key for many elements) or ends in ".username", contains a word from secretWords, ends in a
// word from secretSuffixes, or contains "token" without naming something
// about a token that is not one (its URL, type or lifetime).
func SecretKey(k string) bool {
	n := normalizeKey(k)
	if n == "" {
		return false
	}
	if n == "username" || strings.HasSuffix(strings.ToLower(k), ".username") {
		return true
	}
	for _, w := range secretWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, w := range secretSuffixes {
		if strings.HasSuffix(n, w) {
			return true
		}
	}
	if strings.Contains(n, "token") {
		for _, w := range tokenFacts {
			if strings.HasSuffix(n, w) {
				return false
			}
		}
		return true
	}
	return false
}

// secretWords name a secret wherever they appear in a key.
var secretWords = []string{
	"secret", "password", "passwd", "passphrase", "credential", "privatekey", "apikey",
	"accesskey", "signaturekey", "integratorkey", "connectionstring", "authorization",
	"sessionkey", "encryptionkey", "sharedkey", "accountkey", "masterkey", "subscriptionkey",
	"clientkey", "consumerkey", "signingkey", "cookie", "sastoken", "bearer",
}

// secretSuffixes name a secret at the end of a key ("db.pwd", "ssh.key").
var secretSuffixes = []string{"pwd", "pass", "key", "salt"}

// tokenFacts end keys that are about a token without holding one.
var tokenFacts = []string{
	"url", "uri", "endpoint", "path", "type", "types", "expiry", "expires", "expiresin", "expiration",
	"ttl", "lifetime", "scope", "scopes", "method", "location", "format", "header", "name", "enabled",
}

func normalizeKey(k string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(k) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
