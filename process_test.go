package main

import (
	"os"
	"testing"
)

func TestSilenceUnreadLogs(t *testing.T) {
	quietVars := []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
	tests := map[string]struct {
		env       map[string]string
		wantQuiet bool
	}{
		"no log settings":      {wantQuiet: true},
		"TF_LOG":               {env: map[string]string{"TF_LOG": "DEBUG"}},
		"TF_LOG_PROVIDER only": {env: map[string]string{"TF_LOG_PROVIDER": "TRACE"}},
		"TF_LOG_PATH":          {env: map[string]string{"TF_LOG_PATH": "/tmp/x.log"}},
		"TF_ACC_LOG_PATH":      {env: map[string]string{"TF_ACC_LOG_PATH": "/tmp/x.log"}},
		"TOFU_LOG":             {env: map[string]string{"TOFU_LOG": "INFO"}},
		"empty TF_LOG":         {env: map[string]string{"TF_LOG": ""}, wantQuiet: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for _, v := range append(quietVars, "TF_LOG", "TF_LOG_PATH", "TF_ACC_LOG_PATH", "TOFU_LOG", "TF_LOG_CORE") {
				t.Setenv(v, "")
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			silenceUnreadLogs()
			for _, v := range quietVars {
				if got := os.Getenv(v); (got == "off") != tt.wantQuiet && tt.env[v] == "" {
					t.Errorf("%s = %q, want quiet %v", v, got, tt.wantQuiet)
				}
			}
		})
	}
}
