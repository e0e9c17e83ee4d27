package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// errorWith matches an error holding each phrase in order; words may be
// split across Terraform's wrapped lines.
func errorWith(phrases ...string) *regexp.Regexp {
	parts := make([]string, len(phrases))
	for i, p := range phrases {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

// errorWithAll matches an error holding each group in any order, where a
// group is phrases in order (as errorWith): diagnostics of different
// attributes come in no fixed order.
func errorWithAll(groups ...[]string) *regexp.Regexp {
	var alternatives []string
	var permute func(done []string, rest [][]string)
	permute = func(done []string, rest [][]string) {
		if len(rest) == 0 {
			alternatives = append(alternatives, strings.Join(done, `.*`))
			return
		}
		for i := range rest {
			others := append(append([][]string{}, rest[:i]...), rest[i+1:]...)
			permute(append(done, strings.TrimPrefix(errorWith(rest[i]...).String(), `(?s)`)), others)
		}
	}
	permute(nil, groups)
	return regexp.MustCompile(`(?s)(?:` + strings.Join(alternatives, `|`) + `)`)
}

// badInput is one malformed input and the error it must produce.
type badInput struct {
	name     string
	provider func(env *accEnv) string // nil: env.provider()
	resource string                   // the resource block
	importID *string                  // set: imported with this id
	want     *regexp.Regexp
	// planWalk says Terraform reports the error while planning, which it
	// starts only once every configuration validated.
	planWalk bool
}

// woConfig is a resource block with the write-only key; extra is pasted inside.
func woConfig(extra string) string {
	return fmt.Sprintf(`resource "cloudelements_freshdesk_instance" "test" {
  name      = "Valid"
  subdomain = "valid"
%s}
`, extra)
}

func providerBaseURL(baseURL string) func(*accEnv) string {
	return func(*accEnv) string {
		return fmt.Sprintf("provider \"cloudelements\" {\n  base_url = %q\n  user_secret = %q\n  organization_secret = %q\n}\n",
			baseURL, testUserSecret, testOrganizationSecret)
	}
}

func providerSecrets(user, org string) func(*accEnv) string {
	return func(env *accEnv) string { return env.providerWith(user, org) }
}

func withEvents(events string) string {
	return instanceConfig("Valid", "valid", nil, "  events = {\n"+events+"\n  }\n")
}

// baseURLWant is the end of every base_url error: the expected form and the
// known hosts.
const baseURLWant = "expected https://<platform host>/elements/api-v2, for example one of: " +
	"https://api.cloud-elements.com/elements/api-v2, https://staging.cloud-elements.com/elements/api-v2, " +
	"https://api.openconnectors.us2.ext.hana.ondemand.com/elements/api-v2"

func badInputs() []badInput {
	valid := instanceConfig("Valid", "valid", nil, "")
	id := func(s string) *string { return &s }
	subdomain := func(s string) string { return instanceConfig("Valid", s, nil, "") }
	subdomainForm := `expected the part before ".freshdesk.com" alone`
	long := strings.Repeat("n", 256)
	importForm := "expected the numeric id Cloud Elements shows for the instance, a positive whole number"
	return []badInput{
		{name: "base_url not a URL", provider: providerBaseURL("not a url"), resource: valid,
			want: errorWith("base_url: is not an absolute http(s) URL;", baseURLWant)},
		{name: "base_url without the API path", provider: providerBaseURL("https://api.cloud-elements.com"), resource: valid,
			want: errorWith("base_url", `"https://api.cloud-elements.com" does not end in /elements/api-v2`, baseURLWant)},
		{name: "base_url with another path", provider: providerBaseURL("https://api.cloud-elements.com/elements/api-v1/"), resource: valid,
			want: errorWith("base_url", "does not end in /elements/api-v2", baseURLWant)},
		{name: "base_url with a password and a wrong path", provider: providerBaseURL("https://user:hunter2@api.example.com/x"), resource: valid,
			want: errorWith(`base_url: "https://api.example.com/x" must not carry credentials`)},
		{name: "base_url plain http to a remote host", provider: providerBaseURL("http://api.example.com/elements/api-v2"), resource: valid,
			want: errorWith("base_url", "uses plain http to a host that is not loopback", "use https")},
		{name: "base_url with a query", provider: providerBaseURL("https://api.example.com/elements/api-v2?debug=1"), resource: valid,
			want: errorWith("base_url", "must not have a query or fragment;", baseURLWant)},
		{name: "base_url with a fragment", provider: providerBaseURL("https://api.example.com/elements/api-v2#top"), resource: valid,
			want: errorWith("base_url", "must not have a query or fragment;", baseURLWant)},
		{name: "base_url with credentials", provider: providerBaseURL("https://u:p@api.example.com/elements/api-v2"), resource: valid,
			want: errorWith("base_url", `"https://api.example.com/elements/api-v2" must not carry credentials; use user_secret and organization_secret`)},
		{name: "user_secret empty", provider: providerSecrets("", testOrganizationSecret), resource: valid,
			want: errorWith("user_secret", "must not be empty or only whitespace")},
		{name: "user_secret whitespace", provider: providerSecrets(" \t ", testOrganizationSecret), resource: valid,
			want: errorWith("user_secret", "must not be empty or only whitespace")},
		{name: "organization_secret empty", provider: providerSecrets(testUserSecret, ""), resource: valid,
			want: errorWith("organization_secret", "must not be empty or only whitespace")},
		{name: "organization_secret whitespace", provider: providerSecrets(testUserSecret, "   "), resource: valid,
			want: errorWith("organization_secret", "must not be empty or only whitespace")},
		{name: "max_retries negative", provider: func(env *accEnv) string {
			return strings.Replace(env.provider(), "max_retries         = 3", "max_retries = -1", 1)
		}, resource: valid, want: errorWith("max_retries", "value must be between 0 and 100, got: -1")},
		{name: "name empty", resource: instanceConfig("", "valid", nil, ""),
			want: errorWith("name", "must not be empty or only whitespace")},
		{name: "name whitespace", resource: instanceConfig("   ", "valid", nil, ""),
			want: errorWith("name", "must not be empty or only whitespace")},
		{name: "name over 255", resource: instanceConfig(long, "valid", nil, ""),
			want: errorWith("name", "string length must be at most 255, got: 256")},
		{name: "subdomain with a dot", resource: subdomain("acme.freshdesk"),
			want: errorWith("subdomain", "is a URL or host name, not a subdomain", subdomainForm)},
		{name: "subdomain with a scheme", resource: subdomain("https://acme.freshdesk.com"),
			want: errorWith("subdomain", "is a URL or host name, not a subdomain", subdomainForm)},
		{name: "subdomain with a slash", resource: subdomain("acme/eu"),
			want: errorWith("subdomain", "is a URL or host name, not a subdomain", subdomainForm)},
		{name: "subdomain leading hyphen", resource: subdomain("-acme"),
			want: errorWith("subdomain", "is not a DNS label", "not starting or ending with a hyphen", subdomainForm)},
		{name: "subdomain trailing hyphen", resource: subdomain("acme-"),
			want: errorWith("subdomain", "is not a DNS label", "not starting or ending with a hyphen", subdomainForm)},
		{name: "subdomain over 63", resource: subdomain(strings.Repeat("a", 64)),
			want: errorWith("subdomain", "is 64 characters long, but a DNS label has at most 63", subdomainForm)},
		{name: "subdomain empty", resource: subdomain(""),
			want: errorWith("subdomain", "must not be empty", subdomainForm)},
		{name: "subdomain with a space", resource: subdomain("ac me"),
			want: errorWith("subdomain", "is not a DNS label", "no spaces", subdomainForm)},
		{name: "api_key empty", resource: woConfig(`  api_key = ""` + "\n"),
			want: errorWith("api_key", "must not be empty or only whitespace")},
		{name: "api_key whitespace", resource: woConfig(`  api_key = "  "` + "\n"),
			want: errorWith("api_key", "must not be empty or only whitespace")},
		{name: "api_key_wo whitespace", resource: woConfig("  api_key_wo = \" \"\n  api_key_wo_version = 1\n"),
			want: errorWith("api_key_wo", "must not be empty or only whitespace")},
		{name: "api_key and api_key_wo", resource: woConfig("  api_key = \"k1\"\n  api_key_wo = \"k2\"\n  api_key_wo_version = 1\n"),
			want: errorWith("api_key_wo", "Set exactly one of api_key and api_key_wo")},
		{name: "neither api_key nor api_key_wo", resource: woConfig(""), planWalk: true,
			want: errorWith("api_key", "Set exactly one of api_key and api_key_wo")},
		{name: "api_key_wo without version", resource: woConfig("  api_key_wo = \"k2\"\n"),
			want: errorWith("api_key_wo_version", "api_key_wo needs api_key_wo_version, a number")},
		{name: "api_key_wo_version without api_key_wo", resource: woConfig("  api_key = \"k1\"\n  api_key_wo_version = 1\n"),
			want: errorWith("api_key_wo_version", "only applies with api_key_wo")},
		{name: "tag empty", resource: instanceConfig("Valid", "valid", []string{"ok", ""}, ""),
			want: errorWith("Invalid tag", `tags: tag "" is empty or only whitespace; remove it`)},
		{name: "tag with surrounding spaces", resource: instanceConfig("Valid", "valid", []string{" prod", "ok"}, ""),
			want: errorWith("Invalid tag", `tags: tag " prod" has spaces at its start or end`, `write it as "prod"`)},
		{name: "tag over 255", resource: instanceConfig("Valid", "valid", []string{long}, ""),
			want: errorWith("Invalid tag", "is 256 characters long; a tag has at most 255")},
		{name: "events callback_url missing", resource: withEvents(`    vendor_type = "polling"`),
			want: errorWith("events.callback_url is required when events are enabled")},
		{name: "events callback_url plain http", resource: withEvents(`    callback_url = "http://hooks.example.com/ce"`),
			want: errorWith("events.callback_url", "uses plain http to a host that is not loopback; use https")},
		{name: "events callback_url not a URL", resource: withEvents(`    callback_url = "hooks"`),
			want: errorWith("events.callback_url", "is not an absolute URL; expected a form like", "https://hooks.example.com/cloudelements")},
		{name: "events vendor_type invalid", resource: withEvents("    callback_url = \"https://hooks.example.com/ce\"\n    vendor_type = \"sqs\""),
			want: errorWith("events.vendor_type", "value must be one of", `"polling" "webhook"`, `got: "sqs"`)},
		{name: "events poller_refresh_interval 0", resource: withEvents("    callback_url = \"https://hooks.example.com/ce\"\n    poller_refresh_interval = 0"),
			want: errorWith("events.poller_refresh_interval", "value must be at least 1, got: 0")},
		{name: "events poller_configuration not an object", resource: withEvents("    callback_url = \"https://hooks.example.com/ce\"\n    poller_configuration = \"[1, 2]\""),
			want: errorWith("events.poller_configuration", "must be a JSON object, e.g. jsonencode(")},
		{name: "import id non-numeric", resource: valid, importID: id("abc"), planWalk: true,
			want: errorWith("Invalid import id", `"abc" is not an instance id`, importForm)},
		{name: "import id negative", resource: valid, importID: id("-5"), planWalk: true,
			want: errorWith("Invalid import id", `"-5" is not an instance id`, importForm)},
		{name: "import id zero", resource: valid, importID: id("0"), planWalk: true,
			want: errorWith("Invalid import id", `"0" is not an instance id`, importForm)},
		{name: "import id with a sign", resource: valid, importID: id("+12"), planWalk: true,
			want: errorWith("Invalid import id", `"+12" is not an instance id`, importForm)},
		{name: "import id with leading zeros", resource: valid, importID: id("0012"), planWalk: true,
			want: errorWith("Invalid import id", `"0012" is not an instance id`, importForm)},
		{name: "import id empty", resource: valid, importID: id(""),
			want: errorWith("Invalid import id", `"" is not an instance id`, importForm)},
	}
}

// TestAccValidation_malformedInputs plans every malformed input at once,
// against one emulator: each case is a resource of its own (under a
// provider alias of its own when the fault is in the provider block; an
// import block when it is in the import id). Terraform reports every
// diagnostic of a phase in one run, and each case's diagnostic must name
// its own resource, provider alias or import id and say what the case
// wants. Cases whose errors come from the plan walk, which Terraform starts
// only once validation passed, are planned second. Nothing may reach the
// API.
func TestAccValidation_malformedInputs(t *testing.T) {
	cases := badInputs()
	if len(cases) < 25 {
		t.Errorf("only %d malformed inputs", len(cases))
	}
	env := newAccEnv(t)
	env.needsEmulator(t)
	var rejected int
	for _, planWalk := range []bool{false, true} {
		var phase []badInput
		var steps []resource.TestStep
		for _, tc := range cases {
			switch {
			case tc.importID != nil && *tc.importID == "":
				// An import block refuses an empty id itself; the
				// import command hands it to the provider.
				if planWalk {
					steps = append(steps, resource.TestStep{
						Config: env.provider() + tc.resource, ResourceName: instanceAddr, ImportState: true,
						ImportStateIdFunc: func(*terraform.State) (string, error) { return "", nil }, ExpectError: tc.want,
					})
				}
			case tc.planWalk == planWalk:
				phase = append(phase, tc)
			}
		}
		config, wants := malformedConfig(env, phase)
		steps = append([]resource.TestStep{{Config: config, PlanOnly: true}}, steps...)
		accTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			ErrorCheck:               wants.check,
			Steps:                    steps,
		})
		rejected += len(steps) - 1 + len(phase)
	}
	if rejected != len(cases) {
		t.Errorf("%d of %d malformed inputs planned", rejected, len(cases))
	}
	if got := env.emu.Requests(); len(got) != 0 {
		t.Fatalf("a rejected input still reached the API: %s", describe(got))
	}
	t.Logf("validation: inputs=%d rejected=%d requests=0", len(cases), rejected)
}

