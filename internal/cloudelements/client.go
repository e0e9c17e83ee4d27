package cloudelements

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-hclog"
)

// DefaultBaseURL is Cloud Elements production.
const DefaultBaseURL = "https://api.cloud-elements.com/elements/api-v2"

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxRetries          = 5
	DefaultRetryWaitMin        = 500 * time.Millisecond
	DefaultRetryWaitMax        = 30 * time.Second
	DefaultAttemptTimeout      = 60 * time.Second
	DefaultCreateReconcileSkew = 2 * time.Minute
	DefaultReconcileWait       = 10 * time.Second
	DefaultDependentsWait      = time.Minute
)

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
	// AttemptTimeout abandons one attempt that takes longer (default 60s). An
	// abandoned attempt counts as a timeout: retried for idempotent methods,
	// ambiguous (reconciled) for POST /instances.
	AttemptTimeout time.Duration
	// CreateReconcileSkew is how far before the start of a POST an instance's
	// createdDate may lie and still be adopted after an ambiguous failure
	// (default 2m, for clock skew between us and the platform).
	CreateReconcileSkew time.Duration
	// ReconcileWait is how long, after an ambiguous create failure, the
	// lookup keeps looking for what the create made before posting again
	// (default 10s): listings may lag writes, and a new POST while the
	// first one's asset is not listed yet would make a second one.
	ReconcileWait time.Duration
	// DependentsWait is how long a delete refused with 409 while
	// dependents remain is tried again, within the deadline (default 1m).
	DependentsWait time.Duration
	// BatchReads configures the listing-backed reads of ReadInstance,
	// ReadFormula and ReadFormulaInstance (on by default; see readcache.go).
	BatchReads BatchReads
	// HTTPClient overrides the transport (tests); default is one keep-alive
	// client per Client, honouring the proxy environment variables.
	HTTPClient *http.Client
}

// Client talks to the platform. It is safe for concurrent use.
type Client struct {
	cfg  Config
	http *http.Client

	baseURL    string // trailing slash trimmed
	authHeader string // built once in New

	retryCounts retryCounter
	logLevel    hclog.Level // of the log subsystem, from the environment at New

	// After a 429, every request of this Client holds back until the time
	// the platform named, rather than spending its own attempts on 429s.
	pauseMu     sync.Mutex
	pausedUntil time.Time

	// mask holds every secret this Client knows (its own, each request's,
	// every token seen or remembered) and masks them in errors and logs.
	mask masker
	// declared is what the platform declares secret (each formula's
	// password variables) and the fingerprints of write-only values; see
	// declared_secrets.go.
	declared declaredSecrets

	// apiConfirmed is set once GET /instances answered a JSON array: a
	// platform 404 from this base URL can then be believed (confirmNotFound).
	apiConfirmed atomic.Bool
	// vdrConfirmed is the same for /vdrs (confirmVDRNotFound).
	vdrConfirmed atomic.Bool
	// enableForm is the enable/disable form this host serves (enableUnknown,
	// enableByID or enableByToken), learnt by SetInstanceEnabled.
	enableForm atomic.Int32
	// elements caches element lookups by key or id (elements.go), and
	// formulaVariables the plan-time formula reads by id
	// (formula_variables.go).
	elements         onceCache[*ElementDefinition]
	formulaVariables onceCache[[]string]
	elementKeys      onceCache[[]string] // the catalog's keys (element_keys.go)

	// reads, formulaReads and formulaInstanceReads are this Client's
	// listings for ReadInstance, ReadFormula and ReadFormulaInstance; nil
	// when batch reads are off.
	reads                *readCache[Instance]
	formulaReads         *readCache[Formula]
	formulaInstanceReads *readCache[FormulaInstance]
}

