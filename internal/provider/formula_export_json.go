package provider

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// Readers of the loosely typed JSON of a formula export: each says what it
// found instead of what it wanted, and where.

// objectList reads a list of objects; null or absent is none.
func objectList(key string, raw any) ([]map[string]any, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, exportError(key, "must be a JSON array, not %s", jsonKind(raw))
	}
	out := make([]map[string]any, 0, len(list))
	for i, item := range list {
		o, ok := item.(map[string]any)
		if !ok {
			return nil, exportError(fmt.Sprintf("%s[%d]", key, i), "must be a JSON object, not %s", jsonKind(item))
		}
		out = append(out, o)
	}
	return out, nil
}

func exportNames(raw any) ([]string, error) {
	if raw == nil {
		return nil, nil
	}
	list, ok := raw.([]any)
	if !ok {
		return nil, fmt.Errorf("must be a list of step names, not %s", jsonKind(raw))
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("must be a list of step names; %s is %s", mustJSONText(item), jsonKind(item))
		}
		out = append(out, s)
	}
	return out, nil
}

// optString reads a string; null or absent is "".
func optString(o map[string]any, key string) (string, error) {
	switch v := o[key].(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	default:
		return "", exportError(key, "must be a string, not %s", jsonKind(v))
	}
}

// optBool reads a boolean, also as "true" or "false"; ok is false when
// null or absent.
func optBool(o map[string]any, key string) (v, ok bool, err error) {
	switch t := o[key].(type) {
	case nil:
		return false, false, nil
	case bool:
		return t, true, nil
	case string:
		if b, err := strconv.ParseBool(t); err == nil {
			return b, true, nil
		}
	}
	return false, false, exportError(key, "must be true or false, not %s", mustJSONText(o[key]))
}

// idText reads an id given as a number or a string; null or absent is "".
func idText(raw any) (string, error) {
	switch v := raw.(type) {
	case nil:
		return "", nil
	case json.Number:
		return v.String(), nil
	case string:
		return v, nil
	}
	return "", fmt.Errorf("must be a number or a string, not %s", jsonKind(raw))
}

// jsonKind names a decoded JSON value's kind, with its article.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}

func mustJSONText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func quoted(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}
