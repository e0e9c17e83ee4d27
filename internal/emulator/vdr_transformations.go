package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Transformations of a VDR v2: GET | POST /vdrs/{id}/transformations,
// GET | PUT | DELETE /vdrs/{id}/transformations/{transformationId}.
func init() {
	routes = append(routes,
		routeDef{pattern: "/vdrs/{id}/transformations", absent: noVDRv2, methods: map[string]handlerFunc{
			http.MethodGet: (*Server).listTransformations, http.MethodPost: (*Server).createTransformation}},
		routeDef{pattern: "/vdrs/{id}/transformations/{transformationId}", absent: noVDRv2, methods: map[string]handlerFunc{
			http.MethodGet: (*Server).getTransformation, http.MethodPut: (*Server).putTransformation,
			http.MethodDelete: (*Server).deleteTransformation}},
	)
}

// transformationBody is a POST or PUT body of a transformation.
type transformationBody struct {
	ElementKey *string         `json:"elementKey"`
	InstanceID json.RawMessage `json:"instanceId"`
	Level      string          `json:"level"`
	VendorName *string         `json:"vendorName"`
	Fields     []struct {
		Path          string          `json:"path"`
		VDRFieldID    json.RawMessage `json:"vdrFieldId"`
		Type          string          `json:"type"`
		VendorPath    string          `json:"vendorPath"`
		VendorType    string          `json:"vendorType"`
		Level         string          `json:"level"`
		Configuration json.RawMessage `json:"configuration"`
	} `json:"fields"`
	Configuration json.RawMessage `json:"configuration"`
	Script        *struct {
		Body                *string `json:"body"`
		MimeType            string  `json:"mimeType"`
		FilterEmptyResponse bool    `json:"filterEmptyResponse"`
	} `json:"script"`
}

// targetLocked reads the body's target: an element instance (instanceId,
// whose element elementKey must name if given) or an element of the
// catalog (elementKey alone).
func (s *Server) targetLocked(b *transformationBody) (key string, instanceID int64, rep reply) {
	if b.ElementKey != nil {
		key = strings.TrimSpace(*b.ElementKey)
	}
	if !isNull(b.InstanceID) {
		id, err := strconv.ParseInt(strings.Trim(string(b.InstanceID), `"`), 10, 64)
		rec := s.instances[id]
		if err != nil || rec == nil {
			return "", 0, errReply(http.StatusBadRequest, "Invalid instanceId %s: no element instance with that id", b.InstanceID)
		}
		if key != "" && key != rec.inst.ElementKey {
			return "", 0, errReply(http.StatusBadRequest, "Invalid elementKey '%s': instance %d is of element '%s'", key, id, rec.inst.ElementKey)
		}
		return rec.inst.ElementKey, id, reply{}
	}
	if key == "" {
		return "", 0, errReply(http.StatusBadRequest, "Missing required field: elementKey (or instanceId)")
	}
	if elements[key] == nil {
		return "", 0, errReply(http.StatusBadRequest, "Invalid elementKey '%s': no such element", key)
	}
	return key, 0, reply{}
}

