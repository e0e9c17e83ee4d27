package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// DefaultBaseURL is Cloud Elements production.
const DefaultBaseURL = "https://api.cloud-elements.com/elements/api-v2"

// Config configures a Client. BaseURL, UserSecret and OrganizationSecret are
// required; zero values elsewhere take the defaults noted.
type Config struct {
	BaseURL            string
	UserSecret         string
	OrganizationSecret string
	// UserAgent is sent verbatim as the User-Agent header.
	UserAgent string
	// MaxRetries bounds retries after the first attempt (default 5; 0 means
	// the default, negative means no retries).
	MaxRetries int
	// RetryWaitMin and RetryWaitMax bound the exponential backoff (defaults
	// 500ms and 30s). Retry-After from the server wins over the backoff but is
	// capped by the context's deadline.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// CreateReconcileSkew is how far before the start of a POST an instance's
	// createdDate may lie and still be adopted after an ambiguous failure
	// (default 2m, for clock skew between us and the platform).
	CreateReconcileSkew time.Duration
	// HTTPClient overrides the transport (tests); default is one keep-alive
	// client per Client, honouring the proxy environment variables.
	HTTPClient *http.Client
}

// Client talks to the platform. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

// Error is a non-2xx answer from the platform.
type Error struct {
	Method          string
	Path            string
	StatusCode      int
	Message         string
	RequestID       string
	ProviderMessage string
}

func (e *Error) Error() string { panic("not implemented") }

// IsNotFound reports whether err is a 404 from the platform.
func IsNotFound(err error) bool {
	var apiErr *Error
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound
}

// New returns a Client for cfg, or an error naming what is wrong with it.
func New(cfg Config) (*Client, error) { panic("not implemented") }

// CreateInstance provisions an instance with exactly one committed POST
// /instances, reconciling after an ambiguous failure (see package doc).
func (c *Client) CreateInstance(ctx context.Context, req InstanceRequest) (*Instance, error) {
	panic("not implemented")
}

// GetInstance reads one instance. A missing instance is an *Error with
// StatusCode 404 (see IsNotFound).
func (c *Client) GetInstance(ctx context.Context, id int64) (*Instance, error) {
	panic("not implemented")
}

// PatchInstance changes the given fields in place (PATCH /instances/{id}).
func (c *Client) PatchInstance(ctx context.Context, id int64, patch InstancePatch) (*Instance, error) {
	panic("not implemented")
}

// ReplaceInstance re-provisions an instance with a full body (PUT
// /instances/{id}). The token in the answer may differ from the old one.
func (c *Client) ReplaceInstance(ctx context.Context, id int64, req InstanceRequest) (*Instance, error) {
	panic("not implemented")
}

// DeleteInstance deletes an instance. A 404 is returned as an error too; the
// caller decides whether "already gone" is fine.
func (c *Client) DeleteInstance(ctx context.Context, id int64) error { panic("not implemented") }

// ListInstances returns every instance matching opts, following
// Elements-Next-Page-Token across pages.
func (c *Client) ListInstances(ctx context.Context, opts ListOptions) ([]Instance, error) {
	panic("not implemented")
}

// SetInstanceEnabled enables (PUT /instances/{id}/enabled) or disables
// (DELETE /instances/{id}/enabled) an instance.
func (c *Client) SetInstanceEnabled(ctx context.Context, id int64, enabled bool) error {
	panic("not implemented")
}
