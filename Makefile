.PHONY: run test build bench
run:
	go run ./cmd/svhub serve --demo
test:
	bash .ci/run
build:
	CGO_ENABLED=0 go build -ldflags "-X github.com/svhub/svhub/internal/cli.Version=$$(git describe --always --dirty 2>/dev/null || echo dev)" -o svhub ./cmd/svhub
bench:
	bash bench/http.sh
