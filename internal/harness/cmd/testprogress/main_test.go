package main

import (
	"strings"
	"testing"
	"time"
)

const stream = `{"Action":"start","Package":"ex/a"}
{"Action":"run","Package":"ex/a","Test":"TestOK"}
{"Action":"output","Package":"ex/a","Test":"TestOK","Output":"=== RUN   TestOK\n"}
{"Action":"pass","Package":"ex/a","Test":"TestOK"}
{"Action":"run","Package":"ex/a","Test":"TestBad"}
{"Action":"run","Package":"ex/a","Test":"TestBad/sub"}
{"Action":"output","Package":"ex/a","Test":"TestBad/sub","Output":"    bad_test.go:9: boom\n"}
{"Action":"fail","Package":"ex/a","Test":"TestBad/sub"}
{"Action":"run","Package":"ex/a","Test":"TestSlow"}
{"Action":"output","Package":"ex/a","Output":"acceptance: tests=2 steps=3 skipped=0\n"}
`

const rest = `{"Action":"fail","Package":"ex/a","Test":"TestBad"}
{"Action":"skip","Package":"ex/a","Test":"TestSlow"}
{"Action":"output","Package":"ex/a","Output":"FAIL\tex/a\t0.1s\n"}
{"Action":"fail","Package":"ex/a"}
not json
`

func TestPrinter(t *testing.T) {
	var out strings.Builder
	p := newPrinter(&out, time.Unix(0, 0))
	if err := p.read(strings.NewReader(stream)); err != nil {
		t.Fatal(err)
	}
	p.progress(time.Unix(90, 0))
	if err := p.read(strings.NewReader(rest)); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{
		"acceptance: tests=2 steps=3 skipped=0\n",
		"test: 1m30s packages=0/1 passed=1 skipped=0 failed=0 running=TestBad (+1)\n",
		"--- FAIL: TestBad (ex/a)\n    bad_test.go:9: boom\n",
		"FAIL\tex/a\t0.1s\n",
		"not json\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "=== RUN") {
		t.Errorf("a passing test's output was printed:\n%s", got)
	}
	if !p.failed {
		t.Error("a failed test did not fail the run")
	}
}

func TestSlowest(t *testing.T) {
	var out strings.Builder
	p := newPrinter(&out, time.Unix(0, 0))
	in := `{"Action":"pass","Package":"ex/a","Test":"TestQuick","Elapsed":0.5}
{"Action":"pass","Package":"ex/a","Test":"TestSlow/sub","Elapsed":99}
{"Action":"pass","Package":"ex/b","Test":"TestSlow","Elapsed":42.4}
{"Action":"fail","Package":"ex/a","Test":"TestMiddle","Elapsed":7}
`
	if err := p.read(strings.NewReader(in)); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	p.printSlowest(2)
	want := "test: the 2 slowest tests\n     42.4s  TestSlow (b)\n      7.0s  TestMiddle (a)\n"
	if got := out.String(); got != want {
		t.Errorf("printSlowest:\n%s\nwant:\n%s", got, want)
	}
	if got := p.slowestSummary(); got != "slowest=TestSlow 42s" {
		t.Errorf("summary %q", got)
	}
	if got := newPrinter(&out, time.Now()).slowestSummary(); got != "slowest=none" {
		t.Errorf("empty summary %q", got)
	}
}
