package emulator

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand"
	"mime"
	"net"
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
	nextID    int64
	nextCfgID int64
	pageSize  int
	requests  []*Request
	stats     Stats
	bucket    float64   // rate-limit tokens available
	bucketAt  time.Time // when bucket was last refilled
	fx        formulaStore
	stale     *listView // the copy Variance.ListStale lists from
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
		nextID:    1000 + opts.IDOffset,
		nextCfgID: 1,
		pageSize:  opts.DefaultPageSize,
	}
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

// Requests returns copies of the recorded API requests in arrival order.
func (s *Server) Requests() []Request {
	return s.RequestsTo("", "")
}

// RequestsTo returns recorded requests with method ("" = any) whose path
// matches pathPattern ("" = any; "*" matches one segment).
func (s *Server) RequestsTo(method, pathPattern string) []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []Request{}
	for _, r := range s.requests {
		if method != "" && !strings.EqualFold(method, r.Method) {
			continue
		}
		if pathPattern != "" && !matchPath(pathPattern, r.Path) {
			continue
		}
		c := *r
		c.Header = r.Header.Clone()
		c.Body = append([]byte(nil), r.Body...)
		out = append(out, c)
	}
	return out
}

// ResetRequests forgets the recorded requests (Stats are kept).
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.statsLocked()
}

func (s *Server) statsLocked() Stats {
	st := s.stats
	st.ByEndpoint = copyMap(s.stats.ByEndpoint)
	st.ByStatus = copyMap(s.stats.ByStatus)
	st.FaultsInjected = copyMap(s.stats.FaultsInjected)
	st.Instances = len(s.instances)
	return st
}

