package provider

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

// The hostile suite's scan beyond the terminal and the TRACE log: every
// state (show -json and the files, backups included) and every plan
// (Terraform saves each and the test reads it back with show -json), with
// the values Terraform marks sensitive removed: a secret may be kept there,
// and only there.

// hostileScan collects the documents one case left behind.
type hostileScan struct {
	mu   sync.Mutex
	docs []string
}

func (s *hostileScan) add(label string, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		b = []byte(err.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs = append(s.docs, label+": "+string(b))
}

func (s *hostileScan) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.docs)
}

func (s *hostileScan) text() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Join(s.docs, "\n")
}

// stateScan records the state after each step; it never fails a step, so
// that the case's tally, not the step, reports a leak.
type stateScan struct{ s *hostileScan }

func (c stateScan) CheckState(_ context.Context, req statecheck.CheckStateRequest, _ *statecheck.CheckStateResponse) {
	if req.State != nil && req.State.Values != nil {
		c.s.add("state (show -json)", modulePublic(req.State.Values.RootModule))
	}
}

// planScan records a saved plan, read back with show -json.
type planScan struct{ s *hostileScan }

func (c planScan) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, _ *plancheck.CheckPlanResponse) {
	if req.Plan == nil {
		return
	}
	var out []any
	for _, rc := range append(append([]*tfjson.ResourceChange(nil), req.Plan.ResourceChanges...), req.Plan.ResourceDrift...) {
		if rc != nil && rc.Change != nil {
			out = append(out, rc.Address,
				stripSensitive(rc.Change.Before, rc.Change.BeforeSensitive),
				stripSensitive(rc.Change.After, rc.Change.AfterSensitive))
		}
	}
	if req.Plan.PriorState != nil && req.Plan.PriorState.Values != nil {
		out = append(out, modulePublic(req.Plan.PriorState.Values.RootModule))
	}
	if req.Plan.PlannedValues != nil {
		out = append(out, modulePublic(req.Plan.PlannedValues.RootModule))
	}
	c.s.add("plan (show -json)", out)
}

func modulePublic(m *tfjson.StateModule) []any {
	if m == nil {
		return nil
	}
	var out []any
	for _, r := range m.Resources {
		var marks any
		_ = json.Unmarshal(r.SensitiveValues, &marks)
		out = append(out, r.Address, stripSensitive(r.AttributeValues, marks))
	}
	for _, child := range m.ChildModules {
		out = append(out, modulePublic(child)...)
	}
	return out
}

// stripSensitive returns v without the parts marks (Terraform's
// *_sensitive structure: true at a sensitive value) flags.
func stripSensitive(v, marks any) any {
	if b, ok := marks.(bool); ok && b {
		return "<sensitive>"
	}
	switch t := v.(type) {
	case map[string]any:
		m, _ := marks.(map[string]any)
		out := make(map[string]any, len(t))
		for k, child := range t {
			out[k] = stripSensitive(child, m[k])
		}
		return out
	case []any:
		ms, _ := marks.([]any)
		out := make([]any, len(t))
		for i, child := range t {
			var mark any
			if i < len(ms) {
				mark = ms[i]
			}
			out[i] = stripSensitive(child, mark)
		}
		return out
	}
	return v
}

// scanStateFiles records every state file and backup under dir (the
// persisted working directories), without the attributes each instance
// lists as sensitive.
func scanStateFiles(dir string, s *hostileScan) int {
	n := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() && d.Name() == ".terraform" {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.Contains(d.Name(), ".tfstate") {
			return nil
		}
		if b, err := os.ReadFile(p); err == nil {
			scanStateFile(d.Name(), b, s)
			n++
		}
		return nil
	})
	return n
}

// scanStateFile records one state file's instances, without their
// sensitive attributes, and their private state.
func scanStateFile(name string, b []byte, s *hostileScan) {
	var st struct {
		Resources []struct {
			Instances []struct {
				Attributes          map[string]any `json:"attributes"`
				SensitiveAttributes []any          `json:"sensitive_attributes"`
				Private             string         `json:"private"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if json.Unmarshal(b, &st) != nil {
		s.add("unreadable state file "+name, string(b))
		return
	}
	for _, r := range st.Resources {
		for _, inst := range r.Instances {
			for _, sp := range inst.SensitiveAttributes {
				steps, _ := sp.([]any)
				blankPath(inst.Attributes, steps)
			}
			s.add("state file "+name, inst.Attributes)
			// Private state: base64 of the framework's JSON, whose values
			// are base64 of each key's bytes.
			private, _ := base64.StdEncoding.DecodeString(inst.Private)
			s.add("private state in "+name, string(private))
			var keys map[string]string
			_ = json.Unmarshal(private, &keys)
			for k, v := range keys {
				val, _ := base64.StdEncoding.DecodeString(v)
				s.add("private key "+k+" in "+name, string(val))
			}
		}
	}
}

// blankPath replaces the value at a state file's sensitive path.
func blankPath(v any, steps []any) {
	for i, st := range steps {
		step, _ := st.(map[string]any)
		key := step["value"]
		last := i == len(steps)-1
		switch t := v.(type) {
		case map[string]any:
			k := fmt.Sprint(key)
			if last {
				if _, ok := t[k]; ok {
					t[k] = "<sensitive>"
				}
				return
			}
			v = t[k]
		case []any:
			f, ok := key.(float64)
			if !ok || int(f) >= len(t) {
				return
			}
			if last {
				t[int(f)] = "<sensitive>"
				return
			}
			v = t[int(f)]
		default:
			return
		}
	}
}

// transformedForms are the loose forms of s the scan also looks for
// (issue 19 item 4): base64, case, fullwidth, invisible characters inside;
// and its plain sha256 (issue 18 item 11: a hash someone holding the state
// could test guesses against).
func transformedForms(s string) []string {
	sum := sha256.Sum256([]byte(s))
	out := []string{hex.EncodeToString(sum[:]),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
		strings.ToUpper(s), strings.ToLower(s), fullwidthForm(s),
	}
	for _, sep := range []string{"\u00ad", "\u200b"} {
		out = append(out, strings.Join(strings.Split(s, ""), sep))
	}
	if len(s) > 64 { // a long secret: any 32 bytes of it
		out = append(out, s[len(s)/2:len(s)/2+32])
	}
	return out
}

func fullwidthForm(s string) string {
	return strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r - '!' + 0xff01
		}
		return r
	}, s)
}

// escapesIn counts raw control characters, escape sequences and bidi
// overrides in text a terminal would show (line breaks allowed).
func escapesIn(text string) int {
	n := 0
	for _, r := range text {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			n++
		}
	}
	return n
}
