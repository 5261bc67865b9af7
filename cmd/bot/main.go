// Command bot is the career-advice chatbot: it indexes the career guides in
// corpus/, answers questions locally, serves the websocket chat and widget,
// and talks to a running server as a terminal client.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "bot:", err)
		os.Exit(1)
	}
}

// command is one subcommand of the bot binary.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *environment, args []string) error
}

// environment is what every subcommand gets from the outside world. Nothing
// reads os.Getenv or os.Stdout directly, so tests can drive run end to end.
type environment struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// onListen, when set, is told where `serve` listens (tests; see
	// serveOptions.onListen).
	onListen func(listening)
}

func commands() []command {
	return []command{
		{"serve", "serve the websocket chat and the web widget (default)", runServe},
		{"index", "build the search index from the corpus and print what it holds", runIndex},
		{"ask", "answer one question and print the cited sections", runAsk},
		{"eval", "measure retrieval and answer quality on an eval set (JSONL)", runEval},
		{"chat", "chat with a running server from the terminal (websocket client)", runChat},
	}
}

// run is the whole program. args excludes the program name.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	return runIn(ctx, &environment{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}, args)
}

// runIn is run with the outside world given as env.
func runIn(ctx context.Context, env *environment, args []string) error {
	env.getenv = withDotEnv(env.getenv, ".env")
	stdout, stderr := env.stdout, env.stderr

	name := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		name, args = args[0], args[1:]
	} else if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		usage(stdout)
		return flag.ErrHelp
	}
	if name == "help" {
		usage(stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			// Errors may quote a setting (a URL that does not parse is
			// quoted whole): none leaves with a key or password in it.
			return redactErr(c.run(ctx, env, args), secretsOf(env.getenv, args))
		}
	}
	usage(stderr)
	return fmt.Errorf("unknown command %q", name)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Usage: bot [command] [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'bot <command> -h' for the command's flags and environment variables.")
}
