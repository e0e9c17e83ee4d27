// Command terraform-provider-cloudelements serves the Cloud Elements provider
// to Terraform over plugin protocol 6.
package main

import (
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/provider"
)

// version is set at build time by goreleaser (-X main.version=...).
var version = "dev"

const address = "registry.terraform.io/cloudelements/cloudelements"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	var opts []tf6server.ServeOpt
	if debug {
		opts = append(opts, tf6server.WithManagedDebug())
	} else {
		provider.SilenceUnreadLogs("cloudelements")
	}

	err := tf6server.Serve(address, func() tfprotov6.ProviderServer {
		return provider.ProtocolServer(provider.New(version)())
	}, opts...)
	if err != nil {
		log.Fatal(err.Error())
	}
}
