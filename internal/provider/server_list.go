package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// ListResource passes straight to the framework, with every display name and
// diagnostic cleaned on the way (terraform query prints them raw). They run
// a few times a query, and results are streamed after ListResource returns,
// so its context must not be released early.
var _ tfprotov6.ListResourceServer = releasingServer{}

func (s releasingServer) ListResource(ctx context.Context, req *tfprotov6.ListResourceRequest) (*tfprotov6.ListResourceServerStream, error) {
	stream, err := s.ListResourceServer.ListResource(ctx, req)
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
