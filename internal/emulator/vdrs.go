package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Common resources, VDR v2 (assets-api.md §3): GET | POST /vdrs,
// GET | PUT | DELETE /vdrs/{id}, GET /vdrs/{name}/export. Under
// Variance.VDRLegacyOnly every /vdrs path is answered as an unknown path.
func init() {
	routes = append(routes,
		routeDef{pattern: "/vdrs", absent: noVDRv2, methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listVDRs, http.MethodPost: (*Server).createVDR}},
		routeDef{pattern: "/vdrs/{id}", absent: noVDRv2, methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getVDR, http.MethodPut: (*Server).putVDR, http.MethodDelete: (*Server).deleteVDR}},
		routeDef{pattern: "/vdrs/{name}/export", absent: noVDRv2, methods: map[string]handlerFunc{
			http.MethodGet: (*Server).exportVDR}},
	)
}

// noVDRv2 says the host has no VDR v2 (Variance.VDRLegacyOnly).
func noVDRv2(v Variance) bool { return v.VDRLegacyOnly }

// vdrBody is a POST or PUT body of a VDR.
type vdrBody struct {
	ObjectName  *string `json:"objectName"`
	DisplayName *string `json:"displayName"`
	Description *string `json:"description"`
	Fields      []struct {
		Path  string `json:"path"`
		Type  string `json:"type"`
		Level string `json:"level"`
	} `json:"fields"`
}

// validVDRLocked checks a full body and builds the VDR it asks for
// (without ids). self is the VDR being replaced (0 on create), whose
// objectName may stay.
func (s *Server) validVDRLocked(b *vdrBody, self int64) (VDR, reply) {
	var v VDR
	if b.ObjectName == nil || strings.TrimSpace(*b.ObjectName) == "" {
		return v, errReply(http.StatusBadRequest, "Missing required field: objectName")
	}
	v.ObjectName = strings.TrimSpace(*b.ObjectName)
	if strings.ContainsAny(v.ObjectName, "/?#% ") {
		return v, errReply(http.StatusBadRequest, "Invalid objectName '%s': it cannot contain spaces, '/', '?', '#' or '%%'", v.ObjectName)
	}
	if other := s.vdrLocked().byObjectName(v.ObjectName); other != nil && other.ID != self {
		return v, errReply(http.StatusConflict, "A VDR with the objectName '%s' already exists", v.ObjectName)
	}
	if b.DisplayName != nil {
		v.DisplayName = *b.DisplayName
	}
	if b.Description != nil {
		v.Description = *b.Description
	}
	fields, rep := validVDRFields(b.Fields)
	v.Fields = fields
	return v, rep
}

// validVDRFields checks fields: a unique path and a type each, and a known
// level (organization when left out).
func validVDRFields(in []struct {
	Path  string `json:"path"`
	Type  string `json:"type"`
	Level string `json:"level"`
}) ([]VDRField, reply) {
	var out []VDRField
	paths := map[string]bool{}
	for i, f := range in {
		switch {
		case strings.TrimSpace(f.Path) == "" || strings.TrimSpace(f.Type) == "":
			return nil, errReply(http.StatusBadRequest, "Invalid field %d: path and type are required", i)
		case paths[f.Path]:
			return nil, errReply(http.StatusBadRequest, "Invalid field %d: duplicate path '%s'", i, f.Path)
		case f.Level != "" && !slices.Contains(vdrLevels, f.Level):
			return nil, errReply(http.StatusBadRequest, "Invalid field '%s': level must be one of %s", f.Path, strings.Join(vdrLevels, ", "))
		}
		paths[f.Path] = true
		level := f.Level
		if level == "" {
			level = levelOrganization
		}
		out = append(out, VDRField{Path: f.Path, Type: f.Type, Level: level})
	}
	return out, reply{}
}

func (s *Server) createVDR(_ *http.Request, _ []string, body []byte) reply {
	var b vdrBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, rep := s.validVDRLocked(&b, 0)
	if rep.status != 0 {
		return rep
	}
	st := s.vdrLocked()
	v.ID = st.newID()
	st.assignFieldIDs(&v, nil)
	st.vdrs[v.ID] = &v
	return okReply(s.renderVDRLocked(&v))
}

// withVDR runs fn on the VDR named by params[0] under the mutex.
func (s *Server) withVDR(params []string, fn func(*VDR) reply) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, err := strconv.ParseInt(params[0], 10, 64)
	v := s.vdrLocked().vdrs[id]
	if err != nil || v == nil {
		return errReply(http.StatusNotFound, "No VDR found with id %s", params[0])
	}
	return fn(v)
}

func (s *Server) getVDR(_ *http.Request, params []string, _ []byte) reply {
	return s.withVDR(params, func(v *VDR) reply { return okReply(s.renderVDRLocked(v)) })
}

func (s *Server) putVDR(_ *http.Request, params []string, body []byte) reply {
	var b vdrBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withVDR(params, func(old *VDR) reply {
		v, rep := s.validVDRLocked(&b, old.ID)
		if rep.status != 0 {
			return rep
		}
		v.ID = old.ID
		s.vdr.assignFieldIDs(&v, old)
		*old = v
		return okReply(s.renderVDRLocked(old))
	})
}

func (s *Server) deleteVDR(_ *http.Request, params []string, _ []byte) reply {
	return s.withVDR(params, func(v *VDR) reply {
		if rep := s.removeVDRLocked(v); rep.status != 0 {
			return rep
		}
		return okReply(struct{}{})
	})
}

// removeVDRLocked deletes v and, as Variance.VDRDelete says, its
// transformations, or refuses while it has any.
func (s *Server) removeVDRLocked(v *VDR) reply {
	st := s.vdrLocked()
	mapped := st.transformationsOf(v.ID)
	if len(mapped) > 0 && s.profile.Variance.VDRDelete == AssetsRefuse {
		return errReply(http.StatusConflict, "VDR %d (%s) has %d transformations; delete them first", v.ID, v.ObjectName, len(mapped))
	}
	for _, id := range mapped {
		delete(st.transformations, id)
	}
	delete(st.vdrs, v.ID)
	return reply{}
}

// listVDRs pages by id, as GET /formulas does.
func (s *Server) listVDRs(r *http.Request, _ []string, _ []byte) reply {
	return listPaged(s, r, func(*formulaStore) map[int64]*VDR { return s.vdrListViewLocked(time.Now()).vdrs },
		func(*VDR) bool { return true }, func(v *VDR) any {
			return s.listedLocked(s.renderVDRLocked(v), "fields")
		})
}

// exportVDR is GET /vdrs/{name}/export: the VDR of that objectName as GET
// answers it, plus its transformations as GET answers them. The export's
// shape is UNCONFIRMED; the variance shapes it as it shapes GET.
func (s *Server) exportVDR(_ *http.Request, params []string, _ []byte) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	v := st.byObjectName(params[0])
	if v == nil {
		return errReply(http.StatusNotFound, "No VDR found with objectName '%s'", params[0])
	}
	ts := []any{}
	for _, id := range st.transformationsOf(v.ID) {
		ts = append(ts, s.renderTransformationLocked(st.transformations[id]))
	}
	return okReply(append(s.renderVDRLocked(v), kv{"transformations", ts}))
}
