package cloudelements

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// What the platform declares secret, learnt once and used by every request
// of a Client: the keys of each formula's `password` variables (a formula
// instance's values under them are secrets, answered in clear on some
// platforms), and the fingerprints of write-only values sent by an earlier
// run (a refresh has no other way to know them). Every answer is checked
// against both before it is logged: each secret found is given to the
// masker, so that it is masked in logs, errors and diagnostics from then on
// and the provider keeps it out of plain attributes (ContainsSecret).

// declaredSecrets is a Client's record of both.
type declaredSecrets struct {
	mu sync.RWMutex
	// formulas maps a formula id to the keys of its password variables
	// (empty when it has none); a formula not in it is not known yet.
	formulas map[int64]map[string]bool
	// withKeys is true once a known formula has a password variable: until
	// then answers about formula instances hold no declared secret.
	withKeys bool
	prints   map[string]bool
}

// SecretVariableType reports whether a formula variable of type typ holds a
// secret (the platform's `password` type).
func SecretVariableType(typ string) bool {
	return strings.EqualFold(strings.TrimSpace(typ), "password")
}

// learnFormula records f's password variables when f carries its
// configuration (a listing may abridge it).
func (c *Client) learnFormula(f *Formula) {
	if f == nil || !f.whole && f.Configuration == nil {
		return
	}
	keys := map[string]bool{}
	for _, v := range f.Configuration {
		if SecretVariableType(v.Type) {
			keys[v.Key] = true
		}
	}
	d := &c.declared
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.formulas == nil {
		d.formulas = map[int64]map[string]bool{}
	}
	d.formulas[f.ID] = keys
	d.withKeys = d.withKeys || len(keys) > 0
}

func (d *declaredSecrets) formula(id int64) (map[string]bool, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	keys, ok := d.formulas[id]
	return keys, ok
}

// FormulaSecretKeys returns the keys of formula id's password variables:
// from an answer this Client has seen, else read once (from this run's
// listing when whole, else by GET). Call it before the first request about
// an instance of the formula, so that its secrets are masked in that
// request's log and errors.
func (c *Client) FormulaSecretKeys(ctx context.Context, id int64) (map[string]bool, error) {
	if keys, ok := c.declared.formula(id); ok {
		return keys, nil
	}
	f, err := c.ReadFormula(ctx, id, nil)
	if err != nil {
		return nil, err
	}
	c.learnFormula(f)
	keys, _ := c.declared.formula(id)
	return keys, nil
}

// LearnFormulaInstance masks, from now on, fi's values under the keys its
// formula declares secret, and returns those keys (read once a run, as
// FormulaSecretKeys). An instance listed before its formula was known is
// learnt this way.
func (c *Client) LearnFormulaInstance(ctx context.Context, fi *FormulaInstance) (map[string]bool, error) {
	keys, err := c.FormulaSecretKeys(ctx, fi.FormulaID)
	if err != nil {
		return nil, err
	}
	for k, v := range fi.Configuration {
		if keys[k] && !MaskedValue(v) {
			c.mask.add(v)
		}
	}
	return keys, nil
}

// RememberFingerprints lets this Client recognise, in every answer from now
// on, a value whose Fingerprint is one of fps (write-only values sent by an
// earlier run): found whole in a JSON string, or as a word of one, it is
// masked from then on.
func (c *Client) RememberFingerprints(fps ...string) {
	d := &c.declared
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, fp := range fps {
		if fp == "" {
			continue
		}
		if d.prints == nil {
			d.prints = map[string]bool{}
		}
		d.prints[fp] = true
	}
}

func (d *declaredSecrets) printed() bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return len(d.prints) > 0
}

func (d *declaredSecrets) hasPrint(fp string) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.prints[fp]
}

// formulaInstancePathRE matches the paths whose bodies are formula
// instances: one (GET, PUT, POST) or a listing; group 1 is the formula id.
var formulaInstancePathRE = regexp.MustCompile(`^/formulas/(?:(\d+)/)?instances(?:/\d+)?$`)

