package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestProfileNamesAndWithProfile(t *testing.T) {
	t.Parallel()
	names := ProfileNames()
	if !sort.StringsAreSorted(names) || len(names) != len(Profiles) || !slices.Contains(names, "default") {
		t.Fatalf("names %v", names)
	}
	if !reflect.DeepEqual(Profiles["default"].Variance, Variance{}) {
		t.Fatal("default profile is not the zero Variance")
	}
	o, err := Options{UserSecret: "u", Variance: Variance{TokenOnPatch: true}}.WithProfile("masked")
	if err != nil || !o.MaskUsername || !o.KeepTokenOnPut || o.UserSecret != "u" || o.Variance.TokenOnPatch {
		t.Fatalf("WithProfile: %+v %v", o, err)
	}
	if _, err := (Options{}).WithProfile("nope"); err == nil || !strings.Contains(err.Error(), "token-churn") {
		t.Fatalf("unknown profile: %v", err)
	}
	for _, n := range names {
		if Profiles[n].Covers == "" {
			t.Errorf("profile %s says nothing about what it covers", n)
		}
	}
}

// TestProfilesCoverTheEnvelope proves that together the profiles set every
// switch and every value of the multi-valued ones.
func TestProfilesCoverTheEnvelope(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, p := range Profiles {
		v := reflect.ValueOf(p.Variance)
		for i := 0; i < v.NumField(); i++ {
			if !v.Field(i).IsZero() {
				seen[v.Type().Field(i).Name] = true
			}
		}
		seen["events="+p.Variance.Events.String()] = true
		seen["date="+p.Variance.DateFormat] = true
		seen["empty="+p.Variance.Empty] = true
		seen["404="+p.Variance.NotFoundBody] = true
		seen["stepIds="+p.Variance.FormulaStepIDs] = true
		seen["formulaDelete="+p.Variance.FormulaDelete] = true
		seen["elementDelete="+p.Variance.ElementInstanceDelete] = true
		seen["vdrDelete="+p.Variance.VDRDelete] = true
		seen[fmt.Sprint("keepToken=", p.KeepTokenOnPut)] = true
		seen[fmt.Sprint("maskUsername=", p.MaskUsername)] = true
	}
	want := []string{
		"events=follow-config", "events=put-only", "events=never",
		"date=", "date=" + DateZMillis, "date=" + DateColonOffset, "date=" + DateColonOffsetMillis,
		"date=" + DateOffset, "date=" + DateOffsetMillis,
		"empty=", "empty=null", "empty=absent", "404=", "404=html", "404=empty",
		"keepToken=true", "keepToken=false", "maskUsername=true", "maskUsername=false",
		"stepIds=", "stepIds=" + StepIDsStable, "stepIds=" + StepIDsReassigned,
		"formulaDelete=", "formulaDelete=" + AssetsRefuse, "formulaDelete=" + AssetsCascade,
		"elementDelete=", "elementDelete=" + AssetsRefuse, "elementDelete=" + AssetsCascade,
		"vdrDelete=", "vdrDelete=" + AssetsRefuse, "vdrDelete=" + AssetsCascade,
	}
	vt := reflect.TypeOf(Variance{})
	for i := 0; i < vt.NumField(); i++ {
		want = append(want, vt.Field(i).Name)
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("no profile covers %s", w)
		}
	}
}

