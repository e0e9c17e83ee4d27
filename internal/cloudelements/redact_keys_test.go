package cloudelements

import "testing"

func TestSecretKey(t *testing.T) {
	secret := []string{
		"token", "Token", "accessToken", "refresh_token", "oauth.user.refresh_token", "oauth.user.token",
		"password", "db.passwd", "db.pwd", "mysql.pass", "client_secret", "clientSecret", "oauth.api.secret",
		"apiKey", "api_key", "API-KEY", "x-api-key", "oauth.api.key", "sftp.privateKey", "private_key",
		"azure.connectionString", "credentials", "gcp.credentials.json", "docusign.integratorKey",
		"event.notification.signature.key", "username", "basic.username", "aws.accessKey", "ssh.key",
		"passphrase", "Authorization", "session.cookie", "sas.token", "encryption.salt",
	}
	plain := []string{
		"subdomain", "name", "filter.response.nulls", "event.vendor.type", "event.notification.callback.url",
		"event.notification.enabled", "oauth.token.url", "token_type", "tokenExpiresIn", "oauth.callback.url",
		"base.url", "event.poller.refresh_interval", "user.email", "region", "", "created_date", "tags",
	}
	for _, k := range secret {
		if !SecretKey(k) {
			t.Errorf("SecretKey(%q) = false, want true", k)
		}
	}
	for _, k := range plain {
		if SecretKey(k) {
			t.Errorf("SecretKey(%q) = true, want false", k)
		}
	}
}
