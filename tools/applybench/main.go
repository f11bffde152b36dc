// Command applybench measures what the provider costs on top of the plugin floor.
//
// It builds the provider and ./baseline (a do-nothing provider with the same resource
// schema), starts the emulator, and times `terraform apply` of N authing_webhook_trigger
// resources with each, alternating, several times; it prints each median, the median of
// the pairwise ratios, and the ratio to terraform_data for context. Because the provider
// turns off the plugin libraries' unread logs, which the baseline does not, it also
// compares both with those logs off, like for like. It then lists 5,000 webhooks with a
// data source and prints the provider process's peak RSS. With -cpuprofile DIR, the
// provider is built with -tags profile and writes a CPU profile of each process of the
// like-for-like applies to DIR.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/authing/terraform-provider-authing/internal/devcli"
	"github.com/authing/terraform-provider-authing/internal/emulator"
)

const (
	keyID  = "bench-pool"
	secret = "bench-secret-0b1c2d3e"
)

func main() {
	reps := flag.Int("reps", 5, "measured applies of each kind")
	count := flag.Int("resources", 100, "resources per apply")
	listed := flag.Int("webhooks", 5000, "webhooks to list for the memory figure")
	cli := flag.String("cli", "terraform", "Terraform CLI to run")
	profiles := flag.String("cpuprofile", "", "directory for CPU profiles of the provider in the like-for-like applies (go tool pprof DIR/*.pprof)")
	flag.Parse()
	root, err := os.Getwd()
	if err != nil {
		log.Fatal(err)
	}
	work, err := os.MkdirTemp("", "applybench-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(work)

	var tags, profileEnv []string
	if *profiles != "" {
		dir, err := filepath.Abs(*profiles)
		must(err)
		must(os.MkdirAll(dir, 0o755))
		tags, profileEnv = []string{"-tags", "profile"}, []string{"AUTHING_CPUPROFILE_DIR=" + dir}
	}
	build(root, ".", filepath.Join(work, "authing-plugin"), tags...)
	build(root, "./tools/applybench/baseline", filepath.Join(work, "baseline-plugin"))

	emu, err := emulator.Start(emulator.Options{Keys: []emulator.AccessKey{{ID: keyID, Secret: secret}}})
	must(err)
	defer emu.Close()
	ids := emu.SeedWebhooks("bench", *count)

	triggers := fmt.Sprintf("provider \"authing\" {}\n\nlocals {\n  ids = [%s]\n}\n\nresource \"authing_webhook_trigger\" \"t\" {\n  count      = %d\n  webhook_id = local.ids[count.index]\n}\n",
		`"`+strings.Join(ids, `", "`)+`"`, *count)
	env := []string{"AUTHING_HOST=" + emu.URL(), "AUTHING_ACCESS_KEY_ID=" + keyID, "AUTHING_ACCESS_KEY_SECRET=" + secret}
	quiet := []string{"TF_LOG_PROVIDER=off", "TF_LOG_SDK=off", "TF_LOG_SDK_PROTO=off", "TF_LOG_SDK_FRAMEWORK=off"}
	kinds := []*workspace{
		newWorkspace(work, *cli, "authing", filepath.Join(work, "authing-plugin"), triggers, env),
		newWorkspace(work, *cli, "baseline", filepath.Join(work, "baseline-plugin"), triggers, env),
		newWorkspace(work, *cli, "authing-quiet", filepath.Join(work, "authing-plugin"), triggers, slices.Concat(env, quiet, profileEnv)),
		newWorkspace(work, *cli, "baseline-quiet", filepath.Join(work, "baseline-plugin"), triggers, append(env, quiet...)),
		newWorkspace(work, *cli, "terraform_data", "", fmt.Sprintf("resource \"terraform_data\" \"t\" {\n  count = %d\n  input = count.index\n}\n", *count), nil),
	}
	for _, w := range kinds { // warm caches; not measured
		w.apply()
	}
	times := map[string][]float64{}
	ratios := map[string][]float64{}
	for rep := range *reps {
		// Alternate which of each pair goes first.
		order := []int{0, 1, 2, 3, 4}
		if rep%2 == 1 {
			order = []int{1, 0, 3, 2, 4}
		}
		got := map[string]float64{}
		for _, i := range order {
			before := emu.Stats().Deliveries
			d := kinds[i].apply()
			if strings.HasPrefix(kinds[i].name, "authing") && emu.Stats().Deliveries-before != *count {
				log.Fatalf("an authing apply made %d deliveries, want %d", emu.Stats().Deliveries-before, *count)
			}
			got[kinds[i].name] = d
			times[kinds[i].name] = append(times[kinds[i].name], d)
		}
		ratios["shipped"] = append(ratios["shipped"], got["authing"]/got["baseline"])
		ratios["quiet"] = append(ratios["quiet"], got["authing-quiet"]/got["baseline-quiet"])
		ratios["floor"] = append(ratios["floor"], got["baseline"]/got["terraform_data"])
	}
	fmt.Printf("apply of %d resources with %s, %d alternating repetitions (seconds):\n", *count, version(*cli), *reps)
	for _, w := range kinds {
		fmt.Printf("  %-16s median %.3f  (runs %s)\n", w.name, median(times[w.name]), list(times[w.name]))
	}
	fmt.Printf("  authing / baseline:             median ratio %.3f  (target <= 1.20; pairs %s)\n", median(ratios["shipped"]), list(ratios["shipped"]))
	fmt.Printf("  like for like, SDK logs off:    median ratio %.3f  (pairs %s)\n", median(ratios["quiet"]), list(ratios["quiet"]))
	fmt.Printf("  baseline / terraform_data:      median ratio %.3f  (context: the plugin floor)\n", median(ratios["floor"]))

	memory(work, *cli, *listed)
}

// memory lists webhooks with the data source and samples the provider's peak RSS.
func memory(work, cli string, n int) {
	emu, err := emulator.Start(emulator.Options{Keys: []emulator.AccessKey{{ID: keyID, Secret: secret}}, RateLimit: -1})
	must(err)
	defer emu.Close()
	emu.SeedWebhooks("listed", n)
	w := newWorkspace(work, cli, "memory", filepath.Join(work, "authing-plugin"),
		"provider \"authing\" {}\n\ndata \"authing_webhooks\" \"all\" {}\n\noutput \"count\" {\n  value = length(data.authing_webhooks.all.ids)\n}\n",
		[]string{"AUTHING_HOST=" + emu.URL(), "AUTHING_ACCESS_KEY_ID=" + keyID, "AUTHING_ACCESS_KEY_SECRET=" + secret})
	cmd := w.command("apply", "-auto-approve", "-input=false", "-no-color")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	must(cmd.Start())
	exe := filepath.Join(work, "authing-plugin", "terraform-provider-authing")
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	peak := 0
	for {
		select {
		case err := <-done:
			if err != nil {
				log.Fatalf("memory run: %v\n%s", err, out.String())
			}
			if !strings.Contains(out.String(), fmt.Sprintf("count = %d", n)) {
				log.Fatalf("the data source did not list %d webhooks:\n%s", n, out.String())
			}
			fmt.Printf("provider peak RSS while listing %d webhooks: %.1f MiB (target < 64 MiB; %d list requests)\n",
				n, float64(peak)/1024, emu.Stats().Requests["list-webhooks"])
			return
		default:
		}
		peak = max(peak, providerHWM(exe))
		time.Sleep(2 * time.Millisecond)
	}
}

// providerHWM returns the largest VmHWM (peak RSS, KiB) of running processes of exe.
func providerHWM(exe string) int {
	entries, _ := os.ReadDir("/proc")
	best := 0
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		if target, err := os.Readlink(filepath.Join("/proc", e.Name(), "exe")); err != nil || target != exe {
			continue
		}
		status, err := os.ReadFile(filepath.Join("/proc", e.Name(), "status"))
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(status), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
				if kb, err := strconv.Atoi(f[1]); err == nil {
					best = max(best, kb)
				}
			}
		}
	}
	return best
}

