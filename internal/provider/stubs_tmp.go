package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
)

func NewFreshdeskInstanceDataSource() datasource.DataSource { return nil }
func NewInstancesDataSource() datasource.DataSource { return nil }
func NewInstanceTokenEphemeralResource() ephemeral.EphemeralResource { return nil }