// malformedConfig is one configuration holding every case, and what each
// case's diagnostic must say. Case i is resource c<i>; a case with its own
// provider block uses alias p<i>; an import case imports into c<i>.
func malformedConfig(env *accEnv, cases []badInput) (string, diagWants) {
	var config strings.Builder
	config.WriteString(env.provider())
	wants := make(diagWants, 0, len(cases))
	for i, tc := range cases {
		name, alias := fmt.Sprintf("c%02d", i), ""
		anchor := "cloudelements_freshdesk_instance." + name + ","
		switch {
		case tc.provider != nil:
			alias = fmt.Sprintf("p%02d", i)
			config.WriteString(aliased(tc.provider(env), alias))
			anchor = `/cloudelements"].` + alias + ","
		case tc.importID != nil:
			config.WriteString(importBlock("cloudelements_freshdesk_instance."+name, *tc.importID))
			anchor = strconv.Quote(*tc.importID) + " is not an instance id"
		}
		provider := ""
		if alias != "" {
			provider = "cloudelements." + alias
		}
		config.WriteString(renamed(tc.resource, name, provider))
		wants = append(wants, diagWant{name: tc.name, anchor: anchor, want: tc.want})
	}
	return config.String(), wants
}

// diagWant is one case's diagnostic: the block naming anchor must match
// want.
type diagWant struct {
	name, anchor string
	want         *regexp.Regexp
}

