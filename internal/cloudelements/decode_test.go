package cloudelements

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// seedExample is the freshdeskv2 create response from the element docs,
// trimmed, with configuration values of every JSON type.
const seedExample = `{
  "id": 12345, "name": "API Instance", "createdDate": "2017-08-07T18:46:38Z",
  "token": "ABC/Dxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
  "element": {"id": 491, "name": "Freshdesk V2", "hookName": "Freshdeskv2", "key": "freshdeskv2",
    "active": true, "resources": [], "authentication": {"type": "basic"}, "hub": "helpdesk", "parameters": []},
  "elementId": 491, "tags": ["Docs"], "provisionInteractions": [], "valid": true, "disabled": false,
  "maxCacheSize": 0, "cacheTimeToLive": 0,
  "configuration": {"subdomain": "cloudelements", "filter.response.nulls": true, "event.poller.refresh_interval": 15,
    "event.notification.callback.url": null, "event.poller.configuration": {"tickets": {"url": "/hubs/x"}}},
  "eventsEnabled": false, "traceLoggingEnabled": false, "externalAuthentication": "none", "user": {"id": 12345}
}`

func TestDecodeInstanceNormalises(t *testing.T) {
	inst, err := DecodeInstance([]byte(seedExample))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"subdomain": "cloudelements", "filter.response.nulls": "true", "event.poller.refresh_interval": "15",
		"event.poller.configuration": `{"tickets":{"url":"/hubs/x"}}`,
	}
	if !reflect.DeepEqual(inst.Configuration, want) || inst.ID != 12345 || inst.Element.Key != "freshdeskv2" ||
		!reflect.DeepEqual(inst.Tags, []string{"Docs"}) || !inst.Valid {
		t.Errorf("%+v", inst)
	}
	old, err := DecodeInstance([]byte(`{"id":4590,"tags":[{"id":12,"name":"old"},"new",null]}`))
	if err != nil || !reflect.DeepEqual(old.Tags, []string{"old", "new"}) {
		t.Errorf("object tags: %v %v", old, err)
	}
	for _, bad := range []string{`{"id":1,"tags":[3]}`, `{"id":1,"tags":[{"id":1}]}`, `{"id":1,"configuration":[]}`, `{"id":-4}`, `null`, `{"id":1}x`} {
		if _, err := DecodeInstance([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	list, err := DecodeInstances([]byte(`[` + seedExample + `,{"id":2}]`))
	if err != nil || len(list) != 2 {
		t.Errorf("list %v %v", list, err)
	}
	for _, bad := range []string{`null`, `{}`, `[1]`, `[{"id":0}]`, `<html>`} {
		if _, err := DecodeInstances([]byte(bad)); err == nil {
			t.Errorf("list %s: no error", bad)
		}
	}
}

// envelopeVariants are answers within the platform's documented envelope
// (issue 12), each with the instance they must decode to. They also seed
// FuzzDecodeInstance.
var envelopeVariants = []struct {
	name, body string
	want       Instance
}{
	{"ids as strings", `{"id":"12","elementId":"491","element":{"id":"491","key":"freshdeskv2"}}`,
		Instance{ID: 12, ElementID: 491, Element: ElementRef{ID: 491, Key: "freshdeskv2"}}},
	{"element id alone", `{"id":12,"element":{"id":491}}`,
		Instance{ID: 12, ElementID: 491, Element: ElementRef{ID: 491}}},
	{"elementId alone", `{"id":12,"elementId":491}`,
		Instance{ID: 12, ElementID: 491, Element: ElementRef{ID: 491}}},
	{"date with offset", `{"id":12,"createdDate":"2017-08-07T18:46:38.123+0000"}`,
		Instance{ID: 12, CreatedDate: "2017-08-07T18:46:38.123+0000"}},
	{"date as epoch millis", `{"id":12,"createdDate":1502131598000}`,
		Instance{ID: 12, CreatedDate: "1502131598000"}},
	{"date as epoch millis string", `{"id":12,"createdDate":"1502131598000"}`,
		Instance{ID: 12, CreatedDate: "1502131598000"}},
	{"nulls", `{"id":12,"name":null,"token":null,"createdDate":null,"element":null,"elementId":null,"tags":null,
		"configuration":null,"valid":null,"disabled":null,"eventsEnabled":null}`, Instance{ID: 12}},
	{"absent", `{"id":12}`, Instance{ID: 12}},
	{"empty", `{"id":12,"name":"","element":{},"tags":[],"configuration":{}}`,
		Instance{ID: 12, Tags: []string{}, Configuration: map[string]string{}}},
	{"booleans as strings", `{"id":12,"valid":"true","disabled":"false","eventsEnabled":"TRUE"}`,
		Instance{ID: 12, Valid: true, EventsEnabled: true}},
	{"booleans", `{"id":12,"valid":false,"disabled":true,"eventsEnabled":true}`,
		Instance{ID: 12, Disabled: true, EventsEnabled: true}},
	{"configuration of every type", `{"id":12,"configuration":{"a":"x","b":true,"c":15,"d":null,"e":{"k": [1, "v"]}}}`,
		Instance{ID: 12, Configuration: map[string]string{"a": "x", "b": "true", "c": "15", "e": `{"k":[1,"v"]}`}}},
	{"tags in any form", `{"id":12,"tags":["b","a","b",{"id":3,"name":"a"},null,"c"]}`,
		Instance{ID: 12, Tags: []string{"b", "a", "c"}}},
	{"unknown fields", `{"extra":{"nested":[{"id":1},{"id":2}],"n":null},"id":12,"user":{"id":99},"maxCacheSize":0}`,
		Instance{ID: 12}},
	{"token only in exact case", `{"id":12,"Token":"not-it","TOKEN":"nor-this","token":"tok"}`,
		Instance{ID: 12, Token: "tok"}},
	{"other keys only in exact case", `{"ID":7,"id":12,"Name":"no","name":"yes","Valid":true}`,
		Instance{ID: 12, Name: "yes"}},
	{"escaped key", `{"\u0069d":12,"na\u006de":"a\u0026b"}`, Instance{ID: 12, Name: "a&b"}},
}

func TestDecodeEnvelope(t *testing.T) {
	for _, v := range envelopeVariants {
		inst, err := DecodeInstance([]byte(v.body))
		if err != nil {
			t.Errorf("%s: %v", v.name, err)
			continue
		}
		if !reflect.DeepEqual(*inst, v.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", v.name, *inst, v.want)
		}
		list, err := DecodeInstances([]byte("[" + v.body + "]"))
		if err != nil || len(list) != 1 || !reflect.DeepEqual(list[0], v.want) {
			t.Errorf("%s in a list: %+v %v", v.name, list, err)
		}
	}
}

func TestDecodeRejects(t *testing.T) {
	for body, want := range map[string]string{
		`{"id":1,"id":2}`:                                  `duplicate key "id"`,
		`{"id":1,"\u0069d":2}`:                             `duplicate key "id"`,
		`{"id":1,"token":"a","token":"b"}`:                 `duplicate key "token"`,
		`{"id":1,"configuration":{"a":"1","a":"2"}}`:       `duplicate key "a" in "configuration"`,
		`{"id":1,"element":{"id":1,"key":"x","id":2}}`:     `duplicate key "id" in "element"`,
		`{"id":1,"x":[{"a":[{"deep":1,"deep":2}]}]}`:       `duplicate key "deep" in "a"`,
		`{"id":1,"tags":[{"id":1,"name":"a","name":"b"}]}`: `duplicate key "name" in "tags"`,
		`{"id":1.5}`:                    "id is not a whole number",
		`{"id":"-3"}`:                   "id is not a whole number",
		`{"id":"1e3"}`:                  "id is not a whole number",
		`{"id":"99999999999999999999"}`: "id is not a whole number",
		`{"id":true}`:                   "id is not a whole number",
		`{"id":1,"elementId":"x"}`:      "elementId is not a whole number",
		`{"id":1,"valid":"yes"}`:        "valid is not a boolean",
		`{"id":1,"disabled":1}`:         "disabled is not a boolean",
		`{"id":1,"name":3}`:             "name is not a string",
		`{"id":1,"token":{}}`:           "token is not a string",
		`{"id":1,"createdDate":true}`:   "createdDate is not a string",
		`{"id":1,"element":[]}`:         "element is not an object",
		`{"id":1,"element":{"id":"x"}}`: "element.id is not a whole number",
		`{"id":1,"tags":{}}`:            "tags is not an array",
		`{"id":1,"configuration":"x"}`:  "configuration is not an object",
		`{"id":0}`:                      "no positive id",
		`{"id":null}`:                   "no positive id",
		`{"id":1,"name":"x"`:            "invalid instance JSON",
		`{"id":1} {"id":2}`:             "invalid instance JSON",
	} {
		_, err := DecodeInstance([]byte(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: got %v, want %q", body, err, want)
		}
	}
}

// A duplicate past the point where the check switches to a map is found
// too, and the same key in sibling or nested objects is no duplicate.
func TestDecodeDuplicateKeysManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"id":1,"configuration":{`)
	for i := range 3 * maxLinearKeys {
		fmt.Fprintf(&b, `"k%d":"v",`, i)
	}
	ok := b.String() + `"id":{"id":{"id":1}}}}`
	if inst, err := DecodeInstance([]byte(ok)); err != nil || len(inst.Configuration) != 3*maxLinearKeys+1 {
		t.Fatalf("%v", err)
	}
	dup := b.String() + fmt.Sprintf(`"k%d":"again"}}`, 2*maxLinearKeys)
	if _, err := DecodeInstance([]byte(dup)); err == nil || !strings.Contains(err.Error(), fmt.Sprintf(`duplicate key "k%d"`, 2*maxLinearKeys)) {
		t.Fatalf("%v", err)
	}
}

func TestParseCreatedDate(t *testing.T) {
	want := time.Date(2017, 8, 7, 18, 46, 38, 0, time.UTC)
	milli := want.Add(123 * time.Millisecond)
	for s, w := range map[string]time.Time{
		"2017-08-07T18:46:38Z":          want,
		"2017-08-07T18:46:38.123Z":      milli,
		"2017-08-07T18:46:38+00:00":     want,
		"2017-08-07T18:46:38.123+00:00": milli,
		"2017-08-07T18:46:38+0000":      want,
		"2017-08-07T18:46:38.123+0000":  milli,
		"2017-08-07T20:46:38+0200":      want,
		"2017-08-07T20:46:38.123+02:00": milli,
		"2017-08-07T18:46:38+00":        want,
		"2017-08-07T18:46:38":           want,
		"2017-08-07 18:46:38":           want,
		"2017-08-07 18:46:38.123Z":      milli,
		"1502131598123":                 milli,
		" 1502131598000 ":               want,
	} {
		got, ok := ParseCreatedDate(s)
		if !ok || !got.Equal(w) || got.Location() != time.UTC {
			t.Errorf("%q: %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "yesterday", "2017-08-07", "0", "-5", "2017-13-07T18:46:38Z"} {
		if got, ok := ParseCreatedDate(s); ok {
			t.Errorf("%q parsed as %v", s, got)
		}
	}
}

func TestEncodeRequest(t *testing.T) {
	b, err := encodeRequest(InstanceRequest{Element: ElementRef{Key: "freshdeskv2"}, Name: "n"})
	if err != nil || string(b) != `{"element":{"key":"freshdeskv2"},"name":"n","configuration":{},"tags":[]}` {
		t.Errorf("%s %v", b, err)
	}
	var none []string
	b, _ = encodePatch(InstancePatch{Tags: &none})
	if string(b) != `{"tags":[]}` {
		t.Errorf("patch %s", b)
	}
}

// checkDecoded holds for every instance the decoders accept.
func checkDecoded(t *testing.T, inst Instance) {
	if inst.ID <= 0 {
		t.Fatalf("accepted id %d", inst.ID)
	}
	if _, err := json.Marshal(inst); err != nil {
		t.Fatal(err)
	}
}

// FuzzDecodeInstance: the decoder never panics, and whatever it accepts is
// valid JSON with a positive id, decoded the same way as a list item and
// salvaged as the same id. The seeds are every envelope variant (see also
// testdata/fuzz).
func FuzzDecodeInstance(f *testing.F) {
	f.Add([]byte(seedExample))
	for _, v := range envelopeVariants {
		f.Add([]byte(v.body))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		inst, err := DecodeInstance(body)
		item, itemErr := decodeInstanceItem(body)
		if err != nil {
			if inst != nil {
				t.Fatal("instance and error")
			}
			return
		}
		checkDecoded(t, *inst)
		if !json.Valid(body) || itemErr != nil || !reflect.DeepEqual(inst, item) {
			t.Fatalf("accepted %q; as a list item: %+v %v", body, item, itemErr)
		}
		// The create salvage finds the same id in an answer that decodes.
		if id := salvageID(body); id != inst.ID {
			t.Fatalf("%q: salvaged id %d, decoded %d", body, id, inst.ID)
		}
	})
}

func FuzzDecodeInstances(f *testing.F) {
	f.Add([]byte(`[` + seedExample + `]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		list, err := DecodeInstances(body)
		if err != nil {
			return
		}
		for _, inst := range list {
			checkDecoded(t, inst)
		}
	})
}

func FuzzRedactJSON(f *testing.F) {
	f.Add([]byte(`{"token":"t","configuration":{"username":"k","subdomain":"s"}}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		s, ok := RedactJSON(body)
		if ok && !json.Valid([]byte(s)) {
			t.Fatalf("invalid output %q", s)
		}
	})
}

func BenchmarkEncodeInstanceRequest(b *testing.B) {
	req := testRequest()
	req.Configuration[ConfigEventsEnabled] = "true"
	req.Configuration[ConfigEventsCallbackURL] = "https://hooks.example.com/fd"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeRequest(req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeInstance(b *testing.B) {
	body := []byte(seedExample)
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := DecodeInstance(body); err != nil {
			b.Fatal(err)
		}
	}
}
