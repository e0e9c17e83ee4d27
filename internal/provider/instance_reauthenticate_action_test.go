package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// Credentials handed to the actions in tests; each search for them is
// meaningful because they appear nowhere else.
const (
	reauthCode         = "FAKEcode-Rq7/x+Y=&1"
	reauthRefresh      = "FAKErefresh-Wv3/k+=&2"
	reauthClientSecret = "FAKEclientsecret-Hn5/p+=&3"
	crmAddr            = "cloudelements_instance.crm"
)

var reauthSecrets = []string{reauthCode, reauthRefresh, reauthClientSecret}

// crmConfig is an OAuth instance made from a refresh token, plus extra
// configuration (actions and their triggers).
func crmConfig(env *accEnv, extra string) string {
	return env.provider() + fmt.Sprintf(`variable "oauth_code" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "refresh_token" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "cloudelements_instance" "crm" {
  name                    = "crm"
  element_key             = "sfdc"
  external_authentication = "initial"
  configuration           = { "oauth.callback.url" = "https://example.com/cb" }
  secret_configuration_wo = {
    "oauth.api.key"            = "client-id"
    "oauth.api.secret"         = "client-secret" # a literal: Terraform logs the configuration
    "oauth.user.refresh_token" = var.refresh_token
  }
  secret_configuration_wo_version = 1
}
%s`, extra)
}

// dataTrigger is the terraform_data trigger pattern: a resource whose
// input is round, running the action after it is created or updated, so
// that changing round runs the action again.
func dataTrigger(name string, round int, actionAddr string) string {
	return fmt.Sprintf(`
resource "terraform_data" %q {
  input = %d
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [%s]
    }
  }
}
`, name, round, actionAddr)
}

// reauthTrigger re-authenticates whenever round changes.
func reauthTrigger(round int) string {
	return dataTrigger("reauth", round, "action.cloudelements_instance_reauthenticate.crm") + `
action "cloudelements_instance_reauthenticate" "crm" {
  config {
    instance_id = cloudelements_instance.crm.id
    oauth_code  = var.oauth_code
  }
}
`
}

// reauthVars sets the ephemeral variables of crmConfig.
func reauthVars() config.Variables {
	return config.Variables{"oauth_code": config.StringVariable(reauthCode), "refresh_token": config.StringVariable(reauthRefresh)}
}

// echoFree fails when any form of secrets (see secretEchoForms) is in
// text; what names the text in the failure.
func echoFree(what, text string, secrets []string) error {
	for _, s := range secrets {
		for _, f := range secretEchoForms(s) {
			if i := strings.Index(text, f); i >= 0 {
				return fmt.Errorf("the %s holds %q (as %q) near %q", what, s, f, text[max(0, i-200):i])
			}
		}
	}
	return nil
}

// jsonLacks fails when a plan, as JSON, holds one of the secrets;
// it must hold mustHold, so that an empty document cannot pass.
func jsonLacks(what string, doc any, mustHold string, secrets []string) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	if !strings.Contains(string(raw), mustHold) {
		return fmt.Errorf("the %s does not hold %s", what, mustHold)
	}
	return echoFree(what, string(raw), secrets)
}

type planWithout []string

func (p planWithout) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = jsonLacks("plan", req.Plan, crmAddr, p)
}

// reauthSent checks the one re-authentication PUT the emulator recorded.
func reauthSent(env *accEnv, code string) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		var puts []emulator.Request
		for _, r := range emu.RequestsTo("PUT", "/instances/*") {
			if r.Query == "reAuthenticate=true" {
				puts = append(puts, r)
			}
		}
		if len(puts) != 1 {
			return fmt.Errorf("want one PUT ?reAuthenticate=true, got %d: %s", len(puts), describe(emu.Requests()))
		}
		var body struct {
			ProviderData struct{ Code string } `json:"providerData"`
		}
		if err := json.Unmarshal(puts[0].Body, &body); err != nil || body.ProviderData.Code != code {
			return fmt.Errorf("the PUT carried code %q (%v), want the configured one", body.ProviderData.Code, err)
		}
		return nil
	})
}

// tokenIs records the token in state in *before when it is empty; later,
// with fresh, it checks that the token in state is new and the platform's.
func tokenIs(env *accEnv, before *string, fresh bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs := s.RootModule().Resources[crmAddr]
		if rs == nil {
			return fmt.Errorf("%s not in state", crmAddr)
		}
		tok := rs.Primary.Attributes["token"]
		if *before == "" {
			*before = tok
			return nil
		}
		if fresh && tok == *before {
			return fmt.Errorf("the token in state is still the one from before the re-authentication")
		}
		return env.check(func(emu *emulator.Server) error {
			id, err := instanceID(s, crmAddr)
			if err != nil {
				return err
			}
			if inst, _ := emu.Instance(id); fresh && inst.Token != tok {
				return fmt.Errorf("the token in state is not the platform's")
			}
			return nil
		})(s)
	}
}

