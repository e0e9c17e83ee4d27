package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"sort"
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
}

type routeDef struct {
	pattern string
	methods map[string]handlerFunc
	hub     bool
}

// routes is the API surface. "{...}" matches one segment; a final "**"
// matches one or more.
var routes = []routeDef{
	{pattern: "/instances", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).listInstances, http.MethodPost: (*Server).createInstance}},
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
			return routed{endpoint: endpoint, pattern: rd.pattern, miss: errReply(http.StatusMethodNotAllowed,
				"Method %s is not allowed on %s", method, rd.pattern)}
		}
		return routed{endpoint: endpoint, pattern: rd.pattern, handler: h, params: params, hub: rd.hub}
	}
	return routed{endpoint: "unknown", unknown: true}
}

// decodeBody parses an instance body; rep.status is 0 when it parsed.
func decodeBody(body []byte) (b instanceBody, rep reply) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return b, errReply(http.StatusBadRequest, "Bad request: a JSON request body is required")
	}
	if err := json.Unmarshal(body, &b); err != nil {
		return b, errReply(http.StatusBadRequest, "Bad request: malformed JSON in request body: %v", err)
	}
	return b, reply{}
}

// lookupElement resolves element.key or element.id in a body. An element
// outside the catalog is a 404, as the platform answers it.
func lookupElement(b *instanceBody) (*element, reply) {
	if b.Element == nil || (b.Element.Key == "" && b.Element.ID == 0) {
		return nil, errReply(http.StatusBadRequest, "Missing required field: element.key")
	}
	if b.Element.Key != "" {
		if el := elements[b.Element.Key]; el != nil {
			return el, reply{}
		}
		return nil, errReply(http.StatusNotFound, "No element found with key '%s'", b.Element.Key)
	}
	if el := elementByID(b.Element.ID); el != nil {
		return el, reply{}
	}
	return nil, errReply(http.StatusNotFound, "No element found with id %d", b.Element.ID)
}

// uniqueTags collapses duplicate tags, keeping the first of each.
func uniqueTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func cleanName(name *string) (string, reply) {
	if name == nil {
		return "", errReply(http.StatusBadRequest, "Missing required field: name")
	}
	n := stripHTML(*name)
	if n == "" {
		return "", errReply(http.StatusBadRequest, "Invalid name: the instance name cannot be empty")
	}
	return n, reply{}
}

// definition is a validated create- or PUT-style body.
type definition struct {
	el   *element
	name string
	cfg  map[string]string
	tags []string
	ext  string // externalAuthentication: "" (none) or "initial"
}

// oauthMessage is the platform's answer to an OAuth create without a code.
const oauthMessage = "You must provide an OAuth code in order to create an instance of this element"

// authenticate checks how an OAuth element is authorised and stands in for
// the platform's token exchange. It returns the keys the body must also
// carry.
func authenticate(el *element, b *instanceBody, d *definition) ([]string, reply) {
	if b.ExternalAuthentication != nil {
		switch *b.ExternalAuthentication {
		case "none":
		case "initial":
			d.ext = "initial"
		default:
			return nil, errReply(http.StatusBadRequest, "Invalid externalAuthentication '%s': use 'none' or 'initial'", *b.ExternalAuthentication)
		}
	}
	if !el.OAuthCode {
		return nil, reply{}
	}
	switch {
	case d.ext == "initial":
		d.cfg["oauth.user.token"] = "emulated-access-token-from-refresh-token"
		return el.InitialKeys, reply{}
	case b.ProviderData != nil && b.ProviderData.Code != "":
		d.cfg["oauth.user.refresh_token"] = "emulated-refresh-token-for-" + b.ProviderData.Code
		d.cfg["oauth.user.token"] = "emulated-access-token-for-" + b.ProviderData.Code
		return nil, reply{}
	}
	return nil, errReply(http.StatusBadRequest, oauthMessage)
}

