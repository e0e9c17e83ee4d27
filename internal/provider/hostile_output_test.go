package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The hostile cases of issue 27 on the output channels (items 3, 4, 7 and
// 9, and the previous round's cases still failing), across kinds: formula
// instances whose passwords the platform answers in clear or echoes,
// write-only values echoed on a refresh, a secret split across an error's
// fields, terminal controls in multi-line values read into state.

// hFPw is a formula instance's password.
const hFPw = "FAKEfpw-Pass9/x+=&5"

// formulaCase is served by the emulator (options changed by setup) seeded
// with a formula whose "pw" variable is a password and an instance of it
// whose password is hFPw; steps get the formula and instance ids.
func formulaCase(name string, setup func(*emulator.Options), steps func(emu *emulator.Server, fid, fiid int64, p string) []resource.TestStep) hostileCase {
	var emu *emulator.Server
	var fid, fiid int64
	return hostileCase{
		name:    name,
		secrets: []string{hFPw, hWO},
		env:     map[string]string{"TF_VAR_h_wo": hWO},
		handler: func(*testing.T) http.Handler {
			opts := emulator.Options{UserSecret: hUser, OrganizationSecret: hOrg, Seed: 1}
			if setup != nil {
				setup(&opts)
			}
			emu = emulator.New(opts)
			f, fi := passwordFormula(emu, "hostile", hFPw)
			fid, fiid = f.ID, fi.ID
			return emu
		},
		steps: func(_ *hostileServer, p string) []resource.TestStep { return steps(emu, fid, fiid, p) },
	}
}

// importedFormulaInstance takes the seeded formula instance under
// management with an import block.
func importedFormulaInstance(fid, fiid int64) string {
	return fmt.Sprintf(`
import {
  to = cloudelements_formula_instance.h
  id = "%[1]d/%[2]d"
}

resource "cloudelements_formula_instance" "h" {
  formula_id    = "%[1]d"
  name          = "hostile-run"
  configuration = { region = "eu" }
}
`, fid, fiid)
}

// woFreshdesk is a Freshdesk instance whose API key is write-only.
var woFreshdesk = woVariable("h_wo") + `
resource "cloudelements_freshdesk_instance" "h" {
  name               = "hostile"
  subdomain          = "acme"
  api_key_wo         = var.h_wo
  api_key_wo_version = 1
  timeouts           = { create = "20s", read = "3s", update = "20s", delete = "20s" }
}
`

func hostileOutputCases() []hostileCase {
	return []hostileCase{
		formulaCase("formula instance password answered in clear: import block, plan, state",
			func(o *emulator.Options) { o.Variance.ClearSecrets = true },
			func(_ *emulator.Server, fid, fiid int64, p string) []resource.TestStep {
				config := p + importedFormulaInstance(fid, fiid)
				return []resource.TestStep{{Config: config}, {Config: config, PlanOnly: true}}
			}),
		formulaCase("formula instance: write-only password echoed on a refresh into name, email, configuration", nil,
			func(emu *emulator.Server, fid, _ int64, p string) []resource.TestStep {
				config := p + woFormulaInstance("w", "wo-run", fid, "h_wo")
				echo := func() {
					for _, fi := range emu.FormulaInstances() {
						if fi.Name == "wo-run" {
							fi.Name += " " + hWO
							fi.Settings = map[string]any{"notification.email": hWO}
							fi.Configuration["region"] = hWO
							emu.PutFormulaInstance(fi)
						}
					}
				}
				return []resource.TestStep{{Config: config}, {PreConfig: echo, Config: config, PlanOnly: true}}
			}),
		{
			name: "write-only key echoed on a refresh into subdomain, tags and created_date", secrets: []string{hWO},
			env: map[string]string{"TF_VAR_h_wo": hWO},
			steps: func(s *hostileServer, p string) []resource.TestStep {
				return []resource.TestStep{
					{Config: p + woFreshdesk},
					{
						PreConfig: func() {
							s.setHook(always(isGet(fmt.Sprintf("/instances/%d", hostID)), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
								inst := s.itemCopy(hostID)
								inst["tags"] = []string{hWO}
								inst["createdDate"] = hWO
								inst["configuration"] = map[string]any{"subdomain": hWO, "filter.response.nulls": "true"}
								hostileJSON(w, 200, inst)
							}))
						},
						Config: p + woFreshdesk, PlanOnly: true,
					},
				}
			},
		},
		{name: "secret split across an error's fields, halves swapped", steps: hookThen(hostileResource(""), `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				hostileJSON(w, 400, map[string]any{"requestId": "r-split", "message": hKey[len(hKey)/2:] + " was refused",
					"providerMessage": "the key began " + hKey[:len(hKey)/2+1]})
			}))},
		formulaCase("terminal controls in a multi-line description and a name read into state", nil,
			func(emu *emulator.Server, _, _ int64, p string) []resource.TestStep {
				forge := func() {
					const forged = "\x1b]0;pwned\x07\x1b[2J\r\u202eforged"
					for _, f := range emu.Formulas() {
						if f.Name == "forged" {
							f.Description = "line one\n" + forged + "\nline two"
							emu.PutFormula(f)
						}
					}
					for _, fi := range emu.FormulaInstances() {
						if fi.Name == "forged-run" {
							fi.Name += forged
							emu.PutFormulaInstance(fi)
						}
					}
				}
				return []resource.TestStep{{Config: p + forgedFormula}, {
					PreConfig: forge, Config: p + forgedFormula, PlanOnly: true, ExpectNonEmptyPlan: true,
					ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{stateClean{}}},
				}}
			}),
	}
}

// forgedFormula is a formula with a multi-line description and an instance
// of it, whose values the platform then answers with terminal controls.
const forgedFormula = `
resource "cloudelements_formula" "h" {
  name        = "forged"
  description = <<-EOT
    line one
    line two
  EOT
}

resource "cloudelements_formula_instance" "h" {
  formula_id = cloudelements_formula.h.id
  name       = "forged-run"
}
`

// OpenEphemeralResource records the diagnostics of an ephemeral resource
// (the OAuth URL warning quotes the platform's answer).
func (r *recordingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	resp, err := r.ProviderServer.OpenEphemeralResource(ctx, req)
	if resp != nil {
		r.record(resp.Diagnostics)
	}
	return resp, err
}

// itemCopy is a copy of the instance the server keeps as id, for a hook to
// answer it changed.
func (s *hostileServer) itemCopy(id int64) map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	inst := map[string]any{}
	for k, v := range s.items[id] {
		inst[k] = v
	}
	return inst
}
