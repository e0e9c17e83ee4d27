package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The hostile cases of issues 18 (item 4) and 19 (items 1-6): secrets
// echoed, transformed, split and quoted, and text that forges terminal
// output.

const (
	// hWO is a write-only secret: in configuration only, never in state.
	hWO = "FAKEwo-Oauth9/k+Ey=&4"
)

// hLong is a long API key, echoed in part.
var hLong = "FAKElong-" + strings.Repeat("Zq8x7Pw", 600)

func versionChecks(query bool) []tfversion.TerraformVersionCheck {
	if !query {
		return nil
	}
	return []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0)}
}

// noisyJira is a cloudelements_instance whose secrets are given in
// state (secret_configuration) and write-only (secret_configuration_wo).
const noisyJira = `variable "h_wo" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "cloudelements_instance" "n" {
  element_key   = "jira"
  name          = "noisy"
  configuration = { "jira.host" = "https://jira.example.com" }
  secret_configuration_wo = {
    username        = "hostile-user"
    password        = var.h_api_key
    "oauth.api.key" = var.h_wo
  }
  secret_configuration_wo_version = 1
}
`

// transformed is hKey in the loose forms of issue 19 item 4, one after
// another, then its first half (the second half is in providerMessage).
func transformed() string {
	return strings.Join([]string{
		base64.StdEncoding.EncodeToString([]byte(hKey)), base64.RawURLEncoding.EncodeToString([]byte("k:" + hKey)),
		strings.ToUpper(hKey), strings.ToLower(hKey), fullwidthForm(hKey),
		strings.Join(strings.Split(hKey, ""), "\u00ad"), strings.Join(strings.Split(hKey, ""), "\u200b"),
		"half " + hKey[:9],
	}, " ")
}

// forged is text meant to forge terminal output: a title, a cleared
// screen, a carriage return over the line, a right-to-left override.
const forged = "\x1b]0;pwned\x07\x1b[2J\r\u202eforged\n$ "

func hostileSecretCases() []hostileCase {
	return append(readBackCases(), []hostileCase{
		{
			name:    "noisy emulator: write-only and stored secrets answered in clear",
			secrets: []string{hWO},
			env:     map[string]string{"TF_VAR_h_wo": hWO},
			handler: func(t *testing.T) http.Handler {
				opts, err := emulator.Options{UserSecret: hUser, OrganizationSecret: hOrg, Seed: 1}.WithProfile("noisy")
				if err != nil {
					t.Fatal(err)
				}
				return emulator.New(opts)
			},
			steps: func(_ *hostileServer, p string) []resource.TestStep {
				// The second step is a new provider process: it never sent
				// the secrets the platform now answers in clear.
				return []resource.TestStep{{Config: p + noisyJira}, {Config: p + noisyJira, PlanOnly: true}}
			},
		},
		{
			name: "warning quoting an answered value: escapes and a secret",
			steps: func(s *hostileServer, p string) []resource.TestStep {
				s.setHook(once(func(r *http.Request) bool { return r.Method == http.MethodPost }, func(w http.ResponseWriter, _ *http.Request, body []byte) {
					inst := s.create(body)
					answered := map[string]any{}
					for k, v := range inst {
						answered[k] = v
					}
					answered["configuration"] = map[string]any{"subdomain": "acme" + forged + hKey, "filter.response.nulls": "true"}
					hostileJSON(w, 200, answered)
				}))
				return []resource.TestStep{{Config: p + hostileResource("")}}
			},
		},
		{name: "transformed and split echoes in a 400", steps: hookThen(hostileResource(""), `HTTP 400`,
			always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				hostileJSON(w, 400, map[string]any{"requestId": "r-t", "message": transformed(), "providerMessage": hKey[9:] + " tail"})
			}))},
		{
			name:    "half echo of a long secret",
			secrets: []string{hLong},
			env:     map[string]string{"TF_VAR_h_api_key": hLong},
			steps: hookThen(hostileResource(""), `HTTP 400`, always(anyRequest, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				hostileJSON(w, 400, map[string]any{"message": "rejected " + hLong[len(hLong)/2:], "providerMessage": hLong[:2000]})
			})),
		},
		{
			name:  "query: tokens and forged display names",
			query: true,
			steps: func(s *hostileServer, p string) []resource.TestStep {
				item := `{"id":1017,"name":` + jsonString("desk"+forged+"end") + `,"token":"` + hTok + `","element":{"id":491,"key":"freshdeskv2"},` +
					`"configuration":{"subdomain":"acme","username":"` + hKey + `"},"tags":[],"createdDate":"2024-01-02T03:04:05Z"}`
				s.setHook(always(isGet("/instances"), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
					rawJSON(w, 200, "["+item+"]")
				}))
				return []resource.TestStep{
					{Config: p},
					{
						Query: true,
						Config: `list "cloudelements_freshdesk_instance" "all" {
  provider         = cloudelements
  include_resource = true
}
`,
						QueryResultChecks: []querycheck.QueryResultCheck{shownQuery{s}, querycheck.ExpectLength("cloudelements_freshdesk_instance.all", 1)},
					},
				}
			},
		},
	}...)
}

