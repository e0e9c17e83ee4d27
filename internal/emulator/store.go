package emulator

import (
	"time"
)

// clone deep-copies an instance so callers never share its slices or maps.
func (inst Instance) clone() Instance {
	inst.Tags = append([]string{}, inst.Tags...)
	cfg := make(map[string]string, len(inst.Configuration))
	for k, v := range inst.Configuration {
		cfg[k] = v
	}
	inst.Configuration = cfg
	return inst
}

// Instances returns deep copies of the stored instances, sorted by ID.
func (s *Server) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Instance, 0, len(s.instances))
	for _, id := range s.sortedIDsLocked() {
		out = append(out, s.instances[id].inst.clone())
	}
	return out
}

// Instance returns a deep copy of one stored instance.
func (s *Server) Instance(id int64) (Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, ok := s.instances[id]
	if !ok {
		return Instance{}, false
	}
	return rec.inst.clone(), true
}

// PutInstance seeds an instance as if made by hand and returns it as stored.
// A zero ID, Token or CreatedDate gets a fresh value, an empty ElementKey
// becomes "freshdeskv2", platform defaults are added to Configuration, and
// Valid is set true (use ModifyInstance for an invalid one). An existing
// instance with the same ID is replaced.
func (s *Server) PutInstance(inst Instance) Instance {
	inst = inst.clone()
	if inst.ElementKey == "" {
		inst.ElementKey = "freshdeskv2"
	}
	if inst.CreatedDate.IsZero() {
		inst.CreatedDate = time.Now()
	}
	inst.CreatedDate = inst.CreatedDate.UTC().Truncate(time.Second)
	inst.Valid = true
	inst.Tags = uniqueTags(inst.Tags)
	addDefaults(elements[inst.ElementKey], inst.Configuration)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	return s.storeLocked(inst).inst.clone()
}

// ModifyInstance changes a stored instance behind Terraform's back; fn gets a
// copy whose changes are saved (except the ID). It reports whether the
// instance exists.
func (s *Server) ModifyInstance(id int64, fn func(*Instance)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	rec, ok := s.instances[id]
	if !ok {
		return false
	}
	inst := rec.inst.clone()
	fn(&inst)
	inst.ID = id
	inst = inst.clone()
	if inst.Token != rec.inst.Token {
		delete(s.tokens, rec.inst.Token)
		if inst.Token == "" {
			inst.Token = s.newTokenLocked()
		}
		s.tokens[inst.Token] = id
	}
	rec.inst = inst
	return true
}

// RemoveInstance deletes an instance behind Terraform's back (not counted in
// Stats.Deletes). It reports whether the instance existed.
func (s *Server) RemoveInstance(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.beforeWriteLocked(time.Now())
	rec, ok := s.instances[id]
	if ok {
		s.removeLocked(rec)
	}
	return ok
}
