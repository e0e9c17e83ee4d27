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
//	GET  /_emulator/variance  ProfileJSON (the answer switches in force)
//	POST /_emulator/variance  ProfileJSON -> the switches now in force;
//	                          {"profile":"noisy"} picks a named profile
//	POST /_emulator/reset     drops instances, formulas, formula instances,
//	                          executions, requests, stats and scripted faults
//	                          and starts ids again at the offset (random
//	                          faults, variance, the id offset and the
//	                          execution plan stay) -> {}
//
// admin_settings.go adds /_emulator/ids and /_emulator/execution-plan.

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

// ProfileJSON is the wire form of a Profile on the admin surface, e.g.
// {"variance":{"tokenOnPatch":true,"events":"put-only","disabledLag":"300ms"},
// "keepTokenOnPut":true}. A non-empty "profile" names one of Profiles and
// wins over the other fields.
type ProfileJSON struct {
	Profile        string       `json:"profile,omitempty"`
	Variance       VarianceJSON `json:"variance"`
	KeepTokenOnPut bool         `json:"keepTokenOnPut"`
	MaskUsername   bool         `json:"maskUsername"`
}

// VarianceJSON is Variance with DisabledLag as a duration string.
type VarianceJSON struct {
	Variance
	DisabledLag Duration `json:"disabledLag,omitempty"`
}

// toProfile converts the wire form, resolving a profile name.
func (p ProfileJSON) toProfile() (Profile, error) {
	if p.Profile != "" {
		o, err := Options{}.WithProfile(p.Profile)
		return o.profile(), err
	}
	v := p.Variance.Variance
	v.DisabledLag = time.Duration(p.Variance.DisabledLag)
	return Profile{Variance: v, KeepTokenOnPut: p.KeepTokenOnPut, MaskUsername: p.MaskUsername}, nil
}

func profileToJSON(p Profile) ProfileJSON {
	return ProfileJSON{
		Variance:       VarianceJSON{Variance: p.Variance, DisabledLag: Duration(p.Variance.DisabledLag)},
		KeepTokenOnPut: p.KeepTokenOnPut, MaskUsername: p.MaskUsername,
	}
}

// Profile returns the answer switches in force.
func (s *Server) Profile() Profile {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.profile
}

// SetProfile replaces the answer switches (Variance, KeepTokenOnPut and
// MaskUsername) from the next request on; stored instances are unchanged.
func (s *Server) SetProfile(p Profile) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profile = p
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
	// ExternalAuthentication is "initial" for an OAuth instance made from a
	// refresh token, left out otherwise.
	ExternalAuthentication string `json:"externalAuthentication,omitempty"`
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
	if rep, ok := s.adminSetting(r, path); ok {
		return rep
	}
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
				ExternalAuthentication: inst.ExternalAuthentication,
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
	case path == "/variance" && get:
		return okReply(profileToJSON(s.Profile()))
	case path == "/variance" && post:
		var pj ProfileJSON
		if err := json.NewDecoder(r.Body).Decode(&pj); err != nil {
			return errReply(http.StatusBadRequest, "Bad request: malformed variance JSON: %v", err)
		}
		p, err := pj.toProfile()
		if err != nil {
			return errReply(http.StatusBadRequest, "Bad request: %v", err)
		}
		s.SetProfile(p)
		return okReply(profileToJSON(p))
	case path == "/reset" && post:
		s.mu.Lock()
		defer s.mu.Unlock()
		s.instances = make(map[int64]*record)
		s.ids = nil
		s.tokens = make(map[string]int64)
		s.requests = nil
		s.script = nil
		s.restartIDsLocked()
		s.resetStatsLocked()
		return okReply(struct{}{})
	case path == "/stats" || path == "/instances" || path == "/requests" || path == "/faults" || path == "/variance" || path == "/reset":
		return errReply(http.StatusMethodNotAllowed, "Method %s is not allowed on %s%s", r.Method, AdminPath, path)
	}
	return errReply(http.StatusNotFound, "Not found: no admin resource at %s%s", AdminPath, path)
}
