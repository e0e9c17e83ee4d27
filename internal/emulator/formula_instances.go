package emulator

import (
	"encoding/json"
	"maps"
	"net/http"
	"strconv"
	"time"
)

// settingTTL is a formula instance's time to live setting.
const settingTTL = "formula.instance.time.to.live"

// formulaInstanceBody is a POST or PUT body.
type formulaInstanceBody struct {
	Name          *string                    `json:"name"`
	Active        *bool                      `json:"active"`
	Configuration map[string]json.RawMessage `json:"configuration"`
	Settings      map[string]any             `json:"settings"`
}

// validFormulaInstanceLocked checks a body against the formula: a name,
// a value for every configuration key of the formula and no other, element
// instance ids that exist, and a numeric time to live.
func (s *Server) validFormulaInstanceLocked(f *Formula, b *formulaInstanceBody) (FormulaInstance, reply) {
	fi := FormulaInstance{FormulaID: f.ID, Active: b.Active == nil || *b.Active, Configuration: map[string]string{},
		Settings: maps.Clone(b.Settings)}
	if b.Name == nil || stripHTML(*b.Name) == "" {
		return fi, errReply(http.StatusBadRequest, "Missing required field: name")
	}
	fi.Name = stripHTML(*b.Name)
	for k, raw := range b.Configuration {
		var str string
		if json.Unmarshal(raw, &str) != nil {
			str = string(raw) // numbers and booleans as written
		}
		fi.Configuration[k] = str
	}
	declared := map[string]bool{}
	for _, c := range f.Configuration {
		declared[c.Key] = true
		val, ok := fi.Configuration[c.Key]
		if !ok {
			return fi, errReply(http.StatusBadRequest, "Missing configuration value for '%s'", c.Key)
		}
		if c.Type == "elementInstance" {
			id, err := strconv.ParseInt(val, 10, 64)
			if err != nil || s.instances[id] == nil {
				return fi, errReply(http.StatusBadRequest, "Invalid configuration '%s': no element instance with id '%s'", c.Key, val)
			}
		}
	}
	for k := range fi.Configuration {
		if !declared[k] {
			return fi, errReply(http.StatusBadRequest, "Unknown configuration key '%s': formula %d does not declare it", k, f.ID)
		}
	}
	if _, ok := fi.Settings[settingTTL]; !ok && s.profile.Variance.FormulaRewrite {
		if fi.Settings == nil {
			fi.Settings = map[string]any{}
		}
		fi.Settings[settingTTL] = 86400.0 // the platform's default, added
	}
	if ttl, ok := fi.Settings[settingTTL]; ok {
		if _, isNum := ttl.(float64); !isNum {
			return fi, errReply(http.StatusBadRequest, "Invalid setting formula.instance.time.to.live: must be a number")
		}
	}
	return fi, reply{}
}

func (s *Server) createFormulaInstance(_ *http.Request, params []string, body []byte) reply {
	var b formulaInstanceBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withFormula(params, func(f *Formula) reply {
		fi, rep := s.validFormulaInstanceLocked(f, &b)
		if rep.status != 0 {
			return rep
		}
		fi.ID = s.fx.newID()
		fi.CreatedDate = time.Now().UTC().Truncate(s.profile.Variance.datePrecision())
		s.fx.instances[fi.ID] = &fi
		return okReply(s.renderFormulaInstanceLocked(&fi))
	})
}

// withFormulaInstance runs fn on the instance params[1] of formula
// params[0]; a missing formula or instance is a 404.
func (s *Server) withFormulaInstance(params []string, fn func(*Formula, *FormulaInstance) reply) reply {
	return s.withFormula(params, func(f *Formula) reply {
		id, err := strconv.ParseInt(params[1], 10, 64)
		fi := s.fx.instances[id]
		if err != nil || fi == nil || fi.FormulaID != f.ID {
			return errReply(http.StatusNotFound, "No formula instance found with id %s for formula %d", params[1], f.ID)
		}
		return fn(f, fi)
	})
}

func (s *Server) getFormulaInstance(_ *http.Request, params []string, _ []byte) reply {
	return s.withFormulaInstance(params, func(_ *Formula, fi *FormulaInstance) reply {
		return okReply(s.renderFormulaInstanceLocked(fi))
	})
}

func (s *Server) putFormulaInstance(_ *http.Request, params []string, body []byte) reply {
	var b formulaInstanceBody
	if rep := decodeJSONBody(body, &b); rep.status != 0 {
		return rep
	}
	return s.withFormulaInstance(params, func(f *Formula, old *FormulaInstance) reply {
		fi, rep := s.validFormulaInstanceLocked(f, &b)
		if rep.status != 0 {
			return rep
		}
		fi.ID, fi.CreatedDate = old.ID, old.CreatedDate
		*old = fi
		return okReply(s.renderFormulaInstanceLocked(old))
	})
}

func (s *Server) deleteFormulaInstance(_ *http.Request, params []string, _ []byte) reply {
	return s.withFormulaInstance(params, func(_ *Formula, fi *FormulaInstance) reply {
		delete(s.fx.instances, fi.ID)
		return okReply(struct{}{})
	})
}

