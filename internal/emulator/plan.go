package emulator

// What a request is answered with: scripted faults, error endpoints, latency.

import (
	"encoding/base64"
	"encoding/hex"
	"math"
	"net/http"
	"strconv"
	"time"
)

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
