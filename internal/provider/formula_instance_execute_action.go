package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Ensure provider defined types fully satisfy framework interfaces.
var (
	_ action.Action              = (*formulaInstanceExecuteAction)(nil)
	_ action.ActionWithConfigure = (*formulaInstanceExecuteAction)(nil)
)

// defaultExecuteTimeout bounds the wait for an execution to end: an
// execution that never ends must not hold a pipeline's apply for long.
// timeouts.invoke overrides it.
const (
	defaultExecuteTimeout     = 10 * time.Minute
	defaultExecuteTimeoutText = "10m" // for the docs
)

// Polling starts fast, for short formulas, and slows down for long ones.
const (
	firstPoll = 500 * time.Millisecond
	maxPoll   = 10 * time.Second
)

// NewFormulaInstanceExecuteAction returns the cloudelements_formula_instance_execute action.
func NewFormulaInstanceExecuteAction() action.Action {
	return &formulaInstanceExecuteAction{}
}

// formulaInstanceExecuteAction runs a formula instance now and, unless told
// not to, waits for the execution to end.
type formulaInstanceExecuteAction struct {
	actionConfigure
}

type formulaInstanceExecuteModel struct {
	FormulaID         types.String   `tfsdk:"formula_id"`
	FormulaInstanceID types.String   `tfsdk:"formula_instance_id"`
	Input             types.String   `tfsdk:"input"`
	Wait              types.Bool     `tfsdk:"wait"`
	Timeouts          timeouts.Value `tfsdk:"timeouts"`
}

func (a *formulaInstanceExecuteAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_formula_instance_execute"
}

func (a *formulaInstanceExecuteAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Runs a formula instance now (Terraform 1.14 and later) with " +
			"`POST /formulas/{id}/instances/{instanceId}/executions`, e.g. right after a deploy or as a smoke test " +
			"in a pipeline. By default it waits until the execution ends, reporting each step as it runs, and fails " +
			"with the failing step's name and error when the execution fails. The request is never repeated after a " +
			"failure in which it may have reached the platform: a second run is not what was asked. The wait " +
			"ends after " + defaultExecuteTimeoutText + " by default (an error naming the execution, which keeps " +
			"running on the platform); set `timeouts = { invoke = \"30m\" }` to wait longer.",
		Attributes: map[string]schema.Attribute{
			"formula_id": schema.StringAttribute{
				MarkdownDescription: "The formula's numeric id.",
				Required:            true,
				Validators:          []validator.String{validate.FormulaID()},
			},
			"formula_instance_id": schema.StringAttribute{
				MarkdownDescription: "The formula instance's numeric id.",
				Required:            true,
				Validators:          []validator.String{validate.ID("formula instance")},
			},
			"input": schema.StringAttribute{
				MarkdownDescription: "A JSON object handed to the formula's trigger as its event body, e.g. " +
					"`jsonencode({ order = 42 })`. Defaults to `{}`.",
				Optional:   true,
				Validators: []validator.String{validate.JSONObject(`jsonencode({ order = 42 })`)},
			},
			"wait": schema.BoolAttribute{
				MarkdownDescription: "Whether to wait until the execution ends (default `true`). With `false` the " +
					"action ends once the platform has accepted the execution.",
				Optional: true,
			},
			"timeouts": timeouts.AttributesWithOpts(ctx, timeouts.Opts{
				InvokeDescription: "How long to wait for the execution to end, as a duration such as `\"30s\"` " +
					"or `\"1h\"` (default `\"" + defaultExecuteTimeoutText + "\"`).",
			}),
		},
	}
}

