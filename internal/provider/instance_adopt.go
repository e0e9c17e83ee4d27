package provider

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// privateAdopt marks an imported instance (one private-state key for every
// instance resource, so that a moved block carries it): its secrets were
// never sent by Terraform, so the first secrets written in configuration are
// adopted rather than sent (sending may reissue the token), and until an
// apply writes the configuration, values the platform already has are
// adopted too. Its value holds fingerprints of the platform's values of
// keys that are not secret-like (Client.Fingerprint: keyed with the
// provider's secrets, which state never holds); earlier releases kept plain
// sha256 hashes of every value, still read until the next refresh rewrites
// them.
const privateAdopt = "adopt"

// privateKeyUnsent is the mark earlier releases of the Freshdesk resource
// left on an imported instance: read as an adoption of the secrets alone.
const privateKeyUnsent = "key_unsent"

type adoption struct {
	Config map[string]string `json:"config"`
	// Keyed: Config holds Client.Fingerprint values, not plain sha256.
	Keyed bool `json:"keyed,omitempty"`
	// Written: an apply has written the configuration since the import;
	// only the secrets are still to be adopted.
	Written bool `json:"written,omitempty"`
}

type privateGetter interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

func adoptionFrom(ctx context.Context, p privateGetter) (*adoption, diag.Diagnostics) {
	if p == nil {
		return nil, nil
	}
	raw, diags := p.GetKey(ctx, privateAdopt)
	if diags.HasError() {
		return nil, diags
	}
	if len(raw) == 0 {
		legacy, d := p.GetKey(ctx, privateKeyUnsent)
		diags.Append(d...)
		if len(legacy) == 0 || diags.HasError() {
			return nil, diags
		}
		return &adoption{Written: true}, diags
	}
	var a adoption
	if err := json.Unmarshal(raw, &a); err != nil {
		return nil, diags // unreadable: behave as a normal instance
	}
	return &a, diags
}

// configAdopted reports whether the configuration is still adopted.
func (a *adoption) configAdopted() bool { return a != nil && !a.Written }

// matches reports whether the platform's value of key, as remembered at the
// import's refresh, is v.
func (a *adoption) matches(c *cloudelements.Client, key, v string) bool {
	if !a.configAdopted() {
		return false
	}
	h, ok := a.Config[key]
	if !ok {
		return false
	}
	if a.Keyed {
		return h != "" && hmac.Equal([]byte(h), []byte(c.Fingerprint(v)))
	}
	sum := sha256.Sum256([]byte(v)) // an earlier release's hash
	return h == hex.EncodeToString(sum[:])
}

// remember keeps fingerprints of the platform's configuration, secret-like
// keys (and the element's secret keys) left out: those are adopted as the
// secrets are, and no trace of their values is kept.
func (a *adoption) remember(c *cloudelements.Client, inst *cloudelements.Instance) {
	a.Config, a.Keyed = map[string]string{}, true
	secrets := factsOf(inst.Element.Key).secretKeys
	for k, v := range inst.Configuration {
		if !cloudelements.SecretKey(k) && !slices.Contains(secrets, k) {
			a.Config[k] = c.Fingerprint(v)
		}
	}
}

// adoptsSecretLike reports whether key is secret-like and still adopted:
// the platform's value was never remembered, so the configured one is taken
// as the platform's, as for the secrets.
func (a *adoption) adoptsSecretLike(elementKey, key string) bool {
	return a.configAdopted() && (cloudelements.SecretKey(key) || slices.Contains(factsOf(elementKey).secretKeys, key))
}

// client is the configured client, or nil before Configure.
func (e *instanceEngine[M]) client() *cloudelements.Client {
	if e.provider == nil {
		return nil
	}
	return e.provider.client
}
