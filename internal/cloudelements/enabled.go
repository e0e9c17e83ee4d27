package cloudelements

// Enable and disable, on either form of the endpoint a host serves.

import (
	"context"
	"fmt"
	"net/http"
)

// The enable/disable forms a host may serve (Client.enableForm).
const (
	enableUnknown int32 = iota
	enableByID          // PUT|DELETE /instances/{id}/enabled
	enableByToken       // PUT|DELETE /instances/enabled with the Element token
)

// SetInstanceEnabled enables (PUT) or disables (DELETE) an instance. The
// platform's own tests use /instances/{id}/enabled; the Help Centers
// document only the token-scoped /instances/enabled, with the instance's
// token in the Authorization header. The by-id form is tried first; when
// the host does not serve it (405, or a 404 that is not the platform's
// JSON error) the token-scoped form is used, and the Client remembers which
// form the host serves. A platform 404 on the by-id form may mean either a
// missing route or a missing instance, so with a token the other form is
// tried once too; if it fails, the 404 is returned. The answer body is
// ignored: it is undocumented.
func (c *Client) SetInstanceEnabled(ctx context.Context, id int64, token string, enabled bool) error {
	c.rememberToken(token)
	method := http.MethodDelete
	if enabled {
		method = http.MethodPut
	}
	if err := checkID(method, id); err != nil {
		return err
	}
	c.reads.forget(id)
	ctx = c.LogContext(ctx)
	form := c.enableForm.Load()
	if form == enableByToken {
		return c.setEnabledByToken(ctx, method, token)
	}
	_, err := c.do(ctx, &call{method: method, path: instancePath(id) + "/enabled"})
	if err == nil {
		c.enableForm.Store(enableByID)
		return nil
	}
	if form == enableByID {
		return err
	}
	routeMissing := isRouteMissing(err)
	switch {
	case routeMissing && token == "":
		return fmt.Errorf("%w; this host does not serve %s /instances/{id}/enabled, and the token-scoped "+
			"form /instances/enabled needs the instance's token, which is not known", err, method)
	case routeMissing:
		return c.setEnabledByToken(ctx, method, token)
	case IsNotFound(err) && token != "":
		if c.setEnabledByToken(ctx, method, token) != nil {
			return err // most likely the instance is gone
		}
		return nil
	}
	return err
}

// setEnabledByToken is the token-scoped enable/disable call; success teaches
// the Client that its host serves this form.
func (c *Client) setEnabledByToken(ctx context.Context, method, token string) error {
	if token == "" {
		return fmt.Errorf("%s /instances/enabled: the instance's token is not known; "+
			"this host serves only the token-scoped enable/disable form, which needs it", method)
	}
	if err := checkSecret("instance token", token); err != nil {
		return err
	}
	if _, err := c.do(ctx, &call{method: method, path: "/instances/enabled", elementToken: token}); err != nil {
		return err
	}
	c.enableForm.Store(enableByToken)
	return nil
}
