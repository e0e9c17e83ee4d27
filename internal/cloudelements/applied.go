package cloudelements

import (
	"context"
	"fmt"
)

// AppliedError is returned by PatchInstance and ReplaceInstance when the
// platform answered 2xx, so the change was applied to instance ID, but the
// answer cannot be used (not the JSON of an instance, or about another
// instance). The caller must not report the change as failed: it should
// say that it was applied and read the instance again (a refresh) rather
// than trust the answer.
type AppliedError struct {
	ID  int64
	Err error
}

func (e *AppliedError) Error() string {
	return fmt.Sprintf("the change to instance %d was applied, but %v", e.ID, e.Err)
}

func (e *AppliedError) Unwrap() error { return e.Err }

// writeCall runs a PUT or PATCH of instance cl.wantID. A failed call is
// returned as it is; a 2xx answer that cannot be used is an *AppliedError.
func (c *Client) writeCall(ctx context.Context, cl *call) (*Instance, error) {
	c.reads.forget(cl.wantID) // a listing fetched before this write must not answer for it
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	inst, err := c.decodeInstance(cl, resp.body)
	if err != nil {
		return nil, &AppliedError{ID: cl.wantID, Err: fmt.Errorf("its answer (HTTP %d) could not be used: %w", resp.status, err)}
	}
	return inst, nil
}
