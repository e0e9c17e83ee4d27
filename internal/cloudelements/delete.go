package cloudelements

import (
	"context"
	"errors"
	"net/http"

	"github.com/hashicorp/go-hclog"
)

// deleteAsset sends a DELETE, retried as any idempotent call, and again
// while the platform refuses it with 409, for up to Config.DependentsWait
// within the caller's deadline: the platform will not delete a formula or
// an element instance while formula instances are bound to it, and
// Terraform deletes assets it does not know depend on each other in
// parallel (ids written as literals, as `terraform query` generates them),
// so a formula's delete may come while its formula instance's is still
// under way. A 404 is returned as it is (see IsNotFound).
func (c *Client) deleteAsset(ctx context.Context, path string) error {
	ctx = c.LogContext(ctx)
	cl := &call{method: http.MethodDelete, path: path}
	waitCtx, cancel := context.WithTimeout(ctx, c.cfg.DependentsWait)
	defer cancel()
	for n := 0; ; n++ {
		_, err := c.do(ctx, cl)
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusConflict {
			return c.confirmNotFound(ctx, err)
		}
		d := pollInterval(n + 2) // 1s, then 2s
		c.logAt(ctx, hclog.Info, "delete refused while dependents remain; trying again", map[string]any{
			"path": path, "wait": d.String(),
		})
		if !pause(waitCtx, d) {
			return err
		}
	}
}