func copyMap[K comparable](m map[K]int) map[K]int {
	c := make(map[K]int, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
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

// action is what the fault plan says to do with one request.
type action int

const (
	actNormal          action = iota
	actStatus                 // answer status without doing anything
	actReset                  // close the connection before doing anything
	actCommitDrop             // do the work, then close
	actCommitStatus           // do the work, then answer status
	actCommitBody             // do the work, then answer 200 with body
	actCommitMalformed        // do the work, then answer bytes that are not HTTP
)

// plan is the fault decision for one request, made under the mutex.
type plan struct {
	act        action
	status     int
	retryAfter string
	delay      time.Duration
	fault      string // recorded name
	onlyIfOK   bool   // drop-create: drop only when the create committed
	body       string // actCommitBody's answer
}

// planLocked decides the faults for one request. Scripted faults win; then
// reset, rate limit, server errors and dropped creates, in that order.
func (s *Server) planLocked(method, path, endpoint string, now time.Time) plan {
	p := plan{delay: s.faults.Latency}
	if j := s.faults.LatencyJitter; j > 0 {
		p.delay += time.Duration(s.rng.Int63n(int64(j) + 1))
	}
	if f, ok := s.nextScriptedLocked(method, path); ok {
		s.stats.FaultsInjected["scripted"]++
		p.fault = "scripted-" + f.Kind.String()
		switch f.Kind {
		case FaultStatus:
			p.act, p.status, p.retryAfter = actStatus, f.Status, f.RetryAfter
		case FaultReset:
			p.act = actReset
		case FaultCommitThenDrop:
			p.act = actCommitDrop
		case FaultDelay:
			p.delay += f.Delay
		case FaultCommitThenStatus:
			p.act, p.status = actCommitStatus, f.Status
		case FaultCommitThenBody:
			p.act, p.body = actCommitBody, f.Body
		case FaultCommitThenMalformed:
			p.act = actCommitMalformed
		}
		if (p.act == actStatus || p.act == actCommitStatus) && p.status == 0 {
			p.status = http.StatusInternalServerError
		}
		return p
	}
	f := &s.faults
	if f.ResetRate > 0 && s.rng.Float64() < f.ResetRate {
		s.stats.FaultsInjected["reset"]++
		p.act, p.fault = actReset, "reset"
		return p
	}
	if f.RateLimit > 0 {
		burst := math.Max(1, f.RateLimit)
		s.bucket = math.Min(burst, s.bucket+now.Sub(s.bucketAt).Seconds()*f.RateLimit)
		s.bucketAt = now
		if s.bucket < 1 {
			wait := math.Ceil((1 - s.bucket) / f.RateLimit)
			s.stats.FaultsInjected["429"]++
			p.act, p.status, p.fault = actStatus, http.StatusTooManyRequests, "429"
			p.retryAfter = strconv.Itoa(int(math.Max(1, wait)))
			return p
		}
		s.bucket--
	}
	if f.ServerErrorRate > 0 && s.errorEndpointLocked(endpoint) && s.rng.Float64() < f.ServerErrorRate {
		// The transient kinds a gateway or an overloaded platform answers;
		// a 500 (a bug that repeats) is left to scripted faults.
		codes := []int{502, 503, 504}
		s.stats.FaultsInjected["5xx"]++
		p.act, p.status, p.fault = actStatus, codes[s.rng.Intn(len(codes))], "5xx"
		return p
	}
	if endpoint == "POST /instances" && f.DropCreateRate > 0 && s.rng.Float64() < f.DropCreateRate {
		p.act, p.fault, p.onlyIfOK = actCommitDrop, "drop-create", true
	}
	return p
}

func (s *Server) errorEndpointLocked(endpoint string) bool {
	if len(s.faults.ServerErrorEndpoints) == 0 {
		return true
	}
	for _, e := range s.faults.ServerErrorEndpoints {
		if e == endpoint {
			return true
		}
	}
	return false
}

// nextScriptedLocked pops the next scripted fault matching the request.
func (s *Server) nextScriptedLocked(method, path string) (Fault, bool) {
	for i, e := range s.script {
		if (e.method != "" && e.method != method) || !matchPath(e.pattern, path) {
			continue
		}
		f := e.faults[0]
		e.faults = e.faults[1:]
		if len(e.faults) == 0 {
			s.script = append(s.script[:i], s.script[i+1:]...)
		}
		return f, true
	}
	return Fault{}, false
}

// newRequestIDLocked makes a 24-hex-digit id like the platform's.
func (s *Server) newRequestIDLocked() string {
	var b [12]byte
	s.rng.Read(b[:])
	return hex.EncodeToString(b[:])
}

// newTokenLocked makes a fresh, unused 44-character base64 instance token.
func (s *Server) newTokenLocked() string {
	for {
		var b [32]byte
		s.rng.Read(b[:])
		t := base64.StdEncoding.EncodeToString(b[:])
		if _, taken := s.tokens[t]; !taken {
			return t
		}
	}
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
	if rt.unknown || (rt.pattern == "/instances/{id}/enabled" && s.profile.Variance.NoEnabledByID) {
		rt.handler, rt.miss = nil, s.unknownPathLocked(path)
	}
	var p plan
	if rt.handler != nil {
		p = s.planLocked(r.Method, path, rt.endpoint, now)
	}
	rec.Fault = p.fault
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

// check applies the platform-wide request checks: auth, Accept, Content-Type.
func (s *Server) check(r *http.Request, body []byte, rt routed) reply {
	if !rt.hub && !s.platformAuth(r.Header.Get("Authorization")) {
		return errReply(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
	}
	if !acceptsJSON(r.Header.Values("Accept")) {
		return errReply(http.StatusNotAcceptable, "Not acceptable: this API only produces application/json")
	}
	if len(bytes.TrimSpace(body)) > 0 {
		mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "application/json" {
			return errReply(http.StatusUnsupportedMediaType, "Unsupported media type: request bodies must be application/json")
		}
	}
	return reply{}
}

// authParts parses "User u, Organization o, Element t" in any order.
func authParts(h string) map[string]string {
	parts := map[string]string{}
	for _, p := range strings.Split(h, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(p), " ")
		if ok {
			parts[strings.ToLower(name)] = strings.TrimSpace(value)
		}
	}
	return parts
}

func secretEqual(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

func (s *Server) platformAuth(h string) bool {
	parts := authParts(h)
	return secretEqual(parts["user"], s.opts.UserSecret) &&
		secretEqual(parts["organization"], s.opts.OrganizationSecret)
}

func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			switch mt {
			case "application/json", "*/*", "application/*":
				return true
			}
		}
	}
	return false
}

// faultReply is the error answer of an injected status fault.
func faultReply(status int, retryAfter string) reply {
	rep := reply{status: status, message: http.StatusText(status)}
	switch status {
	case http.StatusTooManyRequests:
		rep.message = "Rate limit exceeded: too many requests, retry later"
	case http.StatusInternalServerError:
		rep.message = "Internal server error"
	case http.StatusBadGateway:
		rep.message = "Provider server error"
		rep.vendor = "The provider's server returned an unexpected error"
	case http.StatusServiceUnavailable:
		rep.message = "Service temporarily unavailable"
	case http.StatusGatewayTimeout:
		rep.message = "Gateway timeout"
	}
	if retryAfter != "" {
		rep.header = http.Header{"Retry-After": {retryAfter}}
	}
	return rep
}

// answer writes rep and records its status.
func (s *Server) answer(w http.ResponseWriter, rec *Request, reqID string, rep reply) {
	s.finish(rec, rep.status)
	writeReply(w, reqID, rep)
}

func (s *Server) finish(rec *Request, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.Status = status
	if status != 0 {
		s.stats.ByStatus[status]++
	}
}

func writeReply(w http.ResponseWriter, reqID string, rep reply) {
	h := w.Header()
	for k, v := range rep.header {
		h[k] = v
	}
	if rep.raw != nil {
		// Not the platform: no request id, and the body as it is.
		if rep.raw.contentType != "" {
			h.Set("Content-Type", rep.raw.contentType)
		}
		h.Set("Content-Length", strconv.Itoa(len(rep.raw.body)))
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.raw.body)
		return
	}
	h.Set("Elements-Request-Id", reqID)
	h.Set("Content-Type", "application/json;charset=UTF-8")
	body := rep.body
	if rep.status >= 400 {
		body = errorJSON{RequestID: reqID, Message: rep.message, ProviderMessage: rep.vendor}
	}
	b, err := json.Marshal(body)
	if err != nil {
		rep.status = http.StatusInternalServerError
		b, _ = json.Marshal(errorJSON{RequestID: reqID, Message: "Internal server error"})
	}
	w.WriteHeader(rep.status)
	_, _ = w.Write(append(b, '\n'))
}

// dropConn closes the connection without an answer. With SO_LINGER 0 the
// client sees a reset rather than a clean EOF.
func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if ok {
		if conn, _, err := hj.Hijack(); err == nil {
			if tc, ok := conn.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = conn.Close()
			return
		}
	}
	// Not hijackable (e.g. HTTP/2): abort the response instead.
	panic(http.ErrAbortHandler)
}

// writeMalformed answers with a status line no HTTP client can parse, then
// closes the connection: the client sees a protocol error after its request
// was sent (as from a broken proxy or an HTTP/2 stream reset).
func writeMalformed(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		return
	}
	_, _ = buf.WriteString("HTTP/1.1 2x0 Garbled\r\nContent-Length: 2\r\n\r\n{}")
	_ = buf.Flush()
	_ = conn.Close()
}

// sleepCtx waits d unless ctx ends first; it reports whether d elapsed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
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
