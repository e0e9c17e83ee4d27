package cloudelements

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// One create mechanism for every kind (issue 26 item 3, issue 27 item 1):
// each kind's create, against the emulator, whatever the platform does
// with the answer and however its listings lag or abridge.

// createKindCase is one kind: how to create one, and what the emulator
// holds of that kind.
type createKindCase struct {
	name string
	// path is the POST the faults are scripted on.
	path   string
	create func(ctx context.Context, c *Client, em *emulator.Server) (int64, error)
	ids    func(em *emulator.Server) []int64
	// seed stores a look-alike of what create asks for, created at date.
	seed func(em *emulator.Server, date time.Time) int64
	// prepare stores what the create needs (a formula instance's formula).
	prepare func(em *emulator.Server)
}

func createKindCases() []createKindCase {
	formulaID := func(em *emulator.Server) int64 {
		for _, f := range em.Formulas() {
			if f.Name == "parent" {
				return f.ID
			}
		}
		return em.PutFormula(emulator.Formula{Name: "parent",
			Configuration: []emulator.FormulaConfig{{Key: "region", Name: "Region", Type: "value"}}}).ID
	}
	return []createKindCase{
		{
			name: "instance", path: "/instances",
			create: func(ctx context.Context, c *Client, _ *emulator.Server) (int64, error) {
				req := testRequest()
				req.Configuration = map[string]string{testSubdomainKey: "acme", testUsernameKey: "k"}
				req.MatchKeys = []string{testSubdomainKey}
				inst, err := c.CreateInstance(ctx, req)
				if inst == nil {
					return 0, err
				}
				return inst.ID, err
			},
			ids: func(em *emulator.Server) (ids []int64) {
				for _, i := range em.Instances() {
					ids = append(ids, i.ID)
				}
				return ids
			},
			seed: func(em *emulator.Server, date time.Time) int64 {
				return em.PutInstance(emulator.Instance{Name: "my-fd", Tags: []string{"team-a"}, CreatedDate: date,
					Configuration: map[string]string{testSubdomainKey: "acme", testUsernameKey: "k"}}).ID
			},
		},
		{
			name: "formula", path: "/formulas",
			create: func(ctx context.Context, c *Client, _ *emulator.Server) (int64, error) {
				f, err := c.CreateFormula(ctx, FormulaRequest{Name: "flow", Active: true,
					Steps: []FormulaStep{{Name: "s", Type: "script", Properties: []byte(`{"body":"done(true);"}`)}}})
				if f == nil {
					return 0, err
				}
				return f.ID, err
			},
			ids: func(em *emulator.Server) (ids []int64) {
				for _, f := range em.Formulas() {
					if f.Name != "parent" {
						ids = append(ids, f.ID)
					}
				}
				return ids
			},
			seed: func(em *emulator.Server, date time.Time) int64 {
				return em.PutFormula(emulator.Formula{Name: "flow", Active: true, CreatedDate: date,
					Steps: []emulator.FormulaStep{{Name: "s", Type: "script"}}}).ID
			},
		},
		{
			name: "formula instance", path: "/formulas/*/instances",
			create: func(ctx context.Context, c *Client, em *emulator.Server) (int64, error) {
				fi, err := c.CreateFormulaInstance(ctx, formulaID(em), FormulaInstanceRequest{Name: "bound", Active: true,
					Configuration: map[string]string{"region": "eu"}})
				if fi == nil {
					return 0, err
				}
				return fi.ID, err
			},
			ids: func(em *emulator.Server) (ids []int64) {
				for _, fi := range em.FormulaInstances() {
					ids = append(ids, fi.ID)
				}
				return ids
			},
			seed: func(em *emulator.Server, date time.Time) int64 {
				return em.PutFormulaInstance(emulator.FormulaInstance{Name: "bound", FormulaID: formulaID(em), Active: true,
					CreatedDate: date, Configuration: map[string]string{"region": "eu"}}).ID
			},
			prepare: func(em *emulator.Server) { formulaID(em) },
		},
	}
}

// kindClient serves an emulator with opts and returns a client for it
// that looks for a lost create and waits for dependents as by default.
func kindClient(t *testing.T, opts emulator.Options) (*Client, *emulator.Server) {
	t.Helper()
	opts.UserSecret, opts.OrganizationSecret = testUserSecret, testOrgSecret
	em := emulator.New(opts)
	srv := httptest.NewServer(em)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv.URL)
	cfg.ReconcileWait, cfg.DependentsWait = DefaultReconcileWait, DefaultDependentsWait
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, em
}

