package cloudelements

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// Caps on what one answered item (an instance, a formula, a formula
// instance) and one listing of them may hold, whatever the platform sends.
// Each answer is already capped at 8 MiB (maxBody) and each listing at
// MaxListItems items and MaxListBytes bytes, but bytes alone do not bound
// memory: small parts cost far more decoded than in JSON (a formula of
// 270,000 two-byte steps, or 820,000 configuration entries, grew the
// provider past 600 MiB). So the key scanner counts the parts of every item
// while it walks it, before anything is decoded, and refuses an item past a
// cap; a listing adds up what its items hold (decodePage). A real asset
// fits with room to spare: a formula has some dozens of steps, an instance
// a few tags and some dozens of configuration entries.
const (
	// MaxJSONDepth is the deepest nesting of objects and arrays in an item
	// (the item itself is level 1): properties nested 9,000 deep stalled
	// Terraform for minutes.
	MaxJSONDepth = 64
	// MaxItemValues caps the JSON values (strings, numbers, objects...) in
	// one item, wherever they are: step properties are read back as JSON.
	MaxItemValues = 200000

	MaxItemTags          = 100   // tags on one instance
	MaxItemConfigEntries = 500   // configuration entries of one instance, formula or formula instance
	MaxItemSettings      = 100   // settings of one formula instance
	MaxFormulaSteps      = 1000  // steps of one formula
	MaxFormulaTriggers   = 100   // triggers of one formula
	MaxFormulaLinks      = 10000 // onSuccess and onFailure names of one formula's steps and triggers

	// Over all the items of one listing together. The new kinds' caps are
	// lower than the instances': their items are converted whole (every
	// entry a Terraform value), and a listing at every cap at once, padded
	// to the byte cap, must stay within the hostile suite's 256 MiB.
	MaxListTags                         = 200000 // tags of all listed instances
	MaxListConfigEntries                = 500000 // configuration entries of all listed instances
	MaxListFormulaSteps                 = 100000
	MaxListTriggers                     = 40000 // triggers of all listed formulas
	MaxListFormulaLinks                 = 200000
	MaxListFormulaConfigEntries         = 100000 // configuration variables of all listed formulas
	MaxListFormulaInstanceConfigEntries = 200000
	MaxListSettings                     = 60000 // settings of all listed formula instances
)

// memberCap caps the members (array elements, object keys) of the values
// of keys, at the level at of an item (1: the item's own fields; 3: the
// fields of its steps and triggers), summed over the item and over a
// listing.
type memberCap struct {
	keys []string
	at   int
	what string // in messages: "steps"
	item int    // most in one item
	list int    // most over all items of one listing
}

// capCounts are an item's members counted against each memberCap of its
// kind, in order.
type capCounts [4]int

// capSet is one kind's member caps, as the key scanner applies them.
type capSet struct {
	kind   string // "formula", in messages
	fields []memberCap
}

// kindCaps adds how a decoded item counts against the caps, for the
// listing's totals.
type kindCaps[T any] struct {
	capSet
	count func(*T) capCounts
}

var instanceCaps = kindCaps[Instance]{
	capSet: capSet{"instance", []memberCap{
		{[]string{"tags"}, 1, "tags", MaxItemTags, MaxListTags},
		{[]string{"configuration"}, 1, "configuration entries", MaxItemConfigEntries, MaxListConfigEntries},
	}},
	count: func(i *Instance) capCounts { return capCounts{len(i.Tags), len(i.Configuration)} },
}

var formulaCaps = kindCaps[Formula]{
	capSet: capSet{"formula", []memberCap{
		{[]string{"steps"}, 1, "steps", MaxFormulaSteps, MaxListFormulaSteps},
		{[]string{"triggers"}, 1, "triggers", MaxFormulaTriggers, MaxListTriggers},
		{[]string{"configuration"}, 1, "configuration entries", MaxItemConfigEntries, MaxListFormulaConfigEntries},
		{[]string{"onSuccess", "onFailure"}, 3, "onSuccess and onFailure names", MaxFormulaLinks, MaxListFormulaLinks},
	}},
	count: func(f *Formula) capCounts {
		links := 0
		for _, s := range f.Steps {
			links += len(s.OnSuccess) + len(s.OnFailure)
		}
		for _, t := range f.Triggers {
			links += len(t.OnSuccess) + len(t.OnFailure)
		}
		return capCounts{len(f.Steps), len(f.Triggers), len(f.Configuration), links}
	},
}

var formulaInstanceCaps = kindCaps[FormulaInstance]{
	capSet: capSet{"formula instance", []memberCap{
		{[]string{"configuration"}, 1, "configuration entries", MaxItemConfigEntries, MaxListFormulaInstanceConfigEntries},
		{[]string{"settings"}, 1, "settings", MaxItemSettings, MaxListSettings},
	}},
	count: func(fi *FormulaInstance) capCounts { return capCounts{len(fi.Configuration), len(fi.Settings)} },
}

// capFor returns the index of the cap on the value of key, in an object at
// level at, or -1.
func (cs *capSet) capFor(key []byte, at int) int {
	if cs == nil {
		return -1
	}
	for j, fc := range cs.fields {
		if fc.at != at {
			continue
		}
		for _, k := range fc.keys {
			if string(key) == k {
				return j
			}
		}
	}
	return -1
}

// capError is an item past a cap: too many members or values (what and
// limit set), or nested too deep (what empty). It names the kind, the
// item's id once known, and the item's field the cap was passed in.
type capError struct {
	kind, id, field, what string
	limit                 int
}

func (e *capError) Error() string {
	who := e.kind
	if e.id != "" {
		who += " " + e.id
	}
	if e.what == "" {
		return fmt.Sprintf("%s has %q nested more than %d levels deep (the provider's cap on JSON nesting)",
			who, e.field, MaxJSONDepth)
	}
	return fmt.Sprintf("%s has more than %d %s (the provider's cap on one %s)", who, e.limit, e.what, e.kind)
}

// nameItem puts the item's id (its raw "id" value, if a whole number) in a
// capError.
func nameItem(err error, id json.RawMessage) error {
	var ce *capError
	if errors.As(err, &ce) && ce.id == "" {
		var d fieldDecoder
		if n := d.id("id", id); d.err == nil && n > 0 {
			ce.id = strconv.FormatInt(n, 10)
		}
	}
	return err
}

// listTally is what one listing holds so far, against the listing caps.
type listTally struct {
	items, bytes int
	members      capCounts
}

// add counts one item of raw bytes whose members are n against the caps
// of cs; the error names the cap passed.
func (t *listTally) add(cs *capSet, n capCounts, what, narrow string) error {
	for j, fc := range cs.fields {
		if t.members[j] += n[j]; t.members[j] > fc.list {
			return fmt.Errorf("%w: more than %d %s over all %s (the provider's cap on one listing); %s",
				errListCap, fc.list, fc.what, what, narrow)
		}
	}
	return nil
}