type workspace struct {
	name, cli, dir string
	env            []string
}

func newWorkspace(work, cli, name, plugins, config string, env []string) *workspace {
	dir := filepath.Join(work, name)
	must(os.MkdirAll(dir, 0o755))
	rc := "provider_installation {\n  direct {}\n}\n"
	if plugins != "" {
		rc = devcli.Config(plugins)
		config = devcli.RequiredProviders + "\n" + config
	}
	must(os.WriteFile(filepath.Join(dir, "cli.tfrc"), []byte(rc), 0o600))
	must(os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o600))
	base := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "TF_CLI_CONFIG_FILE=" + filepath.Join(dir, "cli.tfrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1"}
	return &workspace{name: name, cli: cli, dir: dir, env: append(base, env...)}
}

func (w *workspace) command(args ...string) *exec.Cmd {
	cmd := exec.Command(w.cli, append([]string{"-chdir=" + w.dir}, args...)...)
	cmd.Env = w.env
	return cmd
}

// apply applies from an empty state and returns the wall time in seconds.
func (w *workspace) apply() float64 {
	for _, f := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
		_ = os.Remove(filepath.Join(w.dir, f))
	}
	cmd := w.command("apply", "-auto-approve", "-input=false", "-no-color")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	d := time.Since(start).Seconds()
	if err != nil {
		log.Fatalf("%s apply: %v\n%s", w.name, err, out)
	}
	return d
}

func build(root, pkg, dir string, flags ...string) {
	must(os.MkdirAll(dir, 0o755))
	args := append(append([]string{"build", "-trimpath"}, flags...), "-o", filepath.Join(dir, "terraform-provider-authing"), pkg)
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		log.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
}

func version(cli string) string {
	out, err := exec.Command(cli, "version").Output()
	if err != nil {
		return cli
	}
	return strings.SplitN(string(out), "\n", 2)[0]
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func list(v []float64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = strconv.FormatFloat(x, 'f', 3, 64)
	}
	return strings.Join(parts, " ")
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
