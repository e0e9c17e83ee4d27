package emulator

import (
	"encoding/json"
	"time"
)

// Formula is a stored formula (the platform's workflow). Step and trigger
// properties are kept as the compact JSON that was sent.
type Formula struct {
	ID             int64
	Name           string
	Description    string
	Active         bool
	SingleThreaded bool
	// Engine and DebugLogging (debugLoggingEnabled) are the platform's
	// own settings of a formula; "" answers the default engine.
	Engine        string
	DebugLogging  bool
	CreatedDate   time.Time
	Configuration []FormulaConfig
	Triggers      []FormulaTrigger
	Steps         []FormulaStep
}

// FormulaConfig is one configuration variable of a formula.
type FormulaConfig struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// FormulaTrigger starts a formula; ID is assigned by the emulator.
type FormulaTrigger struct {
	ID         int64
	Type       string
	OnSuccess  []string
	OnFailure  []string
	Properties json.RawMessage
}

// FormulaStep is one step of a formula; ID is assigned by the emulator.
type FormulaStep struct {
	ID         int64
	Name       string
	Type       string
	OnSuccess  []string
	OnFailure  []string
	Properties json.RawMessage
}

// FormulaInstance is a stored formula instance: a formula bound to
// element instances through its configuration.
type FormulaInstance struct {
	ID            int64
	FormulaID     int64
	Name          string
	Active        bool
	CreatedDate   time.Time
	Configuration map[string]string
	Settings      map[string]any
}

// Execution is one run of a formula instance. Its status is derived from
// the time since it started and the server's ExecutionPlan.
type Execution struct {
	ID                int64
	FormulaInstanceID int64
	Started           time.Time
	Input             json.RawMessage
}

// ExecutionPlan says how executions run: each step takes StepDelay, and
// an execution fails at the step named FailAtStep (if the formula has it)
// instead of succeeding.
type ExecutionPlan struct {
	StepDelay  time.Duration
	FailAtStep string
}

// The Variance.FormulaStepIDs values.
const (
	StepIDsStable     = "stable"     // ids assigned once, kept across PUT
	StepIDsReassigned = "reassigned" // new ids on every PUT
)

// The Variance.FormulaDelete and Variance.ElementInstanceDelete values:
// what the platform does with formula instances when their formula or an
// element instance they are bound to is deleted. "" is the default:
// deleting a formula deletes its instances; deleting an element instance
// leaves the formula instances bound to it as they are.
const (
	AssetsRefuse  = "refuse"  // the delete is refused with 409 while bound
	AssetsCascade = "cascade" // the bound formula instances are deleted too
)
