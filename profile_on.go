//go:build profile

package main

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime/pprof"
)

// startProfiling writes a CPU profile of the process to
// $AUTHING_CPUPROFILE_DIR/cpu-<pid>.pprof, in a binary built with -tags profile
// (`go run ./tools/applybench -cpuprofile DIR` builds one). Terraform starts a provider
// process per command; each writes its own profile when Terraform shuts it down.
func startProfiling() (stop func()) {
	dir := os.Getenv("AUTHING_CPUPROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, fmt.Sprintf("cpu-%d.pprof", os.Getpid())))
	if err != nil {
		log.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		log.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}
}
