package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// The paths that name a common resource by its objectName
// (assets-api.md §3, "legacy object definitions and transformations"):
// organization-level object definitions, and the transformation of an
// object onto an element (organization level) or an element instance
// (instance level). They share the store with /vdrs: an object definition
// is a VDR, its fields at the organization level. They stay under
// Variance.VDRLegacyOnly, which takes /vdrs away.
func init() {
	routes = append(routes,
		routeDef{pattern: "/organizations/objects/definitions", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listDefinitions, http.MethodPost: (*Server).postDefinitions,
			http.MethodDelete: (*Server).deleteDefinitions}},
		routeDef{pattern: "/organizations/objects/{objectName}/definitions", methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getDefinition, http.MethodPost: (*Server).postDefinition,
			http.MethodPut: (*Server).putDefinition, http.MethodDelete: (*Server).deleteDefinition}},
		routeDef{pattern: "/organizations/elements/{key}/transformations/{objectName}", methods: namedTransformations(false)},
		routeDef{pattern: "/instances/{id}/transformations/{objectName}", methods: namedTransformations(true)},
	)
}

// definitionBody is one object definition: {"fields": [{"path", "type"}]}.
type definitionBody struct {
	Fields []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Level string `json:"level"`
	} `json:"fields"`
}

// renderDefinitionLocked is a VDR as a legacy object definition.
func (s *Server) renderDefinitionLocked(v *VDR) object {
	fields := make([]any, 0, len(v.Fields))
	for _, f := range v.Fields {
		fields = append(fields, s.shapeOrderLocked(object{{"path", f.Path}, {"type", f.Type}}, s.profile.Variance.VDRReordered))
	}
	if s.profile.Variance.VDRReordered {
		slices.Reverse(fields)
	}
	return object{{"fields", fields}}
}

// defineLocked stores the definition of name (replacing old's fields when
// old is set), or answers why not.
func (s *Server) defineLocked(name string, b definitionBody, old *VDR) (*VDR, reply) {
	body := vdrBody{ObjectName: &name, Fields: b.Fields}
	self := int64(0)
	if old != nil {
		self, body.DisplayName, body.Description = old.ID, &old.DisplayName, &old.Description
	}
	v, rep := s.validVDRLocked(&body, self)
	if rep.status != 0 {
		return nil, rep
	}
	st := s.vdrLocked()
	if old == nil {
		v.ID = st.newID()
	} else {
		v.ID = old.ID
	}
	st.assignFieldIDs(&v, old)
	st.vdrs[v.ID] = &v
	return &v, reply{}
}

func (s *Server) listDefinitions(_ *http.Request, _ []string, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	out := object{}
	for _, id := range sortedIDs(st.vdrs) {
		out = append(out, kv{st.vdrs[id].ObjectName, s.renderDefinitionLocked(st.vdrs[id])})
	}
	return okReply(out)
}

// postDefinitions creates every definition of a bulk body, or none.
func (s *Server) postDefinitions(_ *http.Request, _ []string, body []byte) reply {
	var b map[string]definitionBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	names := sortedKeysOf(b)
	for _, n := range names {
		if _, rep := s.validVDRLocked(&vdrBody{ObjectName: &n, Fields: b[n].Fields}, 0); rep.status != 0 {
			return rep
		}
	}
	out := object{}
	for _, n := range names {
		v, _ := s.defineLocked(n, b[n], nil) // checked above
		out = append(out, kv{n, s.renderDefinitionLocked(v)})
	}
	return okReply(out)
}

func sortedKeysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// deleteDefinitions deletes every definition (and, as VDRDelete says,
// their transformations), or none.
func (s *Server) deleteDefinitions(_ *http.Request, _ []string, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	if s.profile.Variance.VDRDelete == AssetsRefuse && len(st.transformations) > 0 {
		return errReply(http.StatusConflict, "%d transformations use the object definitions; delete them first", len(st.transformations))
	}
	for _, id := range sortedIDs(st.vdrs) {
		s.removeVDRLocked(st.vdrs[id])
	}
	return okReply(struct{}{})
}

// withDefinition runs fn on the VDR named by params[0] under the mutex.
func (s *Server) withDefinition(params []string, fn func(*VDR) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.vdrLocked().byObjectName(params[0])
	if v == nil {
		return errReply(http.StatusNotFound, "No object definition found named '%s'", params[0])
	}
	return fn(v)
}

func (s *Server) getDefinition(_ *http.Request, params []string, _ []byte) reply {
	return s.withDefinition(params, func(v *VDR) reply { return okReply(s.renderDefinitionLocked(v)) })
}