func (a *formulaInstanceExecuteAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var m formulaInstanceExecuteModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !dataSourceConfigured(a.provider, &resp.Diagnostics) {
		return
	}
	formulaID, err := validate.ParseFormulaID(m.FormulaID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("formula_id"), "Invalid formula_id", err.Error())
	}
	instanceID, err := validate.ParseID("formula instance", m.FormulaInstanceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("formula_instance_id"), "Invalid formula_instance_id", err.Error())
	}
	timeout, diags := m.Timeouts.Invoke(ctx, defaultExecuteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	progress := func(format string, args ...any) {
		resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(format, args...)})
	}

	var input json.RawMessage
	if !m.Input.IsNull() {
		input = json.RawMessage(m.Input.ValueString())
	}
	// The instance's secrets (its formula's password variables), known to
	// the masker before a failing step's error can quote them.
	a.provider.guard().learnFormulaInstance(ctx, formulaID, instanceID)
	ex, err := a.provider.client.StartFormulaExecution(ctx, formulaID, instanceID, input)
	if err != nil {
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot run formula instance %d of formula %d", instanceID, formulaID),
			a.provider.errorDetail(err))
		return
	}
	progress("Formula instance %d: execution %d started", instanceID, ex.ID)
	if !m.Wait.IsNull() && !m.Wait.ValueBool() {
		return
	}
	start := time.Now()
	status, err := a.wait(ctx, ex.ID, progress)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		resp.Diagnostics.AddError(fmt.Sprintf("Formula execution %d did not end within %s", ex.ID, timeout),
			fmt.Sprintf("The execution %s and was not stopped; see GET "+
				"/formulas/instances/executions/%d. Raise timeouts.invoke to wait longer, or set wait = false.",
				stillStatus(status), ex.ID))
	case err != nil:
		resp.Diagnostics.AddError(fmt.Sprintf("Cannot follow formula execution %d", ex.ID), a.provider.errorDetail(err))
	default:
		a.report(ctx, ex.ID, status, time.Since(start), progress, resp)
	}
}

// wait polls execution id until it ends, reporting each new step, and
// returns its final status (or the last one seen, with the error).
func (a *formulaInstanceExecuteAction) wait(ctx context.Context, id int64, progress func(string, ...any)) (string, error) {
	status, last, interval := "", "", firstPoll
	for {
		select {
		case <-ctx.Done():
			return status, ctx.Err()
		case <-time.After(interval):
		}
		interval = min(interval*2, maxPoll)
		ex, err := a.provider.client.GetFormulaExecution(ctx, id)
		if err != nil {
			return status, err
		}
		status = ex.Status
		if done, _ := cloudelements.Finished(status); done {
			return status, nil
		}
		steps, err := a.provider.client.FormulaExecutionSteps(ctx, id)
		if err != nil {
			return status, err
		}
		if n := len(steps); n > 0 {
			now := fmt.Sprintf("execution %d is %s: step %d %q is %s", id, status, n, steps[n-1].StepName, steps[n-1].Status)
			if now != last {
				progress("Formula %s", now)
				last = now
			}
		}
	}
}

// report ends the invocation: success, or an error naming the failing step
// and its message.
func (a *formulaInstanceExecuteAction) report(ctx context.Context, id int64, status string, took time.Duration,
	progress func(string, ...any), resp *action.InvokeResponse) {
	if _, ok := cloudelements.Finished(status); ok {
		progress("Formula execution %d succeeded after %s", id, took.Round(100*time.Millisecond))
		return
	}
	summary := fmt.Sprintf("Formula execution %d %s", id, status)
	steps, err := a.provider.client.FormulaExecutionSteps(ctx, id)
	if err != nil {
		resp.Diagnostics.AddError(summary, "Reading its steps to find the failing one failed too: "+a.provider.errorDetail(err))
		return
	}
	for _, s := range steps {
		if done, ok := cloudelements.Finished(s.Status); done && !ok {
			msg := s.Failure()
			if msg == "" {
				msg = "(the step left no error message)"
			}
			resp.Diagnostics.AddError(summary, fmt.Sprintf("Step %q failed: %s", s.StepName, msg))
			return
		}
	}
	resp.Diagnostics.AddError(summary, fmt.Sprintf("The platform reports the execution %s without naming a failed "+
		"step; see GET /formulas/instances/executions/%d/steps.", status, id))
}

// stillStatus says what is known of an execution that has not ended: its
// last status, or that none was read before the timeout.
func stillStatus(status string) string {
	if status == "" {
		return "was not polled before the timeout came, so its status is unknown; it may still run on the platform"
	}
	return fmt.Sprintf("is still %q on the platform", status)
}
