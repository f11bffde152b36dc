package main

import (
	"os"
	"runtime/debug"
	"strings"
)

// memoryLimit is the provider's soft memory limit. A provider process lives for one
// Terraform command and CI runners start many side by side: letting the garbage collector
// work a little harder near this limit halves the peak memory of listing thousands of
// webhooks, at no measurable cost in time (see MEASUREMENTS.md, Performance). GOMEMLIMIT overrides it.
const memoryLimit = 32 << 20

// tuneProcess sets up the process before serving.
func tuneProcess() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	silenceUnreadLogs()
}

// silenceUnreadLogs turns the plugin libraries' logs off when nobody reads them.
//
// The plugin SDK logs every RPC, validator and plan modifier call at TRACE, whatever the
// log level; Terraform parses each line from the provider's stderr and then drops it when
// TF_LOG is unset. That pipeline was a third of the time of applying 100 resources. When
// any log setting is present (TF_LOG, TF_LOG_PROVIDER, TF_LOG_PATH, TF_ACC_LOG_PATH, or
// OpenTofu's equivalents), nothing changes.
func silenceUnreadLogs() {
	for _, kv := range os.Environ() {
		name, value, _ := strings.Cut(kv, "=")
		if value != "" && (strings.HasPrefix(name, "TF_LOG") || strings.HasPrefix(name, "TOFU_LOG") || name == "TF_ACC_LOG_PATH") {
			return
		}
	}
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "off")
	}
}
