package validate

import (
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// stringCase is one value given to a string validator at an attribute path.
type stringCase struct {
	name   string
	v      validator.String
	at     path.Path
	value  types.String
	detail string   // "" = accepted; otherwise the exact detail
	hidden []string // parts of the value the message must not echo
}

var (
	atBaseURL   = path.Root("base_url")
	atCallback  = path.Root("events").AtName("callback_url")
	atSubdomain = path.Root("subdomain")
	atID        = path.Root("id")
	atName      = path.Root("name")
	atPoller    = path.Root("events").AtName("poller_configuration")
)

const example = `jsonencode({ incidents = { url = "/hubs/helpdesk/incidents" } })`

func str(s string) types.String { return types.StringValue(s) }

func stringCases() []stringCase {
	form := "expected https://<platform host>/elements/api-v2, for example one of: " +
		"https://api.cloud-elements.com/elements/api-v2, https://staging.cloud-elements.com/elements/api-v2, " +
		"https://api.openconnectors.us2.ext.hana.ondemand.com/elements/api-v2"
	sub := `expected the part before ".freshdesk.com" alone, e.g. "acme" for https://acme.freshdesk.com`
	idForm := "is not an instance id; expected the numeric id Cloud Elements shows for the instance, " +
		"a positive whole number such as 12345"
	blank := "must not be empty or only whitespace"
	hooks := `expected a form like "https://hooks.example.com/cloudelements"`
	secrets := []string{"admin", "hunter2", "token=s3cr3t"}
	cases := []stringCase{
		{name: "not blank: a value", v: NotBlank(), at: atName, value: str("x")},
		{name: "not blank: inner spaces", v: NotBlank(), at: atName, value: str(" a b ")},
		{name: "not blank: null", v: NotBlank(), at: atName, value: types.StringNull()},
		{name: "not blank: unknown", v: NotBlank(), at: atName, value: types.StringUnknown()},
		{name: "not blank: empty", v: NotBlank(), at: atName, value: str(""), detail: "name: " + blank},
		{name: "not blank: whitespace", v: NotBlank(), at: path.Root("api_key"), value: str(" \t\n"), detail: "api_key: " + blank},
		{name: "not blank: map key path", v: NotBlank(), at: path.Root("configuration").AtMapKey(" "), value: str(" "),
			detail: `configuration[" "]: ` + blank},

		{name: "base_url: trailing slash", v: BaseURL(), at: atBaseURL, value: str("https://api.cloud-elements.com/elements/api-v2/")},
		{name: "base_url: loopback http", v: BaseURL(), at: atBaseURL, value: str("http://127.0.0.1:8080/elements/api-v2")},
		{name: "base_url: localhost http", v: BaseURL(), at: atBaseURL, value: str("HTTP://LOCALHOST/elements/api-v2")},
		{name: "base_url: ::1 http", v: BaseURL(), at: atBaseURL, value: str("http://[::1]:9/elements/api-v2")},
		{name: "base_url: unknown", v: BaseURL(), at: atBaseURL, value: types.StringUnknown()},
		{name: "base_url: not a URL", v: BaseURL(), at: atBaseURL, value: str("not a url"),
			detail: "base_url: is not an absolute http(s) URL; " + form},
		{name: "base_url: ftp", v: BaseURL(), at: atBaseURL, value: str("ftp://admin:hunter2@api.example.com"),
			detail: "base_url: is not an absolute http(s) URL; " + form, hidden: secrets},
		{name: "base_url: unparseable with a password", v: BaseURL(), at: atBaseURL, value: str("https://admin:hunter2@[::1/elements/api-v2"),
			detail: "base_url: is not an absolute http(s) URL; " + form, hidden: secrets},
		{name: "base_url: bad port with a password", v: BaseURL(), at: atBaseURL, value: str("https://admin:hunter2@api.example.com:99999999/x"),
			detail: `base_url: "https://api.example.com:99999999/x" must not carry credentials; use user_secret and organization_secret`,
			hidden: secrets},
		{name: "base_url: no API path", v: BaseURL(), at: atBaseURL, value: str("https://api.cloud-elements.com"),
			detail: `base_url: "https://api.cloud-elements.com" does not end in /elements/api-v2, so the platform would answer every call with 404; ` + form},
		{name: "base_url: another path", v: BaseURL(), at: atBaseURL, value: str("https://api.cloud-elements.com/elements/api-v1/"),
			detail: `base_url: "https://api.cloud-elements.com/elements/api-v1/" does not end in /elements/api-v2, so the platform would answer every call with 404; ` + form},
		{name: "base_url: credentials", v: BaseURL(), at: atBaseURL, value: str("https://admin:hunter2@api.example.com/elements/api-v2"),
			detail: `base_url: "https://api.example.com/elements/api-v2" must not carry credentials; use user_secret and organization_secret`,
			hidden: secrets},
		{name: "base_url: credentials and a query", v: BaseURL(), at: atBaseURL, value: str("http://admin:hunter2@api.example.com/elements/api-v2?token=s3cr3t"),
			detail: `base_url: "http://api.example.com/elements/api-v2" must not carry credentials; use user_secret and organization_secret`,
			hidden: secrets},
		{name: "base_url: query", v: BaseURL(), at: atBaseURL, value: str("https://api.example.com/elements/api-v2?token=s3cr3t"),
			detail: `base_url: "https://api.example.com/elements/api-v2" must not have a query or fragment; ` + form, hidden: secrets},
		{name: "base_url: empty query", v: BaseURL(), at: atBaseURL, value: str("https://api.example.com/elements/api-v2?"),
			detail: `base_url: "https://api.example.com/elements/api-v2" must not have a query or fragment; ` + form},
		{name: "base_url: empty fragment", v: BaseURL(), at: atBaseURL, value: str("https://api.example.com/elements/api-v2#"),
			detail: `base_url: "https://api.example.com/elements/api-v2" must not have a query or fragment; ` + form},
		{name: "base_url: plain http to a remote host", v: BaseURL(), at: atBaseURL, value: str("http://127.0.0.1.nip.io/elements/api-v2"),
			detail: `base_url: "http://127.0.0.1.nip.io/elements/api-v2" uses plain http to a host that is not loopback; secrets ` +
				"would cross the network unencrypted, so use https (http is accepted only for localhost, 127.0.0.0/8 and ::1)"},

		{name: "callback: https with path and query", v: CallbackURL(), at: atCallback, value: str("https://hooks.example.com/ce?x=1")},
		{name: "callback: https with credentials", v: CallbackURL(), at: atCallback, value: str("https://u:p@hooks.example.com/ce")},
		{name: "callback: loopback http", v: CallbackURL(), at: atCallback, value: str("http://127.0.0.1:9/ce")},
		{name: "callback: not absolute", v: CallbackURL(), at: atCallback, value: str("hooks"),
			detail: `events.callback_url: "hooks" is not an absolute URL; ` + hooks},
		{name: "callback: ftp with credentials", v: CallbackURL(), at: atCallback, value: str("ftp://admin:hunter2@hooks.example.com/ce"),
			detail: `events.callback_url: "ftp://hooks.example.com/ce" is not an absolute URL; ` + hooks, hidden: secrets},
		{name: "callback: unparseable with a password", v: CallbackURL(), at: atCallback, value: str("https://admin:hunter2@[::1/ce"),
			detail: "events.callback_url: is not an absolute URL; " + hooks, hidden: secrets},
		{name: "callback: plain http to a remote host", v: CallbackURL(), at: atCallback,
			value:  str("http://admin:hunter2@hooks.example.com/ce?token=s3cr3t"),
			detail: `events.callback_url: "http://hooks.example.com/ce" uses plain http to a host that is not loopback; use https`,
			hidden: secrets},

		{name: "subdomain: plain", v: Subdomain(), at: atSubdomain, value: str("acme")},
		{name: "subdomain: hyphen inside", v: Subdomain(), at: atSubdomain, value: str("acme-eu")},
		{name: "subdomain: one character", v: Subdomain(), at: atSubdomain, value: str("a")},
		{name: "subdomain: 63 characters", v: Subdomain(), at: atSubdomain, value: str(strings.Repeat("a", 63))},
		{name: "subdomain: empty", v: Subdomain(), at: atSubdomain, value: str(""), detail: "subdomain: must not be empty; " + sub},
		{name: "subdomain: host name", v: Subdomain(), at: atSubdomain, value: str("acme.freshdesk.com"),
			detail: `subdomain: "acme.freshdesk.com" is a URL or host name, not a subdomain; ` + sub},
		{name: "subdomain: URL", v: Subdomain(), at: atSubdomain, value: str("https://acme.freshdesk.com"),
			detail: `subdomain: "https://acme.freshdesk.com" is a URL or host name, not a subdomain; ` + sub},
		{name: "subdomain: slash", v: Subdomain(), at: atSubdomain, value: str("ac/me"),
			detail: `subdomain: "ac/me" is a URL or host name, not a subdomain; ` + sub},
		{name: "subdomain: 64 characters", v: Subdomain(), at: atSubdomain, value: str(strings.Repeat("a", 64)),
			detail: "subdomain: is 64 characters long, but a DNS label has at most 63; " + sub},
		{name: "subdomain: leading hyphen", v: Subdomain(), at: atSubdomain, value: str("-acme"),
			detail: `subdomain: "-acme" is not a DNS label (letters, digits and hyphens, not starting or ending with a hyphen, no spaces); ` + sub},
		{name: "subdomain: trailing hyphen", v: Subdomain(), at: atSubdomain, value: str("acme-"),
			detail: `subdomain: "acme-" is not a DNS label (letters, digits and hyphens, not starting or ending with a hyphen, no spaces); ` + sub},
		{name: "subdomain: space", v: Subdomain(), at: atSubdomain, value: str("ac me"),
			detail: `subdomain: "ac me" is not a DNS label (letters, digits and hyphens, not starting or ending with a hyphen, no spaces); ` + sub},
		{name: "subdomain: non-ASCII", v: Subdomain(), at: atSubdomain, value: str("ácme"),
			detail: `subdomain: "ácme" is not a DNS label (letters, digits and hyphens, not starting or ending with a hyphen, no spaces); ` + sub},

		{name: "json: empty object", v: JSONObject(example), at: atPoller, value: str("{}")},
		{name: "json: spread object", v: JSONObject(example), at: atPoller, value: str("{\n  \"a\": [1, {\"b\": null}]\n}")},
		{name: "json: array", v: JSONObject(example), at: atPoller, value: str("[1, 2]"),
			detail: "events.poller_configuration: must be a JSON object, e.g. " + example},
		{name: "json: null", v: JSONObject(example), at: atPoller, value: str("null"),
			detail: "events.poller_configuration: must be a JSON object, e.g. " + example},
		{name: "json: invalid", v: JSONObject(example), at: atPoller, value: str("{not json"),
			detail: "events.poller_configuration: is not valid JSON (invalid character 'n' looking for beginning of object key string); " +
				"it must be a JSON object, e.g. " + example},
		{name: "json: empty", v: JSONObject(example), at: atPoller, value: str(""),
			detail: "events.poller_configuration: is not valid JSON (unexpected end of JSON input); it must be a JSON object, e.g. " + example},
	}
	for _, ok := range KnownBaseURLs() {
		cases = append(cases, stringCase{name: "base_url: known " + ok, v: BaseURL(), at: atBaseURL, value: str(ok)})
	}
	for _, ok := range []string{"1", "12345", "9223372036854775807"} {
		cases = append(cases, stringCase{name: "id: " + ok, v: InstanceID(), at: atID, value: str(ok)})
	}
	for _, bad := range []string{"0", "-5", "+7", "007", " 7", "7 ", "abc", "", "1e3", "0x10", "9223372036854775808"} {
		cases = append(cases, stringCase{name: "id: refused " + bad, v: InstanceID(), at: atID, value: str(bad),
			detail: `id: "` + bad + `" ` + idForm})
	}
	return cases
}

// TestStringValidators calls each validator as the framework does and
// requires the exact message: summary "Invalid <path>", detail "<path>:
// <what is wrong>; <what to write>", reported at the attribute's path.
func TestStringValidators(t *testing.T) {
	ctx := context.Background()
	for _, tc := range stringCases() {
		t.Run(tc.name, func(t *testing.T) {
			resp := &validator.StringResponse{}
			tc.v.ValidateString(ctx, validator.StringRequest{Path: tc.at, ConfigValue: tc.value}, resp)
			diags := resp.Diagnostics
			if tc.detail == "" {
				if diags.HasError() || len(diags) != 0 {
					t.Fatalf("%s refused: %v", tc.value, diags)
				}
				return
			}
			if len(diags) != 1 || !diags.HasError() {
				t.Fatalf("%s: want one error, got %v", tc.value, diags)
			}
			d := diags[0]
			if want := "Invalid " + tc.at.String(); d.Summary() != want {
				t.Errorf("summary %q, want %q", d.Summary(), want)
			}
			if d.Detail() != tc.detail {
				t.Errorf("detail\n got: %s\nwant: %s", d.Detail(), tc.detail)
			}
			if wp, ok := d.(interface{ Path() path.Path }); !ok || !wp.Path().Equal(tc.at) {
				t.Errorf("error not at %s: %#v", tc.at, d)
			}
			for _, h := range tc.hidden {
				if strings.Contains(d.Summary()+d.Detail(), h) {
					t.Errorf("message echoes %q: %s", h, d.Detail())
				}
			}
		})
	}
}

// TestDescriptions: every validator describes itself, the same in plain
// text and markdown (the docs show it).
func TestDescriptions(t *testing.T) {
	ctx := context.Background()
	for _, v := range []interface {
		Description(context.Context) string
		MarkdownDescription(context.Context) string
	}{NotBlank(), BaseURL(), CallbackURL(), Subdomain(), InstanceID(), JSONObject(example), Tags(),
		WriteOnlyPair("api_key", "api_key_wo", "api_key_wo_version", "help")} {
		if d := v.Description(ctx); d == "" || d != v.MarkdownDescription(ctx) {
			t.Errorf("%T: description %q, markdown %q", v, d, v.MarkdownDescription(ctx))
		}
	}
	if got := BaseURL().Description(ctx); !strings.Contains(got, APIPath) {
		t.Errorf("base_url description %q does not name %s", got, APIPath)
	}
}

// TestParseInstanceID: the parsed number, and zero with every error.
func TestParseInstanceID(t *testing.T) {
	for in, want := range map[string]int64{"1": 1, "12345": 12345, "9223372036854775807": 1<<63 - 1} {
		if got, err := ParseInstanceID(in); err != nil || got != want {
			t.Errorf("ParseInstanceID(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	if got, err := ParseInstanceID("-1"); err == nil || got != 0 {
		t.Errorf(`ParseInstanceID("-1") = %d, %v`, got, err)
	}
}

// TestIsLoopback: only localhost and loopback addresses.
func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{
		"localhost": true, "LocalHost": true, "127.0.0.1": true, "127.9.9.9": true, "::1": true,
		"": false, "localhost.example.com": false, "127.0.0.1.nip.io": false, "10.0.0.1": false, "::": false,
		"[::1]": false, // Hostname() strips the brackets; a bracketed host is not a host name
	} {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
