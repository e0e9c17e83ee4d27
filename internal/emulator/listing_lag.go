package emulator

import (
	"maps"
	"slices"
	"time"
)

// Listings that lag writes (Variance.ListStale), as a search index
// refreshed now and then would: a listing at time t answers the stores as
// they were at t minus the lag, while a GET of one asset is current. The
// stores are copied just before every write while the lag is set; the
// listing answers the oldest copy taken after t minus the lag (the stores
// as they were then), or the live stores when no write came since.
// FreezeListings holds every listing at one moment instead, for tests
// that need the lag at an exact place.

// listSnapshot is the stores as they were at a moment.
type listSnapshot struct {
	at   time.Time
	ids  []int64
	recs map[int64]*record
	fx   formulaStore
	vdr  vdrStore
}

// snapshotLocked copies the instance and formula stores.
func (s *Server) snapshotLocked(now time.Time) *listSnapshot {
	v := &listSnapshot{at: now, ids: slices.Clone(s.sortedIDsLocked()), recs: make(map[int64]*record, len(s.instances))}
	for id, rec := range s.instances {
		c := *rec
		c.inst.Tags = slices.Clone(rec.inst.Tags)
		c.inst.Configuration = maps.Clone(rec.inst.Configuration)
		c.cfgIDs = nil // listings do not render configuration entries
		v.recs[id] = &c
	}
	live := s.fxLocked()
	v.fx = formulaStore{formulas: map[int64]*Formula{}, instances: map[int64]*FormulaInstance{}}
	for id, f := range live.formulas {
		c := f.clone()
		v.fx.formulas[id] = &c
	}
	for id, fi := range live.instances {
		c := *fi
		c.Configuration, c.Settings = maps.Clone(fi.Configuration), maps.Clone(fi.Settings)
		v.fx.instances[id] = &c
	}
	v.vdr = s.vdrLocked().cloneStore()
	return v
}

// beforeWriteLocked keeps, while ListStale is set, the stores as they are
// before a write, for the listings of the next ListStale. Copies no
// listing can answer any more are dropped.
func (s *Server) beforeWriteLocked(now time.Time) {
	lag := s.profile.Variance.ListStale
	if lag <= 0 {
		s.history = nil
		return
	}
	cut := now.Add(-lag)
	i := 0
	for i < len(s.history) && !s.history[i].at.After(cut) {
		i++
	}
	s.history = append(s.history[i:], s.snapshotLocked(now))
}

// lagViewLocked is the copy a listing at now answers, or nil for the live
// stores.
func (s *Server) lagViewLocked(now time.Time) *listSnapshot {
	if s.frozen != nil {
		return s.frozen
	}
	lag := s.profile.Variance.ListStale
	if lag <= 0 {
		return nil
	}
	cut := now.Add(-lag)
	for _, v := range s.history {
		if v.at.After(cut) {
			return v
		}
	}
	return nil
}

// listViewLocked is the instance store a listing answers from.
func (s *Server) listViewLocked(now time.Time) ([]int64, map[int64]*record) {
	if v := s.lagViewLocked(now); v != nil {
		return v.ids, v.recs
	}
	return s.sortedIDsLocked(), s.instances
}

// fxListViewLocked is the formula store a listing answers from.
func (s *Server) fxListViewLocked(now time.Time) *formulaStore {
	if v := s.lagViewLocked(now); v != nil {
		return &v.fx
	}
	return s.fxLocked()
}

// vdrListViewLocked is the VDR store VDR and transformation listings
// answer from.
func (s *Server) vdrListViewLocked(now time.Time) *vdrStore {
	if v := s.lagViewLocked(now); v != nil {
		return &v.vdr
	}
	return s.vdrLocked()
}

// FreezeListings makes every listing answer the stores as they are now,
// whatever is written afterwards, until ThawListings (a listing that lags
// by as long as the test needs). GETs of one asset stay current.
func (s *Server) FreezeListings() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frozen = s.snapshotLocked(time.Now())
}

// ThawListings ends FreezeListings.
func (s *Server) ThawListings() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.frozen = nil
}
