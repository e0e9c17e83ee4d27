package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBody bounds request bodies so a runaway client cannot exhaust memory.
const maxBody = 4 << 20

// Server is the in-memory Cloud Elements double. It is safe for concurrent
// use; one mutex guards all state.
type Server struct {
	opts Options // fixed after New; the answer switches live in profile

	mu        sync.Mutex
	profile   Profile // Variance, KeepTokenOnPut, MaskUsername in force
	rng       *rand.Rand
	faults    Faults
	script    []*scriptEntry
	instances map[int64]*record
	ids       []int64          // instance ids in ascending order, for paging
	tokens    map[string]int64 // token -> instance id, for hub calls
	usedCodes map[string]bool  // OAuth codes spent by re-authentication
	idOffset  int64            // added to the first id of every kind (Options.IDOffset)
	nextID    int64
	nextCfgID int64
	pageSize  int
	requests  []*Request
	stats     Stats
	bucket    float64   // rate-limit tokens available
	bucketAt  time.Time // when bucket was last refilled
	fx        formulaStore
	vdr       vdrStore // common resources (VDRs) and their transformations
	// history holds the stores as they were before each recent write,
	// for listings that lag (Variance.ListStale); frozen, when set, is
	// what every listing answers (FreezeListings).
	history []*listSnapshot
	frozen  *listSnapshot
}

// record is a stored instance plus the ids of its configuration entries and
// the flags the variance answers apart from the stored state.
type record struct {
	inst   Instance
	cfgIDs map[string]int64
	events bool // eventsEnabled when it does not follow the configuration
	// shownDisabled was answered until disabledAt, the last enable/disable
	// call (for DisabledLag).
	shownDisabled bool
	disabledAt    time.Time
}

type scriptEntry struct {
	method  string
	pattern string
	faults  []Fault
}

// New returns a Server with opts' defaults filled in.
func New(opts Options) *Server {
	if opts.UserSecret == "" {
		opts.UserSecret = "test-user-secret"
	}
	if opts.OrganizationSecret == "" {
		opts.OrganizationSecret = "test-organization-secret"
	}
	if opts.DefaultPageSize <= 0 {
		opts.DefaultPageSize = 200
	}
	seed := opts.Seed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	s := &Server{
		opts:      opts,
		profile:   opts.profile(),
		rng:       rand.New(rand.NewSource(seed)),
		instances: make(map[int64]*record),
		tokens:    make(map[string]int64),
		idOffset:  opts.IDOffset,
		nextID:    instanceIDBase + opts.IDOffset,
		nextCfgID: 1 + opts.IDOffset,
		pageSize:  opts.DefaultPageSize,
	}
	s.fx.plan = opts.Executions
	s.resetStatsLocked()
	s.setFaultsLocked(opts.Faults)
	return s
}

func (s *Server) resetStatsLocked() {
	s.stats = Stats{
		ByEndpoint:     map[string]int{},
		ByStatus:       map[int]int{},
		FaultsInjected: map[string]int{},
	}
}

// SetFaults replaces the random faults; the rate-limit bucket starts full.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.setFaultsLocked(f)
}

func (s *Server) setFaultsLocked(f Faults) {
	f.ServerErrorEndpoints = append([]string(nil), f.ServerErrorEndpoints...)
	for i, e := range f.ServerErrorEndpoints {
		f.ServerErrorEndpoints[i] = normalizeEndpoint(e)
	}
	s.faults = f
	s.bucket = math.Max(1, f.RateLimit)
	s.bucketAt = time.Now()
}

// normalizeEndpoint turns " post  /instances/{id} " into "POST /instances/{id}".
func normalizeEndpoint(e string) string {
	fields := strings.Fields(e)
	if len(fields) != 2 {
		return strings.TrimSpace(e)
	}
	return strings.ToUpper(fields[0]) + " " + fields[1]
}

// Script queues faults for the next requests matching method ("" = any) and
// pathPattern ("*" or "{...}" match one path segment). Each matching request
// takes the next fault, in order, before any random fault is considered.
func (s *Server) Script(method, pathPattern string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.script = append(s.script, &scriptEntry{
		method: strings.ToUpper(method), pattern: pathPattern, faults: append([]Fault(nil), faults...),
	})
}

// SetDefaultPageSize changes the list page size used when none is asked for.
func (s *Server) SetDefaultPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if n <= 0 {
		n = 200
	}
	s.pageSize = n
}

// matchPath reports whether path matches pattern segment by segment.
func matchPath(pattern, path string) bool {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	if len(ps) != len(xs) {
		return false
	}
	for i, p := range ps {
		if p == "*" || (strings.HasPrefix(p, "{") && strings.HasSuffix(p, "}")) {
			continue
		}
		if p != xs[i] {
			return false
		}
	}
	return true
}

// String names a fault kind as recorded in Request.Fault.
func (k FaultKind) String() string {
	switch k {
	case FaultStatus:
		return "status"
	case FaultReset:
		return "reset"
	case FaultCommitThenDrop:
		return "commit-then-drop"
	case FaultDelay:
		return "delay"
	case FaultCommitThenStatus:
		return "commit-then-status"
	case FaultCommitThenBody:
		return "commit-then-body"
	case FaultCommitThenMalformed:
		return "commit-then-malformed"
	}
	return "FaultKind(" + strconv.Itoa(int(k)) + ")"
}

// reply is a handler's answer, written (or replaced by a fault) afterwards.
type reply struct {
	status  int
	body    any
	header  http.Header
	message string // error message when status >= 400
	vendor  string // providerMessage
	raw     *rawBody
}

