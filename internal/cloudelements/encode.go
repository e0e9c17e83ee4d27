package cloudelements

// Request bodies.

import (
	"encoding/json"
	"fmt"
)

// encodeRequest marshals a create or replace body, sending empty tags and
// configuration as [] and {} rather than null.
func encodeRequest(req InstanceRequest) ([]byte, error) {
	if req.Tags == nil {
		req.Tags = []string{}
	}
	if req.Configuration == nil {
		req.Configuration = map[string]string{}
	}
	b, err := json.Marshal(req)
	if err != nil {
		return nil, fmt.Errorf("encoding instance request: %w", err)
	}
	return b, nil
}

// encodePatch marshals a PATCH body; a non-nil Tags pointer to a nil slice
// means "clear the tags" and is sent as [].
func encodePatch(p InstancePatch) ([]byte, error) {
	if p.Tags != nil && *p.Tags == nil {
		empty := []string{}
		p.Tags = &empty
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("encoding instance patch: %w", err)
	}
	return b, nil
}
