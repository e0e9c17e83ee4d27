package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/hashicorp/go-hclog"
)

// DependentsWait bounds how long a delete refused with 409 (the platform
// will not delete a formula or an element instance while formula
// instances are bound to it) is tried again, within the caller's
// deadline. Terraform deletes assets it does not know depend on each
// other in parallel (ids written as literals, as `terraform query`
// generates them), so a formula's delete may come while its formula
// instance's is still under way: waiting a little lets that finish.
const DependentsWait = time.Minute

// deleteAsset sends a DELETE, retried as any idempotent call, and again
// while the platform refuses it with 409 for up to DependentsWait. A 404 is
// returned as it is (see IsNotFound).
func (c *Client) deleteAsset(ctx context.Context, path string) error {
	ctx = c.LogContext(ctx)
	cl := &call{method: http.MethodDelete, path: path}
	waitCtx, cancel := context.WithTimeout(ctx, DependentsWait)
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
