// Command authing-emulator serves a local Authing management API on a loopback port, for
// trying the provider and for its tests. It accepts one access key, seeds webhooks that
// point at its built-in receiver, and serves until interrupted, terminated, or the process that
// started it exits (see untilStopped). The receiver can play a
// service that is not ready yet, and real events can be sent (-help shows how). With
// -receiver-only it serves only the receiver, for live acceptance runs whose deliveries a
// real Authing makes.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/authing/terraform-provider-authing/internal/emulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to listen on (port 0 picks a free port)")
	keyID := flag.String("access-key-id", envOr("AUTHING_ACCESS_KEY_ID", "emulator-user-pool"), "access key ID to accept; it is also the user pool ID")
	urlFile := flag.String("url-file", "", "write the base URL to this file once listening")
	seed := flag.Int("seed", 1, "number of webhooks to create, named sample-1..N, pointing at the built-in receiver")
	lifetime := flag.Duration("token-lifetime", emulator.DefaultTokenLifetime, "lifetime of issued management tokens")
	latency := flag.Duration("latency", 0, "delay added to every API answer")
	rate := flag.Int("rate-limit", emulator.DefaultRateLimit, "requests per second per user pool before HTTP 429 (negative: no limit)")
	pageSize := flag.Int("page-size", 0, "webhooks and logs served per page whatever limit asks, over 50 included (0: as limit asks, and a limit over 50 is refused)")
	notFound := flag.String("not-found", string(emulator.NotFoundBusiness404), "how get-webhook answers an unknown ID: 404 (statusCode 404) or null (statusCode 200, data null)")
	oldestFirst := flag.Bool("logs-oldest-first", false, "list get-webhook-logs oldest first (default: newest first)")
	swapLogs := flag.Bool("logs-swap-neighbours", false, "list each pair of neighbouring get-webhook-logs entries the other way round, as a server that logs concurrent deliveries in the order they finished")
	logDelay := flag.Duration("log-delay", 0, "how long a delivery takes to appear in get-webhook-logs, as on a server that writes its logs asynchronously")
	refuseDeletes := flag.Bool("refuse-deletes", false, "answer delete-webhook with data.success false and delete nothing, as a server that refuses would")
	var missing routeList
	flag.Var(&missing, "missing-route", "answer this route (such as get-webhook) with HTTP 404 \"Cannot GET\", as a server without it would; repeatable")
	endpointFailure := flag.String("endpoint-failure", string(emulator.EndpointFailureCodes), "how trigger-webhook answers when the webhook's endpoint fails: codes (statusCode 601 when it gave no answer, 602 when it answered non-2xx) or relay (statusCode 200, data.response holding what came back, null when nothing did)")
	deliveryTimeout := flag.Duration("delivery-timeout", emulator.DefaultDeliveryTimeout, "how long a delivery waits for the endpoint's answer before it counts as no answer (ERRTIMEOUT)")
	receiverOnly := flag.Bool("receiver-only", false, "serve only the receiver, at every path, with no API and no credentials; -listen may then be a public address")
	flag.Usage = usage
	flag.Parse()

	if *receiverOnly {
		serveReceiver(*listen, *urlFile)
		return
	}
	// The secret comes only from the environment, so it never shows in a process list.
	secret := os.Getenv("AUTHING_ACCESS_KEY_SECRET")
	if secret == "" {
		log.Fatal("authing-emulator: set AUTHING_ACCESS_KEY_SECRET to the secret the emulator should accept")
	}
	srv, err := emulator.New(emulator.Options{
		Keys:               []emulator.AccessKey{{ID: *keyID, Secret: secret}},
		TokenLifetime:      *lifetime,
		Latency:            *latency,
		RateLimit:          *rate,
		PageSize:           *pageSize,
		NotFound:           emulator.NotFoundStyle(*notFound),
		MissingRoutes:      missing,
		LogsOldestFirst:    *oldestFirst,
		LogsSwapNeighbours: *swapLogs,
		RefuseDeletes:      *refuseDeletes,
		LogDelay:           *logDelay,
		EndpointFailure:    emulator.EndpointFailureStyle(*endpointFailure),
		DeliveryTimeout:    *deliveryTimeout,
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := srv.Start(*listen); err != nil {
		log.Fatal(err)
	}
	srv.SeedWebhooks("sample", *seed)
	fmt.Printf("Authing emulator listening on %s (access key ID %s, %d webhooks, stats at %s/_emulator/stats)\n", srv.URL(), *keyID, *seed, srv.URL())
	if *urlFile != "" {
		if err := os.WriteFile(*urlFile, []byte(srv.URL()+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	ctx, stop := untilStopped()
	defer stop()
	<-ctx.Done()
	_ = srv.Close()
}

// serveReceiver serves emulator.ReceiverHandler until interrupted. It holds no credential
// and keeps nothing, so unlike the API it may listen beyond loopback: a real Authing must
// reach it.
func serveReceiver(listen, urlFile string) {
	l, err := net.Listen("tcp", listen)
	if err != nil {
		log.Fatal(err)
	}
	base := "http://" + l.Addr().String()
	fmt.Printf("Authing webhook receiver listening on %s (answers every path with {\"method\", \"headers\", \"body\"})\n", base)
	if urlFile != "" {
		if err := os.WriteFile(urlFile, []byte(base+"\n"), 0o600); err != nil {
			log.Fatal(err)
		}
	}
	srv := &http.Server{Handler: emulator.ReceiverHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(l) }()
	ctx, stop := untilStopped()
	defer stop()
	<-ctx.Done()
	_ = srv.Close()
}

// usage is -help: the flags, then the emulator's own routes, which no flag shows.
func usage() {
	out := flag.CommandLine.Output()
	fmt.Fprintf(out, "Usage: %s [flags]\n\nServes a local Authing management API (/api/v3/...) on a loopback port. The access key\nsecret is read from AUTHING_ACCESS_KEY_SECRET.\n\nFlags:\n", os.Args[0])
	flag.PrintDefaults()
	fmt.Fprint(out, `
Built-in receiver: point a webhook at {base}/_emulator/receiver/<name>. It answers with an
echo of the delivery, or as told, to play a service that is not ready yet:
  in the URL's query (counted per path and query):
    ?status=N        answer status N (default 200)
    ?fail_first=N    fail the first N deliveries (HTTP 503 with a proxy's page), then answer
    ?fail_for=30s    fail every delivery for 30s from the first one, then answer
    ?fail_status=N   a failing delivery's status (default 503; -1 cuts the connection)
    ?down=1          cut every connection without an answer (Authing: no answer)
    ?delay=2s        wait before answering (longer than -delivery-timeout: a timeout)
  over HTTP (overrides the query, counts from when set):
    curl -X PUT {base}/_emulator/receivers/<name> -d '{"fail_first":3,"fail_status":502}'
    curl -X PUT {base}/_emulator/receivers/<name> -d '{"down":true}'
    curl -X PUT {base}/_emulator/receivers/<name> -d '{"status":200,"body":"{\"version\":\"2\"}"}'
    curl {base}/_emulator/receivers/<name>              (behaviour and deliveries)
    curl -X DELETE {base}/_emulator/receivers/<name>    (reset: echo again, count from 0)

Real events, as Authing sends them when a user is created (a POST of {"eventName", "data"}
to the webhook's URL, logged like any delivery; the webhook must subscribe to the event):
    curl {base}/_emulator/events -d '{"webhookId":"...","eventName":"user:created","data":{"id":"u1"}}'

Counters: {base}/_emulator/stats.
`)
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// routeList collects repeated -missing-route flags.
type routeList []string

func (l *routeList) String() string { return strings.Join(*l, ",") }

func (l *routeList) Set(v string) error {
	*l = append(*l, v)
	return nil
}
