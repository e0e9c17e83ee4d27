package provider

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// commonResourceRowFields are the fields of the row's common resources, as
// configured and as seeded.
const commonResourceRowFields = `  fields = [
    { path = "email", type = "string" },
    { path = "address.city", type = "string", level = "account" },
  ]
`

func commonResourceRowSeedFields() []emulator.VDRField {
	return []emulator.VDRField{{Path: "email", Type: "string"}, {Path: "address.city", Type: "string", Level: "account"}}
}

// rowObjectName is the object_name of the row's asset named name. A
// scenario's name is the common resource's display_name; its object_name,
// its identity, is made from it (the platform takes no spaces in it), and
// stays across the rename of "import then update": changing object_name
// replaces a common resource, and that scenario tests an update in place.
func rowObjectName(name string) string {
	if name == "renamed" {
		name = "imported"
	}
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, name)
}

// commonResourceRow is cloudelements_common_resource. What the scenarios
// give other kinds that a common resource has not:
//   - no createdDate: a look-alike made field for field as the
//     configuration asks cannot be told from what a lost POST made (the
//     client adopts it, the one case CreateVDR documents). The row's
//     look-alike, seeded with a date after the create, differs in a
//     field's type, which the lookup sees; objectName being unique, the
//     create then fails on the name as the scenario expects;
//   - no numbers: numbersAsStrings checks ids above a million answered as
//     strings (the formula it seeds for a sub-formula call is not used);
//   - destroy with literal ids: the estate is a common resource and a
//     transformation of it (vdrEstate), the parent being this kind.
func commonResourceRow() kindRow {
	return kindRow{
		name: "common resource", resource: "cloudelements_common_resource", post: "/vdrs", unique: true,
		config: func(o kindOpts) string {
			object := rowObjectName(o.name)
			if o.count > 1 {
				object += "-${count.index}"
			}
			return fmt.Sprintf(`resource "cloudelements_common_resource" "k" {
  count        = %d
  object_name  = %q
  display_name = %s
%s%s}
`, max(o.count, 1), object, o.named(), commonResourceRowFields, o.extra)
		},
		ids: func(emu *emulator.Server) (ids []int64) {
			for _, v := range emu.VDRs() {
				if !strings.HasPrefix(v.ObjectName, depName) {
					ids = append(ids, v.ID)
				}
			}
			return ids
		},
		seed: func(emu *emulator.Server, name string, date time.Time) (int64, string) {
			fields := commonResourceRowSeedFields()
			if date.After(time.Now()) {
				fields[0].Type = "number" // a look-alike made after the create
			}
			v := emu.PutVDR(emulator.VDR{ObjectName: rowObjectName(name), DisplayName: name, Fields: fields})
			return v.ID, strconv.FormatInt(v.ID, 10)
		},
		foreign: `{"id":%d,"objectName":"someone_else_s","displayName":"someone else's",` +
			`"fields":[{"id":7,"path":"email","type":"string","level":"organization"}]}`,
		outside: func(emu *emulator.Server) func(*terraform.State, *emulator.Server) error {
			for _, v := range emu.VDRs() { // every one deleted
				emu.RemoveVDR(v.ID)
			}
			return goneFromState("cloudelements_common_resource")
		},
		estate: func(emu *emulator.Server) (string, string) {
			return vdrEstate(emu, "cloudelements_common_resource.k", "estate",
				"cloudelements_common_resource_transformation.dep", depName+"estate")
		},
	}
}
