package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The rows of the kind conformance suite (kinds_conformance_test.go): one
// per asset kind. Adding a kind means adding a row here; every scenario
// then runs against it.

// kindRow is one asset kind.
type kindRow struct {
	name     string
	resource string // the resource type; the assets under test are <resource>.k
	post     string // the path of the POST that creates one (a pattern)
	// unique says the platform refuses a second asset of a name (409).
	unique bool
	// refusesSpaces says names with surrounding spaces are refused at plan
	// time (rather than compared as stored).
	refusesSpaces bool
	// config is o.count assets of the kind, with what they need.
	config func(o kindOpts) string
	// ids lists the emulator's assets of the kind, dependencies left out.
	ids func(emu *emulator.Server) []int64
	// seed makes one by hand, as config would, named name and created at
	// date (zero: now), and returns its id and import id.
	seed func(emu *emulator.Server, name string, date time.Time) (int64, string)
	// foreign is a readable answer about asset %d, someone else's.
	foreign string
	// outside changes every asset of the kind behind Terraform's back in a
	// way a refresh must see; the check says whether state saw it.
	outside func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error
	// prepare, when set, seeds what config refers to by literal id but
	// no resource of the provider makes yet, before the scenario starts.
	prepare func(emu *emulator.Server)
	// estate seeds assets of the kind bound to others (a parent and a
	// child) and returns the configuration that imports them, with
	// literal ids as `terraform query` writes them, and the delete that
	// comes second (delayed by the scenario).
	estate func(emu *emulator.Server) (config, childDelete string)
}

// kindOpts tunes a row's configuration.
type kindOpts struct {
	name  string
	count int
	extra string // pasted into the resource block
	// numbers adds values of every magnitude the platform may answer as
	// strings; call is a formula's id for a sub-formula call.
	numbers bool
	call    int64
	// parent is a formula instance's formula id, literally; "" declares
	// one.
	parent string
}

// named is the name of the i-th asset: o.name alone for one asset.
func (o kindOpts) named() string {
	if o.count <= 1 {
		return strconv.Quote(o.name)
	}
	return strconv.Quote(o.name + "-${count.index}")
}

func kindRows() []kindRow {
	return []kindRow{freshdeskRow(), formulaRow(), formulaInstanceRow(), commonResourceRow(), commonResourceTransformationRow()}
}

// depName marks what a row's configuration needs but does not test.
const depName = "dep-"

