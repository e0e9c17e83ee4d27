// Command emustats reads a running emulator's admin stats for `make demo`,
// so that the demo needs neither curl nor jq:
//
//	emustats -url http://127.0.0.1:PORT/elements/api-v2 [-print writes|instances|json]
//
// writes is the number of POST, PUT and PATCH requests served, instances
// the number of instances held, json the whole GET /_emulator/stats answer.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/emulator"
)

func main() {
	base := flag.String("url", os.Getenv("CLOUDELEMENTS_BASE_URL"), "the emulator's base URL (default $CLOUDELEMENTS_BASE_URL)")
	what := flag.String("print", "json", "writes, instances or json")
	flag.Parse()
	out, err := run(*base, *what)
	if err != nil {
		fmt.Fprintln(os.Stderr, "emustats:", err)
		os.Exit(1)
	}
	fmt.Println(out)
}

func run(base, what string) (string, error) {
	if base == "" {
		return "", fmt.Errorf("give the emulator's base URL with -url")
	}
	root := strings.TrimSuffix(strings.TrimRight(base, "/"), emulator.BasePath)
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(root + "/_emulator/stats")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", err
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s/_emulator/stats: HTTP %d", root, resp.StatusCode)
	}
	var stats emulator.Stats
	if err := json.Unmarshal(body, &stats); err != nil {
		return "", fmt.Errorf("GET %s/_emulator/stats: %w", root, err)
	}
	return format(stats, what)
}

// format prints one figure of stats, or all of them.
func format(stats emulator.Stats, what string) (string, error) {
	switch what {
	case "writes":
		n := 0
		for endpoint, count := range stats.ByEndpoint {
			method, _, _ := strings.Cut(endpoint, " ")
			if method == http.MethodPost || method == http.MethodPut || method == http.MethodPatch {
				n += count
			}
		}
		return fmt.Sprint(n), nil
	case "instances":
		return fmt.Sprint(stats.Instances), nil
	case "json":
		b, err := json.MarshalIndent(stats, "", "  ")
		return string(b), err
	}
	return "", fmt.Errorf("-print %q: want writes, instances or json", what)
}