// validateFull checks a create-style body as POST and PUT both need.
func validateFull(body []byte) (definition, reply) {
	b, rep := decodeBody(body)
	if rep.status != 0 {
		return definition{}, rep
	}
	var d definition
	if d.el, rep = lookupElement(&b); rep.status != 0 {
		return d, rep
	}
	if d.name, rep = cleanName(b.Name); rep.status != 0 {
		return d, rep
	}
	cfg, _, err := b.configuration()
	if err != nil {
		return d, errReply(http.StatusBadRequest, "Bad request: %v", err)
	}
	d.cfg = cfg
	more, rep := authenticate(d.el, &b, &d)
	if rep.status != 0 {
		return d, rep
	}
	var missing []string
	for _, k := range append(slices.Clone(d.el.Required), more...) {
		if cfg[k] == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		return d, errReply(http.StatusBadRequest, "Missing required configuration: %s", strings.Join(missing, ", "))
	}
	addDefaults(d.el, cfg)
	d.tags = []string{}
	if b.Tags != nil {
		d.tags = uniqueTags(*b.Tags)
	}
	return d, reply{}
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

// pageParams reads pageSize and nextPage: the page size (capped at
// maxPageSize, with the platform's Elements-Error header saying so) and the
// last id of the previous page.
func (s *Server) pageParams(r *http.Request) (pageSize int, after int64, header http.Header, rep reply) {
	q := r.URL.Query()
	header = http.Header{}
	s.mu.Lock()
	pageSize = s.pageSize
	s.mu.Unlock()
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, 0, nil, errReply(http.StatusBadRequest, "Invalid pageSize '%s': must be a positive integer", v)
		}
		pageSize = n
	}
	if pageSize > maxPageSize {
		pageSize = maxPageSize
		header.Set("Elements-Error", "pageSize exceeds the maximum of "+strconv.Itoa(maxPageSize)+"; using "+strconv.Itoa(maxPageSize))
	}
	if v := q.Get("nextPage"); v != "" {
		id, ok := decodeCursor(v)
		if !ok {
			return 0, 0, nil, errReply(http.StatusBadRequest, "Invalid nextPage token")
		}
		after = id
	}
	return pageSize, after, header, reply{}
}

// cursorPrefix versions the opaque nextPage token.
const cursorPrefix = "ce1:"

func encodeCursor(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(lastID, 10)))
}

func decodeCursor(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	return id, err == nil
}

