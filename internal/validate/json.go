package validate

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

// CheckJSONObject accepts a JSON object. A refusal ends with example, a
// configuration line the user can adapt, e.g. `jsonencode({ a = 1 })`.
func CheckJSONObject(raw, example string) error {
	var v any
	if err := json.Unmarshal([]byte(raw), &v); err != nil {
		return fmt.Errorf("is not valid JSON (%s); it must be a JSON object, e.g. %s", err, example)
	}
	if _, ok := v.(map[string]any); !ok {
		return errors.New("must be a JSON object, e.g. " + example)
	}
	return nil
}

// JSONObject is CheckJSONObject as a validator. It suits a plain string
// attribute rather than a JSON type, so that invalid JSON gets this message.
func JSONObject(example string) validator.String {
	return StringCheck("a JSON object", func(s string) error { return CheckJSONObject(s, example) })
}
