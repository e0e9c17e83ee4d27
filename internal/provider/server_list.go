package provider

import (
	"context"
	"errors"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The protocol server's wrapper (server.go) embeds tfprotov6.ProviderServer,
// which lacks the list RPCs: pass them straight to the framework. They run a
// few times a query, and results are streamed after ListResource returns, so
// its context must not be released early.
var _ tfprotov6.ListResourceServer = releasingServer{}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	ls, err := s.listServer()
	if err != nil {
		return nil, err
	}
	return ls.ValidateListResourceConfig(ctx, req)
}

func (s releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	ls, err := s.listServer()
	if err != nil {
		return nil, err
	}
	stream, err := ls.ListResource(ctx, req)
	if stream != nil && stream.Results != nil {
		results := stream.Results
		stream.Results = func(yield func(tfprotov6.ListResourceResult) bool) {
			for r := range results {
				r.DisplayName = s.clean.name(r.DisplayName)
				s.clean.diagnostics(r.Diagnostics)
				if !yield(r) {
					return
				}
			}
		}
	}
	return stream, err
}

func (s releasingServer) listServer() (tfprotov6.ListResourceServer, error) {
	ls, ok := s.ProviderServer.(tfprotov6.ListResourceServer)
	if !ok {
		return nil, errors.New("the wrapped provider server serves no list resources")
	}
	return ls, nil
}
