package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// The RPCs Terraform makes a few times a process (schemas, configuration,
// functions, list and action validation, actions): their answers are
// cleaned as every other's (diagCleaner), their contexts passed as they
// are. Streams are cleaned item by item as Terraform reads them.

// cleaned runs one request and cleans the text of its answer.
func cleaned[Req, Resp any](ctx context.Context, clean diagCleaner, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	resp, err := rpc(ctx, req)
	clean.response(resp)
	return resp, err
}

func (s releasingServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.GetMetadata)
}

func (s releasingServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.GetProviderSchema)
}

func (s releasingServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.GetResourceIdentitySchemas)
}

func (s releasingServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.ValidateProviderConfig)
}

func (s releasingServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.ConfigureProvider)
}

func (s releasingServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	resp, err := s.ProviderServer.StopProvider(ctx, req)
	if resp != nil {
		resp.Error = s.clean.text(resp.Error)
	}
	return resp, err
}

func (s releasingServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return cleaned(ctx, s.clean, req, s.ProviderServer.GetFunctions)
}

func (s releasingServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	resp, err := s.ProviderServer.CallFunction(ctx, req)
	if resp != nil && resp.Error != nil {
		resp.Error.Text = s.clean.text(resp.Error.Text)
	}
	return resp, err
}

func (s releasingServer) ValidateListResourceConfig(ctx context.Context, req *tfprotov6.ValidateListResourceConfigRequest) (*tfprotov6.ValidateListResourceConfigResponse, error) {
	return cleaned(ctx, s.clean, req, s.ListResourceServer.ValidateListResourceConfig)
}

func (s releasingServer) PlanAction(ctx context.Context, req *tfprotov6.PlanActionRequest) (*tfprotov6.PlanActionResponse, error) {
	return cleaned(ctx, s.clean, req, s.ActionServer.PlanAction)
}

// InvokeAction cleans each progress message (Terraform prints it raw: it
// quotes the platform's statuses, step names and instance names) and the
// diagnostics of the completed event, as Terraform reads the stream.
func (s releasingServer) InvokeAction(ctx context.Context, req *tfprotov6.InvokeActionRequest) (*tfprotov6.InvokeActionServerStream, error) {
	stream, err := s.ActionServer.InvokeAction(ctx, req)
	if stream != nil && stream.Events != nil {
		events := stream.Events
		stream.Events = func(yield func(tfprotov6.InvokeActionEvent) bool) {
			for ev := range events {
				switch t := ev.Type.(type) {
				case tfprotov6.ProgressInvokeActionEventType:
					t.Message = s.clean.line(t.Message)
					ev.Type = t
				case tfprotov6.CompletedInvokeActionEventType:
					s.clean.diagnostics(t.Diagnostics)
				}
				if !yield(ev) {
					return
				}
			}
		}
	}
	return stream, err
}

// ValidateActionConfig drops the framework's "WriteOnly Attribute Not
// Allowed" error: framework v1.19.0 validates action schemas as if the client
// could not take write-only attributes (it sets the capability false for
// every schema but resources), yet only Terraform 1.14 and later call this,
// and they all do. Without write-only arguments an action could take no
// ephemeral value, and a one-time code would be kept in the saved plan.
func (s releasingServer) ValidateActionConfig(ctx context.Context, req *tfprotov6.ValidateActionConfigRequest) (*tfprotov6.ValidateActionConfigResponse, error) {
	resp, err := cleaned(ctx, s.clean, req, s.ActionServer.ValidateActionConfig)
	if resp != nil {
		kept := resp.Diagnostics[:0]
		for _, d := range resp.Diagnostics {
			if d.Summary != "WriteOnly Attribute Not Allowed" {
				kept = append(kept, d)
			}
		}
		resp.Diagnostics = kept
	}
	return resp, err
}