// TestEveryProfileLifecycle runs one lifecycle per profile through the
// wire and checks what must hold in every variant: the id, element and
// createdDate are stable and the tags are the set that was written.
func TestEveryProfileLifecycle(t *testing.T) {
	t.Parallel()
	for _, name := range ProfileNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			opts, err := Options{}.WithProfile(name)
			if err != nil {
				t.Fatal(err)
			}
			e := newEnv(t, opts)
			_, b := e.do("POST", "/instances", createBody("life", "b", "a", "b"))
			created := decode(t, b)
			id := fmt.Sprint(created["id"])
			layout := opts.Variance.DateFormat
			if layout == "" {
				layout = DateZ
			}
			date, err := time.Parse(layout, as[string](created["createdDate"]))
			stored, _ := e.s.Instance(1000)
			if err != nil || !date.Equal(stored.CreatedDate) {
				t.Fatalf("createdDate %v does not parse as %s or differs from %v: %v", created["createdDate"], layout, stored.CreatedDate, err)
			}
			steps := []struct {
				method, path string
				body         any
				tags         []string
			}{
				{"PATCH", "/instances/" + id, map[string]any{"name": "life2", "tags": []string{"c"}}, []string{"c"}},
				{"PUT", "/instances/" + id, createBody("life3"), nil},
				{"DELETE", "/instances/" + id + "/enabled", nil, nil},
				{"GET", "/instances/" + id, nil, nil},
			}
			for _, st := range steps {
				resp, b := e.do(st.method, st.path, st.body)
				if resp.StatusCode == 404 && opts.Variance.NoEnabledByID {
					resp, b = e.do(st.method, "/instances/enabled", nil, "Authorization", platformAuth+", Element "+stored.Token)
				}
				if resp.StatusCode != 200 {
					t.Fatalf("%s %s: %d %s", st.method, st.path, resp.StatusCode, b)
				}
				m := decode(t, b)
				if fmt.Sprint(m["id"]) != id || fmt.Sprint(m["createdDate"]) != fmt.Sprint(created["createdDate"]) ||
					fmt.Sprint(as[map[string]any](m["element"])["id"]) != "491" {
					t.Fatalf("%s %s: identity changed: %s", st.method, st.path, b)
				}
				if got := answeredTags(m); !slices.Equal(got, st.tags) {
					t.Fatalf("%s %s: tags %v, want %v", st.method, st.path, got, st.tags)
				}
				stored, _ = e.s.Instance(1000)
			}
			if lag := opts.Variance.ListStale; lag > 0 {
				time.Sleep(lag) // the listing shows the writes once they are that old
			}
			_, b = e.do("GET", "/instances", nil)
			if !strings.Contains(string(b), "life3") {
				t.Fatalf("list: %s", b)
			}
			if resp, b := e.do("DELETE", "/instances/"+id, nil); resp.StatusCode != 200 {
				t.Fatalf("delete: %d %s", resp.StatusCode, b)
			}
			resp, b := e.do("GET", "/instances/"+id, nil)
			wantError(t, resp, b, 404)
		})
	}
}

// answeredTags reads tags however answered (absent, null, any order) as a
// sorted list, nil for none.
func answeredTags(m map[string]any) []string {
	raw, _ := m["tags"].([]any)
	var out []string
	for _, t := range raw {
		out = append(out, as[string](t))
	}
	sort.Strings(out)
	return out
}

func TestInvalidAfterWriteAndTokenOnPatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Variance: Variance{InvalidAfterWrite: true, TokenOnPatch: true}})
	inst := e.create("x")
	if !inst.Valid {
		t.Fatal("create answered invalid")
	}
	_, b := e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"name": "y"})
	patched := decodeInstance(t, b)
	if patched.Valid || patched.Token == inst.Token {
		t.Fatalf("patch: valid %v token kept %v", patched.Valid, patched.Token == inst.Token)
	}
	hub := func(token string) int {
		resp, _ := e.do("GET", "/hubs/helpdesk/incidents", nil, "Authorization", "User test-user-secret, Element "+token)
		return resp.StatusCode
	}
	if hub(inst.Token) != 401 || hub(patched.Token) != 200 {
		t.Fatal("the reissued token is not the one that works")
	}
	_, b = e.do("PUT", "/instances/"+idOf(inst), createBody("z"))
	if decodeInstance(t, b).Valid {
		t.Fatal("put answered valid")
	}

	d := newEnv(t, Options{})
	inst = d.create("x")
	_, b = d.do("PATCH", "/instances/"+idOf(inst), map[string]any{"name": "y"})
	if got := decodeInstance(t, b); !got.Valid || got.Token != inst.Token {
		t.Fatalf("default patch changed valid or token: %s", b)
	}
}

func TestEventsModes(t *testing.T) {
	t.Parallel()
	on := map[string]any{"event.notification.enabled": "true"}
	for _, c := range []struct {
		mode             EventsMode
		afterPatch, put2 bool
	}{
		{EventsFollowConfig, true, true},
		{EventsOnPutOnly, false, true},
		{EventsNever, false, false},
	} {
		e := newEnv(t, Options{Variance: Variance{Events: c.mode}})
		inst := e.create("x")
		_, b := e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"configuration": on})
		if got := decodeInstance(t, b).EventsEnabled; got != c.afterPatch {
			t.Errorf("%v: after PATCH eventsEnabled %v, want %v", c.mode, got, c.afterPatch)
		}
		body := createBodyWith(map[string]any{"event.notification.enabled": true})
		_, b = e.do("PUT", "/instances/"+idOf(inst), body)
		if got := decodeInstance(t, b).EventsEnabled; got != c.put2 {
			t.Errorf("%v: after PUT eventsEnabled %v, want %v", c.mode, got, c.put2)
		}
		_, b = e.do("POST", "/instances", body)
		if !decodeInstance(t, b).EventsEnabled {
			t.Errorf("%v: POST with events on answered off", c.mode)
		}
	}
}

