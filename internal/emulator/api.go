// Package emulator is an in-memory double of the Cloud Elements /instances
// API, a plain http.Handler used by the tests and by `make demo`.
//
// It shares no code with the API client on purpose: its types and JSON are its
// own, so that a mistake in one cannot hide in the other.
package emulator

import (
	"net/http"
	"time"
)

// BasePath is where the platform API lives under the host.
const BasePath = "/elements/api-v2"

// AdminPath is the emulator's own control surface (not part of the platform):
// GET {AdminPath}/stats, GET {AdminPath}/instances, GET {AdminPath}/requests,
// GET|POST {AdminPath}/faults and POST {AdminPath}/reset (see admin.go).
const AdminPath = "/_emulator"

// Options configure a Server. Zero values take the defaults noted.
type Options struct {
	UserSecret         string // default "test-user-secret"
	OrganizationSecret string // default "test-organization-secret"
	// DefaultPageSize is used when a list request has no pageSize (default 200).
	DefaultPageSize int
	// Faults injected from the start (see SetFaults).
	Faults Faults
	// Seed makes random faults and tokens repeatable (default: time-based).
	Seed int64
	// MaskUsername reads configuration.username back as "********". The
	// reference infers the platform returns it in clear, so the default is
	// clear; this switch lets tests prove the provider copes either way.
	MaskUsername bool
	// KeepTokenOnPut keeps the instance token across PUT /instances/{id}. By
	// default PUT issues a new token, so the provider must read it back.
	KeepTokenOnPut bool
	// Variance makes the emulator answer in one of the ways the reference
	// leaves open (UNCONFIRMED there). The zero value is the default
	// behaviour; Profiles names useful combinations.
	Variance Variance
}

// EventsMode says when the platform's eventsEnabled flag follows
// event.notification.enabled in the configuration.
type EventsMode int

// The EventsMode values.
const (
	EventsFollowConfig EventsMode = iota // on every write (default)
	EventsOnPutOnly                      // on POST and PUT, not on PATCH
	EventsNever                          // only on POST; later writes leave it as it was
)

// Variance switches, each off by default. Every one is an answer the
// platform's documentation allows.
type Variance struct {
	// InvalidAfterWrite answers valid=false after every PUT or PATCH.
	InvalidAfterWrite bool
	// TokenOnPatch issues a new token on PATCH too (PUT issues one unless
	// Options.KeepTokenOnPut).
	TokenOnPatch bool
	// Events says when eventsEnabled follows the configuration.
	Events EventsMode
	// DisabledLag delays the disabled flag: answers report the old value for
	// this long after an enable or disable call.
	DisabledLag time.Duration
	// IDsAsStrings answers id and elementId (and element.id) as JSON strings.
	IDsAsStrings bool
	// DateFormat is the createdDate layout (Go time layout, UTC); "" is
	// "2006-01-02T15:04:05Z". "millis" answers epoch milliseconds as a string.
	DateFormat string
	// Empty says how an empty tags array, configuration map or element
	// summary part is answered: "" (as [] / {}), "null", or "absent".
	Empty string
	// ElementIDOnly answers element as {"id": n} alone.
	ElementIDOnly bool
	// ExtraFields adds unknown fields to every instance object.
	ExtraFields bool
	// ConfigBoolsAsJSON answers boolean-looking configuration values as JSON
	// booleans instead of strings.
	ConfigBoolsAsJSON bool
	// ShuffleTags answers tags in a random order (duplicates are always
	// collapsed when stored).
	ShuffleTags bool
	// NullTagsWhenEmpty answers "tags": null for an instance without tags.
	NullTagsWhenEmpty bool
	// MaskAllSecrets masks every configuration value the element marks
	// secret; ClearSecrets answers them all in clear (even password types).
	ClearSecrets bool
	// NotFoundBody is how an unknown path is answered: "" (the platform's
	// JSON error), "html" (a proxy's HTML page) or "empty" (no body). A
	// missing instance is always answered with the platform's JSON error.
	NotFoundBody string
	// NoEnabledByID removes /instances/{id}/enabled (answered as an unknown
	// path); only the token-scoped /instances/enabled remains.
	NoEnabledByID bool
}

// Profiles are named variance combinations, for table-driven tests and the
// emulator command's -profile flag. "default" is the zero Variance.
var Profiles = map[string]Variance{
	"default": {},
}

// Faults are injected into answers. Rates are shares between 0 and 1.
type Faults struct {
	Latency       time.Duration // added to every API request
	LatencyJitter time.Duration // plus a uniform random extra up to this
	// RateLimit is requests a second over all API requests (token bucket with
	// a burst of one second's worth); beyond it the answer is 429 with
	// Retry-After. Zero means no limit.
	RateLimit float64
	// ServerErrorRate answers that share of requests with a transient 5xx
	// (502, 503 or 504) without touching the data. A 500, which usually
	// repeats, is injected by Script only.
	ServerErrorRate float64
	// ServerErrorEndpoints limits ServerErrorRate to these endpoints, written
	// "METHOD /instances" or "METHOD /instances/{id}" etc.; empty means all.
	ServerErrorEndpoints []string
	// ResetRate closes that share of connections without an answer, before
	// anything is done.
	ResetRate float64
	// DropCreateRate commits that share of creates (POST /instances) and then
	// closes the connection without an answer.
	DropCreateRate float64
}

// Fault is one scripted fault, for deterministic tests.
type Fault struct {
	Kind       FaultKind
	Status     int           // for FaultStatus: 429, 500, 502, ...
	RetryAfter string        // Retry-After header value for FaultStatus
	Delay      time.Duration // for FaultDelay: hold the answer this long
}

// FaultKind says what a scripted fault does.
type FaultKind int

// The scripted fault kinds.
const (
	FaultStatus           FaultKind = iota + 1 // answer Status with an error body; nothing is done
	FaultReset                                 // close the connection before doing anything
	FaultCommitThenDrop                        // do the work, then close without an answer
	FaultDelay                                 // sleep Delay, then answer normally
	FaultCommitThenStatus                      // do the work, then answer Status (an ambiguous 5xx)
)

// Instance is the emulator's own view of a stored instance.
type Instance struct {
	ID            int64
	Name          string
	ElementKey    string
	Token         string
	Tags          []string
	Configuration map[string]string // as stored: strings, defaults included, unmasked
	CreatedDate   time.Time
	Disabled      bool
	Valid         bool
}

// Request is one recorded API request.
type Request struct {
	Method string
	Path   string // without BasePath, e.g. "/instances/12"
	Query  string
	Header http.Header
	Body   []byte
	Status int    // status answered, 0 when the connection was dropped
	Fault  string // the fault injected, "" when none
	Time   time.Time
}

// Stats counts what the emulator has seen.
type Stats struct {
	Requests       int            `json:"requests"`
	ByEndpoint     map[string]int `json:"byEndpoint"` // "POST /instances" -> n
	ByStatus       map[int]int    `json:"byStatus"`
	FaultsInjected map[string]int `json:"faultsInjected"` // "429", "5xx", "reset", "drop-create", ...
	Instances      int            `json:"instances"`
	Creates        int            `json:"creates"` // instances committed by POST
	Deletes        int            `json:"deletes"`
}
