// Command terraform-provider-authing serves the Authing provider to Terraform.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/authing/terraform-provider-authing/internal/provider"
)

// address is the provider's registry address, which Terraform uses in debug mode.
const address = "registry.terraform.io/authing/authing"

// version is set at build time with -ldflags "-X main.version=..."; without it, the
// provider reports itself as a development build.
var version string

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()
	tuneProcess()
	stopProfiling := startProfiling()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	}
	// Served through provider.NewServer rather than providerserver.Serve: see NewServer.
	server, err := provider.NewServer(version)()
	if err != nil {
		log.Fatal(err)
	}
	err = tf6server.Serve(address, func() tfprotov6.ProviderServer { return server }, opts...)
	stopProfiling()
	if err != nil {
		log.Fatal(err)
	}
}
