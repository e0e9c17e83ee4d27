package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxPageSize is the largest page GET /instances answers.
const maxPageSize = 500

type handlerFunc func(s *Server, r *http.Request, params []string, body []byte) reply

// routed is the outcome of matching a request to the route table.
type routed struct {
	endpoint string // "GET /instances/{id}"; "unknown" for unknown paths
	pattern  string // the route's pattern, "" for unknown paths
	unknown  bool   // no route has this path
	handler  handlerFunc
	params   []string // the path's {…} segments, in order
	hub      bool     // authenticated by User + Element, not User + Organization
	miss     reply    // the 404/405 answer when handler is nil
	absent   func(Variance) bool
}

type routeDef struct {
	pattern string
	methods map[string]handlerFunc
	hub     bool
	// absent, when set, says under which variance the host does not serve
	// the route at all (answered as an unknown path).
	absent func(Variance) bool
}

// routes is the API surface. "{...}" matches one segment; a final "**"
// matches one or more.
var routes = []routeDef{
	{pattern: "/instances", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).listInstances, http.MethodPost: (*Server).createInstance}},
	{pattern: "/elements", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).listElements}},
	{pattern: "/elements/{keyOrId}", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).getElement}},
	{pattern: "/elements/{keyOrId}/instances", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).listElementInstances}},
	{pattern: "/elements/{keyOrId}/oauth/url", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).oauthURL}},
	// Token-scoped: the instance is the one of the Element token (before
	// /instances/{id}, which would take "enabled" as an id).
	{pattern: "/instances/enabled", methods: map[string]handlerFunc{
		http.MethodPut: tokenEnabler(false), http.MethodDelete: tokenEnabler(true)}},
	{pattern: "/instances/{id}", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).getInstance, http.MethodPut: (*Server).putInstance,
		http.MethodPatch: (*Server).patchInstance, http.MethodDelete: (*Server).deleteInstance}},
	{pattern: "/instances/{id}/enabled", methods: map[string]handlerFunc{
		http.MethodPut: enabler(false), http.MethodDelete: enabler(true)}},
	{pattern: "/instances/{id}/configuration", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).listConfiguration}},
	{pattern: "/instances/{id}/configuration/{configurationId}", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).getConfiguration, http.MethodPatch: (*Server).patchConfiguration}},
	{pattern: "/hubs/{hub}/**", hub: true, methods: map[string]handlerFunc{
		http.MethodGet: (*Server).hubCall}},
}

// matchRoute matches path against pattern, returning the {…} segments.
func matchRoute(pattern, path string) ([]string, bool) {
	ps := strings.Split(strings.Trim(pattern, "/"), "/")
	xs := strings.Split(strings.Trim(path, "/"), "/")
	var params []string
	for i, p := range ps {
		if p == "**" {
			return params, len(xs) > i
		}
		if i >= len(xs) || xs[i] == "" {
			return nil, false
		}
		if strings.HasPrefix(p, "{") {
			params = append(params, xs[i])
		} else if p != xs[i] {
			return nil, false
		}
	}
	return params, len(ps) == len(xs)
}

func route(method, path string) routed {
	for _, rd := range routes {
		params, ok := matchRoute(rd.pattern, path)
		if !ok {
			continue
		}
		endpoint := method + " " + strings.TrimSuffix(rd.pattern, "/**")
		h := rd.methods[method]
		if h == nil {
			return routed{endpoint: endpoint, pattern: rd.pattern, absent: rd.absent, miss: errReply(http.StatusMethodNotAllowed,
				"Method %s is not allowed on %s", method, rd.pattern)}
		}
		return routed{endpoint: endpoint, pattern: rd.pattern, handler: h, params: params, hub: rd.hub, absent: rd.absent}
	}
	return routed{endpoint: "unknown", unknown: true}
}

func (s *Server) createInstance(_ *http.Request, _ []string, body []byte) reply {
	d, rep := validateFull(body)
	if rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.storeLocked(Instance{
		Name: d.name, ElementKey: d.el.Key, Tags: d.tags, Configuration: d.cfg, ExternalAuthentication: d.ext,
		CreatedDate: time.Now().UTC().Truncate(s.profile.Variance.datePrecision()), Valid: true,
	})
	s.stats.Creates++
	return okReply(s.renderLocked(rec))
}

// storeLocked saves inst, giving it an id and token when it has none.
func (s *Server) storeLocked(inst Instance) *record {
	if inst.ID == 0 {
		inst.ID = s.nextID
	}
	if inst.ID >= s.nextID {
		s.nextID = inst.ID + 1
	}
	if old := s.instances[inst.ID]; old != nil {
		delete(s.tokens, old.inst.Token)
	}
	if inst.Token == "" {
		inst.Token = s.newTokenLocked()
	}
	rec := &record{inst: inst, cfgIDs: map[string]int64{}, shownDisabled: inst.Disabled}
	s.instances[inst.ID] = rec
	s.indexLocked(inst.ID)
	s.tokens[inst.Token] = inst.ID
	s.wroteLocked(rec, writePost)
	return rec
}

// lookupLocked finds the instance named by a path segment.
func (s *Server) lookupLocked(idText string) (*record, reply) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if rec := s.instances[id]; err == nil && rec != nil {
		return rec, reply{}
	}
	return nil, errReply(http.StatusNotFound, "No instance found with id %s", idText)
}