func TestDisabledLag(t *testing.T) {
	t.Parallel()
	const lag = 150 * time.Millisecond
	e := newEnv(t, Options{Variance: Variance{DisabledLag: lag}})
	inst := e.create("x")
	id := idOf(inst)
	start := time.Now()
	_, b := e.do("DELETE", "/instances/"+id+"/enabled", nil)
	_, b2 := e.do("GET", "/instances/"+id, nil)
	if time.Since(start) < lag && (decodeInstance(t, b).Disabled || decodeInstance(t, b2).Disabled) {
		t.Fatalf("disabled reported at once: %s", b2)
	}
	resp, _ := e.do("GET", "/hubs/helpdesk/incidents", nil, "Authorization", "User test-user-secret, Element "+inst.Token)
	if resp.StatusCode != 403 {
		t.Fatalf("hub call on a disabled instance: %d", resp.StatusCode)
	}
	time.Sleep(lag + 20*time.Millisecond)
	_, b = e.do("GET", "/instances/"+id, nil)
	if !decodeInstance(t, b).Disabled {
		t.Fatalf("disabled never reported: %s", b)
	}
}

func TestIDsAsStringsElementIDOnlyAndExtraFields(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Variance: Variance{IDsAsStrings: true, ElementIDOnly: true}})
	_, b := e.do("POST", "/instances", createBody("x"))
	m := decode(t, b)
	if m["id"] != "1000" || m["elementId"] != "491" || !reflect.DeepEqual(m["element"], map[string]any{"id": "491"}) {
		t.Fatalf("ids: %s", b)
	}
	_, b = e.do("GET", "/instances", nil)
	if !strings.Contains(string(b), `"id":"1000"`) {
		t.Fatalf("list ids: %s", b)
	}

	x := newEnv(t, Options{Variance: Variance{ExtraFields: true}})
	_, b = x.do("POST", "/instances", createBody("x"))
	m = decode(t, b)
	for _, k := range []string{"updatedDate", "instanceSettings", "organizationId", "formulaInstances", "notes"} {
		if _, ok := m[k]; !ok {
			t.Errorf("extra field %s missing", k)
		}
	}
	if as[map[string]any](m["element"])["emulatorExtra"] == nil || m["id"] != 1000.0 {
		t.Fatalf("element extra or id: %s", b)
	}
}

func TestDateFormats(t *testing.T) {
	t.Parallel()
	for layout, re := range map[string]string{
		"":                    `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`,
		DateZMillis:           `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$`,
		DateColonOffset:       `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$`,
		DateColonOffsetMillis: `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`,
		DateOffset:            `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$`,
		DateOffsetMillis:      `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$`,
		DateEpochMillis:       `^\d{13}$`,
	} {
		e := newEnv(t, Options{Variance: Variance{DateFormat: layout}})
		got := e.create("x").CreatedDate
		if !regexp.MustCompile(re).MatchString(got) {
			t.Errorf("layout %q answered %q", layout, got)
		}
	}
	// A millisecond layout keeps the create time's milliseconds.
	e := newEnv(t, Options{Variance: Variance{DateFormat: DateZMillis}})
	var fractions []string
	for i := 0; i < 5; i++ {
		fractions = append(fractions, e.create("x").CreatedDate[19:23])
		time.Sleep(3 * time.Millisecond)
	}
	if len(slices.Compact(slices.Clone(fractions))) < 2 {
		t.Fatalf("milliseconds never vary: %v", fractions)
	}
}

