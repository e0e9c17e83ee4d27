package provider

import (
	"context"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ProtocolServer serves p over plugin protocol 6, as providerserver.NewProtocol6
// does, but lets go of each request's context when the request returns.
//
// Why: the framework (v1.19) keeps the cancel function of every request's
// context until StopProvider, to cancel requests in flight. Each kept function
// holds its context and with it the request's gRPC stream and the loggers and
// fields terraform-plugin-go attaches to it, about 70 KB a resource per plan.
// A plan of 500 resources kept some 35 MB alive and the process peaked near
// 100 MiB. Here the framework sees a context that forwards to the request's
// own until the request returns and to nothing afterwards, so what it keeps is
// a few hundred bytes. StopProvider still cancels requests in flight.
func ProtocolServer(p provider.Provider) tfprotov6.ProviderServer {
	ps := providerserver.NewProtocol6(p)()
	// The framework's server has them all; an assertion that failed would
	// leave nil fields and show in TestProtocolServerOptionalRPCs.
	lists, _ := ps.(tfprotov6.ListResourceServer)
	actions, _ := ps.(tfprotov6.ActionServer)
	s := releasingServer{ProviderServer: ps, ListResourceServer: lists, ActionServer: actions}
	if cp, ok := p.(*cloudelementsProvider); ok {
		s.clean.client = &cp.client
	}
	return s
}

// releasingServer serves every RPC itself, so that none can skip the
// cleaning of its answer (diagCleaner): the fields are named, not embedded,
// and a new RPC in terraform-plugin-go fails the build (the assertions
// below) until it is served here. The calls Terraform makes once per
// resource instance (or per data source, ephemeral resource), whose number
// grows with the configuration, also release their context (serve); the
// rest (server_rpcs.go) run a few times a process and are cleaned only.
// List resources and actions are served through interfaces of their own
// (tfprotov6.ProviderServerWithListResource, ProviderServerWithActions),
// which tf6server finds by type assertion.
type releasingServer struct {
	ProviderServer     tfprotov6.ProviderServer
	ListResourceServer tfprotov6.ListResourceServer
	ActionServer       tfprotov6.ActionServer
	clean              diagCleaner
}

var (
	_ tfprotov6.ProviderServer     = releasingServer{}
	_ tfprotov6.ListResourceServer = releasingServer{}
	_ tfprotov6.ActionServer       = releasingServer{}
)

// released is what a request's context becomes after the request: done,
// canceled, carrying no values.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// requestContext forwards to the request's context until release.
type requestContext struct {
	ctx atomic.Pointer[context.Context]
}

func (c *requestContext) current() context.Context {
	if ctx := c.ctx.Load(); ctx != nil {
		return *ctx
	}
	return released
}

func (c *requestContext) Deadline() (time.Time, bool) { return c.current().Deadline() }
func (c *requestContext) Done() <-chan struct{}       { return c.current().Done() }
func (c *requestContext) Err() error                  { return c.current().Err() }
func (c *requestContext) Value(key any) any           { return c.current().Value(key) }

// serve runs one request with a context that is released when it returns,
// and cleans the diagnostics of its answer.
func serve[Req, Resp any](ctx context.Context, clean diagCleaner, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	forwarding := &requestContext{}
	forwarding.ctx.Store(&ctx)
	defer forwarding.ctx.Store(nil)
	resp, err := rpc(forwarding, req)
	clean.response(resp)
	return resp, err
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ImportResourceState)
}

func (s releasingServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.MoveResourceState)
}

func (s releasingServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.GenerateResourceConfig)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ReadDataSource)
}

func (s releasingServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.ValidateEphemeralResourceConfig)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.OpenEphemeralResource)
}

func (s releasingServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.RenewEphemeralResource)
}

func (s releasingServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return serve(ctx, s.clean, req, s.ProviderServer.CloseEphemeralResource)
}

// SilenceUnreadLogs turns the plugin SDK's logging off when Terraform will
// discard it. Terraform keeps a provider's log lines only at the level of
// TF_LOG_PROVIDER, or else TF_LOG; with neither (or "off") it drops them, yet
// terraform-plugin-go and the framework default to TRACE and format every
// line as JSON for nothing: at 500 resources that was a third of a plan's
// time. Then TF_LOG_SDK and TF_LOG_PROVIDER_<TYPE> (the provider's own
// tflog level) are set to "off" where unset; otherwise nothing changes. Call
// it from main only: in -debug mode the provider's stderr is the reader, and
// tests have their own log sink.
func SilenceUnreadLogs(typeName string) { silenceUnreadLogs(typeName, os.Getenv, os.Setenv) }

func silenceUnreadLogs(typeName string, getenv func(string) string, setenv func(string, string) error) {
	level := getenv("TF_LOG_PROVIDER")
	if level == "" {
		level = getenv("TF_LOG")
	}
	if level != "" && !strings.EqualFold(level, "off") {
		return
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(typeName, "-", "_"))} {
		if getenv(name) == "" {
			_ = setenv(name, "off")
		}
	}
}
