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
// GET|POST {AdminPath}/faults, GET|POST {AdminPath}/variance,
// GET|POST {AdminPath}/ids, GET|POST {AdminPath}/execution-plan and
// POST {AdminPath}/reset (see admin.go and admin_settings.go).
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
	// IDOffset is added to the first id of every kind (instances, their
	// configuration entries, formulas, their steps and triggers, formula
	// instances, executions, VDRs, their fields, transformations), so that two emulators (two environments)
	// hand out different ids, as the platform's global ids differ between
	// accounts. -id-offset and POST /_emulator/ids set it too.
	IDOffset int64
	// Executions says how formula executions run: how long each step takes
	// and at which step they fail (see ExecutionPlan; SetExecutionPlan,
	// -execution-step-delay, -execution-fail-at-step and POST
	// /_emulator/execution-plan change it).
	Executions ExecutionPlan
	// MaskUsername reads configuration.username back as "********". The
	// reference infers the platform returns it in clear, so the default is
	// clear; this switch lets tests prove the provider copes either way.
	MaskUsername bool
	// KeepTokenOnPut keeps the instance token across PUT /instances/{id}. By
	// default PUT issues a new token, so the provider must read it back.
	KeepTokenOnPut bool
	// Variance makes the emulator answer in one of the ways the reference
	// leaves open (UNCONFIRMED there). The zero value is the default
	// behaviour; Profiles names useful combinations. Server.SetProfile (or
	// POST /_emulator/variance) changes it, KeepTokenOnPut and MaskUsername
	// at run time.
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

// The createdDate layouts of the envelope (Variance.DateFormat). Go renders
// the zone of a UTC time as "Z" for "Z07:00", "+00:00" for "-07:00" and
// "+0000" for "-0700".
const (
	DateZ                 = "2006-01-02T15:04:05Z07:00" // 2024-01-02T03:04:05Z (default)
	DateZMillis           = "2006-01-02T15:04:05.000Z07:00"
	DateColonOffset       = "2006-01-02T15:04:05-07:00" // 2024-01-02T03:04:05+00:00
	DateColonOffsetMillis = "2006-01-02T15:04:05.000-07:00"
	DateOffset            = "2006-01-02T15:04:05-0700" // 2024-01-02T03:04:05+0000
	DateOffsetMillis      = "2006-01-02T15:04:05.000-0700"
	// DateEpochMillis answers epoch milliseconds as a string
	// ("1704164645123"). It is not ISO-8601, so it lies outside the envelope
	// of issue 12 and no profile uses it.
	DateEpochMillis = "millis"
)

// The Variance.Empty and Variance.NotFoundBody values.
const (
	EmptyNull   = "null"   // an empty value is answered as JSON null
	EmptyAbsent = "absent" // an empty value is left out of the answer

	NotFoundHTML  = "html"  // a proxy's HTML page
	NotFoundEmpty = "empty" // no body at all
)

