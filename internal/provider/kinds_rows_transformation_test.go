package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// The kind conformance row of cloudelements_common_resource_transformation.
//
// A transformation belongs to a common resource (VDR), which the row seeds
// (prepare: four, at fixed ids, one per asset of the scenarios that make
// four, since the platform keeps one transformation per VDR and target).
// How the scenarios apply to a kind without a name or a date of its own:
//
//   - names the platform trims or strips: the name is the vendor name,
//     which the platform keeps as sent (no normalisation is documented);
//     the scenario proves it settles as written;
//   - look-alikes and someone else's (seeded with a date): what tells two
//     transformations apart is their target, so these map the same VDR
//     onto another element (zendesk). One onto the same target would make
//     the platform refuse the create (409), which a hand-made asset of a
//     kind with unique names does too;
//   - destroy with literal ids: the parent is the common resource, which
//     the platform may refuse to delete while it has transformations
//     (the assets-refuse profile does), imported with it (vdrEstate).
//   - numbers at every magnitude: in a field's configuration properties.
func commonResourceTransformationRow() kindRow {
	const firstVDR = 7701 // below the emulator's VDR ids: never handed out
	field := func(numbers bool) string {
		cfg := ""
		if numbers {
			cfg = `, configuration = jsonencode([{ type = "format", properties = { retries = 3, timeout = 3600000, ` +
				`rate = 0.00001, tiny = 0.0000001, huge = 1e21, half = 0.5 } }])`
		}
		return `{ path = "firstName", type = "string", vendor_path = "name.first"` + cfg + ` }`
	}
	const script = "  script = { body = \"done(transformed);\\n\" }\n"
	fields := []emulator.TransformationField{{Path: "firstName", Type: "string", VendorPath: "name.first"}}
	seedOnto := func(emu *emulator.Server, key string, instanceID int64, name string) emulator.Transformation {
		t, _ := emu.PutTransformation(emulator.Transformation{VDRID: firstVDR, ElementKey: key, InstanceID: instanceID,
			VendorName: name, Fields: fields,
			Script: &emulator.TransformationScript{Body: "done(transformed);\n", MimeType: "application/javascript"}})
		return t
	}
	return kindRow{
		name: "transformation", resource: "cloudelements_common_resource_transformation", post: "/vdrs/*/transformations",
		prepare: func(emu *emulator.Server) {
			for i := range 4 {
				emu.PutVDR(emulator.VDR{ID: firstVDR + int64(i), ObjectName: fmt.Sprintf("kinds%d", i),
					Fields: []emulator.VDRField{{Path: "firstName", Type: "string"}}})
			}
		},
		config: func(o kindOpts) string {
			vdr := fmt.Sprintf(`tostring(%d + count.index)`, firstVDR)
			if o.parent != "" {
				vdr = strconv.Quote(o.parent)
			}
			return fmt.Sprintf(`resource "cloudelements_common_resource_transformation" "k" {
  count              = %d
  common_resource_id = %s
  element_key        = "freshdeskv2"
  vendor_name        = %s
  fields             = [%s]
%s%s}
`, max(o.count, 1), vdr, o.named(), field(o.numbers), script, o.extra)
		},
		ids: func(emu *emulator.Server) (ids []int64) {
			for _, t := range emu.Transformations() {
				if !strings.HasPrefix(t.VendorName, depName) {
					ids = append(ids, t.ID)
				}
			}
			return ids
		},
		seed: func(emu *emulator.Server, name string, date time.Time) (int64, string) {
			key := "freshdeskv2" // the configuration's own target: to import
			if !date.IsZero() {
				key = "zendesk" // someone else's, or a look-alike: another target
			}
			t := seedOnto(emu, key, 0, name)
			return t.ID, fmt.Sprintf("%d/%d", firstVDR, t.ID)
		},
		foreign: `{"id":%d,"level":"organization","elementKey":"zendesk","vendorName":"someone else's",` +
			`"fields":[{"path":"firstName","type":"string","vendorPath":"given"}]}`,
		outside: func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error {
			for _, t := range emu.Transformations() { // every one deleted
				emu.RemoveTransformation(t.ID)
			}
			return goneFromState("cloudelements_common_resource_transformation")
		},
		estate: func(emu *emulator.Server) (string, string) {
			return vdrEstate(emu, "cloudelements_common_resource.dep", depName+"estate",
				"cloudelements_common_resource_transformation.k", "estate")
		},
	}
}

// vdrEstate seeds a common resource and a transformation of it made by
// hand and returns the configuration importing both with literal ids, and
// the transformation's delete: the estate of both rows. vdr and tr are
// their addresses (k for the row's kind, dep for the other), object and
// vendor their names (the dep one starting with depName).
func vdrEstate(emu *emulator.Server, vdr, object, tr, vendor string) (string, string) {
	v := emu.PutVDR(emulator.VDR{ObjectName: object, DisplayName: object,
		Fields: []emulator.VDRField{{Path: "firstName", Type: "string"}}})
	t, _ := emu.PutTransformation(emulator.Transformation{VDRID: v.ID, ElementKey: "freshdeskv2", VendorName: vendor,
		Fields: []emulator.TransformationField{{Path: "firstName", Type: "string", VendorPath: "name.first"}}})
	return importBlock(vdr, strconv.FormatInt(v.ID, 10)) +
			fmt.Sprintf(`resource %q %q {
  object_name  = %[3]q
  display_name = %[3]q
  fields       = [{ path = "firstName", type = "string" }]
}
`, "cloudelements_common_resource", strings.TrimPrefix(vdr, "cloudelements_common_resource."), object) +
			importBlock(tr, fmt.Sprintf("%d/%d", v.ID, t.ID)) +
			fmt.Sprintf(`resource "cloudelements_common_resource_transformation" %q {
  common_resource_id = "%d"
  element_key        = "freshdeskv2"
  vendor_name        = %q
  fields             = [{ path = "firstName", type = "string", vendor_path = "name.first" }]
}
`, strings.TrimPrefix(tr, "cloudelements_common_resource_transformation."), v.ID, vendor),
		"/vdrs/*/transformations/*"
}
