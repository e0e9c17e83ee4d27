// Package provider implements the cloudelements Terraform provider.
package provider

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/cloudelements/terraform-provider-cloudelements/internal/cloudelements"
	"github.com/cloudelements/terraform-provider-cloudelements/internal/validate"
)

// Environment variables the provider falls back to; configuration wins.
const (
	envBaseURL            = "CLOUDELEMENTS_BASE_URL"
	envUserSecret         = "CLOUDELEMENTS_USER_SECRET"
	envOrganizationSecret = "CLOUDELEMENTS_ORGANIZATION_SECRET"
	envMaxRetries         = "CLOUDELEMENTS_MAX_RETRIES"
	envBatchReads         = "CLOUDELEMENTS_BATCH_READS"
)

// defaultMaxRetries bounds retries when neither max_retries nor its
// environment variable is set.
const defaultMaxRetries = 5

// Ensure the provider satisfies the framework interfaces.
var (
	_ provider.Provider                       = (*cloudelementsProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*cloudelementsProvider)(nil)
	_ provider.ProviderWithListResources      = (*cloudelementsProvider)(nil)
	_ provider.ProviderWithActions            = (*cloudelementsProvider)(nil)
	_ provider.ProviderWithFunctions          = (*cloudelementsProvider)(nil)
)

type cloudelementsProvider struct {
	version string
	// client is the configured client, for the server to mask diagnostics.
	client atomic.Pointer[cloudelements.Client]
	// batchMinReads overrides the reads a run makes by GET before it may
	// list (tests; 0 is the client's default).
	batchMinReads int
}

type providerModel struct {
	BaseURL            types.String `tfsdk:"base_url"`
	UserSecret         types.String `tfsdk:"user_secret"`
	OrganizationSecret types.String `tfsdk:"organization_secret"`
	MaxRetries         types.Int64  `tfsdk:"max_retries"`
	BatchReads         types.Bool   `tfsdk:"batch_reads"`
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &cloudelementsProvider{version: version}
	}
}

func (p *cloudelementsProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "cloudelements"
	resp.Version = p.version
}

func (p *cloudelementsProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Cloud Elements (SAP Open Connectors) element instances.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "The platform API's base URL, ending in `/elements/api-v2`: for example `" +
					strings.Join(validate.KnownBaseURLs(), "`, `") + "`. Defaults to `" +
					cloudelements.DefaultBaseURL + "`, or the `" + envBaseURL + "` environment variable, which is checked " +
					"the same way. Must be `https`; plain `http` is accepted only for loopback hosts (a local emulator).",
				Optional:   true,
				Validators: []validator.String{validate.BaseURL()},
			},
			"user_secret": schema.StringAttribute{
				MarkdownDescription: "The user secret. Falls back to the `" + envUserSecret + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"organization_secret": schema.StringAttribute{
				MarkdownDescription: "The organization secret. Falls back to the `" + envOrganizationSecret + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
				Validators:          []validator.String{validate.NotBlank()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a failed request is retried (429, 502, 503, 504 and "+
					"connection errors) before the operation fails. Defaults to %d, or the `%s` environment variable; "+
					"`0` disables retries.", defaultMaxRetries, envMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, 100)},
			},
			"batch_reads": schema.BoolAttribute{
				MarkdownDescription: "Whether a refresh of many instances reads them from paged listings of `GET /instances` " +
					"instead of one `GET /instances/{id}` each, and formulas and formula instances from `GET /formulas` and " +
					"`GET /formulas/instances` (see \"Batch reads\" above). Defaults to `true`, or the `" +
					envBatchReads + "` environment variable (`true` or `false`).",
				Optional: true,
			},
		},
	}
}