// A create whose answer is lost after the platform made the asset adopts
// that asset, with one POST, under current, lagging and abridged listings.
func TestCreateLostAnswerEveryKind(t *testing.T) {
	t.Parallel()
	faults := map[string]emulator.Fault{
		"dropped": {Kind: emulator.FaultCommitThenDrop},
		"502":     {Kind: emulator.FaultCommitThenStatus, Status: http.StatusBadGateway},
	}
	listings := map[string]emulator.Variance{
		"current":  {},
		"lagging":  {ListStale: 1500 * time.Millisecond},
		"abridged": {ListAbridged: true},
	}
	for _, k := range createKindCases() {
		for fname, fault := range faults {
			for lname, v := range listings {
				t.Run(k.name+"/"+fname+"/"+lname, func(t *testing.T) {
					t.Parallel()
					c, em := kindClient(t, emulator.Options{Variance: v})
					if k.prepare != nil {
						k.prepare(em)
					}
					em.Script(http.MethodPost, k.path, fault)
					ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
					defer cancel()
					id, err := k.create(ctx, c, em)
					if ids := k.ids(em); err != nil || len(ids) != 1 || ids[0] != id {
						t.Fatalf("got %d, %v; the emulator holds %v", id, err, ids)
					}
				})
			}
		}
	}
}

// A create is never answered with someone else's asset: an answer about
// another one, an unreadable answer naming one, or a 500 followed by a
// look-alike dated in the future or long ago. Nothing is adopted, and
// nothing is created twice.
func TestCreateNeverAdoptsForeignAssets(t *testing.T) {
	t.Parallel()
	for _, k := range createKindCases() {
		for _, tc := range []struct {
			name  string
			date  time.Time
			fault func(foreign string) emulator.Fault
		}{
			{"answer about another", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), func(foreign string) emulator.Fault {
				return emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: `{"id":` + foreign + `,"name":"someone else's","createdDate":"2020-01-01T00:00:00Z"}`}
			}},
			{"unreadable answer naming another", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), func(foreign string) emulator.Fault {
				return emulator.Fault{Kind: emulator.FaultCommitThenBody, Body: `{"id":` + foreign + `,"name":`}
			}},
			{"500 then a look-alike dated 2099", time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC), func(string) emulator.Fault {
				return emulator.Fault{Kind: emulator.FaultStatus, Status: http.StatusInternalServerError}
			}},
		} {
			t.Run(k.name+"/"+tc.name, func(t *testing.T) {
				t.Parallel()
				c, em := kindClient(t, emulator.Options{})
				c.cfg.ReconcileWait = 300 * time.Millisecond
				if k.prepare != nil {
					k.prepare(em)
				}
				foreign := k.seed(em, tc.date)
				em.Script(http.MethodPost, k.path, tc.fault(itoa(foreign)))
				// A formula's name is taken by the look-alike: the create
				// looks for the one it may have made until its deadline.
				ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
				defer cancel()
				id, err := k.create(ctx, c, em)
				var ce *CreatedError
				if id == foreign || (errors.As(err, &ce) && ce.ID == foreign) {
					t.Fatalf("adopted the foreign %d: %v", foreign, err)
				}
				if err == nil && tc.name == "500 then a look-alike dated 2099" && k.name == "formula" {
					t.Fatal("a formula of a name in use was made")
				}
				if ids := k.ids(em); len(ids) > 2 {
					t.Fatalf("the emulator holds %v", ids)
				}
			})
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// A configuration value answered in another form than sent is the same
// value; another value is not.
func TestSameConfigValue(t *testing.T) {
	for _, tc := range []struct {
		a, r string
		want bool
	}{
		{"3.6e+06", "3600000", true}, {" eu ", "eu", true}, {"TRUE", "true", true}, {"1", "true", false},
		{"EU", "eu", false}, {"3600001", "3600000", false}, {"0.5", ".5", true},
	} {
		if got := sameConfigValue(tc.a, tc.r); got != tc.want {
			t.Errorf("sameConfigValue(%q, %q) = %v", tc.a, tc.r, got)
		}
	}
}
