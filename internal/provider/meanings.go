package provider

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"regexp"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// The meanings values are compared by (see meaning.go).

// storedName is a name as the platform stores it: HTML tags stripped,
// surrounding spaces trimmed. "  Sync <b>tickets</b> " means "Sync tickets".
type storedName struct{}

func (storedName) name() string { return "stored name" }
func (storedName) same(a, b string) bool {
	return cloudelements.StoredName(a) == cloudelements.StoredName(b)
}

// nameValue is a name compared as stored.
type nameValue = meaningValue[storedName]

// dnsLabel is a host name label (a Freshdesk subdomain), compared without
// regard to case.
type dnsLabel struct{}

func (dnsLabel) name() string          { return "DNS label" }
func (dnsLabel) same(a, b string) bool { return strings.EqualFold(a, b) }

// subdomainValue is a subdomain compared as a DNS label.
type subdomainValue = meaningValue[dnsLabel]

// looseJSON is a JSON document compared after decoding: key order and
// layout never matter; a number means the same as a string of the same
// value at any magnitude (3600000, 3.6e+06 and "3600000"), a boolean the
// same as its text; a string the same with or without trailing line
// breaks (the platform trims a script body's last newline). Text that is
// not JSON means only itself.
type looseJSON struct{}

func (looseJSON) name() string { return "JSON by meaning" }

func (looseJSON) same(a, b string) bool {
	x, okX := decodeJSONNumbers(a)
	y, okY := decodeJSONNumbers(b)
	if !okX || !okY {
		return a == b
	}
	return sameJSONValue(x, y)
}

// jsonValue is a JSON document compared by meaning.
type jsonValue = meaningValue[looseJSON]

// strictJSON is a JSON document compared after decoding: key order and
// layout never matter, types do. Text that is not JSON means only itself.
type strictJSON struct{}

func (strictJSON) name() string { return "JSON" }

func (strictJSON) same(a, b string) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return a == b
	}
	return reflect.DeepEqual(x, y)
}

// jsonDocValue is a JSON document compared by strictJSON.
type jsonDocValue = meaningValue[strictJSON]

func decodeJSONNumbers(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return nil, false
	}
	return v, true
}

func sameJSONValue(x, y any) bool {
	switch a := x.(type) {
	case map[string]any:
		b, ok := y.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !sameJSONValue(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := y.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !sameJSONValue(a[i], b[i]) {
				return false
			}
		}
		return true
	case nil:
		return y == nil
	}
	if sx, ok := x.(string); ok {
		if sy, ok := y.(string); ok {
			return sx == sy || strings.TrimRight(sx, "\r\n") == strings.TrimRight(sy, "\r\n")
		}
	}
	if nx, ok := numberOf(x); ok {
		ny, ok := numberOf(y)
		return ok && nx.Cmp(ny) == 0
	}
	if bx, ok := boolOf(x); ok {
		by, ok := boolOf(y)
		return ok && bx == by
	}
	return false
}

// jsonNumber is the grammar of a JSON number, for strings that stand for
// one.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// numberOf is the exact value of a JSON number, or of a string that is one.
func numberOf(v any) (*big.Rat, bool) {
	var s string
	switch t := v.(type) {
	case json.Number:
		s = t.String()
	case string:
		s = strings.TrimSpace(t)
	default:
		return nil, false
	}
	if !jsonNumber.MatchString(s) {
		return nil, false
	}
	return new(big.Rat).SetString(s)
}

func boolOf(v any) (bool, bool) {
	switch t := v.(type) {
	case bool:
		return t, true
	case string:
		switch t {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// canonicalJSON is raw as jsonencode writes it (compact, keys sorted,
// numbers as written), {} for none; text that is not JSON is kept.
func canonicalJSON(raw json.RawMessage) string {
	if len(bytes.TrimSpace(raw)) == 0 || string(raw) == "null" {
		return "{}"
	}
	v, ok := decodeJSONNumbers(string(raw))
	if !ok {
		return string(raw)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return string(raw)
	}
	return string(b)
}