func TestEmptyVariants(t *testing.T) {
	t.Parallel()
	body := createBodyWith(map[string]any{"event.notification.callback.url": ""})
	for _, mode := range []string{"", EmptyNull, EmptyAbsent} {
		e := newEnv(t, Options{Variance: Variance{Empty: mode}})
		_, b := e.do("POST", "/instances", body)
		m := decode(t, b)
		el := as[map[string]any](m["element"])
		conf := as[map[string]any](m["configuration"])
		for _, c := range []struct {
			o   map[string]any
			key string
			def any
		}{
			{m, "tags", []any{}}, {m, "provisionInteractions", []any{}},
			{el, "resources", []any{}}, {el, "parameters", []any{}},
			{conf, "event.notification.callback.url", ""},
		} {
			v, present := c.o[c.key]
			switch mode {
			case "":
				if !reflect.DeepEqual(v, c.def) {
					t.Errorf("default: %s = %#v", c.key, v)
				}
			case EmptyNull:
				if !present || v != nil {
					t.Errorf("null: %s = %#v present %v", c.key, v, present)
				}
			case EmptyAbsent:
				if present {
					t.Errorf("absent: %s present as %#v", c.key, v)
				}
			}
		}
		if conf["subdomain"] != "acme" {
			t.Errorf("%q: configuration lost values: %v", mode, conf)
		}
	}
}

func TestTagsVariants(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Variance: Variance{ShuffleTags: true, NullTagsWhenEmpty: true, Empty: EmptyAbsent}})
	tags := []string{"a", "b", "c", "d", "e", "f", "a"}
	inst := e.create("x", tags...)
	if stored, _ := e.s.Instance(inst.ID); !slices.Equal(stored.Tags, tags[:6]) {
		t.Fatalf("stored tags %v, want duplicates collapsed in order", stored.Tags)
	}
	orders := map[string]bool{}
	for i := 0; i < 10; i++ {
		_, b := e.do("GET", "/instances/"+idOf(inst), nil)
		got := decodeInstance(t, b).Tags
		orders[fmt.Sprint(got)] = true
		sort.Strings(got)
		if !slices.Equal(got, tags[:6]) {
			t.Fatalf("tags %v", got)
		}
	}
	if len(orders) < 2 {
		t.Fatalf("tags never shuffled: %v", orders)
	}
	_, b := e.do("PATCH", "/instances/"+idOf(inst), map[string]any{"tags": []string{}})
	if m := decode(t, b); m["tags"] != nil || !strings.Contains(string(b), `"tags":null`) {
		t.Fatalf("empty tags: %s", b)
	}

	d := newEnv(t, Options{})
	inst = d.create("x", "b", "a", "b")
	_, b = d.do("GET", "/instances/"+idOf(inst), nil)
	if got := decodeInstance(t, b).Tags; !slices.Equal(got, []string{"b", "a"}) {
		t.Fatalf("default tags %v", got)
	}
}

func TestConfigBoolsAndSecrets(t *testing.T) {
	t.Parallel()
	body := createBodyWith(map[string]any{"password": "pw", "event.notification.signature.key": "sig"})

	e := newEnv(t, Options{MaskUsername: true, Variance: Variance{ConfigBoolsAsJSON: true, ClearSecrets: true}})
	_, b := e.do("POST", "/instances", body)
	conf := as[map[string]any](decode(t, b)["configuration"])
	if conf["filter.response.nulls"] != true || conf["event.notification.enabled"] != false {
		t.Fatalf("booleans: %v", conf)
	}
	if conf["password"] != "pw" || conf["username"] != "api-key" || conf["event.notification.signature.key"] != "sig" {
		t.Fatalf("ClearSecrets masked: %v", conf)
	}
	_, b = e.do("GET", "/instances/1000/configuration", nil)
	if !strings.Contains(string(b), `"pw"`) {
		t.Fatalf("configuration entries masked: %s", b)
	}

	m := newEnv(t, Options{MaskUsername: true})
	_, b = m.do("POST", "/instances", body)
	got := decodeInstance(t, b).Configuration
	if got["password"] != mask || got["username"] != mask || got["filter.response.nulls"] != "true" {
		t.Fatalf("default masking or strings: %v", got)
	}
}

