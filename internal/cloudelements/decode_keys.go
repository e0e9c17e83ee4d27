package cloudelements

// The key scanner behind the decoder: object fields by name, and duplicate
// keys at any depth refused.

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
	s := keyScanner{b: b}
	i := s.space(0)
	if i >= len(b) || b[i] != '{' {
		return errors.New("not an object")
	}
	_, err := s.object(i, nil, names, out)
	return err
}

// keyScanner walks valid JSON looking for duplicate keys. It is far cheaper
// than a json.Decoder token walk (nothing is decoded or allocated but the
// keys' slice), which matters because every answer goes through it. It
// bounds-checks everything, so malformed input is an error, never a panic.
type keyScanner struct {
	b    []byte
	keys [][]byte // keys of the objects being walked, innermost last
}

var errMalformed = errors.New("malformed JSON")

func (s *keyScanner) space(i int) int {
	for i < len(s.b) && (s.b[i] == ' ' || s.b[i] == '\t' || s.b[i] == '\n' || s.b[i] == '\r') {
		i++
	}
	return i
}

// value walks the value at i and returns the index just after it; parent
// is the key it belongs to, for error messages.
func (s *keyScanner) value(i int, parent []byte) (int, error) {
	i = s.space(i)
	if i >= len(s.b) {
		return 0, errMalformed
	}
	switch s.b[i] {
	case '{':
		return s.object(i, parent, nil, nil)
	case '[':
		return s.array(i, parent)
	case '"':
		return s.str(i)
	}
	// A number or a literal: up to the next delimiter.
	for i < len(s.b) && s.b[i] != ',' && s.b[i] != '}' && s.b[i] != ']' && s.b[i] > ' ' {
		i++
	}
	return i, nil
}

func (s *keyScanner) array(i int, parent []byte) (int, error) {
	i = s.space(i + 1)
	if i < len(s.b) && s.b[i] == ']' {
		return i + 1, nil
	}
	for {
		var err error
		if i, err = s.value(i, parent); err != nil {
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

func (s *keyScanner) object(i int, parent []byte, names []string, out []json.RawMessage) (int, error) {
	base := len(s.keys)
	defer func() { s.keys = s.keys[:base] }()
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
		i = s.space(end)
		if i >= len(s.b) || s.b[i] != ':' {
			return 0, errMalformed
		}
		start := s.space(i + 1)
		if i, err = s.value(start, key); err != nil {
			return 0, err
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
			return i + 1, nil
		default:
			return 0, errMalformed
		}
	}
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
