package cloudelements

// The key scanner behind the decoder: object fields by name, duplicate
// keys at any depth refused, and the caps on an item (caps.go) enforced
// before anything is decoded.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// objectFields checks the JSON object b (already known to be valid JSON)
// for duplicate keys, in it and in every object nested in it, and sets
// out[i] to the raw value of key names[i] of b itself (exact match).
func objectFields(b []byte, names []string, out []json.RawMessage) error {
	return scanItem(b, names, out, nil)
}

// scanItem is objectFields for an item of a kind with member caps (nil:
// none). Past a cap, it still reads the other fields (the id, for the
// message), skipping the value that passed it, and returns a *capError.
func scanItem(b []byte, names []string, out []json.RawMessage, caps *capSet) error {
	s := keyScanner{b: b, caps: caps, kind: "answer"}
	if caps != nil {
		s.kind = caps.kind
	}
	i := s.space(0)
	if i >= len(b) || b[i] != '{' {
		return errors.New("not an object")
	}
	_, err := s.object(i, nil, names, out, -1)
	return err
}

// keyScanner walks valid JSON looking for duplicate keys. It is far cheaper
// than a json.Decoder token walk (nothing is decoded or allocated but the
// keys' slice), which matters because every answer goes through it. It
// bounds-checks everything, so malformed input is an error, never a panic.
type keyScanner struct {
	b    []byte
	keys [][]byte // keys of the objects being walked, innermost last

	caps   *capSet   // member caps of the item's kind; nil: none
	kind   string    // the item's kind, for cap errors
	counts capCounts // members counted against each of caps
	depth  int       // objects and arrays open
	values int       // values walked
}

var errMalformed = errors.New("malformed JSON")

func (s *keyScanner) space(i int) int {
	for i < len(s.b) && (s.b[i] == ' ' || s.b[i] == '\t' || s.b[i] == '\n' || s.b[i] == '\r') {
		i++
	}
	return i
}

// value walks the value at i and returns the index just after it; parent
// is the key it belongs to, for error messages; capped is the index of the
// member cap its members count against (-1: none).
func (s *keyScanner) value(i int, parent []byte, capped int) (int, error) {
	i = s.space(i)
	if i >= len(s.b) {
		return 0, errMalformed
	}
	if s.values++; s.values > MaxItemValues {
		return 0, &capError{kind: s.kind, what: "JSON values", limit: MaxItemValues}
	}
	switch s.b[i] {
	case '{':
		return s.object(i, parent, nil, nil, capped)
	case '[':
		return s.array(i, parent, capped)
	case '"':
		return s.str(i)
	}
	return s.scalarEnd(i), nil
}

// scalarEnd returns the index just after the number or literal at i: the
// next delimiter.
func (s *keyScanner) scalarEnd(i int) int {
	for i < len(s.b) && s.b[i] != ',' && s.b[i] != '}' && s.b[i] != ']' && s.b[i] > ' ' {
		i++
	}
	return i
}

// open enters an object or array, within MaxJSONDepth; close leaves it.
func (s *keyScanner) open() error {
	if s.depth++; s.depth > MaxJSONDepth {
		return &capError{kind: s.kind}
	}
	return nil
}

func (s *keyScanner) close() { s.depth-- }

// member counts one member of a container whose members count against
// cap capped (-1: none).
func (s *keyScanner) member(capped int) error {
	if capped < 0 {
		return nil
	}
	fc := s.caps.fields[capped]
	if s.counts[capped]++; s.counts[capped] > fc.item {
		return &capError{kind: s.kind, what: fc.what, limit: fc.item}
	}
	return nil
}

func (s *keyScanner) array(i int, parent []byte, capped int) (int, error) {
	defer s.close()
	if err := s.open(); err != nil {
		return 0, err
	}
	i = s.space(i + 1)
	if i < len(s.b) && s.b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if err = s.member(capped); err != nil {
			return 0, err
		}
		if i, err = s.value(i, parent, -1); err != nil {
			return 0, err
		}
		i = s.space(i)
		if i >= len(s.b) {
			return 0, errMalformed
		}
		switch s.b[i] {
		case ',':
			i++
		case ']':
			return i + 1, nil
		default:
			return 0, errMalformed
		}
	}
}