// matches applies the list filters: every tag present, and searchText in the
// name or element key.
func matches(inst *Instance, elementKey string, tags []string, search string) bool {
	if elementKey != "" && inst.ElementKey != elementKey {
		return false
	}
	for _, want := range tags {
		found := false
		for _, t := range inst.Tags {
			if t == want {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if search == "" {
		return true
	}
	search = strings.ToLower(search)
	return strings.Contains(strings.ToLower(inst.Name), search) ||
		strings.Contains(strings.ToLower(inst.ElementKey), search)
}

// listInstances pages by id: the cursor is the last id answered, so
// instances created meanwhile never shift a page.
func (s *Server) listInstances(r *http.Request, _ []string, _ []byte) reply {
	return s.listPage(r, "")
}

// catalogLookup finds a catalog element by key or numeric id.
func catalogLookup(keyOrID string) *element {
	if el := elements[keyOrID]; el != nil {
		return el
	}
	if id, err := strconv.ParseInt(keyOrID, 10, 64); err == nil {
		return elementByID(id)
	}
	return nil
}

// getElement is GET /elements/{keyOrId}: the element's summary, or the
// platform's 404 for an element outside the catalog.
func (s *Server) getElement(_ *http.Request, params []string, _ []byte) reply {
	el := catalogLookup(params[0])
	if el == nil {
		return errReply(http.StatusNotFound, "No element found with key or id '%s'", params[0])
	}
	return okReply(toElementJSON(el))
}

// listElementInstances is GET /elements/{keyOrId}/instances: the listing
// narrowed to one element, which must exist.
func (s *Server) listElementInstances(r *http.Request, params []string, _ []byte) reply {
	el := catalogLookup(params[0])
	if el == nil {
		return errReply(http.StatusNotFound, "No element found with key or id '%s'", params[0])
	}
	return s.listPage(r, el.Key)
}

// listPage answers one page of the instances of elementKey ("" for all).
func (s *Server) listPage(r *http.Request, elementKey string) reply {
	q := r.URL.Query()
	pageSize, after, header, rep := s.pageParams(r)
	if rep.status != 0 {
		return rep
	}
	tags, search := q["tags[]"], q.Get("searchText")

	s.mu.Lock()
	defer s.mu.Unlock()
	ids, store := s.listViewLocked(time.Now())
	var recs []*record
	total := len(ids)
	if len(tags) == 0 && search == "" && elementKey == "" {
		// Fast path: no filter, so the page is a slice of the sorted ids.
		start := sort.Search(len(ids), func(i int) bool { return ids[i] > after })
		end := min(start+pageSize, len(ids))
		for _, id := range ids[start:end] {
			recs = append(recs, store[id])
		}
		if end < len(ids) {
			header.Set("Elements-Next-Page-Token", encodeCursor(ids[end-1]))
		}
	} else {
		total = 0
		more := false
		for _, id := range ids {
			rec := store[id]
			if !matches(&rec.inst, elementKey, tags, search) {
				continue
			}
			total++
			switch {
			case id <= after:
			case len(recs) == pageSize:
				more = true
			default:
				recs = append(recs, rec)
			}
		}
		if more {
			header.Set("Elements-Next-Page-Token", encodeCursor(recs[len(recs)-1].inst.ID))
		}
	}
	page := make([]any, 0, len(recs))
	for _, rec := range recs {
		page = append(page, s.listItemLocked(rec))
	}
	header.Set("Elements-Returned-Count", strconv.Itoa(len(page)))
	header.Set("Elements-Total-Count", strconv.Itoa(total))
	return reply{status: http.StatusOK, body: page, header: header}
}

// configEntriesLocked gives every configuration key a stable entry id.
func (s *Server) configEntriesLocked(rec *record) []configEntry {
	for k := range rec.cfgIDs {
		if _, ok := rec.inst.Configuration[k]; !ok {
			delete(rec.cfgIDs, k)
		}
	}
	entries := []configEntry{}
	for _, k := range sortedKeys(rec.inst.Configuration) {
		id, ok := rec.cfgIDs[k]
		if !ok {
			id = s.nextCfgID
			s.nextCfgID++
			rec.cfgIDs[k] = id
		}
		v := s.maskValue(catalogElement(rec.inst.ElementKey), k, rec.inst.Configuration[k])
		entries = append(entries, configEntry{ID: id, Key: k, PropertyValue: &v})
	}
	return entries
}

func (s *Server) listConfiguration(_ *http.Request, params []string, _ []byte) reply {
	return s.withInstance(params, func(rec *record) reply { return okReply(s.configEntriesLocked(rec)) })
}

// findEntryLocked finds the configuration entry named by params[1].
func (s *Server) findEntryLocked(rec *record, params []string) (configEntry, reply) {
	for _, e := range s.configEntriesLocked(rec) {
		if strconv.FormatInt(e.ID, 10) == params[1] {
			return e, reply{}
		}
	}
	return configEntry{}, errReply(http.StatusNotFound, "No configuration found with id %s", params[1])
}

func (s *Server) getConfiguration(_ *http.Request, params []string, _ []byte) reply {
	return s.withInstance(params, func(rec *record) reply {
		e, rep := s.findEntryLocked(rec, params)
		if rep.status != 0 {
			return rep
		}
		return okReply(e)
	})
}

func (s *Server) patchConfiguration(_ *http.Request, params []string, body []byte) reply {
	var in struct {
		Key           *string         `json:"key"`
		PropertyValue json.RawMessage `json:"propertyValue"`
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return errReply(http.StatusBadRequest, "Bad request: a JSON request body is required")
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return errReply(http.StatusBadRequest, "Bad request: malformed JSON in request body: %v", err)
	}
	if len(in.PropertyValue) == 0 {
		return errReply(http.StatusBadRequest, "Missing required field: propertyValue")
	}
	value, set, err := stringify(in.PropertyValue)
	if err != nil {
		return errReply(http.StatusBadRequest, "Bad request: invalid propertyValue")
	}
	return s.withInstance(params, func(rec *record) reply {
		e, rep := s.findEntryLocked(rec, params)
		if rep.status != 0 {
			return rep
		}
		if in.Key != nil && *in.Key != e.Key {
			return errReply(http.StatusBadRequest, "Configuration key '%s' does not match entry %s", *in.Key, params[1])
		}
		if set {
			rec.inst.Configuration[e.Key] = value
			v := s.maskValue(catalogElement(rec.inst.ElementKey), e.Key, value)
			e.PropertyValue = &v
		} else {
			delete(rec.inst.Configuration, e.Key)
			e.PropertyValue = nil
		}
		return okReply(e)
	})
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
