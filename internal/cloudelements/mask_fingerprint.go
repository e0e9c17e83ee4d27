package cloudelements

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// Fingerprint is a keyed hash of v (HMAC-SHA-256, hex) for comparing a
// value later without keeping it. The key is derived from this Client's
// user and organization secrets, which are never in state: someone holding
// the state cannot test guesses against a fingerprint kept there.
// A nil Client has no key and returns "", which matches no fingerprint.
func (c *Client) Fingerprint(v string) string {
	if c == nil {
		return ""
	}
	key := sha256.Sum256([]byte("cloudelements fingerprint\x00" + c.cfg.UserSecret + "\x00" + c.cfg.OrganizationSecret))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(v))
	return hex.EncodeToString(mac.Sum(nil))
}
