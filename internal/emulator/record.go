package emulator

// The request record and the stats tests assert on.

import "strings"

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
