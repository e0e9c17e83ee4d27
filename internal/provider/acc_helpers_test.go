package provider

// Helpers shared by the acceptance tests: the test environment (its own
// emulator or the real platform), provider blocks, request-record checks,
// configuration builders and secret scans.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// accTest runs an acceptance test case, in parallel with the other tests
// unless the test asked to be serial, and counts it and its steps, or counts
// it as skipped (a Terraform CLI older than it needs skips it; the skip ends
// the test's goroutine, hence the defer).
func accTest(t *testing.T, tc resource.TestCase) {
	t.Helper()
	parallel(t)
	defer countAcc(t, tc)
	resource.Test(t, tc)
}

// testModes holds, per running test, whether it runs in parallel (true) or
// asked to stay serial (false).
var testModes sync.Map

// parallel lets t run in parallel with the other tests: each acceptance
// test has its own emulator and working directory, and mostly waits on
// terraform. newAccEnv and accTest call it, so the test pauses before it
// seeds anything (a seeded date or a timer then starts when the test does);
// calling it again, or after serial, does nothing.
func parallel(t *testing.T) {
	if _, set := testModes.LoadOrStore(t, true); !set {
		t.Cleanup(func() { testModes.Delete(t) })
		t.Parallel() // the one call
	}
}

// serial keeps t out of the parallel phase, for a test that sets
// environment variables (t.Setenv): Go runs it before the parallel tests
// start, so its environment reaches no other test. Call it first.
func serial(t *testing.T) {
	if _, set := testModes.LoadOrStore(t, false); !set {
		t.Cleanup(func() { testModes.Delete(t) })
	}
}

func countAcc(t *testing.T, tc resource.TestCase) {
	switch {
	case os.Getenv(resource.EnvTfAcc) == "":
	case t.Skipped():
		accTestsSkipped.Add(1)
	default:
		accTestsRun.Add(1)
		accStepsRun.Add(int64(len(tc.Steps)))
	}
}

func serverFactory(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return ProtocolServer(p), nil }
}

type accEnv struct {
	emu     *emulator.Server // nil against the real platform
	baseURL string
}

func newAccEnv(t *testing.T) *accEnv {
	t.Helper()
	return newAccEnvWith(t, nil, nil)
}

func newAccEnvWith(t *testing.T, setup func(*emulator.Options), wrap func(http.Handler) http.Handler) *accEnv {
	t.Helper()
	parallel(t)
	if os.Getenv(envRealPlatform) != "" {
		return &accEnv{baseURL: os.Getenv(envBaseURL)}
	}
	opts := emulator.Options{UserSecret: testUserSecret, OrganizationSecret: testOrganizationSecret, Seed: 1}
	if setup != nil {
		setup(&opts)
	}
	emu := emulator.New(opts)
	var h http.Handler = emu
	if wrap != nil {
		h = wrap(emu)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &accEnv{emu: emu, baseURL: srv.URL + emulator.BasePath}
}

// aliased gives a provider block the alias alias, for configurations that
// check several provider configurations at once.
func aliased(providerBlock, alias string) string {
	return strings.Replace(providerBlock, "provider \"cloudelements\" {", "provider \"cloudelements\" {\n  alias = \""+alias+"\"", 1)
}

// renamed names a test resource block ("test") name, served by the
// provider configuration provider ("cloudelements.<alias>", or another
// provider's name; "" leaves the default).
func renamed(resourceBlock, name, provider string) string {
	head := `"cloudelements_freshdesk_instance" "` + name + `" {`
	if provider != "" {
		head += "\n  provider = " + provider
	}
	return strings.Replace(resourceBlock, `"cloudelements_freshdesk_instance" "test" {`, head, 1)
}

// namedProviders serves this provider under each of names, a server of its
// own each: in-process (reattached) providers serve every alias of a name
// from one server, which keeps one configuration, so configurations that
// talk to several emulators at once use a provider name per emulator, as
// google-beta serves google_* resources.
func namedProviders(names ...string) map[string]func() (tfprotov6.ProviderServer, error) {
	factories := make(map[string]func() (tfprotov6.ProviderServer, error), len(names))
	for _, name := range names {
		factories[name] = serverFactory(New("test")())
	}
	return factories
}

// servedBy names a provider block's provider name.
func servedBy(providerBlock, name string) string {
	return strings.Replace(providerBlock, "provider \"cloudelements\" {", "provider \""+name+"\" {", 1)
}

func (e *accEnv) needsEmulator(t *testing.T) {
	t.Helper()
	if e.emu == nil {
		t.Skip("needs the emulator's record or fault injection")
	}
}

func (e *accEnv) provider() string {
	if e.emu == nil {
		return fmt.Sprintf("provider \"cloudelements\" {\n  base_url = %q\n}\n", e.baseURL)
	}
	return e.providerWith(testUserSecret, testOrganizationSecret)
}

func (e *accEnv) providerWith(user, org string) string {
	return fmt.Sprintf(`provider "cloudelements" {
  base_url            = %q
  user_secret         = %q
  organization_secret = %q
  max_retries         = 3
}
`, e.baseURL, user, org)
}

func (e *accEnv) check(f func(emu *emulator.Server) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if e.emu == nil {
			return nil
		}
		return f(e.emu)
	}
}