// activator makes the handler of PUT (activate) and DELETE (deactivate)
// /formulas/{id}/instances/{instanceId}/active.
func activator(active bool) handlerFunc {
	return func(s *Server, _ *http.Request, params []string, _ []byte) reply {
		return s.withFormulaInstance(params, func(_ *Formula, fi *FormulaInstance) reply {
			fi.Active = active
			return okReply(s.renderFormulaInstanceLocked(fi))
		})
	}
}

// boundInstancesLocked lists the formula instances bound matches.
func (s *Server) boundInstancesLocked(bound func(*FormulaInstance) bool) []int64 {
	var ids []int64
	for _, id := range sortedIDs(s.fxLocked().instances) {
		if bound(s.fx.instances[id]) {
			ids = append(ids, id)
		}
	}
	return ids
}

// usesElementInstance reports whether fi is bound to element instance id.
func (s *Server) usesElementInstanceLocked(fi *FormulaInstance, id int64) bool {
	f := s.fx.formulas[fi.FormulaID]
	for _, c := range f.Configuration {
		if c.Type == "elementInstance" && fi.Configuration[c.Key] == strconv.FormatInt(id, 10) {
			return true
		}
	}
	return false
}

// elementInstanceDeletingLocked applies Variance.ElementInstanceDelete
// before element instance id is deleted: a non-zero reply refuses it.
func (s *Server) elementInstanceDeletingLocked(id int64) reply {
	bound := s.boundInstancesLocked(func(fi *FormulaInstance) bool { return s.usesElementInstanceLocked(fi, id) })
	switch mode := s.profile.Variance.ElementInstanceDelete; {
	case len(bound) == 0 || mode == "":
	case mode == AssetsRefuse:
		return errReply(http.StatusConflict, "Instance %d is used by %d formula instances; delete them first", id, len(bound))
	default:
		for _, fid := range bound {
			delete(s.fx.instances, fid)
		}
	}
	return reply{}
}

// listFormulaInstances is GET /formulas/instances (elementInstanceId=
// narrows it to the instances bound to that element instance).
func (s *Server) listFormulaInstances(r *http.Request, _ []string, _ []byte) reply {
	var elementID int64
	if v := r.URL.Query().Get("elementInstanceId"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errReply(http.StatusBadRequest, "Invalid elementInstanceId '%s'", v)
		}
		elementID = n
	}
	return s.formulaInstancePage(r, func(fi *FormulaInstance) bool {
		return elementID == 0 || s.usesElementInstanceLocked(fi, elementID)
	})
}

func (s *Server) listInstancesOfFormula(r *http.Request, params []string, _ []byte) reply {
	if rep := s.withFormula(params, func(*Formula) reply { return reply{} }); rep.status != 0 {
		return rep
	}
	id, _ := strconv.ParseInt(params[0], 10, 64)
	return s.formulaInstancePage(r, func(fi *FormulaInstance) bool { return fi.FormulaID == id })
}

func (s *Server) formulaInstancePage(r *http.Request, keep func(*FormulaInstance) bool) reply {
	return listPaged(s, r, func(*formulaStore) map[int64]*FormulaInstance { return s.fxListViewLocked(time.Now()).instances },
		keep, func(fi *FormulaInstance) any {
			return s.listedLocked(s.renderFormulaInstanceLocked(fi), "configuration", "settings")
		})
}

// formulaInstanceLocked finds a formula instance by the id in a path.
func (s *Server) formulaInstanceLocked(idText string) (*FormulaInstance, reply) {
	id, err := strconv.ParseInt(idText, 10, 64)
	fi := s.fxLocked().instances[id]
	if err != nil || fi == nil {
		return nil, errReply(http.StatusNotFound, "No formula instance found with id %s", idText)
	}
	return fi, reply{}
}

// renderFormulaInstanceLocked is a formula instance as answered. Values of
// the formula's password-typed keys read back masked unless ClearSecrets.
func (s *Server) renderFormulaInstanceLocked(fi *FormulaInstance) object {
	f := s.fx.formulas[fi.FormulaID]
	if f == nil { // listed from a lagging listing: the formula may be gone since
		f = s.fxListViewLocked(time.Now()).formulas[fi.FormulaID]
	}
	if f == nil {
		f = &Formula{ID: fi.FormulaID}
	}
	cfg := maps.Clone(fi.Configuration)
	for _, c := range f.Configuration {
		if c.Type == "password" && !s.profile.Variance.ClearSecrets {
			cfg[c.Key] = mask
		}
	}
	settings := fi.Settings
	if settings == nil {
		settings = map[string]any{}
	}
	return s.shapeLocked(object{{"id", s.idLocked(fi.ID)}, {"name", fi.Name}, {"active", fi.Active},
		{"createdDate", s.profile.Variance.formatDate(fi.CreatedDate)},
		{"formula", object{{"id", s.idLocked(f.ID)}, {"name", f.Name}, {"active", f.Active}}},
		{"configuration", cfg}, {"settings", settings}})
}