// New returns a Client for cfg, or an error naming what is wrong with it. The
// error never contains a secret.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if base == "" {
		return nil, errors.New("cloudelements: BaseURL is empty")
	}
	u, err := url.Parse(base)
	if err != nil {
		// url.Parse's error quotes the input, which may hold userinfo.
		return nil, errors.New("cloudelements: BaseURL is not a valid URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("cloudelements: BaseURL %q must start with http:// or https://", u.Redacted())
	}
	if u.Host == "" {
		return nil, fmt.Errorf("cloudelements: BaseURL %q has no host", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("cloudelements: BaseURL %q must not have a query or fragment", u.Redacted())
	}
	if err := checkSecret("UserSecret", cfg.UserSecret); err != nil {
		return nil, err
	}
	if err := checkSecret("OrganizationSecret", cfg.OrganizationSecret); err != nil {
		return nil, err
	}

	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RetryWaitMax < cfg.RetryWaitMin {
		cfg.RetryWaitMax = cfg.RetryWaitMin
	}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = DefaultAttemptTimeout
	}
	if cfg.CreateReconcileSkew <= 0 {
		cfg.CreateReconcileSkew = DefaultCreateReconcileSkew
	}
	if cfg.ReconcileWait <= 0 {
		cfg.ReconcileWait = DefaultReconcileWait
	}
	if cfg.DependentsWait <= 0 {
		cfg.DependentsWait = DefaultDependentsWait
	}

	hc := cfg.HTTPClient
	if hc == nil {
		hc = newHTTPClient()
	}
	c := &Client{
		cfg:        cfg,
		http:       hc,
		baseURL:    base,
		authHeader: "User " + cfg.UserSecret + ", Organization " + cfg.OrganizationSecret,
		logLevel:   logLevelFromEnv(),
	}
	c.newBatchReads(cfg.BatchReads)
	c.mask.add(cfg.UserSecret, cfg.OrganizationSecret)
	return c, nil
}

// checkSecret rejects values that cannot travel in the Authorization header;
// the message names the field, never the value.
func checkSecret(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("cloudelements: %s is empty", field)
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || r == ',' {
			return fmt.Errorf("cloudelements: %s contains a control character or comma", field)
		}
	}
	return nil
}

// newHTTPClient clones the default transport so proxy variables and TLS
// verification stay as Go sets them, with a pool big enough for Terraform's
// parallelism.
func newHTTPClient() *http.Client {
	t := cloneDefaultTransport()
	t.MaxIdleConns = 128
	t.MaxIdleConnsPerHost = 64
	return &http.Client{
		Transport: t,
		// The API does not redirect; following one could turn a POST into a
		// GET or send the secrets elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// cloneDefaultTransport returns a copy of http.DefaultTransport. Should a
// program have replaced DefaultTransport with some other RoundTripper, it
// returns a transport with the standard library's default settings instead.
func cloneDefaultTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: 1 * time.Second,
	}
}

func instancePath(id int64) string { return "/instances/" + strconv.FormatInt(id, 10) }

func checkID(method string, id int64) error {
	if id <= 0 {
		return fmt.Errorf("%s /instances/%d: instance id must be positive", method, id)
	}
	return nil
}

// GetInstance reads one instance. A missing instance is an *Error with
// StatusCode 404 (see IsNotFound).
func (c *Client) GetInstance(ctx context.Context, id int64) (*Instance, error) {
	if err := checkID(http.MethodGet, id); err != nil {
		return nil, err
	}
	inst, err := c.instanceCall(ctx, &call{method: http.MethodGet, path: instancePath(id), wantID: id})
	return inst, c.confirmNotFound(ctx, err)
}

// PatchInstance changes the given fields in place (PATCH /instances/{id}).
// A 2xx answer that cannot be used is an *AppliedError.
func (c *Client) PatchInstance(ctx context.Context, id int64, patch InstancePatch) (*Instance, error) {
	if err := checkID(http.MethodPatch, id); err != nil {
		return nil, err
	}
	body, err := encodePatch(patch)
	if err != nil {
		return nil, err
	}
	return c.writeCall(ctx, &call{method: http.MethodPatch, path: instancePath(id), body: body,
		secrets: requestSecrets(patch.Secrets, patch.Configuration), wantID: id})
}

// ReplaceInstance re-provisions an instance with a full body (PUT
// /instances/{id}). The token in the answer may differ from the old one. A
// 2xx answer that cannot be used is an *AppliedError.
func (c *Client) ReplaceInstance(ctx context.Context, id int64, req InstanceRequest) (*Instance, error) {
	if err := checkID(http.MethodPut, id); err != nil {
		return nil, err
	}
	body, err := encodeRequest(req)
	if err != nil {
		return nil, err
	}
	return c.writeCall(ctx, &call{method: http.MethodPut, path: instancePath(id), body: body,
		secrets: requestSecrets(req.Secrets, req.Configuration), wantID: id})
}

