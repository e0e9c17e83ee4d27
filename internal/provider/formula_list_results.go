package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// listAssets is the List of a formula kind's list resource: the listing
// fetched under the read timeout, then one result an item, made by result
// while Terraform reads the stream (the context lives until it ends).
func listAssets[T any](ctx context.Context, p *providerData, req list.ListRequest, stream *list.ListResultsStream,
	diags diag.Diagnostics, what string, fetch func(context.Context) ([]T, error), result func(context.Context, *T, *list.ListResult)) {
	if diags.HasError() || !dataSourceConfigured(p, &diags) {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	found, err := fetch(ctx)
	if err != nil {
		cancel()
		diags.AddError("Cannot list "+what, p.errorDetail(err))
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = limitedResults(req.Limit, len(found), cancel, func(i int) list.ListResult {
		r := req.NewListResult(ctx)
		result(ctx, &found[i], &r)
		return r
	})
}

// includeResource fills a result's resource as an import starts (every
// attribute null, timeouts included) and then as a read finds it: set puts
// the read model into the resource model R.
func includeResource[R any](ctx context.Context, g secretGuard, r *list.ListResult, id types.String, set func(*R)) {
	r.Diagnostics.Append(r.Resource.SetAttribute(ctx, path.Root("id"), id)...)
	var rm R
	r.Diagnostics.Append(r.Resource.Get(ctx, &rm)...)
	set(&rm)
	r.Diagnostics.Append(r.Resource.Set(ctx, &rm)...)
	g.scrubListResult(ctx, r)
}

// limitedResults streams n results made by one, at most limit (0: all),
// and calls done when the stream ends.
func limitedResults(limit int64, n int, done func(), one func(i int) list.ListResult) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		defer done()
		for i := range n {
			if limit > 0 && int64(i) >= limit || !push(one(i)) {
				return
			}
		}
	}
}
