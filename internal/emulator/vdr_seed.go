package emulator

// The VDR store's test surface: deep copies of what is stored, and seeds
// for VDRs and transformations made by hand in the platform's UI.

// VDRs returns copies of the stored VDRs, sorted by id.
func (s *Server) VDRs() []VDR {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	out := []VDR{}
	for _, id := range sortedIDs(st.vdrs) {
		out = append(out, st.vdrs[id].clone())
	}
	return out
}

// Transformations returns copies of the stored transformations of every
// VDR, sorted by id.
func (s *Server) Transformations() []Transformation {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	out := []Transformation{}
	for _, id := range sortedIDs(st.transformations) {
		out = append(out, st.transformations[id].clone())
	}
	return out
}

// PutVDR seeds a VDR and returns it as stored: a zero ID gets a fresh one,
// fields get ids (kept by path when a VDR with that ID is replaced), an
// empty level is organization. Nothing is validated: a seed may be what
// the API would refuse (a duplicate objectName, say).
func (s *Server) PutVDR(v VDR) VDR {
	v = v.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	if v.ID == 0 {
		v.ID = st.newID()
	} else if v.ID > st.nextID {
		st.nextID = v.ID
	}
	for i := range v.Fields {
		if v.Fields[i].Level == "" {
			v.Fields[i].Level = levelOrganization
		}
	}
	st.assignFieldIDs(&v, st.vdrs[v.ID])
	st.vdrs[v.ID] = &v
	return v.clone()
}

// PutTransformation seeds a transformation of an existing VDR (a zero ID
// gets a fresh one; empty field levels take the transformation's level)
// and returns it as stored, or false when there is no VDR v.VDRID.
func (s *Server) PutTransformation(t Transformation) (Transformation, bool) {
	t = t.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	if st.vdrs[t.VDRID] == nil {
		return Transformation{}, false
	}
	if t.ID == 0 {
		t.ID = st.newID()
	} else if t.ID > st.nextID {
		st.nextID = t.ID
	}
	for i := range t.Fields {
		if t.Fields[i].Level == "" {
			t.Fields[i].Level = t.level()
		}
	}
	st.transformations[t.ID] = &t
	return t.clone(), true
}

// RemoveVDR deletes a VDR and its transformations as if by hand (whatever
// Variance.VDRDelete says); it reports whether there was one.
func (s *Server) RemoveVDR(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	if st.vdrs[id] == nil {
		return false
	}
	for _, tid := range st.transformationsOf(id) {
		delete(st.transformations, tid)
	}
	delete(st.vdrs, id)
	return true
}

// RemoveTransformation deletes a transformation as if by hand; it reports
// whether there was one.
func (s *Server) RemoveTransformation(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.vdrLocked()
	_, ok := st.transformations[id]
	delete(st.transformations, id)
	return ok
}
