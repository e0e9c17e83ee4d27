package harness

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Audit compares what was declared, what the emulator holds and what the
// state holds.
type Audit struct {
	Declared int
	// Created is the number of declared names with at least one instance.
	Created int
	// Duplicates are instances beyond the first for each declared name.
	Duplicates int
	// Orphans are emulator instances whose id is in no state entry.
	Orphans int
	// InState counts state entries; Tainted those marked tainted; Dangling
	// those whose id the emulator does not hold.
	InState, Tainted, Dangling int
	// DuplicateNames and OrphanIDs name the offenders (for reports).
	DuplicateNames []string
	OrphanIDs      []string
}

// AuditInstances checks the emulator's instances against the declared names
// and the state.
func AuditInstances(declared []string, insts []emulator.Instance, state []StateResource) Audit {
	a := Audit{Declared: len(declared), InState: len(state)}
	inState := map[string]bool{}
	for _, r := range state {
		inState[r.ID] = true
		if r.Tainted {
			a.Tainted++
		}
	}
	perName := map[string]int{}
	held := map[string]bool{}
	for _, in := range insts {
		id := strconv.FormatInt(in.ID, 10)
		held[id] = true
		perName[in.Name]++
		if !inState[id] {
			a.Orphans++
			a.OrphanIDs = append(a.OrphanIDs, fmt.Sprintf("%s(%s)", id, in.Name))
		}
	}
	for _, name := range declared {
		if n := perName[name]; n > 0 {
			a.Created++
			if n > 1 {
				a.Duplicates += n - 1
				a.DuplicateNames = append(a.DuplicateNames, fmt.Sprintf("%s×%d", name, n))
			}
		}
	}
	for _, r := range state {
		if !held[r.ID] {
			a.Dangling++
		}
	}
	slices.Sort(a.OrphanIDs)
	return a
}

// OK reports whether every declared name has exactly one instance, each in
// state, untainted, and nothing else exists.
func (a Audit) OK() bool {
	return a.Created == a.Declared && a.Duplicates == 0 && a.Orphans == 0 &&
		a.InState == a.Declared && a.Tainted == 0 && a.Dangling == 0
}

func (a Audit) String() string {
	s := fmt.Sprintf("declared=%d created=%d duplicates=%d orphans=%d in_state=%d tainted=%d dangling=%d",
		a.Declared, a.Created, a.Duplicates, a.Orphans, a.InState, a.Tainted, a.Dangling)
	if len(a.DuplicateNames) > 0 {
		s += fmt.Sprintf(" duplicate_names=%v", FirstN(a.DuplicateNames, 10))
	}
	if len(a.OrphanIDs) > 0 {
		s += fmt.Sprintf(" orphan_ids=%v", FirstN(a.OrphanIDs, 10))
	}
	return s
}

// FirstN is at most the first n elements of s, for bounded reports.
func FirstN(s []string, n int) []string { return s[:min(n, len(s))] }

// FormatCounts renders counts by key, keys sorted: "a: 1, b: 2".
func FormatCounts(m map[string]int) string {
	parts := make([]string, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// InstancesWithPrefix keeps the instances whose name starts with prefix.
func InstancesWithPrefix(insts []emulator.Instance, prefix string) []emulator.Instance {
	var out []emulator.Instance
	for _, in := range insts {
		if strings.HasPrefix(in.Name, prefix) {
			out = append(out, in)
		}
	}
	return out
}
