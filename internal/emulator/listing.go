package emulator

// Paged listings of instances and elements.

import (
	"encoding/base64"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// pageParams reads pageSize and nextPage: the page size (capped at
// maxPageSize, with the platform's Elements-Error header saying so) and the
// last id of the previous page.
func (s *Server) pageParams(r *http.Request) (pageSize int, after int64, header http.Header, rep reply) {
	q := r.URL.Query()
	header = http.Header{}
	s.mu.Lock()
	pageSize = s.pageSize
	s.mu.Unlock()
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			return 0, 0, nil, errReply(http.StatusBadRequest, "Invalid pageSize '%s': must be a positive integer", v)
		}
		pageSize = n
	}
	if pageSize > maxPageSize {
		pageSize = maxPageSize
		header.Set("Elements-Error", "pageSize exceeds the maximum of "+strconv.Itoa(maxPageSize)+"; using "+strconv.Itoa(maxPageSize))
	}
	if v := q.Get("nextPage"); v != "" {
		id, ok := decodeCursor(v)
		if !ok {
			return 0, 0, nil, errReply(http.StatusBadRequest, "Invalid nextPage token")
		}
		after = id
	}
	return pageSize, after, header, reply{}
}

// cursorPrefix versions the opaque nextPage token.
const cursorPrefix = "ce1:"

func encodeCursor(lastID int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(lastID, 10)))
}

func decodeCursor(tok string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	return id, err == nil
}

// matches applies the list filters: every tag present, and searchText in the
// name or element key.
func matches(inst *Instance, elementKey string, tags []string, search string) bool {
	if elementKey != "" && inst.ElementKey != elementKey {
		return false
	}
	for _, want := range tags {
		found := false
		for _, t := range inst.Tags {
			if t == want {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	if search == "" {
		return true
	}
	search = strings.ToLower(search)
	return strings.Contains(strings.ToLower(inst.Name), search) ||
		strings.Contains(strings.ToLower(inst.ElementKey), search)
}

// listInstances pages by id: the cursor is the last id answered, so
// instances created meanwhile never shift a page.
func (s *Server) listInstances(r *http.Request, _ []string, _ []byte) reply {
	return s.listPage(r, "")
}

// catalogLookup finds a catalog element by key or numeric id.
func catalogLookup(keyOrID string) *element {
	if el := elements[keyOrID]; el != nil {
		return el
	}
	if id, err := strconv.ParseInt(keyOrID, 10, 64); err == nil {
		return elementByID(id)
	}
	return nil
}

// listElementInstances is GET /elements/{keyOrId}/instances: the listing
// narrowed to one element, which must exist.
func (s *Server) listElementInstances(r *http.Request, params []string, _ []byte) reply {
	el := catalogLookup(params[0])
	if el == nil {
		return errReply(http.StatusNotFound, "No element found with key or id '%s'", params[0])
	}
	return s.listPage(r, el.Key)
}

// listPage answers one page of the instances of elementKey ("" for all).
func (s *Server) listPage(r *http.Request, elementKey string) reply {
	q := r.URL.Query()
	pageSize, after, header, rep := s.pageParams(r)
	if rep.status != 0 {
		return rep
	}
	tags, search := q["tags[]"], q.Get("searchText")

	s.mu.Lock()
	defer s.mu.Unlock()
	ids, store := s.listViewLocked(time.Now())
	var recs []*record
	total := len(ids)
	if len(tags) == 0 && search == "" && elementKey == "" {
		// Fast path: no filter, so the page is a slice of the sorted ids.
		start := sort.Search(len(ids), func(i int) bool { return ids[i] > after })
		end := min(start+pageSize, len(ids))
		for _, id := range ids[start:end] {
			recs = append(recs, store[id])
		}
		if end < len(ids) {
			header.Set("Elements-Next-Page-Token", encodeCursor(ids[end-1]))
		}
	} else {
		total = 0
		more := false
		for _, id := range ids {
			rec := store[id]
			if !matches(&rec.inst, elementKey, tags, search) {
				continue
			}
			total++
			switch {
			case id <= after:
			case len(recs) == pageSize:
				more = true
			default:
				recs = append(recs, rec)
			}
		}
		if more {
			header.Set("Elements-Next-Page-Token", encodeCursor(recs[len(recs)-1].inst.ID))
		}
	}
	page := make([]any, 0, len(recs))
	for _, rec := range recs {
		page = append(page, s.listItemLocked(rec))
	}
	header.Set("Elements-Returned-Count", strconv.Itoa(len(page)))
	header.Set("Elements-Total-Count", strconv.Itoa(total))
	return reply{status: http.StatusOK, body: page, header: header}
}