// withInstance runs fn on the instance named by params[0] under the mutex.
func (s *Server) withInstance(params []string, fn func(*record) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, rep := s.lookupLocked(params[0])
	if rep.status != 0 {
		return rep
	}
	return fn(rec)
}

func (s *Server) getInstance(_ *http.Request, params []string, _ []byte) reply {
	return s.withInstance(params, func(rec *record) reply { return okReply(s.renderLocked(rec)) })
}

func (s *Server) patchInstance(_ *http.Request, params []string, body []byte) reply {
	b, rep := decodeBody(body)
	if rep.status != 0 {
		return rep
	}
	var name string
	if b.Name != nil {
		if name, rep = cleanName(b.Name); rep.status != 0 {
			return rep
		}
	}
	var el *element
	if b.Element != nil {
		if el, rep = lookupElement(&b); rep.status != 0 {
			return rep
		}
	}
	cfg, cleared, err := b.configuration()
	if err != nil {
		return errReply(http.StatusBadRequest, "Bad request: %v", err)
	}
	// PATCH merges configuration: a key sent with a value is set, a key sent
	// as null or "" is cleared (back to its default, if it has one), a key
	// left out is kept. Clearing a required key is refused.
	for k, v := range cfg {
		if v == "" {
			cleared = append(cleared, k)
			delete(cfg, k)
		}
	}
	return s.withInstance(params, func(rec *record) reply {
		inst := &rec.inst
		target := catalogElement(inst.ElementKey)
		if el != nil {
			target = el
		}
		var required []string
		for _, k := range cleared {
			if slices.Contains(target.Required, k) {
				required = append(required, k)
			}
		}
		if len(required) > 0 {
			slices.Sort(required)
			return errReply(http.StatusBadRequest, "Cannot clear required configuration: %s", strings.Join(required, ", "))
		}
		if b.Name != nil {
			inst.Name = name
		}
		if b.Tags != nil {
			inst.Tags = uniqueTags(*b.Tags)
		}
		if el != nil {
			inst.ElementKey = el.Key
		}
		if b.Configuration != nil {
			for k, v := range cfg {
				inst.Configuration[k] = v
			}
			for _, k := range cleared {
				delete(inst.Configuration, k)
			}
			addDefaults(elements[inst.ElementKey], inst.Configuration)
		}
		s.wroteLocked(rec, writePatch)
		return okReply(s.renderLocked(rec))
	})
}

func (s *Server) putInstance(r *http.Request, params []string, body []byte) reply {
	if r.URL.Query().Get("reAuthenticate") == "true" {
		return s.reauthenticate(params, body)
	}
	d, rep := validateFull(body)
	if rep.status != 0 {
		return rep
	}
	return s.withInstance(params, func(rec *record) reply {
		inst := &rec.inst
		inst.Name, inst.ElementKey, inst.Tags, inst.Configuration = d.name, d.el.Key, d.tags, d.cfg
		inst.ExternalAuthentication = d.ext
		s.wroteLocked(rec, writePut)
		return okReply(s.renderLocked(rec))
	})
}

func (s *Server) deleteInstance(_ *http.Request, params []string, _ []byte) reply {
	return s.withInstance(params, func(rec *record) reply {
		if rep := s.elementInstanceDeletingLocked(rec.inst.ID); rep.status != 0 {
			return rep
		}
		s.removeLocked(rec)
		s.stats.Deletes++
		return okReply(struct{}{})
	})
}

func (s *Server) removeLocked(rec *record) {
	delete(s.tokens, rec.inst.Token)
	delete(s.instances, rec.inst.ID)
	s.unindexLocked(rec.inst.ID)
}

// enabler makes the handler of PUT (enable) and DELETE (disable)
// /instances/{id}/enabled.
func enabler(disabled bool) handlerFunc {
	return func(s *Server, _ *http.Request, params []string, _ []byte) reply {
		return s.withInstance(params, func(rec *record) reply { return s.setDisabledLocked(rec, disabled) })
	}
}

// tokenEnabler makes the handler of PUT (enable) and DELETE (disable)
// /instances/enabled, whose instance is named by the Element token of the
// Authorization header. An unknown or missing token is a 401.
func tokenEnabler(disabled bool) handlerFunc {
	return func(s *Server, r *http.Request, _ []string, _ []byte) reply {
		token := authParts(r.Header.Get("Authorization"))["element"]
		s.mu.Lock()
		defer s.mu.Unlock()
		id, ok := s.tokens[token]
		if !ok {
			return errReply(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
		}
		return s.setDisabledLocked(s.instances[id], disabled)
	}
}

// hubCall stands in for calls through an instance: it only checks the
// instance token and the instance's state.
func (s *Server) hubCall(r *http.Request, params []string, _ []byte) reply {
	parts := authParts(r.Header.Get("Authorization"))
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.tokens[parts["element"]]
	if !ok || !secretEqual(parts["user"], s.opts.UserSecret) {
		return errReply(http.StatusUnauthorized, "Invalid Organization or User secret, or invalid Element token provided.")
	}
	inst := &s.instances[id].inst
	if el := elements[inst.ElementKey]; el != nil && el.Hub != params[0] {
		return errReply(http.StatusNotFound, "The instance's element is not in the %s hub", params[0])
	}
	if inst.Disabled {
		return errReply(http.StatusForbidden, "Forbidden: the element instance is disabled")
	}
	h := http.Header{"Elements-Element-Instance-Id": {strconv.FormatInt(id, 10)}}
	return reply{status: http.StatusOK, body: []any{}, header: h}
}