func (e *accEnv) expectRequests(method, pattern string, want int) resource.TestCheckFunc {
	return e.check(func(emu *emulator.Server) error {
		got := emu.RequestsTo(method, pattern)
		if len(got) != want {
			return fmt.Errorf("want %d %s %s requests, emulator recorded %d: %s", want, method, pattern, len(got), describe(got))
		}
		return nil
	})
}

func (e *accEnv) resetRequests() {
	if e.emu != nil {
		e.emu.ResetRequests()
	}
}

func describe(reqs []emulator.Request) string {
	parts := make([]string, 0, len(reqs))
	for _, r := range reqs {
		parts = append(parts, fmt.Sprintf("%s %s -> %d", r.Method, r.Path, r.Status))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

func instanceID(s *terraform.State, name string) (int64, error) {
	rs, ok := s.RootModule().Resources[name]
	if !ok {
		return 0, fmt.Errorf("%s not in state", name)
	}
	return validate.ParseInstanceID(rs.Primary.ID)
}

func hclMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%q = %q", k, m[k])
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

func with(m map[string]string, k, v string) map[string]string {
	out := map[string]string{k: v}
	for key, val := range m {
		if key != k {
			out[key] = val
		}
	}
	if v == "" {
		delete(out, k)
	}
	return out
}

func emulatorHasElement(t *testing.T, emu *emulator.Server, key string) bool {
	t.Helper()
	body := fmt.Sprintf(`{"element":{"key":%q}}`, key)
	req := httptest.NewRequest(http.MethodPost, emulator.BasePath+"/instances", strings.NewReader(body))
	req.Header.Set("Authorization", "User "+testUserSecret+", Organization "+testOrganizationSecret)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	emu.ServeHTTP(rec, req)
	emu.ResetRequests()
	return rec.Code != http.StatusNotFound && !strings.Contains(rec.Body.String(), "No element")
}

func writes(emu *emulator.Server) []emulator.Request {
	var out []emulator.Request
	for _, r := range emu.Requests() {
		if r.Method != http.MethodGet {
			out = append(out, r)
		}
	}
	return out
}

func requestBody(emu *emulator.Server, method, pattern string) (map[string]any, error) {
	reqs := emu.RequestsTo(method, pattern)
	if len(reqs) != 1 {
		return nil, fmt.Errorf("want one %s %s, got %s", method, pattern, describe(reqs))
	}
	var body map[string]any
	return body, json.Unmarshal(reqs[0].Body, &body)
}

func planUpdate(checks ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(genericAddr, plancheck.ResourceActionUpdate)}, checks...),
		PostApplyPostRefresh: emptyPlan.PostApplyPostRefresh,
	}
}

func knownMap(m map[string]string) knownvalue.Check {
	checks := map[string]knownvalue.Check{}
	for k, v := range m {
		checks[k] = knownvalue.StringExact(v)
	}
	return knownvalue.MapExact(checks)
}

func lacksSecrets(what string, doc any, secrets []string) error {
	raw, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	text := string(raw)
	if !strings.Contains(text, instanceAddr) {
		return fmt.Errorf("the %s does not hold %s: %.400s", what, instanceAddr, text)
	}
	for _, secret := range secrets {
		if i := strings.Index(text, secret); i >= 0 {
			return fmt.Errorf("the %s holds %q near %s", what, secret, text[max(0, i-400):i])
		}
	}
	return nil
}

func shimStateLacks(secrets ...string) resource.TestCheckFunc {
	return func(s *terraform.State) error { return lacksSecrets("legacy state", s, secrets) }
}

func sentKey(env *accEnv, method, pattern, key string) resource.TestCheckFunc {
	return env.check(func(emu *emulator.Server) error {
		reqs := emu.RequestsTo(method, pattern)
		if len(reqs) != 1 {
			return fmt.Errorf("want one %s %s, got %s", method, pattern, describe(reqs))
		}
		var body struct {
			Configuration map[string]string `json:"configuration"`
		}
		if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
			return err
		}
		if got := body.Configuration["username"]; got != key {
			return fmt.Errorf("%s %s sent username %q, want %q", method, pattern, got, key)
		}
		return nil
	})
}

