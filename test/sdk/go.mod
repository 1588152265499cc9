module github.com/p1ctl/p1ctl/test/sdk

go 1.26.8

require (
	github.com/google/uuid v1.6.0
	github.com/pingidentity/pingone-go-client v0.12.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/danieljoos/wincred v1.2.3 // indirect
	github.com/felixge/httpsnoop v1.0.4 // indirect
	github.com/go-logr/logr v1.4.3 // indirect
	github.com/go-logr/stdr v1.2.2 // indirect
	github.com/godbus/dbus/v5 v5.2.2 // indirect
	github.com/kelseyhightower/envconfig v1.4.0 // indirect
	github.com/zalando/go-keyring v0.2.8 // indirect
	go.opentelemetry.io/auto/sdk v1.2.1 // indirect
	go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp v0.69.0 // indirect
	go.opentelemetry.io/otel v1.44.0 // indirect
	go.opentelemetry.io/otel/metric v1.44.0 // indirect
	go.opentelemetry.io/otel/trace v1.44.0 // indirect
	golang.org/x/oauth2 v0.36.0 // indirect
	golang.org/x/sys v0.45.0 // indirect
)

// Ping's SDK is not served by the Go module proxy: the workspace keeps a
// snapshot beside the repository (see scripts/sdk-test.sh).
replace github.com/pingidentity/pingone-go-client => ../../../shared/pingone-go-client