func TestNotFoundBodies(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"", NotFoundHTML, NotFoundEmpty} {
		e := newEnv(t, Options{Variance: Variance{NotFoundBody: mode}})
		for _, u := range []string{e.url + "/nothing", strings.TrimSuffix(e.url, BasePath) + "/elsewhere"} {
			resp, b, err := e.tryURL("GET", u)
			if err != nil || resp.StatusCode != 404 {
				t.Fatalf("%q %s: %v %v", mode, u, resp, err)
			}
			switch mode {
			case "":
				wantError(t, resp, b, 404)
			case NotFoundHTML:
				if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(b), "<html>") ||
					resp.Header.Get("Elements-Request-Id") != "" {
					t.Errorf("html: %v %s", resp.Header, b)
				}
			case NotFoundEmpty:
				if len(b) != 0 || resp.Header.Get("Content-Type") != "" {
					t.Errorf("empty: %v %q", resp.Header, b)
				}
			}
		}
		// A missing instance is the platform's own answer whatever the mode.
		resp, b := e.do("GET", "/instances/999", nil)
		wantError(t, resp, b, 404)
		resp, b = e.do("DELETE", "/instances/999", nil)
		wantError(t, resp, b, 404)
	}
}

// tryURL sends an authenticated request to any URL of the test server.
func (e *env) tryURL(method, u string) (*http.Response, []byte, error) {
	req, _ := http.NewRequest(method, u, nil)
	req.Header.Set("Authorization", platformAuth)
	return e.send(req)
}

// adminCall sends one request to the admin surface.
func (e *env) adminCall(method, u, body string) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	resp, b, err := e.send(req)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

func TestTokenScopedEnabled(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{Variance: Variance{NoEnabledByID: true, NotFoundBody: NotFoundHTML}})
	inst := e.create("x")
	withToken := func(token string) []string {
		return []string{"Authorization", platformAuth + ", Element " + token}
	}
	hub := func() int {
		resp, _ := e.do("GET", "/hubs/helpdesk/incidents", nil, "Authorization", "User test-user-secret, Element "+inst.Token)
		return resp.StatusCode
	}
	resp, b := e.do("DELETE", "/instances/enabled", nil, withToken(inst.Token)...)
	if resp.StatusCode != 200 || !decodeInstance(t, b).Disabled || hub() != 403 {
		t.Fatalf("disable by token: %d %s", resp.StatusCode, b)
	}
	resp, b = e.do("PUT", "/instances/enabled", nil, withToken(inst.Token)...)
	if resp.StatusCode != 200 || decodeInstance(t, b).Disabled || hub() != 200 {
		t.Fatalf("enable by token: %d %s", resp.StatusCode, b)
	}
	for _, h := range [][]string{withToken("no-such-token"), {"Authorization", platformAuth}} {
		resp, b = e.do("DELETE", "/instances/enabled", nil, h...)
		wantError(t, resp, b, 401)
	}
	resp, b = e.do("PUT", "/instances/enabled", nil, "Authorization", "User test-user-secret, Element "+inst.Token)
	wantError(t, resp, b, 401)
	if got := e.s.Stats().ByEndpoint["PUT /instances/enabled"]; got != 2 {
		t.Fatalf("endpoint counted %d times", got)
	}
	// The id form is gone on this host: an unknown path, not an instance 404.
	resp, b = e.do("DELETE", "/instances/"+idOf(inst)+"/enabled", nil)
	if resp.StatusCode != 404 || !strings.Contains(string(b), "<html>") {
		t.Fatalf("id form: %d %s", resp.StatusCode, b)
	}
	if st, _ := e.s.Instance(inst.ID); st.Disabled {
		t.Fatal("id form changed the instance")
	}
	// A PUT reissues the token: the old one no longer names the instance.
	e.do("PUT", "/instances/"+idOf(inst), createBody("x"))
	resp, b = e.do("DELETE", "/instances/enabled", nil, withToken(inst.Token)...)
	wantError(t, resp, b, 401)
}