type diagWants []diagWant

// check takes the error of a plan holding every case: each case needs a
// diagnostic of its own that says what it wants. It returns nil only then.
func (w diagWants) check(err error) error {
	blocks := strings.Split(err.Error(), "Error: ")
	var missing []string
	for _, d := range w {
		found := false
		for _, b := range blocks {
			if strings.Contains(b, d.anchor) && d.want.MatchString(b) {
				found = true
				break
			}
		}
		if !found {
			missing = append(missing, fmt.Sprintf("%s (a diagnostic naming %s matching %s)", d.name, d.anchor, d.want))
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%d of %d malformed inputs without their diagnostic:\n  %s\nin:\n%w",
			len(missing), len(w), strings.Join(missing, "\n  "), err)
	}
	return nil
}

// TestAccValidation_missingSecrets clears the environment and requires an
// error naming each attribute and its environment variable. Not parallel:
// it uses t.Setenv.
func TestAccValidation_missingSecrets(t *testing.T) {
	serial(t) // it sets environment variables
	t.Setenv(envUserSecret, "")
	t.Setenv(envOrganizationSecret, "")
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config:   fmt.Sprintf("provider \"cloudelements\" {\n  base_url = %q\n}\n", env.baseURL) + instanceConfig("Valid", "valid", nil, ""),
			PlanOnly: true,
			ExpectError: errorWith("Missing user secret", "Set user_secret in the provider block or the", envUserSecret+" environment variable",
				"Missing organization secret", "Set organization_secret in the provider block or the", envOrganizationSecret+" environment variable"),
		}},
	})
	if got := env.emu.Requests(); len(got) != 0 {
		t.Fatalf("requests without secrets: %s", describe(got))
	}
}

// expectPlanError plans resourceBlock on a fresh emulator, requires an error
// matching want, and fails if anything reached the API.
func expectPlanError(t *testing.T, resourceBlock string, want *regexp.Regexp) {
	t.Helper()
	env := newAccEnv(t)
	env.needsEmulator(t)
	accTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    []resource.TestStep{{Config: env.provider() + resourceBlock, PlanOnly: true, ExpectError: want}},
	})
	if got := env.emu.Requests(); len(got) != 0 {
		t.Fatalf("a refused plan reached the API: %s", describe(got))
	}
}

// TestAccValidation_eventsAllAtOnce: every fault of an events block shows in
// one plan, and invalid JSON gets this provider's message with an example.
func TestAccValidation_eventsAllAtOnce(t *testing.T) {
	expectPlanError(t, withEvents("    vendor_type = \"sqs\"\n    poller_refresh_interval = 0\n    poller_configuration = \"{not json\""),
		errorWithAll([]string{"Missing events.callback_url"}, []string{"events.vendor_type value must be one of"},
			[]string{"events.poller_refresh_interval value must be at least 1"},
			[]string{"events.poller_configuration: is not valid JSON", "it must be a JSON object, e.g. jsonencode("}))
}
