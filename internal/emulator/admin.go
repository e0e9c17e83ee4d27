package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The admin surface (no auth, not recorded) answers JSON:
//
//	GET  /_emulator/stats     Stats
//	GET  /_emulator/instances [{"id","name","elementKey","token","tags",
//	                            "configuration","disabled","valid","createdDate"}]
//	GET  /_emulator/requests  [{"method","path","query","body","status",
//	                            "fault","time"}]
//	GET  /_emulator/faults    FaultsJSON (the current faults)
//	POST /_emulator/faults    FaultsJSON -> the faults now in force
//	POST /_emulator/reset     drops instances, requests, stats and scripted
//	                          faults (random faults stay) -> {}

// FaultsJSON is the wire form of Faults on the admin surface, e.g.
// {"latency":"50ms","latencyJitter":"10ms","rateLimit":20,
// "serverErrorRate":0.1,"serverErrorEndpoints":["POST /instances"],
// "resetRate":0,"dropCreateRate":0.05}. Durations are Go duration strings
// ("50ms") or integer nanoseconds.
type FaultsJSON struct {
	Latency              Duration `json:"latency"`
	LatencyJitter        Duration `json:"latencyJitter"`
	RateLimit            float64  `json:"rateLimit"`
	ServerErrorRate      float64  `json:"serverErrorRate"`
	ServerErrorEndpoints []string `json:"serverErrorEndpoints"`
	ResetRate            float64  `json:"resetRate"`
	DropCreateRate       float64  `json:"dropCreateRate"`
}

// Duration is a time.Duration written in JSON as a Go duration string.
type Duration time.Duration

// MarshalJSON writes d as a duration string such as "50ms".
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a duration string ("50ms") or integer nanoseconds.
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return err
		}
		*d = Duration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration must be a string like \"50ms\" or integer nanoseconds")
	}
	*d = Duration(n)
	return nil
}

// ToFaults converts the wire form to Faults.
func (f FaultsJSON) ToFaults() Faults {
	return Faults{
		Latency: time.Duration(f.Latency), LatencyJitter: time.Duration(f.LatencyJitter),
		RateLimit: f.RateLimit, ServerErrorRate: f.ServerErrorRate,
		ServerErrorEndpoints: f.ServerErrorEndpoints, ResetRate: f.ResetRate,
		DropCreateRate: f.DropCreateRate,
	}
}

// FaultsToJSON converts Faults to their wire form.
func FaultsToJSON(f Faults) FaultsJSON {
	eps := append([]string{}, f.ServerErrorEndpoints...)
	return FaultsJSON{
		Latency: Duration(f.Latency), LatencyJitter: Duration(f.LatencyJitter),
		RateLimit: f.RateLimit, ServerErrorRate: f.ServerErrorRate,
		ServerErrorEndpoints: eps, ResetRate: f.ResetRate, DropCreateRate: f.DropCreateRate,
	}
}

type adminInstance struct {
	ID            int64             `json:"id"`
	Name          string            `json:"name"`
	ElementKey    string            `json:"elementKey"`
	Token         string            `json:"token"`
	Tags          []string          `json:"tags"`
	Configuration map[string]string `json:"configuration"`
	Disabled      bool              `json:"disabled"`
	Valid         bool              `json:"valid"`
	CreatedDate   string            `json:"createdDate"`
}

type adminRequest struct {
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Query  string    `json:"query,omitempty"`
	Body   string    `json:"body,omitempty"`
	Status int       `json:"status"`
	Fault  string    `json:"fault,omitempty"`
	Time   time.Time `json:"time"`
}

func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request, path string) {
	s.mu.Lock()
	reqID := s.newRequestIDLocked()
	s.mu.Unlock()
	writeReply(w, reqID, s.admin(r, strings.TrimSuffix(path, "/")))
}

func (s *Server) admin(r *http.Request, path string) reply {
	get, post := r.Method == http.MethodGet, r.Method == http.MethodPost
	switch {
	case path == "/stats" && get:
		return okReply(s.Stats())
	case path == "/instances" && get:
		out := []adminInstance{}
		for _, inst := range s.Instances() {
			out = append(out, adminInstance{
				ID: inst.ID, Name: inst.Name, ElementKey: inst.ElementKey, Token: inst.Token,
				Tags: inst.Tags, Configuration: inst.Configuration, Disabled: inst.Disabled,
				Valid: inst.Valid, CreatedDate: inst.CreatedDate.UTC().Format(time.RFC3339),
			})
		}
		return okReply(out)
	case path == "/requests" && get:
		out := []adminRequest{}
		for _, rq := range s.Requests() {
			out = append(out, adminRequest{
				Method: rq.Method, Path: rq.Path, Query: rq.Query, Body: string(rq.Body),
				Status: rq.Status, Fault: rq.Fault, Time: rq.Time,
			})
		}
		return okReply(out)
	case path == "/faults" && get:
		s.mu.Lock()
		defer s.mu.Unlock()
		return okReply(FaultsToJSON(s.faults))
	case path == "/faults" && post:
		var f FaultsJSON
		if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
			return errReply(http.StatusBadRequest, "Bad request: malformed faults JSON: %v", err)
		}
		s.SetFaults(f.ToFaults())
		return okReply(f)
	case path == "/reset" && post:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.instances = make(map[int64]*record)
		s.ids = nil
		s.tokens = make(map[string]int64)
		s.requests = nil
		s.script = nil
		s.resetStatsLocked()
		return okReply(struct{}{})
	case path == "/stats" || path == "/instances" || path == "/requests" || path == "/faults" || path == "/reset":
		return errReply(http.StatusMethodNotAllowed, "Method %s is not allowed on %s%s", r.Method, AdminPath, path)
	}
	return errReply(http.StatusNotFound, "Not found: no admin resource at %s%s", AdminPath, path)
}
