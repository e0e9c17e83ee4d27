package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/harness"
)

// goBenchArgs are the Go benchmarks of the client's encode and decode paths.
var goBenchArgs = []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", "3", "./internal/cloudelements"}

// goBenchmarks runs them and returns the command and its result lines.
func goBenchmarks(ctx context.Context) (command string, lines []string, err error) {
	root, err := harness.RepoRoot(ctx)
	if err != nil {
		return "", nil, err
	}
	cmd := exec.CommandContext(ctx, "go", goBenchArgs...)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	command = "go " + strings.Join(goBenchArgs, " ")
	if err != nil {
		return command, nil, fmt.Errorf("%s: %w\n%s%s", command, err, out, stderr.String())
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "cpu:") {
			lines = append(lines, line)
		}
	}
	return command, lines, nil
}
