package emulator

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

func init() {
	routes = append(routes, routeDef{pattern: "/formulas/{id}/export", methods: map[string]handlerFunc{
		http.MethodGet: (*Server).exportFormula}})
}

// exportFormula is GET /formulas/{id}/export, the platform's export tool:
// the formula as GET /formulas/{id} answers it, plus subFormulas, every
// formula its steps call (properties.formulaId), directly or through
// others, in the same shape; the-doctor reads formula.subFormulas. The
// reference leaves the export's shape UNCONFIRMED; the variance shapes it
// as it shapes GET.
func (s *Server) exportFormula(_ *http.Request, params []string, _ []byte) reply {
	return s.withFormula(params, func(f *Formula) reply {
		subs := []any{}
		seen := map[int64]bool{f.ID: true}
		for queue := calledFormulas(f); len(queue) > 0; queue = queue[1:] {
			sub := s.fx.formulas[queue[0]]
			if seen[queue[0]] || sub == nil {
				continue
			}
			seen[sub.ID] = true
			subs = append(subs, s.renderFormulaLocked(sub))
			queue = append(queue, calledFormulas(sub)...)
		}
		return okReply(append(s.renderFormulaLocked(f), kv{"subFormulas", subs}))
	})
}

// calledFormulas lists the ids f's steps call, in step order.
func calledFormulas(f *Formula) []int64 {
	var ids []int64
	for _, st := range f.Steps {
		var props struct {
			FormulaID json.RawMessage `json:"formulaId"`
		}
		if json.Unmarshal(st.Properties, &props) != nil || props.FormulaID == nil {
			continue
		}
		if id, err := strconv.ParseInt(strings.Trim(string(props.FormulaID), `"`), 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}
