package emulator

import (
	"encoding/json"
	"slices"
)

// VDR is a stored common resource (virtual data resource, v2): a canonical
// object with fields, mapped onto elements by transformations.
type VDR struct {
	ID          int64
	ObjectName  string
	DisplayName string
	Description string
	Fields      []VDRField
	// systemIDs are the ids of the system fields VDRExtras answers.
	systemIDs [2]int64
}

// VDRField is one field of a VDR; ID is assigned by the emulator and kept
// across PUT for the same path.
type VDRField struct {
	ID    int64
	Path  string
	Type  string
	Level string // organization, account, instance or system
}

// Transformation maps a VDR onto one element (organization level,
// InstanceID 0) or one element instance (instance level).
type Transformation struct {
	ID         int64
	VDRID      int64
	ElementKey string
	InstanceID int64
	VendorName string
	Fields     []TransformationField
	// Configuration is the transformation's configuration array as compact
	// JSON (opaque: its entries' types are not documented); nil when none.
	Configuration json.RawMessage
	Script        *TransformationScript
}

// TransformationField maps one VDR field (by path) onto a vendor field.
// Configuration is an array of {type, properties} as compact JSON, or nil.
type TransformationField struct {
	Path          string
	Type          string
	VendorPath    string
	VendorType    string
	Level         string
	Configuration json.RawMessage
}

// TransformationScript runs on every object the transformation maps.
type TransformationScript struct {
	Body                string
	MimeType            string
	FilterEmptyResponse bool
}

// The VDR field levels (assets-api.md §3).
var vdrLevels = []string{"organization", "account", "instance", "system"}

// Transformation levels, from whether the transformation names an instance.
const (
	levelOrganization = "organization"
	levelInstance     = "instance"
)

// level is the transformation's level, from its target.
func (t *Transformation) level() string {
	if t.InstanceID != 0 {
		return levelInstance
	}
	return levelOrganization
}

// vdrStore holds VDRs and their transformations. VDR and transformation
// ids share a counter far from instance and formula ids; field ids have
// their own.
type vdrStore struct {
	vdrs            map[int64]*VDR
	transformations map[int64]*Transformation
	nextID          int64
	nextFieldID     int64
}

// vdrLocked returns the VDR store, made on first use.
func (s *Server) vdrLocked() *vdrStore {
	if s.vdr.vdrs == nil {
		s.vdr = vdrStore{vdrs: map[int64]*VDR{}, transformations: map[int64]*Transformation{},
			nextID: vdrIDBase + s.idOffset, nextFieldID: 1 + s.idOffset}
	}
	return &s.vdr
}

func (st *vdrStore) newID() int64      { st.nextID++; return st.nextID }
func (st *vdrStore) newFieldID() int64 { st.nextFieldID++; return st.nextFieldID - 1 }

// assignFieldIDs gives fields ids, keeping old's id for the same path, and
// gives v its system field ids once.
func (st *vdrStore) assignFieldIDs(v *VDR, old *VDR) {
	for i := range v.Fields {
		v.Fields[i].ID = 0
		if old != nil {
			if j := slices.IndexFunc(old.Fields, func(f VDRField) bool { return f.Path == v.Fields[i].Path }); j >= 0 {
				v.Fields[i].ID = old.Fields[j].ID
			}
		}
		if v.Fields[i].ID == 0 {
			v.Fields[i].ID = st.newFieldID()
		}
	}
	if old != nil {
		v.systemIDs = old.systemIDs
	}
	for i := range v.systemIDs {
		if v.systemIDs[i] == 0 {
			v.systemIDs[i] = st.newFieldID()
		}
	}
}

// transformationsOf lists the ids of vdrID's transformations, sorted.
func (st *vdrStore) transformationsOf(vdrID int64) []int64 {
	var ids []int64
	for _, id := range sortedIDs(st.transformations) {
		if st.transformations[id].VDRID == vdrID {
			ids = append(ids, id)
		}
	}
	return ids
}

// byObjectName finds a VDR by its objectName.
func (st *vdrStore) byObjectName(name string) *VDR {
	for _, id := range sortedIDs(st.vdrs) {
		if st.vdrs[id].ObjectName == name {
			return st.vdrs[id]
		}
	}
	return nil
}

// target finds the transformation of vdrID onto elementKey (organization
// level, instanceID 0) or onto instanceID.
func (st *vdrStore) target(vdrID int64, elementKey string, instanceID int64) *Transformation {
	for _, id := range sortedIDs(st.transformations) {
		t := st.transformations[id]
		if t.VDRID == vdrID && t.InstanceID == instanceID && (instanceID != 0 || t.ElementKey == elementKey) {
			return t
		}
	}
	return nil
}

func (v VDR) clone() VDR {
	v.Fields = slices.Clone(v.Fields)
	return v
}

func (t Transformation) clone() Transformation {
	t.Fields = slices.Clone(t.Fields)
	for i := range t.Fields {
		t.Fields[i].Configuration = slices.Clone(t.Fields[i].Configuration)
	}
	t.Configuration = slices.Clone(t.Configuration)
	if t.Script != nil {
		sc := *t.Script
		t.Script = &sc
	}
	return t
}

// cloneStore deep-copies the store, for the copy ListStale lists from.
func (st *vdrStore) cloneStore() vdrStore {
	c := vdrStore{vdrs: map[int64]*VDR{}, transformations: map[int64]*Transformation{}}
	for id, v := range st.vdrs {
		cv := v.clone()
		c.vdrs[id] = &cv
	}
	for id, t := range st.transformations {
		ct := t.clone()
		c.transformations[id] = &ct
	}
	return c
}
