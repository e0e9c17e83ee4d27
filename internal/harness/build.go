// Package harness drives Terraform against locally built providers and the
// in-process emulator, for the soak, the interrupt test and the benchmark.
//
// Everything runs on loopback: providers are built into a temporary
// directory and served through dev_overrides, so no registry is contacted
// and no `terraform init` is needed.
package harness

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Provider addresses served through dev_overrides.
const (
	ProviderSource = "registry.terraform.io/cloudelements/cloudelements"
	FloorSource    = "registry.terraform.io/cloudelements/floor"
	// ServedFloorSource is the floor binary run with -served.
	ServedFloorSource = "registry.terraform.io/cloudelements/floorserved"
)

// Tools are the built binaries and the Terraform CLI configuration that
// points Terraform at them.
type Tools struct {
	// PluginDir is the dev_overrides directory: wrapper scripts named like
	// provider binaries.
	PluginDir string
	// CLIConfig is the file passed as TF_CLI_CONFIG_FILE.
	CLIConfig string
	// HasProvider is false when only the floor was built.
	HasProvider bool
}

// RepoRoot finds the module root by asking the go command.
func RepoRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	mod := strings.TrimSpace(string(out))
	if mod == "" || mod == os.DevNull {
		return "", fmt.Errorf("not inside the module (go env GOMOD=%q)", mod)
	}
	return filepath.Dir(mod), nil
}

// Build compiles the floor provider, the RSS wrapper and, when withProvider
// is set, the real provider into dir, and writes the CLI configuration.
func Build(ctx context.Context, dir string, withProvider bool) (*Tools, error) {
	root, err := RepoRoot(ctx)
	if err != nil {
		return nil, err
	}
	dir, err = filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	binDir := filepath.Join(dir, "bin")
	t := &Tools{
		PluginDir:   filepath.Join(dir, "plugins"),
		CLIConfig:   filepath.Join(dir, "terraformrc"),
		HasProvider: withProvider,
	}
	for _, d := range []string{binDir, t.PluginDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, err
		}
	}
	builds := map[string]string{ // binary: package
		"rsswrap":                  "./internal/harness/rsswrap",
		"terraform-provider-floor": "./internal/harness/floorprovider",
	}
	// plugins are what Terraform runs: a wrapper script each.
	type plugin struct{ name, binary, args string }
	plugins := []plugin{
		{"terraform-provider-floor", "terraform-provider-floor", ""},
		{"terraform-provider-floorserved", "terraform-provider-floor", " -served"},
	}
	if withProvider {
		builds["terraform-provider-cloudelements"] = "."
		plugins = append(plugins, plugin{"terraform-provider-cloudelements", "terraform-provider-cloudelements", ""})
	}
	for name, pkg := range builds {
		cmd := exec.CommandContext(ctx, "go", "build", "-o", filepath.Join(binDir, name), pkg)
		cmd.Dir = root
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("go build %s: %w\n%s", pkg, err, stderr.String())
		}
	}
	for _, pl := range plugins {
		// Terraform runs the wrapper as the provider; it execs rsswrap, which
		// runs the real binary and records its peak RSS.
		script := fmt.Sprintf("#!/bin/sh\nexec %s %s%s \"$@\"\n",
			shellQuote(filepath.Join(binDir, "rsswrap")), shellQuote(filepath.Join(binDir, pl.binary)), pl.args)
		if err := os.WriteFile(filepath.Join(t.PluginDir, pl.name), []byte(script), 0o755); err != nil {
			return nil, err
		}
	}
	cfg := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n    %q = %q\n    %q = %q\n  }\n  direct {}\n}\n",
		ProviderSource, t.PluginDir, FloorSource, t.PluginDir, ServedFloorSource, t.PluginDir)
	if err := os.WriteFile(t.CLIConfig, []byte(cfg), 0o644); err != nil {
		return nil, err
	}
	return t, nil
}

// ProviderBuilds reports whether the real provider compiles yet, so tools can
// fall back to the floors while it is being written.
func ProviderBuilds(ctx context.Context) bool {
	root, err := RepoRoot(ctx)
	if err != nil {
		return false
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o", os.DevNull, ".")
	cmd.Dir = root
	return cmd.Run() == nil
}

// Env is the environment for Terraform: the caller's, minus anything that
// would redirect or slow it, plus the CLI configuration and extra.
func (t *Tools) Env(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "TF_CLI_CONFIG_FILE", k == "TF_LOG", k == "TF_LOG_PROVIDER",
			k == "TF_PLUGIN_CACHE_DIR", k == "HARNESS_RSS_LOG",
			strings.HasPrefix(k, "CLOUDELEMENTS_"):
			continue
		}
		env = append(env, kv)
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+t.CLIConfig,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)
	return append(env, extra...)
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
