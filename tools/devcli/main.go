// Command devcli prints the Terraform CLI configuration that uses a provider binary built
// from this repository (see internal/devcli), for scripts:
//
//	go run ./tools/devcli PLUGIN_DIR > cli.tfrc
package main

import (
	"fmt"
	"os"

	"github.com/authing/terraform-provider-authing/internal/devcli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: devcli PLUGIN_DIR")
		os.Exit(2)
	}
	fmt.Print(devcli.Config(os.Args[1]))
}
