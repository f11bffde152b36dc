package main

import (
	"context"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// untilStopped is a context that ends on SIGINT or SIGTERM, or once the process that
// started the emulator has exited. `go run ./cmd/authing-emulator &` followed by
// `kill $!` stops go run, not the emulator it started, and an emulator for tests must not
// outlive what started it. A process started by init (parent 1) has no parent to watch.
func untilStopped() (context.Context, context.CancelFunc) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	parent := os.Getppid()
	if parent <= 1 {
		return ctx, stop
	}
	go func() {
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if os.Getppid() != parent {
					log.Printf("authing-emulator: the process that started it (%d) has exited; stopping", parent)
					stop()
					return
				}
			}
		}
	}()
	return ctx, stop
}
