package emulator

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// Profile is a named combination of the answer switches: the Variance plus
// the two older Options that vary answers too.
type Profile struct {
	Variance       Variance `json:"variance"`
	KeepTokenOnPut bool     `json:"keepTokenOnPut,omitempty"`
	MaskUsername   bool     `json:"maskUsername,omitempty"`
	// Covers says which part of the envelope the profile stands for.
	Covers string `json:"covers,omitempty"`
}

// Profiles are the named profiles, for table-driven tests and the emulator
// command's -profile flag. Together they cover every switch; "default" is
// the zero Profile. Use Options.WithProfile or ProfileNames.
var Profiles = map[string]Profile{
	"default": {Covers: "documented answers: numeric ids, Z dates, [] and {}, token reissued on PUT"},
	"token-churn": {
		Variance: Variance{TokenOnPatch: true, InvalidAfterWrite: true, FormulaStepIDs: StepIDsReassigned, ReauthReplaces: true},
		Covers: "token reissued on PUT and PATCH; valid=false after every write; formula step ids reassigned on PUT; " +
			"re-authentication replaces the configuration",
	},
	"events-put-only": {
		Variance: Variance{Events: EventsOnPutOnly},
		Covers:   "eventsEnabled follows the configuration on POST and PUT only",
	},
	"events-never": {
		Variance:       Variance{Events: EventsNever, DateFormat: DateOffset},
		KeepTokenOnPut: true,
		Covers:         "eventsEnabled fixed at create; token kept on PUT; dates +0000",
	},
	"disabled-late": {
		Variance: Variance{DisabledLag: 300 * time.Millisecond},
		Covers:   "disabled reported 300ms after an enable/disable call",
	},
	"strings": {
		Variance: Variance{IDsAsStrings: true, ConfigBoolsAsJSON: true, DateFormat: DateColonOffsetMillis, FormulaStepIDs: StepIDsStable},
		Covers:   "ids (formula step ids and numbers in properties too) as JSON strings; configuration booleans as JSON booleans; dates +00:00 with ms",
	},
	"sparse": {
		Variance: Variance{Empty: EmptyAbsent, ElementIDOnly: true, NullTagsWhenEmpty: true, DateFormat: DateOffsetMillis,
			ElementSummaryOnly: true},
		Covers: "empty parts absent; element {id} only; tags null when none; dates +0000 with ms; " +
			"element lookups without configuration entries",
	},
	"nulls": {
		Variance: Variance{Empty: EmptyNull, DateFormat: DateZMillis},
		Covers:   "empty parts null; dates Z with ms",
	},
	"noisy": {
		Variance: Variance{ExtraFields: true, ShuffleTags: true, ClearSecrets: true, DateFormat: DateColonOffset,
			FormulaDefaults: true, FormulaReordered: true, VDRExtras: true, VDRReordered: true, ScriptTrimmed: true},
		Covers: "unknown extra fields; tags in any order; secrets in clear; dates +00:00; formula defaults added, keys reordered; " +
			"VDR system fields and ids added, VDR and transformation fields reordered, script bodies trimmed",
	},
	"proxy-404": {
		Variance: Variance{NotFoundBody: NotFoundHTML, NoEnabledByID: true},
		Covers:   "unknown paths 404 with an HTML page; no /instances/{id}/enabled",
	},
	"empty-404": {
		Variance: Variance{NotFoundBody: NotFoundEmpty, NoEnabledByID: true},
		Covers:   "unknown paths 404 with no body; no /instances/{id}/enabled",
	},
	"assets-refuse": {
		Variance: Variance{FormulaDelete: AssetsRefuse, ElementInstanceDelete: AssetsRefuse, VDRDelete: AssetsRefuse},
		Covers:   "deleting a formula or element instance with formula instances bound, or a VDR with transformations, is refused (409)",
	},
	"assets-cascade": {
		Variance: Variance{FormulaDelete: AssetsCascade, ElementInstanceDelete: AssetsCascade, FormulaStepIDs: StepIDsStable,
			VDRDelete: AssetsCascade},
		Covers: "deleting a formula or element instance deletes the formula instances bound to it; deleting a VDR its transformations",
	},
	"formula-rewrite": {
		Variance: Variance{FormulaRewrite: true, FormulaDefaults: true},
		Covers: "formula PUT replaces it whole (engine, debug logging reset); triggers reordered; script bodies " +
			"trimmed; formula instance settings defaults added",
	},
	"list-abridged": {
		Variance: Variance{ListAbridged: true},
		Covers:   "listing items without configuration and token (formulas, VDRs and transformations without their parts)",
	},
	"list-stale": {
		Variance: Variance{ListStale: 3 * time.Second},
		Covers:   "listings answer the stores as they were 3s ago",
	},
	"vdr-legacy": {
		Variance: Variance{VDRLegacyOnly: true},
		Covers:   "no VDR v2 (/vdrs answered as an unknown path): legacy object definitions only",
	},
	"masked": {
		MaskUsername: true, KeepTokenOnPut: true,
		Covers: "configuration.username masked; token kept on PUT",
	},
}

// ProfileNames lists the profile names, sorted.
func ProfileNames() []string {
	names := make([]string, 0, len(Profiles))
	for n := range Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// WithProfile returns o with the named profile's Variance, KeepTokenOnPut
// and MaskUsername (replacing o's).
func (o Options) WithProfile(name string) (Options, error) {
	p, ok := Profiles[name]
	if !ok {
		return o, fmt.Errorf("unknown emulator profile %q (known: %s)", name, strings.Join(ProfileNames(), ", "))
	}
	o.Variance, o.KeepTokenOnPut, o.MaskUsername = p.Variance, p.KeepTokenOnPut, p.MaskUsername
	return o, nil
}

// profile is the part of o that Profile describes.
func (o Options) profile() Profile {
	return Profile{Variance: o.Variance, KeepTokenOnPut: o.KeepTokenOnPut, MaskUsername: o.MaskUsername}
}
