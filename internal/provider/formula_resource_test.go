package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// integration is the configuration of the promotion guide: a Freshdesk
// instance, a sub-formula, a formula calling it and a formula instance
// bound to the Freshdesk instance. body is the caller's script; alias
// names a provider alias ("" for the default provider); active is the
// formula instance's flag.
type integration struct {
	alias, body string
	inactive    bool
}

func (g integration) config() string {
	p := ""
	if g.alias != "" {
		p = "  provider = cloudelements." + g.alias + "\n"
	}
	return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "helpdesk" {
%[1]s  name      = "helpdesk"
  subdomain = "acme"
  api_key   = "fd-api-key-0001"
}

resource "cloudelements_formula" "notify" {
%[1]s  name = "notify"
  steps = {
    send = { type = "script", properties = jsonencode({ scriptEngine = "v2", body = "done(true);" }) }
  }
}

resource "cloudelements_formula" "sync" {
%[1]s  name        = "sync"
  description = "Copies new tickets"
  configuration = [{ key = "trigger_instance", name = "Helpdesk", type = "elementInstance" }]
  triggers = [{
    type       = "event"
    on_success = ["check"]
    properties = jsonencode({ elementInstanceId = "$${trigger_instance}" })
  }]
  steps = {
    check = {
      type       = "script"
      on_success = ["call-notify"]
      properties = jsonencode({ scriptEngine = "v2", body = %[2]q, retries = 3 })
    }
    call-notify = {
      type       = "formula"
      properties = jsonencode({ formulaId = cloudelements_formula.notify.id })
    }
  }
}

resource "cloudelements_formula_instance" "sync" {
%[1]s  formula_id         = cloudelements_formula.sync.id
  name               = "sync-helpdesk"
  active             = %[3]t
  configuration      = { trigger_instance = cloudelements_freshdesk_instance.helpdesk.id }
  notification_email = "ops@example.com"
  time_to_live       = 3600
}
`, p, g.body, !g.inactive)
}

const (
	formulaAddr         = "cloudelements_formula.sync"
	formulaInstanceAddr = "cloudelements_formula_instance.sync"
)

// formulaNamed finds a stored formula by name.
func formulaNamed(emu *emulator.Server, name string) (emulator.Formula, bool) {
	for _, f := range emu.Formulas() {
		if f.Name == name {
			return f, true
		}
	}
	return emulator.Formula{}, false
}

// wiredCheck asserts on the emulator's record that the lifecycle's
// integration is wired and its check step has body.
func wiredCheck(emu *emulator.Server, body string) error {
	if err := checkWired(emu, "sync", "notify", "call-notify", "trigger_instance"); err != nil {
		return err
	}
	sync, _ := formulaNamed(emu, "sync")
	for _, s := range sync.Steps {
		var props struct {
			Body string `json:"body"`
		}
		if s.Name == "check" && (json.Unmarshal(s.Properties, &props) != nil || props.Body != body) {
			return fmt.Errorf("check step properties %s, want body %q", s.Properties, body)
		}
	}
	return nil
}

// checkWired asserts that the emulator holds one element instance, the
// formulas caller and sub, and one formula instance; that caller's step
// callStep calls sub; and that the formula instance is of caller, bound to
// the element instance through configuration key.
func checkWired(emu *emulator.Server, caller, sub, callStep, key string) error {
	c, ok1 := formulaNamed(emu, caller)
	s, ok2 := formulaNamed(emu, sub)
	fis, insts := emu.FormulaInstances(), emu.Instances()
	if !ok1 || !ok2 || len(fis) != 1 || len(insts) != 1 {
		return fmt.Errorf("want formulas %q and %q, 1 formula instance, 1 instance; have %d, %d, %d",
			caller, sub, len(emu.Formulas()), len(fis), len(insts))
	}
	var call struct {
		FormulaID json.Number `json:"formulaId"`
	}
	for _, st := range c.Steps {
		if st.Name == callStep {
			if err := json.Unmarshal(st.Properties, &call); err != nil {
				return err
			}
		}
	}
	switch {
	case call.FormulaID.String() != strconv.FormatInt(s.ID, 10):
		return fmt.Errorf("step %s calls formula %q, %s is %d", callStep, call.FormulaID, sub, s.ID)
	case fis[0].FormulaID != c.ID || fis[0].Configuration[key] != strconv.FormatInt(insts[0].ID, 10):
		return fmt.Errorf("formula instance %+v not bound to formula %d and instance %d", fis[0], c.ID, insts[0].ID)
	}
	return nil
}

func formulaInstanceImportID(s *terraform.State) (string, error) {
	rs, ok := s.RootModule().Resources[formulaInstanceAddr]
	if !ok {
		return "", fmt.Errorf("%s not in state", formulaInstanceAddr)
	}
	return rs.Primary.Attributes["formula_id"] + "/" + rs.Primary.ID, nil
}

func TestAccFormula_lifecycle(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	first, second := integration{body: "done(true);"}, integration{body: "done({ ok: true });"}
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			if n, m := len(env.emu.Formulas()), len(env.emu.FormulaInstances()); n+m != 0 {
				return fmt.Errorf("%d formulas and %d formula instances left after destroy", n, m)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:           env.provider() + first.config(),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            env.check(func(emu *emulator.Server) error { return wiredCheck(emu, first.body) }),
			},
			{
				// One step changes: the plan shows that step, applied with
				// one PUT of the formula and nothing else written.
				PreConfig: env.resetRequests,
				Config:    env.provider() + second.config(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("cloudelements_formula.notify", plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					env.check(func(emu *emulator.Server) error { return wiredCheck(emu, second.body) }),
					env.expectRequests(http.MethodPut, "/formulas/*", 1),
					env.expectRequests(http.MethodPost, "", 0),
					env.expectRequests(http.MethodPatch, "", 0),
				),
			},
			{ResourceName: formulaAddr, ImportState: true, ImportStateVerify: true},
			{
				ResourceName: formulaInstanceAddr, ImportState: true, ImportStateVerify: true,
				ImportStateIdFunc: formulaInstanceImportID,
			},
			{
				// active goes through /active alone.
				PreConfig: env.resetRequests,
				Config:    env.provider() + integration{body: second.body, inactive: true}.config(),
				Check: resource.ComposeTestCheckFunc(
					env.expectRequests(http.MethodDelete, "/formulas/*/instances/*/active", 1),
					env.expectRequests(http.MethodPut, "", 0),
					env.check(func(emu *emulator.Server) error {
						if emu.FormulaInstances()[0].Active {
							return fmt.Errorf("formula instance still active")
						}
						return nil
					}),
				),
			},
		},
	})
}

// A formula deleted outside Terraform takes its formula instances with it
// (the default answer): the plan shows both to be created, and the apply
// recreates them wired to the new formula.
func TestAccFormulaInstance_formulaDeletedOutside(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	cfg := env.provider() + integration{body: "done(true);"}.config()
	var oldID string
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: cfg, Check: func(s *terraform.State) error {
				oldID = s.RootModule().Resources[formulaAddr].Primary.ID
				return nil
			}},
			{
				PreConfig: func() { deleteOnEmulator(t, env, "/formulas/"+oldID) },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(formulaAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(formulaInstanceAddr, plancheck.ResourceActionCreate),
				}},
				Check: env.check(func(emu *emulator.Server) error { return wiredCheck(emu, "done(true);") }),
			},
		},
	})
}

// deleteOnEmulator deletes path on the emulator, as a user would outside
// Terraform.
func deleteOnEmulator(t *testing.T, env *accEnv, path string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, env.baseURL+path, nil)
	req.Header.Set("Authorization", "User "+testUserSecret+", Organization "+testOrganizationSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE %s: %v %v", path, resp, err)
	}
	_ = resp.Body.Close()
}