func (p *cloudelementsProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// A value known only after apply (say, from another resource) cannot
	// configure a client yet: defer where Terraform allows it, else explain.
	if config.BaseURL.IsUnknown() || config.UserSecret.IsUnknown() ||
		config.OrganizationSecret.IsUnknown() || config.MaxRetries.IsUnknown() || config.BatchReads.IsUnknown() {
		if req.ClientCapabilities.DeferralAllowed {
			resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
			return
		}
		for name, unknown := range map[string]bool{
			"base_url":            config.BaseURL.IsUnknown(),
			"user_secret":         config.UserSecret.IsUnknown(),
			"organization_secret": config.OrganizationSecret.IsUnknown(),
			"max_retries":         config.MaxRetries.IsUnknown(),
			"batch_reads":         config.BatchReads.IsUnknown(),
		} {
			if unknown {
				resp.Diagnostics.AddAttributeError(path.Root(name), "Unknown provider configuration value",
					fmt.Sprintf("The provider cannot be configured while %q is unknown. Set it statically, "+
						"apply its source first with -target, or use the environment variable.", name))
			}
		}
		return
	}

	baseURL := firstSet(config.BaseURL, envBaseURL, cloudelements.DefaultBaseURL)
	if err := validate.CheckBaseURL(baseURL); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid base_url",
			fmt.Sprintf("%s %s.", settingName(config.BaseURL, "base_url", envBaseURL), err))
	}
	userSecret := firstSet(config.UserSecret, envUserSecret, "")
	if strings.TrimSpace(userSecret) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("user_secret"), "Missing user secret",
			"Set user_secret in the provider block or the "+envUserSecret+" environment variable.")
	}
	organizationSecret := firstSet(config.OrganizationSecret, envOrganizationSecret, "")
	if strings.TrimSpace(organizationSecret) == "" {
		resp.Diagnostics.AddAttributeError(path.Root("organization_secret"), "Missing organization secret",
			"Set organization_secret in the provider block or the "+envOrganizationSecret+" environment variable.")
	}
	maxRetries, err := maxRetriesFrom(config.MaxRetries)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid max_retries", err.Error())
	}
	batchReads, err := batchReadsFrom(config.BatchReads)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("batch_reads"), "Invalid batch_reads", err.Error())
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := cloudelements.New(cloudelements.Config{
		BaseURL:            baseURL,
		UserSecret:         userSecret,
		OrganizationSecret: organizationSecret,
		UserAgent:          fmt.Sprintf("terraform-provider-cloudelements/%s terraform/%s", p.version, req.TerraformVersion),
		MaxRetries:         maxRetries,
		BatchReads:         cloudelements.BatchReads{Off: !batchReads, MinReads: p.batchMinReads},
	})
	if err != nil {
		resp.Diagnostics.AddError("Cannot configure the Cloud Elements client", err.Error())
		return
	}
	p.client.Store(client)
	data := &providerData{
		client:  client,
		baseURL: strings.TrimRight(baseURL, "/"),
		unauthorizedHint: unauthorizedHint(baseURL,
			settingName(config.UserSecret, "user_secret", envUserSecret),
			settingName(config.OrganizationSecret, "organization_secret", envOrganizationSecret)),
		hostNotFoundHint: hostNotFoundHint(baseURL, settingName(config.BaseURL, "base_url", envBaseURL)),
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
}

// providerData is what Configure hands to resources and data sources.
type providerData struct {
	client  *cloudelements.Client
	baseURL string
	// unauthorizedHint is added to a 401: which secrets, from where, for
	// which host.
	unauthorizedHint string
	// hostNotFoundHint is added when the base URL's host does not exist.
	hostNotFoundHint string
	// plannedFormulas are the formulas' variables as this run plans them
	// (formula_variables.go).
	plannedFormulas plannedFormulas
}

// errorDetail is the detail of a diagnostic about a failed API call: the
// client's error (method, path, status, message, request id; no secret) and,
// for a 401, which secrets were refused and where they came from; for a host
// that does not exist, where base_url came from.
func (pd *providerData) errorDetail(err error) string {
	switch {
	case cloudelements.IsUnauthorized(err) && pd.unauthorizedHint != "":
		return err.Error() + "\n\n" + pd.unauthorizedHint
	case cloudelements.IsHostNotFound(err) && pd.hostNotFoundHint != "":
		return err.Error() + "\n\n" + pd.hostNotFoundHint
	}
	return err.Error()
}

// settingName says where a provider setting came from: the attribute when it
// is configured, else its environment variable.
func settingName(configured types.String, attribute, env string) string {
	if !configured.IsNull() {
		return attribute
	}
	if os.Getenv(env) != "" {
		return "the " + env + " environment variable"
	}
	return attribute
}

