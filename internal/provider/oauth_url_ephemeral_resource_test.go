package provider

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

func oauthURLConfig(baseURL, element string) string {
	return dsProviderConfig(baseURL) + fmt.Sprintf(`
variable "client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

ephemeral "cloudelements_oauth_url" "crm" {
  element_key  = %q
  api_key      = "client-id"
  api_secret   = var.client_secret
  callback_url = "https://example.com/cb"
  scope        = "full refresh_token"
}

provider "echo" {
  data = ephemeral.cloudelements_oauth_url.crm.url
}

resource "echo" "url" {}
`, element)
}

// TestAccOAuthURLEphemeral gets the browser step's URL (Terraform 1.10+): the
// client secret reaches the platform in the query and nowhere else.
func TestAccOAuthURLEphemeral(t *testing.T) {
	emu, baseURL := dsTestServer(t)
	want := "https://login.emulated.example/services/oauth2/authorize?" + url.Values{"client_id": {"client-id"},
		"redirect_uri": {"https://example.com/cb"}, "response_type": {"code"}, "scope": {"full refresh_token"},
		"state": {"sfdc"}}.Encode()
	vars := config.Variables{"client_secret": config.StringVariable(reauthClientSecret)}
	accTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: dsProtoV6Factories,
		Steps: []resource.TestStep{
			// An element without OAuth: the platform's refusal, named.
			{
				Config: oauthURLConfig(baseURL, "freshdeskv2"), ConfigVariables: vars,
				ExpectError: errorWith(`Cannot get the OAuth URL of element "freshdeskv2"`),
			},
			// The post-test destroy opens the ephemeral resource again: this step comes last.
			{
				Config: oauthURLConfig(baseURL, "sfdc"), ConfigVariables: vars,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("echo.url", tfjsonpath.New("data"), knownvalue.StringExact(want)),
					secretsAbsent("echo.url", reauthClientSecret),
				},
				Check: func(*terraform.State) error {
					reqs := emu.RequestsTo("GET", "/elements/sfdc/oauth/url")
					if len(reqs) == 0 {
						return fmt.Errorf("no GET /elements/sfdc/oauth/url")
					}
					if q, _ := url.ParseQuery(reqs[0].Query); q.Get("apiSecret") != reauthClientSecret {
						return fmt.Errorf("the client secret was not sent as apiSecret")
					}
					return nil
				},
			},
		},
	})
}

// TestAccOAuthURLEphemeral_showURL shows the URL in the plan's output with
// show_url, the one way to see an ephemeral value without more
// configuration, and never the client secret.
func TestAccOAuthURLEphemeral_showURL(t *testing.T) {
	env := newAccEnv(t)
	env.needsEmulator(t)
	w := newCLIDir(t, cliOptions{minVersion: "1.10.0", traceLog: t.TempDir() + "/cli-trace.log"})
	w.env = append(w.env, "TF_VAR_client_secret="+reauthClientSecret)
	cfg := oauthURLConfig(env.baseURL, "sfdc") // without the echo provider, not served here
	w.write(cliRequiredProviders +
		strings.Replace(cfg[:strings.Index(cfg, `provider "echo"`)], `scope        = "full refresh_token"`, "show_url = true", 1))
	w.must("init", "-input=false")
	out := w.must("plan", "-input=false")
	if !strings.Contains(out, "https://login.emulated.example/services/oauth2/authorize?client_id=client-id") {
		t.Errorf("the plan does not show the URL:\n%s", out)
	}
	if err := echoFree("plan output", out, []string{reauthClientSecret}); err != nil {
		t.Error(err)
	}
}