func freshdeskRow() kindRow {
	return kindRow{
		name: "freshdesk instance", resource: "cloudelements_freshdesk_instance", post: "/instances", refusesSpaces: true,
		config: func(o kindOpts) string {
			return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "k" {
  count     = %d
  name      = %s
  subdomain = "kinds-${count.index}"
  api_key   = "fd-api-key-0001"
  tags      = ["kinds"]
%s}
`, max(o.count, 1), o.named(), o.extra)
		},
		ids: func(emu *emulator.Server) (ids []int64) {
			for _, inst := range emu.Instances() {
				if !strings.HasPrefix(inst.Name, depName) {
					ids = append(ids, inst.ID)
				}
			}
			return ids
		},
		seed: func(emu *emulator.Server, name string, date time.Time) (int64, string) {
			inst := emu.PutInstance(emulator.Instance{Name: name, Tags: []string{"kinds"}, CreatedDate: date,
				Configuration: map[string]string{"subdomain": "kinds-0", "username": "fd-api-key-0001"}})
			return inst.ID, strconv.FormatInt(inst.ID, 10)
		},
		foreign: `{"id":%d,"name":"someone else's","createdDate":"2020-01-01T00:00:00Z","token":"tok-of-someone-else",` +
			`"element":{"id":491,"key":"freshdeskv2"},"tags":[],"configuration":{"subdomain":"elsewhere"}}`,
		outside: func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error {
			for _, inst := range emu.Instances() { // every token revoked
				emu.ModifyInstance(inst.ID, func(i *emulator.Instance) { i.Token = "" })
			}
			return func(s *terraform.State, emu *emulator.Server) error {
				return eachInState(s, "cloudelements_freshdesk_instance", func(id string, attrs map[string]string) error {
					n, _ := strconv.ParseInt(id, 10, 64)
					if now, ok := emu.Instance(n); !ok || attrs["token"] != now.Token {
						return fmt.Errorf("instance %s: state keeps a revoked token", id)
					}
					return nil
				})
			}
		},
		estate: func(emu *emulator.Server) (string, string) {
			inst := emu.PutInstance(emulator.Instance{Name: "estate", Tags: []string{"kinds"},
				Configuration: map[string]string{"subdomain": "kinds-0", "username": "fd-api-key-0001"}})
			f := emu.PutFormula(emulator.Formula{Name: depName + "flow", Active: true,
				Configuration: []emulator.FormulaConfig{{Key: "desk", Name: "Desk", Type: "elementInstance"}}})
			fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: depName + "bound", Active: true,
				Configuration: map[string]string{"desk": strconv.FormatInt(inst.ID, 10)}})
			return importBlock("cloudelements_freshdesk_instance.k[0]", strconv.FormatInt(inst.ID, 10)) +
					freshdeskRow().config(kindOpts{name: "estate", count: 1}) +
					importBlock("cloudelements_formula_instance.dep", fmt.Sprintf("%d/%d", f.ID, fi.ID)) +
					fmt.Sprintf(`resource "cloudelements_formula_instance" "dep" {
  formula_id    = "%d"
  name          = %q
  configuration = { desk = "%d" }
}
`, f.ID, fi.Name, inst.ID),
				"/formulas/*/instances/*"
		},
	}
}

func formulaRow() kindRow {
	return kindRow{
		name: "formula", resource: "cloudelements_formula", post: "/formulas", unique: true,
		config: func(o kindOpts) string {
			props := `scriptEngine = "v2", body = "done(true);\n"`
			if o.numbers {
				props += `, retries = 3, timeout = 3600000, rate = 0.00001, tiny = 0.0000001, huge = 1e21, half = 0.5`
			}
			call := ""
			if o.call != 0 {
				call = fmt.Sprintf("\n    call = { type = \"formula\", properties = jsonencode({ formulaId = %d }) }", o.call)
			}
			return fmt.Sprintf(`resource "cloudelements_formula" "k" {
  count         = %d
  name          = %s
  configuration = [{ key = "region", name = "Region", type = "value" }]
  steps = {
    run = { type = "script", properties = jsonencode({ %s }) }%s
  }
%s}
`, max(o.count, 1), o.named(), props, call, o.extra)
		},
		ids: func(emu *emulator.Server) (ids []int64) {
			for _, f := range emu.Formulas() {
				if !strings.HasPrefix(f.Name, depName) {
					ids = append(ids, f.ID)
				}
			}
			return ids
		},
		seed: func(emu *emulator.Server, name string, date time.Time) (int64, string) {
			f := emu.PutFormula(emulator.Formula{Name: name, Active: true, CreatedDate: date,
				Configuration: []emulator.FormulaConfig{{Key: "region", Name: "Region", Type: "value"}},
				Steps: []emulator.FormulaStep{{Name: "run", Type: "script",
					Properties: []byte(`{"scriptEngine":"v2","body":"done(true);\n"}`)}}})
			return f.ID, strconv.FormatInt(f.ID, 10)
		},
		foreign: `{"id":%d,"name":"someone else's","createdDate":"2020-01-01T00:00:00Z","active":true,` +
			`"configuration":[],"triggers":[],"steps":[]}`,
		outside: func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error {
			for _, f := range emu.Formulas() { // every one deleted
				emu.RemoveFormula(f.ID)
			}
			return goneFromState("cloudelements_formula")
		},
		estate: formulaEstate,
	}
}

func formulaInstanceRow() kindRow {
	// parent is the formula of the formula instances made by hand.
	parent := func(emu *emulator.Server) int64 {
		for _, f := range emu.Formulas() {
			if f.Name == depName+"seeded" {
				return f.ID
			}
		}
		return emu.PutFormula(emulator.Formula{Name: depName + "seeded", Active: true,
			Configuration: []emulator.FormulaConfig{{Key: "region", Name: "Region", Type: "value"}}}).ID
	}
	return kindRow{
		name: "formula instance", resource: "cloudelements_formula_instance", post: "/formulas/*/instances",
		config: func(o kindOpts) string {
			ttl := ""
			if o.numbers {
				ttl = "  time_to_live  = 3600000\n"
			}
			dep, parentID := fmt.Sprintf(`resource "cloudelements_formula" "dep" {
  name          = "%sparent"
  configuration = [{ key = "region", name = "Region", type = "value" }]
}

`, depName), "cloudelements_formula.dep.id"
			if o.parent != "" {
				dep, parentID = "", strconv.Quote(o.parent)
			}
			return fmt.Sprintf(`%sresource "cloudelements_formula_instance" "k" {
  count         = %d
  formula_id    = %s
  name          = %s
  configuration = { region = "eu" }
%s%s}
`, dep, max(o.count, 1), parentID, o.named(), ttl, o.extra)
		},
		ids: func(emu *emulator.Server) (ids []int64) {
			for _, fi := range emu.FormulaInstances() {
				if !strings.HasPrefix(fi.Name, depName) {
					ids = append(ids, fi.ID)
				}
			}
			return ids
		},
		seed: func(emu *emulator.Server, name string, date time.Time) (int64, string) {
			fid := parent(emu)
			fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: fid, Name: name, Active: true, CreatedDate: date,
				Configuration: map[string]string{"region": "eu"}})
			return fi.ID, fmt.Sprintf("%d/%d", fid, fi.ID)
		},
		foreign: `{"id":%d,"name":"someone else's","createdDate":"2020-01-01T00:00:00Z","active":true,` +
			`"configuration":{"region":"us"},"settings":{}}`,
		outside: func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error {
			for _, fi := range emu.FormulaInstances() { // every one deleted
				emu.RemoveFormulaInstance(fi.ID)
			}
			return goneFromState("cloudelements_formula_instance")
		},
		estate: formulaEstate,
	}
}

// formulaEstate is a formula and a formula instance of it, made by hand.
func formulaEstate(emu *emulator.Server) (string, string) {
	f := emu.PutFormula(emulator.Formula{Name: "estate", Active: true})
	fi := emu.PutFormulaInstance(emulator.FormulaInstance{FormulaID: f.ID, Name: "estate", Active: true})
	return importBlock("cloudelements_formula.k", strconv.FormatInt(f.ID, 10)) +
			"resource \"cloudelements_formula\" \"k\" {\n  name = \"estate\"\n}\n" +
			importBlock("cloudelements_formula_instance.k", fmt.Sprintf("%d/%d", f.ID, fi.ID)) +
			fmt.Sprintf("resource \"cloudelements_formula_instance\" \"k\" {\n  formula_id = \"%d\"\n  name       = \"estate\"\n}\n", f.ID),
		"/formulas/*/instances/*"
}

func importBlock(to, id string) string {
	return fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", to, id)
}

// eachInState runs f on every resource of type typ named k in state.
func eachInState(s *terraform.State, typ string, f func(id string, attrs map[string]string) error) error {
	for _, m := range s.Modules {
		for addr, rs := range m.Resources {
			if rs.Type == typ && strings.HasPrefix(addr, typ+".k") {
				if err := f(rs.Primary.ID, rs.Primary.Attributes); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// goneFromState checks that state holds no asset of type typ any more.
func goneFromState(typ string) func(*terraform.State, *emulator.Server) error {
	return func(s *terraform.State, _ *emulator.Server) error {
		return eachInState(s, typ, func(id string, _ map[string]string) error {
			return fmt.Errorf("%s %s was deleted on the platform, state keeps it", typ, id)
		})
	}
}