func TestListFastPathAtScale(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	const n = 2000
	for i := 0; i < n; i++ {
		tags := []string{"all"}
		if i%3 == 0 {
			tags = append(tags, "third")
		}
		e.s.PutInstance(Instance{Name: fmt.Sprintf("bulk-%04d", i), Tags: tags, Configuration: map[string]string{"subdomain": "s"}})
	}
	e.s.RemoveInstance(1500)
	for _, c := range []struct {
		query url.Values
		want  int
	}{
		{url.Values{}, n - 1},
		{url.Values{"pageSize": {"500"}}, n - 1},
		{url.Values{"pageSize": {"500"}, "tags[]": {"all", "third"}}, 667},
		{url.Values{"tags[]": {"all", "missing"}}, 0},
		{url.Values{"searchText": {"BULK-01"}}, 100},
	} {
		var ids []int64
		next, pages := "", 0
		for {
			q := url.Values{}
			for k, v := range c.query {
				q[k] = v
			}
			if next != "" {
				q.Set("nextPage", next)
			}
			resp, b := e.do("GET", "/instances?"+q.Encode(), nil)
			var page []instanceJSON
			mustUnmarshal(t, b, &page)
			for _, p := range page {
				ids = append(ids, p.ID)
			}
			if resp.Header.Get("Elements-Total-Count") != fmt.Sprint(c.want) {
				t.Fatalf("%v: total %s, want %d", c.query, resp.Header.Get("Elements-Total-Count"), c.want)
			}
			pages++
			if next = resp.Header.Get("Elements-Next-Page-Token"); next == "" {
				break
			}
		}
		if len(ids) != c.want || !slices.IsSorted(ids) || len(slices.Compact(slices.Clone(ids))) != len(ids) || slices.Contains(ids, 1500) {
			t.Fatalf("%v: %d ids over %d pages, want %d sorted and unique", c.query, len(ids), pages, c.want)
		}
	}
}

func BenchmarkListInstances(b *testing.B) {
	s := New(Options{Seed: 1})
	for i := 0; i < 2000; i++ {
		s.PutInstance(Instance{Name: fmt.Sprintf("bulk-%04d", i), Configuration: map[string]string{"subdomain": "s"}})
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		next := ""
		for {
			req := httptest.NewRequest("GET", BasePath+"/instances?pageSize=500&nextPage="+url.QueryEscape(next), nil)
			req.Header.Set("Authorization", platformAuth)
			w := httptest.NewRecorder()
			s.ServeHTTP(w, req)
			if next = w.Header().Get("Elements-Next-Page-Token"); next == "" {
				break
			}
		}
	}
}

func TestAdminVariance(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	admin := strings.TrimSuffix(e.url, BasePath) + AdminPath + "/variance"
	post := func(body string) (int, string) { return e.adminCall("POST", admin, body) }
	if c, b := post(`{"profile":"disabled-late"}`); c != 200 || !strings.Contains(b, `"disabledLag":"300ms"`) {
		t.Fatalf("set profile: %d %s", c, b)
	}
	if e.s.Profile().Variance.DisabledLag != 300*time.Millisecond {
		t.Fatal("profile not applied")
	}
	if c, b := post(`{"variance":{"events":"put-only","disabledLag":"5ms","tokenOnPatch":true},"maskUsername":true}`); c != 200 {
		t.Fatalf("set variance: %d %s", c, b)
	}
	p := e.s.Profile()
	if p.Variance.Events != EventsOnPutOnly || p.Variance.DisabledLag != 5*time.Millisecond || !p.Variance.TokenOnPatch || !p.MaskUsername {
		t.Fatalf("variance not applied: %+v", p)
	}
	if c, b := e.adminCall("GET", admin, ""); c != 200 || !strings.Contains(b, `"events":"put-only"`) {
		t.Fatalf("get: %d %s", c, b)
	}
	for _, bad := range []string{`{"profile":"nope"}`, `{"variance":{"events":"sometimes"}}`, `{`} {
		if c, _ := post(bad); c != 400 {
			t.Errorf("%s accepted: %d", bad, c)
		}
	}
	if _, b := e.do("POST", "/instances", createBody("x")); decodeInstance(t, b).Configuration["username"] != mask {
		t.Fatal("maskUsername set through the admin surface not in force")
	}
}

func TestListByElement(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	e.s.PutInstance(Instance{Name: "fd", ElementKey: "freshdeskv2", Configuration: map[string]string{"subdomain": "a"}})
	e.s.PutInstance(Instance{Name: "zd", ElementKey: "zendesk", Configuration: map[string]string{"subdomain": "b"}})
	for _, path := range []string{"/elements/freshdeskv2/instances", "/elements/491/instances"} {
		resp, b := e.do(http.MethodGet, path, nil)
		var list []instanceJSON
		mustUnmarshal(t, b, &list)
		if resp.StatusCode != http.StatusOK || len(list) != 1 || list[0].Name != "fd" {
			t.Errorf("%s: %d %s", path, resp.StatusCode, b)
		}
	}
	resp, b := e.do(http.MethodGet, "/elements/nosuch/instances", nil)
	wantError(t, resp, b, http.StatusNotFound)
}
