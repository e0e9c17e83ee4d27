// Package cloudelements is a small client for the Cloud Elements (SAP Open
// Connectors) platform API, as far as element instances go.
//
// It imports nothing of the Terraform plugin framework: retries, the
// Authorization header, the User-Agent, the error type and log redaction live
// here, so that resources only map between their model and these types.
//
// # Retries
//
// GET, PUT, PATCH and DELETE are retried on connection errors, timeouts, 429,
// 502, 503 and 504 (not 500 or other 4xx), with full-jitter exponential
// backoff or the server's Retry-After. A wait that would pass the context's
// deadline is not started: the last error is returned at once. After a 429
// every request of the Client holds back until the time the platform named;
// a request whose deadline comes first fails at once, unsent. A 2xx PUT or
// PATCH whose answer cannot be used is an *AppliedError: the change was
// made.
//
// # Creating assets
//
// A POST that creates (an instance, a formula, a formula instance) is not
// idempotent. Every kind goes through createAsset with the same rules; a
// createKind says how the kind is read, checked and found. The POST is
// repeated directly only when the platform certainly created nothing
// (connection refused, 429). After an ambiguous failure (attempt timeout,
// reset or EOF after sending, any other transport failure once the request
// was written, such as a malformed answer or an HTTP/2 stream reset, any
// 5xx) it first lists the assets of the requested name and looks for one
// that passes the kind's check: an instance's element, name (as the
// platform stores it: HTML stripped, spaces trimmed), tags and
// InstanceRequest.MatchKeys values; a formula's name, steps and
// configuration keys; a formula instance's formula, name and non-secret
// configuration; for every kind a createdDate (which must parse) inside
// the create's window. A value answered masked or empty is unknown, never
// different; a candidate the listing abridged, or that leaves out what the
// request names, is read by GET before it is compared.
//
// The window runs from the first attempt minus Config.CreateReconcileSkew to
// now plus the skew; the skew (default 2 minutes) allows for the platform's
// clock being that far off ours, either way. An asset dated outside it,
// in the past or in the future, is a look-alike and never adopted.
//
// Listings may lag writes, so the lookup looks again, for up to
// Config.ReconcileWait (default 10s), before it gives up. One match is
// adopted and returned; none means a new POST (counted as a retry);
// several is an error naming their ids. A 409 to that new POST says the
// name is taken, most likely by what the lost POST made: the lookup then
// goes on until the create's deadline, and adopts only what passes the
// check. If the caller's context has already ended, the lookup still runs,
// on a detached 30s context, so that an asset the platform did create is
// returned (with a nil error) rather than orphaned.
//
// A 2xx answer never leads to a second POST, and is adopted only once it
// passes the same check (a date only when it has one); an id salvaged from
// an unreadable answer is read back and must pass it with a readable date.
// An answer that fails it (someone else's asset, or an id that cannot be
// read back) is never adopted: the same lookup looks for the asset, and
// without one the error names what to look for and carries no id to keep
// (adopting a foreign id would make the next destroy delete it). An asset
// that matched but could not be read back is a *CreatedError.
//
// Ids parse exactly (digits only, no leading zero, within int64); anything
// else is refused, never clamped.
//
// # Elements
//
// GetElement reads GET /elements/{keyOrId} once per key or id per Client
// (one Terraform run); ElementExists and ElementKeyOf build on it. Listings
// name the element of an item answered with its id alone by looking it up.
//
// # Secrets
//
// Error text and logs (tflog subsystem "cloudelements") never carry the user
// or organization secret, the API key sent, or any instance token seen.
package cloudelements

import "fmt"

// Configuration keys every element has (the platform's common instance
// configuration); element-specific keys belong to the provider's profiles.
const (
	ConfigEventsEnabled         = "event.notification.enabled"
	ConfigEventsCallbackURL     = "event.notification.callback.url"
	ConfigEventsVendorType      = "event.vendor.type"
	ConfigEventsRefreshInterval = "event.poller.refresh_interval"
	ConfigEventsPollerConfig    = "event.poller.configuration"
	ConfigEventsSignatureKey    = "event.notification.signature.key"
)

// ElementRef names an element in a request (by key) or describes it in a
// response.
type ElementRef struct {
	ID   int64  `json:"id,omitempty"`
	Key  string `json:"key,omitempty"`
	Name string `json:"name,omitempty"`
	Hub  string `json:"hub,omitempty"`
}

// Instance is an element instance as the platform returns it.
//
// Configuration values are always strings here: the platform stores them as
// strings and may return booleans or numbers; the decoder normalises them.
type Instance struct {
	ID            int64             `json:"id"`
	Name          string            `json:"name"`
	CreatedDate   string            `json:"createdDate"`
	Token         string            `json:"token"`
	Element       ElementRef        `json:"element"`
	ElementID     int64             `json:"elementId"`
	Tags          []string          `json:"tags"`
	Valid         bool              `json:"valid"`
	Disabled      bool              `json:"disabled"`
	EventsEnabled bool              `json:"eventsEnabled"`
	Configuration map[string]string `json:"configuration"`
}

// InstanceRequest is the body of POST /instances and PUT /instances/{id}.
// Configuration values are sent as strings, which the platform accepts for
// every key (it stores strings).
type InstanceRequest struct {
	Element       ElementRef        `json:"element"`
	Name          string            `json:"name"`
	Configuration map[string]string `json:"configuration"`
	Tags          []string          `json:"tags"`
	// ExternalAuthentication is "initial" to create an OAuth element's
	// instance from an existing refresh token; empty leaves it out.
	ExternalAuthentication string `json:"externalAuthentication,omitempty"`

	// Secrets are values sent in this request (API keys, passwords, signature
	// keys) that must never appear in an error or a log line. Not sent.
	Secrets []string `json:"-"`
	// MatchKeys are the configuration keys whose values identify the
	// instance an ambiguous create may have made (for Freshdesk:
	// "subdomain"). The create reconcile compares them besides element,
	// name and tags. Not sent.
	MatchKeys []string `json:"-"`
}

// InstancePatch is the body of PATCH /instances/{id}. Nil fields are left out
// of the request and so left untouched by the platform.
type InstancePatch struct {
	Name          *string           `json:"name,omitempty"`
	Tags          *[]string         `json:"tags,omitempty"`
	Configuration map[string]string `json:"configuration,omitempty"`

	// Secrets are values in this patch that must never appear in an error
	// or a log line. Not sent.
	Secrets []string `json:"-"`
}

// CreatedError is returned by CreateInstance when the platform created
// instance ID but its answer could not be used (an undecodable 2xx body, or
// a read-back that failed). The caller must keep the instance (record ID)
// and report Err: the instance exists.
type CreatedError struct {
	ID  int64
	Err error
}

func (e *CreatedError) Error() string {
	return fmt.Sprintf("instance %d was created, but %v", e.ID, e.Err)
}

func (e *CreatedError) Unwrap() error { return e.Err }

// ListOptions narrows GET /instances.
type ListOptions struct {
	// Tags are sent as tags[]; the platform returns instances carrying them.
	Tags []string
	// SearchText matches the instance name or element key on the platform.
	SearchText string
	// PageSize is sent as pageSize; zero leaves the platform's default (200).
	PageSize int
	// ElementKey lists only that element's instances, through GET
	// /elements/{key}/instances. Every result is then known to be of that
	// element, even when the platform's answer names it by id alone.
	ElementKey string
}
