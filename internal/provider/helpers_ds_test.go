package provider

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

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
