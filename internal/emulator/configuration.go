package emulator

// Per-key instance configuration endpoints.

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

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