// formulaOfPath is the formula a formula-instance path names (0: any), and
// whether the path is about formula instances at all.
func formulaOfPath(path string) (int64, bool) {
	m := formulaInstancePathRE.FindStringSubmatch(path)
	if m == nil {
		return 0, false
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id, true
}

// learnAnswer gives the masker every secret body holds that the platform
// declares or an earlier run sent: called on each answer before it is
// logged or decoded.
func (c *Client) learnAnswer(cl *call, body []byte) {
	if len(body) == 0 {
		return
	}
	if fid, ok := formulaOfPath(cl.path); ok && c.declared.anyKeys() {
		eachFormulaInstance(body, func(item *formulaInstanceSecrets) {
			keys, _ := c.declared.formula(item.formulaID(fid))
			for k, raw := range item.Configuration {
				if v := rawText(raw); keys[k] && !MaskedValue(v) {
					c.mask.add(v)
				}
			}
		})
	}
	if c.declared.printed() {
		c.learnPrinted(body)
	}
}

// MaskedValue reports whether v is a secret as the platform shows it
// masked ("********"), or as this provider redacts it: not the secret, and
// never to be sent back as if it were.
func MaskedValue(v string) bool {
	v = strings.TrimSpace(v)
	return v == redacted || len(v) >= 3 && strings.Trim(v, "*•") == ""
}

func (d *declaredSecrets) anyKeys() bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.withKeys
}

// formulaInstanceSecrets is the part of a formula instance learnAnswer reads.
type formulaInstanceSecrets struct {
	FormulaID     json.RawMessage            `json:"formulaId"`
	Formula       json.RawMessage            `json:"formula"`
	Configuration map[string]json.RawMessage `json:"configuration"`
}

// formulaID is the formula the item names, else the path's.
func (f *formulaInstanceSecrets) formulaID(fromPath int64) int64 {
	var ref struct{ ID json.RawMessage }
	_ = json.Unmarshal(f.Formula, &ref)
	for _, raw := range []json.RawMessage{f.FormulaID, ref.ID} {
		if id, err := strconv.ParseInt(strings.Trim(string(raw), `" `), 10, 64); err == nil && id > 0 {
			return id
		}
	}
	return fromPath
}

// eachFormulaInstance calls fn with the formula instance body is, or each
// one of the array it is, item by item: a listing is never held whole.
func eachFormulaInstance(body []byte, fn func(*formulaInstanceSecrets)) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return
	}
	if trimmed[0] == '{' {
		var item formulaInstanceSecrets
		if json.Unmarshal(trimmed, &item) == nil {
			fn(&item)
		}
		return
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('[') {
		return
	}
	for dec.More() {
		var item formulaInstanceSecrets
		if dec.Decode(&item) != nil {
			return
		}
		fn(&item)
	}
}

// learnPrinted masks every string of body (a JSON document, else text),
// whole or word by word, whose fingerprint this Client remembers.
func (c *Client) learnPrinted(body []byte) {
	check := func(s string) {
		if len(s) > 4096 {
			return // no write-only value is this long
		}
		if c.declared.hasPrint(c.Fingerprint(s)) {
			c.mask.add(s)
			return
		}
		for _, w := range strings.Fields(s) {
			if w != s && c.declared.hasPrint(c.Fingerprint(w)) {
				c.mask.add(w)
			}
		}
	}
	if !json.Valid(body) {
		check(string(body))
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		if s, ok := tok.(string); ok {
			check(s)
		}
	}
}

// redactFormulaInstances blanks, in v (a decoded formula-instance body, or
// a listing of them, about formula fid when the path names it), the
// configuration values the platform declares secret, and every value of
// an instance whose formula this Client does not know yet: it may be one.
func (c *Client) redactFormulaInstances(v any, fid int64) {
	items := []any{v}
	if list, ok := v.([]any); ok {
		items = list
	}
	for _, it := range items {
		obj, ok := it.(map[string]any)
		if !ok {
			continue
		}
		cfg, ok := obj["configuration"].(map[string]any)
		if !ok {
			continue
		}
		raw, _ := json.Marshal(map[string]any{"formulaId": obj["formulaId"], "formula": obj["formula"]})
		var ref formulaInstanceSecrets
		_ = json.Unmarshal(raw, &ref)
		keys, known := c.declared.formula(ref.formulaID(fid))
		for k, val := range cfg {
			if val != nil && (!known || keys[k]) {
				cfg[k] = redacted
			}
		}
	}
}
