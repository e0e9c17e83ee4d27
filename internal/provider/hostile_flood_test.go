package provider

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
)

// Flood shapes for the hostile suite's memory figure (issue 19 item 7):
// each pages a listing of items that are small in JSON but many in parts,
// within the byte caps (8 MiB a page, 64 MiB a listing), and is listed and
// converted to the data source's Terraform value in a process of its own.

// floodShape writes item id of a flooded listing.
type floodShape struct {
	name  string
	items int
	item  func(w *bufio.Writer, id int)
}

func repeatParts(w *bufio.Writer, n int, format string) {
	for i := range n {
		if i > 0 {
			_ = w.WriteByte(',')
		}
		if strings.Count(format, "%") == 2 {
			fmt.Fprintf(w, format, i, i)
		} else {
			fmt.Fprintf(w, format, i)
		}
	}
}

var floodShapes = []floodShape{
	{"tags", 19999, func(w *bufio.Writer, id int) { // ~430 tags an item, ~60 MiB: the shape
		fmt.Fprintf(w, `{"id":%d,"name":"n","tags":[`, id)
		repeatParts(w, 430, `"x%03d"`)
		_, _ = w.WriteString(`]}`)
	}},
	{"tags at the caps", cloudelements.MaxListTags / cloudelements.MaxItemTags, func(w *bufio.Writer, id int) {
		fmt.Fprintf(w, `{"id":%d,"name":"n","tags":[`, id)
		repeatParts(w, cloudelements.MaxItemTags, `"x%03d"`)
		_, _ = w.WriteString(`]}`)
	}},
	{"configuration maps", 19999, func(w *bufio.Writer, id int) { // ~200 entries an item, ~55 MiB
		fmt.Fprintf(w, `{"id":%d,"name":"n","configuration":{`, id)
		repeatParts(w, 200, `"k%03d":"v%03d"`)
		_, _ = w.WriteString(`}}`)
	}},
	{"configuration at the caps", cloudelements.MaxListConfigEntries / cloudelements.MaxItemConfigEntries, func(w *bufio.Writer, id int) {
		fmt.Fprintf(w, `{"id":%d,"name":"n","configuration":{`, id)
		repeatParts(w, cloudelements.MaxItemConfigEntries, `"k%03d":"v%03d"`)
		_, _ = w.WriteString(`}}`)
	}},
	{"plain padding", 19999, func(w *bufio.Writer, id int) { // 3,300-byte names, ~63 MiB: listed in full
		fmt.Fprintf(w, `{"id":%d,"name":"%s","element":{"key":"freshdeskv2"}}`, id, strings.Repeat("p", 3300))
	}},
}

func floodShapeNames() []string {
	names := make([]string, 0, len(floodShapes))
	for _, s := range floodShapes {
		names = append(names, s.name)
	}
	for _, f := range limitFloods() { // the other kinds' floods (hostile_limits_test.go)
		names = append(names, f.name)
	}
	return names
}

// floodServer pages shape's items, writing each page as it goes so that
// the server itself holds none.
func floodServer(shape floodShape) *httptest.Server { return httptest.NewServer(floodPages(shape)) }

// floodPages answers every request with a page of shape's items.
func floodPages(shape floodShape) http.Handler {
	var sample bytes.Buffer
	bw := bufio.NewWriter(&sample)
	shape.item(bw, shape.items)
	_ = bw.Flush()
	perPage := (7 << 20) / (sample.Len() + 1)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("nextPage"))
		first, last := page*perPage+1, min((page+1)*perPage, shape.items)
		if last < shape.items {
			w.Header().Set("Elements-Next-Page-Token", strconv.Itoa(page+1))
		}
		w.Header().Set("Content-Type", "application/json")
		bw := bufio.NewWriterSize(w, 64<<10)
		_ = bw.WriteByte('[')
		for id := first; id <= last; id++ {
			if id > first {
				_ = bw.WriteByte(',')
			}
			shape.item(bw, id)
		}
		_ = bw.WriteByte(']')
		_ = bw.Flush()
	})
}

// runFloodShape lists a flooded shape and converts what was listed as the
// cloudelements_instances data source does; it prints what happened.
func runFloodShape(t *testing.T, name string) {
	for _, f := range limitFloods() {
		if f.name == name {
			f.run(t)
			return
		}
	}
	var shape *floodShape
	for i := range floodShapes {
		if floodShapes[i].name == name {
			shape = &floodShapes[i]
		}
	}
	if shape == nil {
		t.Fatalf("unknown flood shape %q", name)
	}
	srv := floodServer(*shape)
	defer srv.Close()
	c, err := cloudelements.New(cloudelements.Config{BaseURL: srv.URL + "/elements/api-v2", UserSecret: hUser, OrganizationSecret: hOrg})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	list, err := c.ListInstances(ctx, cloudelements.ListOptions{})
	if err != nil {
		if !strings.Contains(err.Error(), "narrow it") {
			t.Fatalf("flood failed otherwise than at a cap: %v", err)
		}
		fmt.Println("flood child: capped:", err)
		return
	}
	value, diags := instanceListValue(ctx, list)
	if diags.HasError() || len(value.Elements()) != len(list) {
		t.Fatalf("converting %d instances: %v", len(list), diags)
	}
	fmt.Printf("flood child: listed and converted %d instances\n", len(list))
}

// floodShapePeakRSS runs TestHostileFloodChild for shape in a process of
// its own and returns its peak RSS in MiB and what the child printed.
func floodShapePeakRSS(shape string) (int64, string, error) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHostileFloodChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), envFloodChild+"="+shape)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, "", fmt.Errorf("%s: %w: %s", shape, err, out)
	}
	i := bytes.Index(out, []byte("flood child: "))
	if i < 0 {
		return 0, "", fmt.Errorf("%s: the child did not run the flood: %s", shape, out)
	}
	line, _, _ := bytes.Cut(out[i:], []byte("\n"))
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, "", errors.New("no rusage on this platform")
	}
	return ru.Maxrss / 1024, string(line), nil // KiB on Linux
}