// TestAccInstanceReauthenticateAction_trigger runs the action from a
// terraform_data action_trigger (Terraform 1.14+): one PUT with the code, a
// new token read by the next refresh without a diff, nothing secret in the
// plan, the state or the TRACE log, and a refused code reported with status
// and request id.
func TestAccInstanceReauthenticateAction_trigger(t *testing.T) {
	serial(t) // it sets environment variables
	env := newAccEnv(t)
	env.needsEmulator(t)
	logPath := hostileLog(t)
	var token string
	noSecrets := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{planWithout(reauthSecrets)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planWithout(reauthSecrets)},
	}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)},
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: crmConfig(env, ""), ConfigVariables: reauthVars(),
				Check: resource.ComposeTestCheckFunc(tokenIs(env, &token, false), env.check(func(emu *emulator.Server) error {
					emu.ModifyInstance(emu.Instances()[0].ID, func(i *emulator.Instance) { i.Valid = false }) // grant revoked
					emu.ResetRequests()
					return nil
				})),
			},
			{
				// The trigger runs the action; the plan after it is empty
				// although the refresh finds a new token and valid again.
				Config: crmConfig(env, reauthTrigger(1)), ConfigVariables: reauthVars(),
				ConfigPlanChecks:  noSecrets,
				Check:             resource.ComposeTestCheckFunc(reauthSent(env, reauthCode)),
				ConfigStateChecks: []statecheck.StateCheck{secretsAbsent(crmAddr, reauthSecrets...)},
			},
			{
				// Nothing changed: no action, and the state has the new token.
				PreConfig: env.resetRequests,
				Config:    crmConfig(env, reauthTrigger(1)), ConfigVariables: reauthVars(),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planWithout(reauthSecrets)},
				},
				Check: resource.ComposeTestCheckFunc(tokenIs(env, &token, true), env.expectRequests("PUT", "/instances/*", 0)),
				ConfigStateChecks: []statecheck.StateCheck{
					secretsAbsent(crmAddr, reauthSecrets...),
					statecheck.ExpectKnownValue(crmAddr, tfjsonpath.New("valid"), knownvalue.Bool(true)),
				},
			},
			{
				// A code the vendor refuses (here: one used before) fails the
				// apply with the platform's status, message and request id.
				Config: crmConfig(env, reauthTrigger(2)), ConfigVariables: reauthVars(),
				ExpectError: regexp.MustCompile(`(?s)Cannot re-authenticate instance \d+.*HTTP[\s│]+400.*request[\s│]+id[\s│]+[0-9a-f]{24}.*invalid_grant`),
			},
		},
	})
	if err := echoFree("TRACE log", readLog(t, logPath), reauthSecrets); err != nil {
		t.Error(err)
	}
}

// TestAccInstanceReauthenticateAction_invoke runs the action by hand with
// `terraform apply -invoke` (Terraform 1.14+), which terraform-plugin-testing
// cannot drive, so the test runs the CLI itself: apply the instance, invoke
// the action, then a plan shows no change and a refresh reads the new token.
// No credential appears in any output, the state, the saved plan or the
// TRACE logs of the CLI and the provider.
func TestAccInstanceReauthenticateAction_invoke(t *testing.T) {
	serial(t) // it sets environment variables
	env := newAccEnv(t)
	env.needsEmulator(t)
	providerLog := hostileLog(t)
	cliLog := filepath.Join(t.TempDir(), "cli-trace.log")
	w := newCLIDir(t, cliOptions{minVersion: "1.14.0", traceLog: cliLog})
	w.env = append(w.env, "TF_VAR_oauth_code="+reauthCode, "TF_VAR_refresh_token="+reauthRefresh)
	w.write(cliRequiredProviders +
		crmConfig(env, `
action "cloudelements_instance_reauthenticate" "crm" {
  config {
    instance_id = cloudelements_instance.crm.id
    oauth_code  = var.oauth_code
  }
}
`))
	w.must("init", "-input=false")
	w.must("apply", "-input=false", "-auto-approve")
	before := w.attribute("cloudelements_instance", "crm", "token")
	id := env.emu.Instances()[0].ID
	env.emu.ModifyInstance(id, func(i *emulator.Instance) { i.Valid = false }) // the grant was revoked
	env.emu.ResetRequests()

	out := w.must("apply", "-input=false", "-auto-approve", "-invoke=action.cloudelements_instance_reauthenticate.crm")
	if !strings.Contains(out, "re-authenticated") {
		t.Errorf("no progress message in the output:\n%s", out)
	}
	if err := reauthSent(env, reauthCode)(nil); err != nil {
		t.Fatal(err)
	}
	for _, r := range env.emu.Requests() { // reads (the refresh, the action's GET) and the one PUT
		if r.Method != "GET" && r.Method != "PUT" {
			t.Errorf("the invocation wrote otherwise too: %s", describe(env.emu.Requests()))
		}
	}

	if code, out := w.run("plan", "-input=false", "-detailed-exitcode", "-out=after.tfplan"); code != 0 {
		t.Fatalf("plan after the action: exit %d, want 0 (no changes)\n%s", code, out)
	}
	w.must("show", "-json", "after.tfplan")
	w.must("apply", "-input=false", "-auto-approve", "-refresh-only")
	inst, _ := env.emu.Instance(id)
	if after := w.attribute("cloudelements_instance", "crm", "token"); after == before || after != inst.Token {
		t.Errorf("after a refresh the token in state is not the new one")
	}
	if valid := w.attribute("cloudelements_instance", "crm", "valid"); valid != true {
		t.Errorf("after a refresh valid = %v, want true", valid)
	}

	// The code worked once: invoking again fails with the platform's answer.
	code, out := w.run("apply", "-input=false", "-auto-approve", "-invoke=action.cloudelements_instance_reauthenticate.crm")
	if code == 0 || !regexp.MustCompile(`(?s)HTTP[\s│]+400.*invalid_grant`).MatchString(out) {
		t.Errorf("a used code: exit %d, want a failure naming the status and the vendor's message\n%s", code, out)
	}

	for what, text := range map[string]string{"CLI output": w.output.String(), "state": w.state(),
		"CLI TRACE log": readLog(t, cliLog), "provider TRACE log": readLog(t, providerLog)} {
		if err := echoFree(what, text, reauthSecrets); err != nil {
			t.Error(err)
		}
	}
}
