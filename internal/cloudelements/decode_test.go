package cloudelements

import (
	"encoding/json"
	"reflect"
	"testing"
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

func FuzzDecodeInstance(f *testing.F) {
	f.Add([]byte(seedExample))
	f.Fuzz(func(t *testing.T, body []byte) {
		inst, err := DecodeInstance(body)
		if err != nil {
			if inst != nil {
				t.Fatal("instance and error")
			}
			return
		}
		checkDecoded(t, *inst)
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