// str returns the index just after the string starting at i.
func (s *keyScanner) str(i int) (int, error) {
	for i++; i < len(s.b); i++ {
		switch s.b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, nil
		}
	}
	return 0, errMalformed
}

// maxLinearKeys is where an object's duplicate check switches from
// comparing with every earlier key to a map.
const maxLinearKeys = 32

// object walks an object; names and out, for the item itself, receive
// the fields asked for. A cap passed in the item's field is kept and the
// field skipped, so the other fields are still read; the cap's error is
// returned at the end.
func (s *keyScanner) object(i int, parent []byte, names []string, out []json.RawMessage, capped int) (int, error) {
	base := len(s.keys)
	defer func() { s.keys = s.keys[:base] }()
	defer s.close()
	if err := s.open(); err != nil {
		return 0, err
	}
	at := s.depth
	var capErr *capError
	var many map[string]bool
	i = s.space(i + 1)
	if i < len(s.b) && s.b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(s.b) || s.b[i] != '"' {
			return 0, errMalformed
		}
		end, err := s.str(i)
		if err != nil {
			return 0, err
		}
		key := s.b[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 {
			// "a" and "\u0061" are the same key.
			var k string
			if json.Unmarshal(s.b[i:end], &k) != nil {
				return 0, errMalformed
			}
			key = []byte(k)
		}
		if s.seen(key, base, &many) {
			if parent == nil {
				return 0, fmt.Errorf("duplicate key %q", key)
			}
			return 0, fmt.Errorf("duplicate key %q in %q", key, parent)
		}
		if err := s.member(capped); err != nil {
			return 0, err
		}
		i = s.space(end)
		if i >= len(s.b) || s.b[i] != ':' {
			return 0, errMalformed
		}
		start := s.space(i + 1)
		if i, err = s.value(start, key, s.caps.capFor(key, at)); err != nil {
			var ce *capError
			if names == nil || !errors.As(err, &ce) {
				return 0, err
			}
			if capErr == nil {
				capErr, ce.field = ce, string(key)
			}
			i = s.skip(start)
		}
		for n, name := range names {
			if string(key) == name {
				out[n] = s.b[start:i]
			}
		}
		i = s.space(i)
		if i >= len(s.b) {
			return 0, errMalformed
		}
		switch s.b[i] {
		case ',':
			i = s.space(i + 1)
		case '}':
			if capErr != nil {
				return 0, capErr
			}
			return i + 1, nil
		default:
			return 0, errMalformed
		}
	}
}

// skip returns the index just after the valid JSON value at i, without
// recursion, caps or allocation (the value passed a cap).
func (s *keyScanner) skip(i int) int {
	if i < len(s.b) && s.b[i] != '{' && s.b[i] != '[' && s.b[i] != '"' {
		return s.scalarEnd(i)
	}
	depth := 0
	for ; i < len(s.b); i++ {
		switch s.b[i] {
		case '"':
			end, err := s.str(i)
			if err != nil {
				return len(s.b)
			}
			if depth == 0 {
				return end
			}
			i = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			if depth--; depth == 0 {
				return i + 1
			}
		}
	}
	return len(s.b)
}

// seen records key for the object whose keys start at base and reports
// whether it was there already.
func (s *keyScanner) seen(key []byte, base int, many *map[string]bool) bool {
	if *many != nil {
		dup := (*many)[string(key)]
		(*many)[string(key)] = true
		return dup
	}
	for _, k := range s.keys[base:] {
		if bytes.Equal(k, key) {
			return true
		}
	}
	s.keys = append(s.keys, key)
	if len(s.keys)-base > maxLinearKeys {
		*many = make(map[string]bool, 2*maxLinearKeys)
		for _, k := range s.keys[base:] {
			(*many)[string(k)] = true
		}
	}
	return false
}