// unauthorizedHint explains a 401: secrets belong to one platform host.
func unauthorizedHint(baseURL, userFrom, orgFrom string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil {
		host = u.Host
	}
	return fmt.Sprintf("The platform at %s refused the user secret (from %s) or the organization secret (from %s), "+
		"or both. Secrets belong to one platform host: secrets made on another host (production, staging, an SAP "+
		"Open Connectors region) are refused here. Copy them from the profile menu of %s, or point base_url at "+
		"the host they come from.", host, userFrom, orgFrom, host)
}

// hostNotFoundHint explains a host that does not exist: a typo in the base
// URL, most likely.
func hostNotFoundHint(baseURL, from string) string {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil {
		host = u.Hostname()
	}
	return fmt.Sprintf("The platform host %q does not exist. Check base_url (taken from %s) for a typo; the known "+
		"hosts are %s.", host, from, strings.Join(validate.KnownBaseURLs(), ", "))
}

// firstSet returns the configured value, else the environment variable, else
// the fallback.
func firstSet(configured types.String, env, fallback string) string {
	if !configured.IsNull() {
		return configured.ValueString()
	}
	if v, ok := os.LookupEnv(env); ok && v != "" {
		return v
	}
	return fallback
}

// maxRetriesFrom maps max_retries (or its environment variable) onto the
// client's convention, where 0 means "the default" and a negative value none.
func maxRetriesFrom(configured types.Int64) (int, error) {
	n := int64(defaultMaxRetries)
	switch {
	case !configured.IsNull():
		n = configured.ValueInt64()
	case os.Getenv(envMaxRetries) != "":
		parsed, err := strconv.ParseInt(os.Getenv(envMaxRetries), 10, 64)
		if err != nil || parsed < 0 || parsed > 100 {
			return 0, fmt.Errorf("%s must be a whole number from 0 to 100, got %q", envMaxRetries, os.Getenv(envMaxRetries))
		}
		n = parsed
	}
	if n == 0 {
		return -1, nil
	}
	return int(n), nil
}

// batchReadsFrom reads batch_reads, else its environment variable; on by
// default.
func batchReadsFrom(configured types.Bool) (bool, error) {
	if !configured.IsNull() {
		return configured.ValueBool(), nil
	}
	v := strings.TrimSpace(os.Getenv(envBatchReads))
	if v == "" {
		return true, nil
	}
	on, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s must be true or false, got %q", envBatchReads, v)
	}
	return on, nil
}

func (p *cloudelementsProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewFreshdeskInstanceResource,
		NewInstanceResource,
		NewFormulaResource,
		NewFormulaInstanceResource,
		NewCommonResourceResource,
		NewCommonResourceTransformationResource,
	}
}

func (p *cloudelementsProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewFreshdeskInstanceDataSource,
		NewInstancesDataSource,
		NewInstanceDataSource,
		NewFormulaDataSource,
		NewFormulasDataSource,
		NewFormulaInstancesDataSource,
		NewCommonResourceDataSource,
		NewCommonResourcesDataSource,
		NewCommonResourceTransformationDataSource,
		NewCommonResourceTransformationsDataSource,
	}
}

func (p *cloudelementsProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewInstanceTokenEphemeralResource,
		NewOAuthURLEphemeralResource,
	}
}

func (p *cloudelementsProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewFreshdeskInstanceListResource,
		NewFormulaListResource,
		NewFormulaInstanceListResource,
		NewInstanceListResource,
		NewCommonResourceListResource,
		NewCommonResourceTransformationListResource,
	}
}

func (p *cloudelementsProvider) Actions(_ context.Context) []func() action.Action {
	return []func() action.Action{
		NewInstanceReauthenticateAction,
		NewFormulaInstanceExecuteAction,
	}
}

func (p *cloudelementsProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{NewFormulaFromExportFunction}
}

// clientFrom unpacks what Configure handed over; nil data means the provider
// is not configured yet (validation runs before Configure).
func clientFrom(data any) (*providerData, error) {
	if data == nil {
		return nil, nil
	}
	pd, ok := data.(*providerData)
	if !ok {
		return nil, fmt.Errorf("expected *providerData, got %T; please report this issue to the provider developers", data)
	}
	return pd, nil
}
