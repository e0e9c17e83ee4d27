// Command rsswrap runs a provider binary as its child and, when the child
// exits, appends the child's peak resident set size (getrusage ru_maxrss, in
// KiB) to the file named by HARNESS_RSS_LOG.
//
// The harness puts a two-line shell script that execs rsswrap in the
// dev_overrides directory, so Terraform starts rsswrap as if it were the
// provider. Measuring at exit through wait4 sees the true high-water mark of
// every plugin process, however short-lived, which polling /proc could miss.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: rsswrap BINARY [ARGS...]")
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr

	// SIGINT reaches the provider through the process group as with Ctrl-C,
	// and providers ignore it; the wrapper must not die of it either.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "rsswrap:", err)
		os.Exit(1)
	}
	go func() {
		for s := range sigs {
			if s == syscall.SIGTERM {
				_ = cmd.Process.Signal(s)
			}
		}
	}()

	err := cmd.Wait()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		record(ru.Maxrss)
	}
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		os.Exit(max(exit.ExitCode(), 1))
	case err != nil:
		os.Exit(1)
	}
}

// record appends one line; O_APPEND keeps lines from concurrent plugin
// processes whole.
func record(maxrssKiB int64) {
	path := os.Getenv("HARNESS_RSS_LOG")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintf(f, "%d\n", maxrssKiB)
}