func (s *Server) postDefinition(_ *http.Request, params []string, body []byte) reply {
	var b definitionBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, rep := s.defineLocked(params[0], b, nil)
	if rep.status != 0 {
		return rep
	}
	return okReply(s.renderDefinitionLocked(v))
}

func (s *Server) putDefinition(_ *http.Request, params []string, body []byte) reply {
	var b definitionBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withDefinition(params, func(old *VDR) reply {
		v, rep := s.defineLocked(old.ObjectName, b, old)
		if rep.status != 0 {
			return rep
		}
		return okReply(s.renderDefinitionLocked(v))
	})
}

func (s *Server) deleteDefinition(_ *http.Request, params []string, _ []byte) reply {
	return s.withDefinition(params, func(v *VDR) reply {
		if rep := s.removeVDRLocked(v); rep.status != 0 {
			return rep
		}
		return okReply(struct{}{})
	})
}

// namedTransformations are the handlers of a by-name transformation path
// of an element (organization level) or of an element instance.
func namedTransformations(instance bool) map[string]handlerFunc {
	with := func(s *Server, params []string, fn func(*VDR, string, int64, *Transformation) reply) reply {
		return s.withNamed(params, instance, fn)
	}
	return map[string]handlerFunc{
		http.MethodGet: func(s *Server, _ *http.Request, params []string, _ []byte) reply {
			return with(s, params, func(vd *VDR, key string, instanceID int64, t *Transformation) reply {
				if t == nil {
					return noTransformation(vd, key, instanceID)
				}
				return okReply(s.renderTransformationLocked(t))
			})
		},
		http.MethodPost: func(s *Server, _ *http.Request, params []string, body []byte) reply {
			return s.namedWrite(params, instance, body, false)
		},
		http.MethodPut: func(s *Server, _ *http.Request, params []string, body []byte) reply {
			return s.namedWrite(params, instance, body, true)
		},
		http.MethodDelete: func(s *Server, _ *http.Request, params []string, _ []byte) reply {
			return with(s, params, func(vd *VDR, key string, instanceID int64, t *Transformation) reply {
				if t == nil {
					return noTransformation(vd, key, instanceID)
				}
				delete(s.vdr.transformations, t.ID)
				return okReply(struct{}{})
			})
		},
	}
}

// withNamed runs fn under the mutex on the VDR of the path's objectName
// (params[1]), the element key or instance id (params[0]) it names, and
// the transformation there (nil when none).
func (s *Server) withNamed(params []string, instance bool, fn func(vd *VDR, key string, instanceID int64, t *Transformation) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	vd := s.vdrLocked().byObjectName(params[1])
	if vd == nil {
		return errReply(http.StatusNotFound, "No object definition found named '%s'", params[1])
	}
	key, instanceID := params[0], int64(0)
	if instance {
		id, err := strconv.ParseInt(params[0], 10, 64)
		rec := s.instances[id]
		if err != nil || rec == nil {
			return errReply(http.StatusNotFound, "No instance found with id %s", params[0])
		}
		key, instanceID = rec.inst.ElementKey, id
	} else if elements[key] == nil {
		return errReply(http.StatusNotFound, "No element found with key '%s'", key)
	}
	return fn(vd, key, instanceID, s.vdr.target(vd.ID, key, instanceID))
}

func noTransformation(vd *VDR, key string, instanceID int64) reply {
	t := Transformation{ElementKey: key, InstanceID: instanceID}
	return errReply(http.StatusNotFound, "No transformation found for '%s' on %s", vd.ObjectName, t.describe())
}

// namedWrite stores the body as the transformation of the path's target:
// a new one (POST, 409 when there is one) or a replacement (PUT, 404 when
// there is none). The path's target wins over the body's.
func (s *Server) namedWrite(params []string, instance bool, body []byte, replace bool) reply {
	var b transformationBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withNamed(params, instance, func(vd *VDR, key string, instanceID int64, old *Transformation) reply {
		b.ElementKey, b.InstanceID, b.Level = &key, nil, ""
		if instanceID != 0 {
			b.InstanceID = json.RawMessage(strconv.FormatInt(instanceID, 10))
		}
		self := int64(0)
		switch {
		case replace && old == nil:
			return noTransformation(vd, key, instanceID)
		case replace:
			self = old.ID
		default:
			old = nil // a POST onto an existing one is refused as a duplicate
		}
		t, rep := s.validTransformationLocked(vd, &b, self)
		if rep.status != 0 {
			return rep
		}
		return s.saveTransformationLocked(t, old)
	})
}