// DeleteInstance deletes an instance. A 404 is returned as an error too; the
// caller decides whether "already gone" is fine (see IsNotFound).
func (c *Client) DeleteInstance(ctx context.Context, id int64) error {
	if err := checkID(http.MethodDelete, id); err != nil {
		return err
	}
	c.reads.forget(id)
	c.formulaInstanceReads.reset() // the platform may delete formula instances bound to it
	return c.deleteAsset(ctx, instancePath(id))
}

// confirmNotFound returns err, unless it is a platform 404 (IsNotFound) and
// this base URL has not yet shown that it serves the instances API: a
// gateway in front of other services may answer unknown paths with a JSON
// 404 too, and a 404 believed makes the provider forget an instance. So the
// first such 404 per Client is checked with GET /instances?pageSize=1, which
// must answer a JSON array; success is remembered.
func (c *Client) confirmNotFound(ctx context.Context, err error) error {
	if !IsNotFound(err) || c.apiConfirmed.Load() {
		return err
	}
	resp, perr := c.do(c.LogContext(ctx), &call{method: http.MethodGet, path: "/instances", query: "pageSize=1"})
	if perr == nil {
		if perr = expectJSON(resp.body, '[', "an array"); perr == nil && !json.Valid(resp.body) {
			perr = errors.New("invalid JSON")
		}
		if perr != nil {
			perr = fmt.Errorf("GET /instances?pageSize=1 answered HTTP %d but %w", resp.status, perr)
		}
	}
	if perr != nil {
		// Not wrapped: this must not read as "the instance is gone".
		return fmt.Errorf("%v; this does not show that the instance is gone: the base URL %s does not look "+
			"like the platform's instance API (its root, ending in /elements/api-v2): %v", err, c.displayURL(), perr)
	}
	c.apiConfirmed.Store(true)
	return err
}

// displayURL is the base URL without any userinfo, for messages.
func (c *Client) displayURL() string {
	if u, err := url.Parse(c.baseURL); err == nil {
		return u.Redacted()
	}
	return "(invalid URL)"
}

// instanceCall runs an idempotent call whose answer is one instance.
func (c *Client) instanceCall(ctx context.Context, cl *call) (*Instance, error) {
	resp, err := c.do(c.LogContext(ctx), cl)
	if err != nil {
		return nil, err
	}
	return c.decodeInstance(cl, resp.body)
}

// decodeInstance decodes a one-instance answer. An answer about another
// instance than the one asked for is an error, so that the caller changes
// nothing: trusting it would move state onto an instance not managed here.
func (c *Client) decodeInstance(cl *call, body []byte) (*Instance, error) {
	inst, err := DecodeInstance(body)
	if err != nil {
		return nil, c.decodeError(cl, err)
	}
	c.rememberToken(inst.Token) // masked even when the answer is refused
	if err := checkAnswerID(cl.wantID, inst.ID); err != nil {
		return nil, fmt.Errorf("%s %s: %w", cl.method, cl.path, err)
	}
	return inst, nil
}

// checkAnswerID says whether an answer about instance got may stand for the
// instance asked (0 asks nothing: a create learns its id from the answer).
func checkAnswerID(asked, got int64) error {
	if asked != 0 && got != asked {
		return fmt.Errorf("asked about instance %d, the answer is about instance %d; nothing was changed in Terraform state", asked, got)
	}
	return nil
}

// RememberToken masks tok in logs and errors from now on: a token known only
// from Terraform state, never seen in an answer to this Client.
func (c *Client) RememberToken(tok string) { c.rememberToken(tok) }

func (c *Client) rememberToken(tok string) { c.mask.add(tok) }

// RememberSecrets masks secrets known from configuration or state (API
// keys, secret configuration values, signature keys, write-only values)
// in logs and errors from now on. Call it before the first request of an
// operation: a process that did not send a secret must still mask its echo.
func (c *Client) RememberSecrets(secrets ...string) { c.mask.add(secrets...) }

// Secrets returns the user and organization secrets so the provider can mask
// them at the root logger too.
func (c *Client) Secrets() []string {
	return []string{c.cfg.UserSecret, c.cfg.OrganizationSecret}
}