func expectNoWrites(env *accEnv, seeded ...emulator.Instance) statecheck.StateCheck {
	return emulatorCheck{env: env, f: func(emu *emulator.Server) error {
		var writes []emulator.Request
		for _, r := range emu.Requests() {
			if r.Method != "GET" {
				writes = append(writes, r)
			}
		}
		if len(writes) > 0 {
			return fmt.Errorf("an import made %d API writes: %s", len(writes), describe(writes))
		}
		for _, s := range seeded {
			now, ok := emu.Instance(s.ID)
			if !ok {
				return fmt.Errorf("instance %d is gone", s.ID)
			}
			if now.Token != s.Token {
				return fmt.Errorf("instance %d: token changed by the import", s.ID)
			}
		}
		return nil
	}}
}

// dsProtoV6Factories serve the provider under test, plus the echo provider

// that carries ephemeral values into state for assertions.

var dsProtoV6Factories = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudelements": serverFactory(New("test")()),
	"echo":          echoprovider.NewProviderServer(),
}

// dsTestServer starts a private emulator for one test; these tests seed

// instances into it, so they need the emulator.

func dsTestServer(t *testing.T) (*emulator.Server, string) {
	t.Helper()
	env := newAccEnv(t)
	env.needsEmulator(t)
	return env.emu, env.baseURL
}

// dsProviderConfig is the provider block for an emulator at baseURL.

func dsProviderConfig(baseURL string) string {
	return (&accEnv{baseURL: baseURL}).providerWith(testUserSecret, testOrganizationSecret)
}

// dsSeed puts a hand-made instance into the emulator; key "" is freshdeskv2.

func dsSeed(emu *emulator.Server, name, key string, tags ...string) emulator.Instance {
	return emu.PutInstance(emulator.Instance{
		Name:          name,
		ElementKey:    key,
		Tags:          tags,
		Configuration: map[string]string{"subdomain": strings.ReplaceAll(name, " ", "-"), "username": "secret-api-key"},
	})
}

// dsCountingFactories serve a provider whose data sources count their Reads,

// so that tests can relate API requests to reads exactly.

func dsCountingFactories(reads *atomic.Int64) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"cloudelements": serverFactory(dsCountingProvider{Provider: New("test")(), reads: reads}),
	}
}

// dsCountingProvider wraps the provider's data sources in dsCountingDataSource.

type dsCountingProvider struct {
	provider.Provider
	reads *atomic.Int64
}

func (p dsCountingProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	var out []func() datasource.DataSource
	for _, newDS := range p.Provider.DataSources(ctx) {
		out = append(out, func() datasource.DataSource {
			return &dsCountingDataSource{DataSource: newDS(), reads: p.reads}
		})
	}
	return out
}

// dsCountingDataSource counts Read calls and delegates everything.

type dsCountingDataSource struct {
	datasource.DataSource
	reads *atomic.Int64
}

func (d *dsCountingDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	d.reads.Add(1)
	d.DataSource.Read(ctx, req, resp)
}

func (d *dsCountingDataSource) Configure(ctx context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if c, ok := d.DataSource.(datasource.DataSourceWithConfigure); ok {
		c.Configure(ctx, req, resp)
	}
}

func (d *dsCountingDataSource) ConfigValidators(ctx context.Context) []datasource.ConfigValidator {
	if c, ok := d.DataSource.(datasource.DataSourceWithConfigValidators); ok {
		return c.ConfigValidators(ctx)
	}
	return nil
}

// dsExpectReads checks that exactly perRead GET requests matching pattern

// were made for every data source read so far.

func dsExpectReads(emu *emulator.Server, reads *atomic.Int64, pattern string, perRead int) func(*terraform.State) error {
	return func(*terraform.State) error {
		n, got := reads.Load(), len(emu.RequestsTo("GET", pattern))
		if n == 0 {
			return fmt.Errorf("no data source read was counted")
		}
		if int64(got) != n*int64(perRead) {
			return fmt.Errorf("%d requests to GET %s over %d reads; want %d per read", got, pattern, n, perRead)
		}
		return nil
	}
}

// TestParallelThroughHelper: a test here calls parallel(t), never the
// testing package's own: newAccEnv and accTest call parallel(t) too, and
// Go panics when a test asks twice.
func TestParallelThroughHelper(t *testing.T) {
	files, err := filepath.Glob("*_test.go")
	if err != nil {
		t.Fatal(err)
	}
	call := "t." + "Parallel()" // not this file's own line
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.Contains(line, call) && !strings.Contains(line, "// the one call") {
				t.Errorf("%s:%d calls %s: call parallel(t) instead", f, i+1, call)
			}
		}
	}
}