// emulatorCase is a case served by the emulator under profile (secrets
// answered in clear with "noisy"), seeded by seed; steps get the emulator.
func emulatorCase(name, profile string, seed func(*emulator.Server), steps func(emu *emulator.Server, p string) []resource.TestStep) hostileCase {
	var emu *emulator.Server
	return hostileCase{
		name: name,
		handler: func(t *testing.T) http.Handler {
			opts, err := emulator.Options{UserSecret: hUser, OrganizationSecret: hOrg, Seed: 1}.WithProfile(profile)
			if err != nil {
				t.Fatal(err)
			}
			emu = emulator.New(opts)
			if seed != nil {
				seed(emu)
			}
			return emu
		},
		steps: func(_ *hostileServer, p string) []resource.TestStep { return steps(emu, p) },
	}
}

// jiraConfig is a cloudelements_instance with its password in state.
const jiraConfig = `resource "cloudelements_instance" "j" {
  element_key          = "jira"
  name                 = "jira"
  configuration        = { "jira.host" = "https://jira.example.com" }
  secret_configuration = { username = "hostile-user", password = var.h_api_key }
}
`

// readBackCases answer a refresh with known secrets in plain attributes
// (issue 19 item 2): state keeps what it had, and nothing shows them.
func readBackCases() []hostileCase {
	echoFD := func(s *hostileServer, p string) []resource.TestStep {
		return []resource.TestStep{
			{Config: p + hostileResource("")},
			{
				PreConfig: func() {
					s.setHook(always(isGet(fmt.Sprintf("/instances/%d", hostID)), func(w http.ResponseWriter, _ *http.Request, _ []byte) {
						inst := s.itemCopy(hostID)
						inst["name"] = "hostile " + hKey
						inst["tags"] = []string{hKey}
						inst["createdDate"] = hKey
						inst["configuration"] = map[string]any{"subdomain": hKey, "filter.response.nulls": "true"}
						hostileJSON(w, 200, inst)
					}))
				},
				Config: p + hostileResource(""), PlanOnly: true,
			},
		}
	}
	jiraEcho := emulatorCase("refresh answers the password as a configuration value", "default",
		nil, func(emu *emulator.Server, p string) []resource.TestStep {
			return []resource.TestStep{
				{Config: p + jiraConfig},
				{
					PreConfig: func() {
						for _, inst := range emu.Instances() {
							emu.ModifyInstance(inst.ID, func(i *emulator.Instance) { i.Configuration["jira.host"] = "https://" + hKey })
						}
					},
					Config: p + jiraConfig, PlanOnly: true,
				},
			}
		})
	var seeded int64
	importNoisy := emulatorCase("import keeps no hash of a secret in private state", "noisy",
		func(emu *emulator.Server) {
			seeded = emu.PutInstance(emulator.Instance{Name: "jira", ElementKey: "jira", Configuration: map[string]string{
				"jira.host": "https://jira.example.com", "username": "hostile-user", "password": hKey, "sftp.privateKey": hSig,
			}}).ID
		}, func(_ *emulator.Server, p string) []resource.TestStep {
			// terraform import keeps the import's refresh in state, private
			// state included, until the first apply.
			return []resource.TestStep{{
				Config: p + jiraConfig, ResourceName: "cloudelements_instance.j", ImportState: true,
				ImportStateId: fmt.Sprint(seeded), ImportStatePersist: true,
			}}
		})
	return []hostileCase{
		{name: "refresh answers secrets in plain attributes", steps: echoFD},
		jiraEcho, importNoisy,
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// shownQuery puts what `terraform query` shows (display names) and what
// `terraform query -json` prints (resource objects) in the case's scans.
type shownQuery struct{ s *hostileServer }

func (q shownQuery) CheckQuery(_ context.Context, req querycheck.CheckQueryRequest, _ *querycheck.CheckQueryResponse) {
	for _, r := range req.Query {
		q.s.show(r.DisplayName)
		q.s.show(jsonString(r.DisplayName)) // -json output, escaped
		b, _ := json.Marshal(r.ResourceObject)
		q.s.show(string(b))
	}
}
