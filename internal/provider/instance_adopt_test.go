package provider

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Issue 18 item 11: adoption keeps keyed fingerprints of plain keys only,
// and an earlier release's plain hashes still match (an upgrade plans
// nothing).
func TestAdoptionFingerprints(t *testing.T) {
	c, err := cloudelements.New(cloudelements.Config{BaseURL: "https://x.example/elements/api-v2", UserSecret: "u-1", OrganizationSecret: "o-1"})
	if err != nil {
		t.Fatal(err)
	}
	sum := func(v string) string { s := sha256.Sum256([]byte(v)); return hex.EncodeToString(s[:]) }
	legacy := &adoption{Config: map[string]string{"subdomain": sum("acme")}}
	if !legacy.matches(c, "subdomain", "acme") || legacy.matches(c, "subdomain", "other") {
		t.Error("an earlier release's hash does not match as before")
	}
	a := &adoption{}
	a.remember(c, &cloudelements.Instance{Element: cloudelements.ElementRef{Key: freshdeskElementKey}, Configuration: map[string]string{
		"subdomain": "acme", "username": "fd-api-key", "password": "pw", "sftp.privateKey": "pk", "jira.host": "h",
	}})
	if !a.Keyed || len(a.Config) != 2 {
		t.Fatalf("remembered %v (keyed %v); want subdomain and jira.host only", a.Config, a.Keyed)
	}
	for k, h := range a.Config {
		if strings.Contains(h, sum("acme")) || h == sum("h") {
			t.Errorf("%s kept as a plain sha256", k)
		}
	}
	if !a.matches(c, "subdomain", "acme") || a.matches(c, "subdomain", "acmf") || a.matches(nil, "subdomain", "acme") {
		t.Error("fingerprints do not match as they should")
	}
	if !a.adoptsSecretLike(freshdeskElementKey, "username") || !a.adoptsSecretLike("jira", "db.passwd") || a.adoptsSecretLike("jira", "jira.host") {
		t.Error("secret-like keys are not adopted as secrets")
	}
}
