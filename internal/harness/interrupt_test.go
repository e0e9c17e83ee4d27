package harness

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

// TestInterruptedApply sends SIGINT (as Ctrl-C does, to the process group)
// to `terraform apply` of 50 instances once some exist, lets Terraform finish
// the operations in flight, applies again, and checks that state and
// emulator agree: 50 instances, one per name, none outside state (issue 4).
func TestInterruptedApply(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	const n = 50
	// The build has a deadline of its own: on a loaded machine with a cold
	// build cache it can take minutes, which says nothing about the apply.
	buildCtx, cancelBuild := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancelBuild()
	tools, err := Build(buildCtx, t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// Latency makes the apply take seconds, so SIGINT lands mid-way.
	emu, err := StartEmulator(emulator.Options{Seed: 4, Faults: emulator.Faults{
		Latency: 150 * time.Millisecond, LatencyJitter: 100 * time.Millisecond,
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer emu.Close()
	ws, err := NewWorkspace(t.TempDir(), tools.Env(emu.Env(0)...))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Kind: Provider, N: n, Prefix: "interrupt-", Tags: []string{"interrupt"}}
	if err := ws.WriteConfig(cfg); err != nil {
		t.Fatal(err)
	}

	p, err := ws.Start(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var first *Run
	var waitErr error
	go func() {
		first, waitErr = p.Wait()
		close(done)
	}()
	atInterrupt := -1
poll:
	for {
		select {
		case <-done:
			break poll
		case <-time.After(20 * time.Millisecond):
		}
		if c := emu.Stats().Creates; c >= 15 {
			atInterrupt = c
			if err := p.Interrupt(); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	<-done
	if waitErr != nil {
		t.Fatal(waitErr)
	}
	if atInterrupt < 0 {
		t.Fatalf("apply ended before 15 instances existed: %s", first)
	}
	state, err := ws.State()
	if err != nil {
		t.Fatal(err)
	}
	mid := AuditInstances(cfg.Names(), emu.Instances(), state)
	t.Logf("SIGINT at %d instances; first apply exit %d after %.1fs; then: %s", atInterrupt, first.ExitCode, first.Wall.Seconds(), mid)
	if first.ExitCode == 0 {
		t.Logf("note: the interrupted apply exited 0")
	}
	if mid.Orphans != 0 || mid.Duplicates != 0 {
		t.Errorf("right after the interrupt: %s", mid)
	}

	emu.SetFaults(emulator.Faults{})
	again, err := ws.Terraform(ctx, "apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=10")
	if err != nil {
		t.Fatal(err)
	}
	if again.ExitCode != 0 {
		t.Fatalf("second apply: %s\n%s", again, again.Tail(20))
	}
	if state, err = ws.State(); err != nil {
		t.Fatal(err)
	}
	final := AuditInstances(cfg.Names(), emu.Instances(), state)
	t.Logf("after the second apply (%.1fs): %s", again.Wall.Seconds(), final)
	if !final.OK() || len(emu.Instances()) != n {
		t.Errorf("want %d instances in state and emulator, one per name, none orphaned; got %s, emulator holds %d",
			n, final, len(emu.Instances()))
	}
}
