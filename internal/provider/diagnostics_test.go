package provider

import (
	"errors"
	"strings"
	"testing"

	"github.com/authing/terraform-provider-authing/internal/authing"
)

func TestErrorDetailCountsAttemptsOnlyWhenRetried(t *testing.T) {
	one := errorDetail(&authing.Error{Operation: "op", Attempts: 1, Err: errors.New("x")}, noOutcome)
	two := errorDetail(&authing.Error{Operation: "op", Attempts: 2, Err: errors.New("x")}, noOutcome)
	if strings.Contains(one, "Attempts") || !strings.Contains(two, "Attempts:    2") {
		t.Fatalf("one attempt:\n%s\ntwo attempts:\n%s", one, two)
	}
}