func isNull(raw json.RawMessage) bool {
	return len(bytes.TrimSpace(raw)) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// validTransformationLocked checks a full body against the VDR and builds
// the transformation it asks for (without an id). self is the
// transformation being replaced (0 on create).
func (s *Server) validTransformationLocked(vd *VDR, b *transformationBody, self int64) (Transformation, reply) {
	t := Transformation{VDRID: vd.ID}
	if b.VendorName == nil || strings.TrimSpace(*b.VendorName) == "" {
		return t, errReply(http.StatusBadRequest, "Missing required field: vendorName")
	}
	t.VendorName = *b.VendorName
	var rep reply
	if t.ElementKey, t.InstanceID, rep = s.targetLocked(b); rep.status != 0 {
		return t, rep
	}
	if b.Level != "" && b.Level != t.level() {
		return t, errReply(http.StatusBadRequest, "Invalid level '%s': a transformation %s is at the %s level",
			b.Level, map[bool]string{true: "of an instance", false: "of an element"}[t.InstanceID != 0], t.level())
	}
	if other := s.vdrLocked().target(vd.ID, t.ElementKey, t.InstanceID); other != nil && other.ID != self {
		return t, errReply(http.StatusConflict, "VDR %d already has a transformation for %s (transformation %d)", vd.ID, t.describe(), other.ID)
	}
	seen := map[string]bool{}
	for i, f := range b.Fields {
		path := f.Path
		if path == "" && !isNull(f.VDRFieldID) {
			id, _ := strconv.ParseInt(strings.Trim(string(f.VDRFieldID), `"`), 10, 64)
			if j := slices.IndexFunc(vd.Fields, func(vf VDRField) bool { return vf.ID == id }); j >= 0 {
				path = vd.Fields[j].Path
			}
		}
		j := slices.IndexFunc(vd.Fields, func(vf VDRField) bool { return vf.Path == path })
		switch {
		case j < 0:
			return t, errReply(http.StatusBadRequest, "Invalid field %d: VDR %d (%s) has no field '%s'", i, vd.ID, vd.ObjectName, path)
		case seen[path]:
			return t, errReply(http.StatusBadRequest, "Invalid field %d: duplicate path '%s'", i, path)
		case strings.TrimSpace(f.VendorPath) == "":
			return t, errReply(http.StatusBadRequest, "Invalid field '%s': vendorPath is required", path)
		case f.Level != "" && !slices.Contains(vdrLevels, f.Level):
			return t, errReply(http.StatusBadRequest, "Invalid field '%s': level must be one of %s", path, strings.Join(vdrLevels, ", "))
		}
		seen[path] = true
		cfg, ok := configList(f.Configuration)
		if !ok {
			return t, errReply(http.StatusBadRequest, "Invalid field '%s': configuration must be an array of objects with a type", path)
		}
		tf := TransformationField{Path: path, Type: f.Type, VendorPath: f.VendorPath, VendorType: f.VendorType,
			Level: f.Level, Configuration: cfg}
		if tf.Type == "" {
			tf.Type = vd.Fields[j].Type
		}
		if tf.Level == "" {
			tf.Level = t.level()
		}
		t.Fields = append(t.Fields, tf)
	}
	cfg, ok := configList(b.Configuration)
	if !ok {
		return t, errReply(http.StatusBadRequest, "Invalid configuration: must be an array of objects with a type")
	}
	t.Configuration = cfg
	if sc := b.Script; sc != nil {
		if sc.Body == nil {
			return t, errReply(http.StatusBadRequest, "Invalid script: body is required")
		}
		t.Script = &TransformationScript{Body: *sc.Body, MimeType: sc.MimeType, FilterEmptyResponse: sc.FilterEmptyResponse}
		if t.Script.MimeType == "" {
			t.Script.MimeType = "application/javascript"
		}
	}
	return t, reply{}
}

// describe names the transformation's target for messages.
func (t *Transformation) describe() string {
	if t.InstanceID != 0 {
		return "instance " + strconv.FormatInt(t.InstanceID, 10)
	}
	return "element '" + t.ElementKey + "'"
}

// configList checks a configuration array (null or absent is none) of
// objects with a type, and compacts it.
func configList(raw json.RawMessage) (json.RawMessage, bool) {
	if isNull(raw) {
		return nil, true
	}
	var l []struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(raw, &l) != nil {
		return nil, false
	}
	for _, e := range l {
		if e.Type == "" {
			return nil, false
		}
	}
	if len(l) == 0 {
		return nil, true
	}
	return compactJSON(raw), true
}

func (s *Server) createTransformation(_ *http.Request, params []string, body []byte) reply {
	var b transformationBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withVDR(params, func(vd *VDR) reply {
		t, rep := s.validTransformationLocked(vd, &b, 0)
		if rep.status != 0 {
			return rep
		}
		return s.saveTransformationLocked(t, nil)
	})
}

// saveTransformationLocked stores t as old's replacement (keeping its id)
// or, when old is nil, as a new transformation, and answers it.
func (s *Server) saveTransformationLocked(t Transformation, old *Transformation) reply {
	if old != nil {
		t.ID = old.ID
		*old = t
		return okReply(s.renderTransformationLocked(old))
	}
	t.ID = s.vdr.newID()
	s.vdr.transformations[t.ID] = &t
	return okReply(s.renderTransformationLocked(&t))
}

// withTransformation runs fn on the transformation params[1] of the VDR
// params[0] under the mutex; one of another VDR is not found.
func (s *Server) withTransformation(params []string, fn func(*VDR, *Transformation) reply) reply {
	return s.withVDR(params, func(vd *VDR) reply {
		id, err := strconv.ParseInt(params[1], 10, 64)
		t := s.vdr.transformations[id]
		if err != nil || t == nil || t.VDRID != vd.ID {
			return errReply(http.StatusNotFound, "No transformation found with id %s for VDR %d", params[1], vd.ID)
		}
		return fn(vd, t)
	})
}

func (s *Server) getTransformation(_ *http.Request, params []string, _ []byte) reply {
	return s.withTransformation(params, func(_ *VDR, t *Transformation) reply {
		return okReply(s.renderTransformationLocked(t))
	})
}

func (s *Server) putTransformation(_ *http.Request, params []string, body []byte) reply {
	var b transformationBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withTransformation(params, func(vd *VDR, old *Transformation) reply {
		t, rep := s.validTransformationLocked(vd, &b, old.ID)
		if rep.status != 0 {
			return rep
		}
		return s.saveTransformationLocked(t, old)
	})
}

func (s *Server) deleteTransformation(_ *http.Request, params []string, _ []byte) reply {
	return s.withTransformation(params, func(_ *VDR, t *Transformation) reply {
		delete(s.vdr.transformations, t.ID)
		return okReply(struct{}{})
	})
}

// listTransformations pages a VDR's transformations by id.
func (s *Server) listTransformations(r *http.Request, params []string, _ []byte) reply {
	if rep := s.withVDR(params, func(*VDR) reply { return reply{} }); rep.status != 0 {
		return rep
	}
	vdrID, _ := strconv.ParseInt(params[0], 10, 64)
	return listPaged(s, r, func(*formulaStore) map[int64]*Transformation {
		return s.vdrListViewLocked(time.Now()).transformations
	}, func(t *Transformation) bool { return t.VDRID == vdrID }, func(t *Transformation) any {
		return s.listedLocked(s.renderTransformationLocked(t), "fields", "configuration", "script")
	})
}