// Variance switches, each off by default. Every one is an answer the
// platform's documentation allows. They change answers only, never what is
// stored (Server.Instances shows the same data whatever the variance).
type Variance struct {
	// InvalidAfterWrite answers valid=false after every PUT or PATCH of an
	// instance (the platform re-checks credentials and may not be done).
	InvalidAfterWrite bool `json:"invalidAfterWrite,omitempty"`
	// TokenOnPatch issues a new token on PATCH too (PUT issues one unless
	// Options.KeepTokenOnPut).
	TokenOnPatch bool `json:"tokenOnPatch,omitempty"`
	// Events says when eventsEnabled follows the configuration.
	Events EventsMode `json:"events,omitempty"`
	// DisabledLag delays the disabled flag: answers report the old value for
	// this long after an enable or disable call (the call's own answer
	// included). Hub calls see the new state at once. The admin surface
	// writes it as a Go duration string ("300ms").
	DisabledLag time.Duration `json:"disabledLag,omitempty"`
	// IDsAsStrings answers id, elementId and element.id as JSON strings.
	IDsAsStrings bool `json:"idsAsStrings,omitempty"`
	// DateFormat is the createdDate layout (Go time layout, UTC, see the
	// Date constants); "" is DateZ. With a fractional layout createdDate
	// keeps milliseconds. DateEpochMillis answers epoch milliseconds.
	DateFormat string `json:"dateFormat,omitempty"`
	// Empty says how empty parts are answered: tags [], provisionInteractions
	// [], element.resources and element.parameters [], an empty
	// configuration {} and configuration values "". "" answers them as
	// stored; EmptyNull as null; EmptyAbsent leaves them out.
	Empty string `json:"empty,omitempty"`
	// ElementIDOnly answers element as {"id": n} alone.
	ElementIDOnly bool `json:"elementIdOnly,omitempty"`
	// ExtraFields adds unknown fields to every instance object and its
	// element (scalars, null, a nested object and an array).
	ExtraFields bool `json:"extraFields,omitempty"`
	// ConfigBoolsAsJSON answers "true"/"false" configuration values as JSON
	// booleans instead of strings (strings are the default).
	ConfigBoolsAsJSON bool `json:"configBoolsAsJson,omitempty"`
	// ShuffleTags answers tags in a random order. Tags are always stored
	// with duplicates collapsed, whatever the variance.
	ShuffleTags bool `json:"shuffleTags,omitempty"`
	// NullTagsWhenEmpty answers "tags": null for an instance without tags;
	// it wins over Empty for tags.
	NullTagsWhenEmpty bool `json:"nullTagsWhenEmpty,omitempty"`
	// ClearSecrets answers every configuration value in clear, password
	// types and OAuth secrets included (it overrides Options.MaskUsername).
	// By default the keys the element marks secret read back "********".
	ClearSecrets bool `json:"clearSecrets,omitempty"`
	// NotFoundBody is how an unknown path is answered: "" (the platform's
	// JSON error), NotFoundHTML or NotFoundEmpty. A missing instance is
	// always answered with the platform's JSON error {requestId, message}.
	NotFoundBody string `json:"notFoundBody,omitempty"`
	// NoEnabledByID removes PUT|DELETE /instances/{id}/enabled (answered as
	// an unknown path, still counted under that endpoint in Stats); the
	// token-scoped /instances/enabled remains.
	NoEnabledByID bool `json:"noEnabledById,omitempty"`

	// Formulas (assets-api.md §1-2 leaves these open). FormulaStepIDs: ""
	// answers steps and triggers without ids; StepIDsStable gives them ids
	// kept across PUT; StepIDsReassigned gives new ids on every PUT.
	FormulaStepIDs string `json:"formulaStepIds,omitempty"`
	// FormulaDefaults answers the defaults a formula may gain: engine,
	// singleThreaded and debugLoggingEnabled, and async on triggers.
	FormulaDefaults bool `json:"formulaDefaults,omitempty"`
	// FormulaReordered answers formulas, and their step and trigger
	// properties, in another key order and layout than sent. With
	// IDsAsStrings, numbers inside properties are answered as strings too.
	FormulaReordered bool `json:"formulaReordered,omitempty"`
	// ReauthReplaces makes PUT /instances/{id}?reAuthenticate=true replace
	// the configuration with the body's (and the new credentials), rather
	// than merge them: a key left out is dropped.
	ReauthReplaces bool `json:"reauthReplaces,omitempty"`
	// FormulaRewrite answers the ways a platform may rewrite what it
	// stores: a PUT of a formula replaces it whole (engine and
	// debugLoggingEnabled left out go back to their defaults), triggers
	// are answered in another order than sent, a script step's body is
	// stored without its trailing line breaks, and a formula instance
	// gains the settings defaults the request left out.
	FormulaRewrite bool `json:"formulaRewrite,omitempty"`
	// FormulaDelete and ElementInstanceDelete say what deleting a formula
	// or an element instance does to the formula instances bound to it
	// (AssetsRefuse, AssetsCascade; "" cascades for a formula and leaves
	// them for an element instance).
	FormulaDelete         string `json:"formulaDelete,omitempty"`
	ElementInstanceDelete string `json:"elementInstanceDelete,omitempty"`
	// ListAbridged answers listing items (GET /instances and
	// /elements/{key}/instances) without configuration and token, formulas
	// (GET /formulas) without configuration, triggers and steps, formula
	// instances (GET /formulas/instances, /formulas/{id}/instances)
	// without configuration and settings, VDRs (GET /vdrs) without fields
	// and transformations (GET /vdrs/{id}/transformations) without fields,
	// configuration and script, as a lighter list answer might; a GET of
	// one is whole.
	ListAbridged bool `json:"listAbridged,omitempty"`
	// ListStale makes listings (instances, formulas, formula instances,
	// VDRs and transformations) lag writes by this long, as a search index
	// might: a listing answers the stores as they were that long ago, so a
	// create, a change or a delete (through the API or behind Terraform's
	// back) shows in listings only once it is that old. GETs are current.
	// The admin surface writes it as a Go duration string ("3s").
	ListStale time.Duration `json:"listStale,omitempty"`

	// Common resources (assets-api.md §3 leaves these open). VDRExtras
	// answers what the platform may add: system fields (id, createdDate)
	// in every VDR's fields, vdrId and displayName on each field,
	// mappedElementIds and vdrVersion on the VDR, vdrFieldId on each
	// transformation field, and vdrId, objectName and the script's level
	// on each transformation.
	VDRExtras bool `json:"vdrExtras,omitempty"`
	// VDRReordered answers the fields of VDRs and transformations, and
	// the keys of every object in them, in the reverse of the stored order.
	VDRReordered bool `json:"vdrReordered,omitempty"`
	// VDRDelete says what deleting a VDR that has transformations does:
	// "" and AssetsCascade delete them with it; AssetsRefuse answers 409.
	VDRDelete string `json:"vdrDelete,omitempty"`
	// VDRLegacyOnly is a host without VDR v2: every /vdrs path is answered
	// as an unknown path; object definitions and transformations are
	// served at the legacy paths only.
	VDRLegacyOnly bool `json:"vdrLegacyOnly,omitempty"`
	// ScriptTrimmed answers transformation script bodies with the
	// whitespace around them and at the end of each line removed.
	ScriptTrimmed bool `json:"scriptTrimmed,omitempty"`
	// ElementSummaryOnly answers GET /elements/{keyOrId} without the
	// element's configuration entries (which keys are required), as an
	// answer lighter than an element export might.
	ElementSummaryOnly bool `json:"elementSummaryOnly,omitempty"`
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
	// Body is FaultCommitThenBody's 200 answer, with every "{id}" replaced
	// by the id of the instance the work produced (e.g. a cut-short JSON).
	Body string
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
	FaultCommitThenBody                        // do the work, then answer 200 with Body (an unreadable success)
	// FaultCommitThenMalformed does the work, then writes a response that is
	// not HTTP (a transport error after the request was sent and applied).
	FaultCommitThenMalformed
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
	// ExternalAuthentication is "initial" for an OAuth instance created from
	// a refresh token; "" answers as "none".
	ExternalAuthentication string
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