// rawBody is an answer that is not the platform's JSON: a proxy's page.
type rawBody struct {
	contentType string // "" sends no Content-Type
	body        string
}

// proxyPage is what a reverse proxy answers for a path it cannot route.
const proxyPage = `<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx</center>
</body>
</html>
`

// unknownPathLocked is the 404 for a path the API does not have, shaped by
// Variance.NotFoundBody.
func (s *Server) unknownPathLocked(path string) reply {
	switch s.profile.Variance.NotFoundBody {
	case NotFoundHTML:
		return reply{status: http.StatusNotFound, raw: &rawBody{contentType: "text/html", body: proxyPage}}
	case NotFoundEmpty:
		return reply{status: http.StatusNotFound, raw: &rawBody{}}
	}
	return errReply(http.StatusNotFound, "Not found: no resource at %s", path)
}

func errReply(status int, format string, args ...any) reply {
	return reply{status: status, message: fmt.Sprintf(format, args...)}
}

func okReply(body any) reply { return reply{status: http.StatusOK, body: body} }

// ServeHTTP answers the platform API under BasePath and the admin surface
// under AdminPath.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == AdminPath || strings.HasPrefix(r.URL.Path, AdminPath+"/"):
		s.serveAdmin(w, r, strings.TrimPrefix(r.URL.Path, AdminPath))
	case r.URL.Path == BasePath || strings.HasPrefix(r.URL.Path, BasePath+"/"):
		s.serveAPI(w, r, strings.TrimPrefix(r.URL.Path, BasePath))
	default:
		s.mu.Lock()
		id := s.newRequestIDLocked()
		rep := s.unknownPathLocked(r.URL.Path)
		s.mu.Unlock()
		writeReply(w, id, rep)
	}
}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, path string) {
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rt := route(r.Method, path)
	now := time.Now()

	s.mu.Lock()
	rec := &Request{
		Method: r.Method, Path: path, Query: r.URL.RawQuery, Header: r.Header.Clone(),
		Body: append([]byte(nil), body...), Time: now,
	}
	s.requests = append(s.requests, rec)
	s.stats.Requests++
	s.stats.ByEndpoint[rt.endpoint]++
	reqID := s.newRequestIDLocked()
	if rt.unknown || (rt.pattern == "/instances/{id}/enabled" && s.profile.Variance.NoEnabledByID) ||
		(rt.absent != nil && rt.absent(s.profile.Variance)) {
		rt.handler, rt.miss = nil, s.unknownPathLocked(path)
	}
	var p plan
	if rt.handler != nil {
		p = s.planLocked(r.Method, path, rt.endpoint, now)
	}
	rec.Fault = p.fault
	if r.Method != http.MethodGet && rt.handler != nil {
		s.beforeWriteLocked(now) // a lagging listing goes on answering the stores as they are
	}
	s.mu.Unlock()

	if !sleepCtx(r.Context(), p.delay) {
		s.finish(rec, 0)
		return
	}
	switch p.act {
	case actReset:
		s.finish(rec, 0)
		dropConn(w)
		return
	case actStatus:
		s.answer(w, rec, reqID, faultReply(p.status, p.retryAfter))
		return
	}

	var rep reply
	switch {
	case rt.handler == nil:
		rep = rt.miss
	case readErr != nil:
		rep = errReply(http.StatusBadRequest, "Could not read the request body")
	case len(body) > maxBody:
		rep = errReply(http.StatusRequestEntityTooLarge, "Request body too large")
	default:
		rep = s.check(r, body, rt)
		if rep.status == 0 {
			rep = rt.handler(s, r, rt.params, body)
		}
	}

	switch {
	case p.act == actCommitDrop && (!p.onlyIfOK || rep.status == http.StatusOK):
		if p.onlyIfOK {
			s.mu.Lock()
			s.stats.FaultsInjected["drop-create"]++
			s.mu.Unlock()
		}
		s.finish(rec, 0)
		dropConn(w)
	case p.act == actCommitStatus:
		s.answer(w, rec, reqID, faultReply(p.status, ""))
	case p.act == actCommitMalformed:
		s.finish(rec, 0)
		writeMalformed(w)
	case p.act == actCommitBody:
		s.answer(w, rec, reqID, reply{status: http.StatusOK,
			raw: &rawBody{contentType: "application/json", body: strings.ReplaceAll(p.body, "{id}", answeredID(rep))}})
	default:
		if p.onlyIfOK {
			// The drop-create fault did not fire: nothing was committed.
			s.mu.Lock()
			rec.Fault = ""
			s.mu.Unlock()
		}
		s.answer(w, rec, reqID, rep)
	}
}

// answeredID is the id in a reply's instance body, or "" when it has none.
func answeredID(rep reply) string {
	b, err := json.Marshal(rep.body)
	if err != nil {
		return ""
	}
	var v struct {
		ID json.Number `json:"id"`
	}
	if json.Unmarshal(b, &v) != nil {
		return ""
	}
	return v.ID.String()
}

// sortedIDsLocked lists instance ids in ascending order. The slice is the
// server's own: read it under the mutex, never keep or change it.
func (s *Server) sortedIDsLocked() []int64 { return s.ids }

// indexLocked adds id to the sorted id list, unindexLocked removes it.
func (s *Server) indexLocked(id int64) {
	if i, found := slices.BinarySearch(s.ids, id); !found {
		s.ids = slices.Insert(s.ids, i, id)
	}
}

func (s *Server) unindexLocked(id int64) {
	if i, found := slices.BinarySearch(s.ids, id); found {
		s.ids = slices.Delete(s.ids, i, i+1)
	}
}
