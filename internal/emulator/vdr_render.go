package emulator

import (
	"encoding/json"
	"slices"
	"strings"
)

// VDRs and transformations as the platform answers them, shaped by the
// variance: VDRExtras adds what the platform may add, VDRReordered answers
// fields and keys in another order, ScriptTrimmed trims script bodies,
// IDsAsStrings and Empty as for every other asset.

// systemFields are the fields VDRExtras adds to every VDR (unless the VDR
// has a field of that path itself).
var systemFields = [2]VDRField{{Path: "id", Type: "string", Level: "system"}, {Path: "createdDate", Type: "date", Level: "system"}}

// renderVDRLocked is a VDR as the platform answers it.
func (s *Server) renderVDRLocked(vd *VDR) object {
	v := s.profile.Variance
	fields := make([]any, 0, len(vd.Fields)+len(systemFields))
	for _, f := range vd.Fields {
		fields = append(fields, s.renderVDRFieldLocked(vd, f))
	}
	if v.VDRExtras {
		for i, sf := range systemFields {
			if !slices.ContainsFunc(vd.Fields, func(f VDRField) bool { return f.Path == sf.Path }) {
				sf.ID = vd.systemIDs[i]
				fields = append(fields, s.renderVDRFieldLocked(vd, sf))
			}
		}
	}
	if v.VDRReordered {
		slices.Reverse(fields)
	}
	o := object{{"id", s.idLocked(vd.ID)}, {"objectName", vd.ObjectName}, {"displayName", vd.DisplayName},
		{"description", vd.Description}, {"fields", fields}}
	if v.VDRExtras {
		o = append(o, kv{"mappedElementIds", s.mappedElementIDsLocked(vd.ID)}, kv{"vdrVersion", "v2"})
	}
	return s.shapeOrderLocked(o, v.VDRReordered)
}

func (s *Server) renderVDRFieldLocked(vd *VDR, f VDRField) object {
	o := object{{"id", s.idLocked(f.ID)}, {"path", f.Path}, {"type", f.Type}, {"level", f.Level}}
	if s.profile.Variance.VDRExtras {
		o = append(o, kv{"vdrId", s.idLocked(vd.ID)}, kv{"displayName", f.Path})
	}
	return s.shapeOrderLocked(o, s.profile.Variance.VDRReordered)
}

// mappedElementIDsLocked lists the catalog ids of the elements vdrID's
// transformations map onto, without repeats.
func (s *Server) mappedElementIDsLocked(vdrID int64) []any {
	st := s.vdrLocked()
	out := []any{}
	seen := map[string]bool{}
	for _, id := range st.transformationsOf(vdrID) {
		key := st.transformations[id].ElementKey
		if el := elements[key]; el != nil && !seen[key] {
			seen[key] = true
			out = append(out, s.idLocked(el.ID))
		}
	}
	return out
}

// renderTransformationLocked is a transformation as the platform answers it.
func (s *Server) renderTransformationLocked(t *Transformation) object {
	v := s.profile.Variance
	vd := s.vdrLocked().vdrs[t.VDRID]
	fields := make([]any, 0, len(t.Fields))
	for _, f := range t.Fields {
		o := object{{"path", f.Path}, {"type", f.Type}, {"vendorPath", f.VendorPath}, {"vendorType", f.VendorType},
			{"level", f.Level}, {"configuration", rawOrEmptyList(f.Configuration)}}
		if v.VDRExtras && vd != nil {
			if i := slices.IndexFunc(vd.Fields, func(vf VDRField) bool { return vf.Path == f.Path }); i >= 0 {
				o = append(object{{"vdrFieldId", s.idLocked(vd.Fields[i].ID)}}, o...)
			}
		}
		fields = append(fields, s.shapeOrderLocked(o, v.VDRReordered))
	}
	if v.VDRReordered {
		slices.Reverse(fields)
	}
	o := object{{"id", s.idLocked(t.ID)}, {"level", t.level()}, {"elementKey", t.ElementKey}}
	if t.InstanceID != 0 {
		o = append(o, kv{"instanceId", s.idLocked(t.InstanceID)})
	}
	o = append(o, kv{"vendorName", t.VendorName}, kv{"fields", fields}, kv{"configuration", rawOrEmptyList(t.Configuration)})
	if t.Script != nil {
		body := t.Script.Body
		if v.ScriptTrimmed {
			body = trimScript(body)
		}
		sc := object{{"body", body}, {"mimeType", t.Script.MimeType}, {"filterEmptyResponse", t.Script.FilterEmptyResponse}}
		if v.VDRExtras {
			sc = append(sc, kv{"level", t.level()})
		}
		o = append(o, kv{"script", s.shapeOrderLocked(sc, v.VDRReordered)})
	}
	if v.VDRExtras {
		o = append(o, kv{"vdrId", s.idLocked(t.VDRID)})
		if vd != nil {
			o = append(o, kv{"objectName", vd.ObjectName})
		}
	}
	return s.shapeOrderLocked(o, v.VDRReordered)
}

// rawOrEmptyList answers stored compact JSON as is, none as [] (which the
// Empty variance may answer as null or leave out).
func rawOrEmptyList(raw json.RawMessage) any {
	if len(raw) == 0 {
		return []any{}
	}
	var l []any
	if json.Unmarshal(raw, &l) == nil && len(l) == 0 {
		return []any{}
	}
	return raw
}

// trimScript removes whitespace around a script body and at the end of
// each of its lines (CRLF line ends become LF).
func trimScript(body string) string {
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.TrimSpace(strings.Join(lines, "\n"))
}
