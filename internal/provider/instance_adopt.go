package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateAdopt marks an imported instance (one private-state key for every
// instance resource, so that a moved block carries it): its secrets were
// never sent by Terraform, so the first secrets written in configuration are
// adopted rather than sent (sending may reissue the token), and until an
// apply writes the configuration, values the platform already has are
// adopted too. Its value holds sha256 hashes of the platform's values.
const privateAdopt = "adopt"

// privateKeyUnsent is the mark earlier releases of the Freshdesk resource
// left on an imported instance: read as an adoption of the secrets alone.
const privateKeyUnsent = "key_unsent"

type adoption struct {
	Config map[string]string `json:"config"`
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

func (a *adoption) hash(key string) (string, bool) {
	if !a.configAdopted() {
		return "", false
	}
	h, ok := a.Config[key]
	return h, ok
}

func hashValue(v string) string {
	sum := sha256.Sum256([]byte(v))
	return hex.EncodeToString(sum[:])
}
