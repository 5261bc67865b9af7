package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode"

	"golang.org/x/term"

	"github.com/careerbot/careerbot/client"
	"github.com/careerbot/careerbot/protocol"
)

const chatHelp = `Type a question, or the number of a suggestion. Commands:
  /reset    start a new conversation
  /sources  show the last answer's sources in full
  /up, /down [comment]  rate the last answer (the operator reads the ratings)
  /quit     exit (so does Ctrl-C at the prompt; during an answer Ctrl-C stops it)`

// runChat is `bot chat`: the terminal websocket client. On a terminal it is
// interactive (streamed answers, Ctrl-C stops an answer); otherwise it reads
// one question per line and prints each answer with its sources.
func runChat(ctx context.Context, env *environment, args []string) error {
	fs := flag.NewFlagSet("chat", flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	url := fs.String("url", chatURLFor(env.getenv("BOT_ADDR")), "websocket `URL` of a running chat server (bot serve)")
	jsonFrames := fs.Bool("json", false, "print the server's protocol frames, one JSON object per line, instead of text")
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, `Usage: bot chat [--url ws://host:port/ws] [--json]

Chat with a running server.

On a terminal the answers stream in.
`+chatHelp+`

From a pipe or file: one question per line; each answer is printed with its
sources, the conversation is kept (so follow-ups work), and the exit status
is non-zero if the server cannot be reached, goes away, or refuses a question.

Flags:
`)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("chat: unexpected argument %q: type or pipe the questions in (for a single question: bot ask --url %s \"question\")", fs.Arg(0), *url)
	}
	lines := readLines(env.stdin)
	if !*jsonFrames && isTerminal(env.stdin) {
		// main's signal context ends at the first Ctrl-C, but here Ctrl-C
		// during an answer means "stop the answer", so the interactive chat
		// watches the signals itself and ignores that context's cancellation.
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sigs)
		return chatInteractive(context.WithoutCancel(ctx), env, *url, lines, sigs)
	}
	return chatScript(ctx, env, *url, lines, *jsonFrames)
}

// askRemote answers one question over the websocket at url and prints the
// answer and its sources (or, with jsonFrames, the raw frames); `bot ask
// --url` calls it.
func askRemote(ctx context.Context, env *environment, url, question string, jsonFrames bool) error {
	conn, err := client.Dial(ctx, url, scriptOptions(env, jsonFrames))
	if err != nil {
		return cannotConnect(err)
	}
	defer conn.Close()
	ans, err := conn.Ask(ctx, question, nil)
	if err != nil {
		return readable(err)
	}
	if !jsonFrames {
		printAnswer(env.stdout, ans)
	}
	return nil
}

// chatScript is the non-interactive chat: questions come one per line.
func chatScript(ctx context.Context, env *environment, url string, lines <-chan inputLine, jsonFrames bool) error {
	conn, err := client.Dial(ctx, url, scriptOptions(env, jsonFrames))
	if err != nil {
		return cannotConnect(err)
	}
	defer conn.Close()

	var last *client.Answer
	asked, failed := 0, 0
	for {
		var in inputLine
		var more bool
		select {
		case in, more = <-lines:
		case <-ctx.Done():
			return errInterrupted
		}
		if !more {
			break
		}
		if in.err != nil {
			return fmt.Errorf("chat: reading questions: %w", in.err)
		}
		q := strings.TrimSpace(in.text)
		switch {
		case q == "":
			continue
		case q == "/quit":
			return nil
		case q == "/reset":
			if _, err := conn.Reset(ctx); err != nil {
				return readable(err)
			}
			last = nil
			continue
		case q == "/sources":
			if !jsonFrames {
				printFullSources(env.stdout, last)
			}
			continue
		case isRating(q):
			if err := rate(ctx, conn, last, q); err != nil {
				fmt.Fprintln(env.stderr, "bot:", err)
			}
			continue
		}
		asked++
		ans, err := conn.Ask(ctx, q, nil)
		var se *client.ServerError
		switch {
		case errors.As(err, &se):
			// One refused question does not end a script; the exit status tells.
			fmt.Fprintf(env.stderr, "bot: %q: %s\n", q, se.Readable())
			failed++
			continue
		case ctx.Err() != nil:
			return errInterrupted
		case err != nil:
			return readable(err)
		}
		last = ans
		if !jsonFrames {
			fmt.Fprintf(env.stdout, "> %s\n", printable(q))
			printAnswer(env.stdout, ans)
		}
	}
	if failed > 0 {
		return fmt.Errorf("chat: %d of %d questions got no answer", failed, asked)
	}
	return nil
}

// errInterrupted ends a non-interactive chat stopped by Ctrl-C or SIGTERM.
var errInterrupted = errors.New("chat: interrupted")

func scriptOptions(env *environment, jsonFrames bool) client.Options {
	opts := client.Options{OnReconnect: func(resumed bool) {
		fmt.Fprintln(env.stderr, "bot: "+reconnectNote(resumed))
	}}
	if jsonFrames {
		opts.OnFrame = func(f client.Frame) {
			if f.Raw != nil {
				_, _ = env.stdout.Write(append(f.Raw, '\n'))
			}
		}
	}
	return opts
}

// chatInteractive is the chat on a terminal. interrupts delivers Ctrl-C
// (os.Interrupt) and SIGTERM; lines delivers what the user types.
func chatInteractive(ctx context.Context, env *environment, url string, lines <-chan inputLine, interrupts <-chan os.Signal) error {
	out := env.stdout
	var conn *client.Conn
	opts := client.Options{OnReconnect: func(resumed bool) {
		fmt.Fprintf(out, "\n(%s)\nbot> ", reconnectNote(resumed))
	}}
	_, err := untilInterrupted(ctx, interrupts, func(ctx context.Context) error {
		var err error
		conn, err = client.Dial(ctx, url, opts)
		return err
	})
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.Canceled) {
			return nil // Ctrl-C while connecting
		}
		return cannotConnect(err)
	}
	defer conn.Close()

	ready := conn.Ready()
	fmt.Fprintf(out, "Connected to %s (%s mode). /help lists the commands; Ctrl-C stops an answer.\n\n", url, ready.Mode)
	fmt.Fprintln(out, printable(ready.Greeting))
	suggestions := ready.Suggestions
	printSuggestions(out, "Try asking", suggestions)

	var last *client.Answer
	for {
		fmt.Fprint(out, "\nyou> ")
		var in inputLine
		var more bool
		select {
		case in, more = <-lines:
		case <-interrupts:
			fmt.Fprintln(out)
			return nil
		}
		if !more { // Ctrl-D
			fmt.Fprintln(out)
			return nil
		}
		if in.err != nil {
			return fmt.Errorf("chat: reading input: %w", in.err)
		}
		q := strings.TrimSpace(in.text)
		switch {
		case q == "":
			continue
		case q == "/quit" || q == "/exit":
			return nil
		case q == "/reset":
			ready, err := conn.Reset(ctx)
			if err != nil {
				return readable(err)
			}
			last, suggestions = nil, ready.Suggestions
			fmt.Fprintln(out, "New conversation.", printable(ready.Greeting))
			printSuggestions(out, "Try asking", suggestions)
			continue
		case q == "/sources":
			printFullSources(out, last)
			continue
		case q == "/help":
			fmt.Fprintln(out, chatHelp)
			continue
		case isRating(q):
			if err := rate(ctx, conn, last, q); err != nil {
				fmt.Fprintln(out, err)
			} else {
				fmt.Fprintln(out, "Thanks for the feedback.")
			}
			continue
		case strings.HasPrefix(q, "/"):
			fmt.Fprintf(out, "Unknown command %s. %s\n", q, chatHelp)
			continue
		}
		if n, err := strconv.Atoi(q); err == nil && n >= 1 && n <= len(suggestions) {
			q = suggestions[n-1]
			fmt.Fprintf(out, "     %s\n", printable(q))
		}

		fmt.Fprint(out, "bot> ")
		var ans *client.Answer
		quit, err := untilInterrupted(ctx, interrupts, func(ctx context.Context) error {
			var err error
			ans, err = conn.Ask(ctx, q, func(delta string) { io.WriteString(out, printable(delta)) })
			return err
		})
		var se *client.ServerError
		switch {
		case errors.Is(err, client.ErrCanceled):
			fmt.Fprintln(out, " [stopped]")
		case errors.As(err, &se):
			fmt.Fprintln(out, se.Readable())
		case err != nil:
			fmt.Fprintln(out)
			return readable(err)
		default:
			fmt.Fprintln(out)
			if ans.Notice != "" {
				fmt.Fprintf(out, "(%s)\n", printable(ans.Notice))
			}
			printCompactSources(out, ans)
			last, suggestions = ans, ans.Suggestions
			printSuggestions(out, "You could ask", suggestions)
		}
		if quit {
			return nil
		}
	}
}

// isRating reports whether q is /up or /down, with or without a comment.
func isRating(q string) bool {
	cmd, _, _ := strings.Cut(q, " ")
	return cmd == "/up" || cmd == "/down"
}

// rate sends "/up [comment]" or "/down [comment]" as feedback on ans.
func rate(ctx context.Context, conn *client.Conn, ans *client.Answer, q string) error {
	if ans == nil {
		return errors.New("nothing to rate yet: ask a question first")
	}
	cmd, comment, _ := strings.Cut(q, " ")
	return conn.Feedback(ctx, ans.ID, strings.TrimPrefix(cmd, "/"), strings.TrimSpace(comment))
}

// untilInterrupted runs fn, cancelling its context at the first interrupt,
// and waits for it to return. quit reports a SIGTERM (as opposed to Ctrl-C).
func untilInterrupted(ctx context.Context, interrupts <-chan os.Signal, fn func(context.Context) error) (quit bool, err error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- fn(ctx) }()
	for {
		select {
		case err := <-done:
			return quit, err
		case sig := <-interrupts:
			quit = quit || sig != os.Interrupt
			cancel()
		}
	}
}

// inputLine is one line of input, or the error that ended reading.
type inputLine struct {
	text string
	err  error
}

// readLines reads r line by line on its own goroutine, so that the chat can
// wait for input and for Ctrl-C at once. The channel closes at end of input.
// (On a real terminal that goroutine may outlive the chat, blocked in Read,
// until the process exits.)
func readLines(r io.Reader) <-chan inputLine {
	lines := make(chan inputLine)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			lines <- inputLine{text: sc.Text()}
		}
		if err := sc.Err(); err != nil {
			lines <- inputLine{err: err}
		}
	}()
	return lines
}

func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// chatURLFor derives the default server URL from BOT_ADDR, so that `bot chat`
// finds a `bot serve` started with the same .env.
func chatURLFor(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "ws://localhost:8080/ws"
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "ws://" + net.JoinHostPort(host, port) + "/ws"
}

func cannotConnect(err error) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("cannot reach the chat server: %w (is `bot serve` running there?)", err)
}

// readable turns the client's errors into messages for the person at the keyboard.
func readable(err error) error {
	var se *client.ServerError
	if errors.As(err, &se) {
		return errors.New(se.Readable())
	}
	return err
}

func reconnectNote(resumed bool) string {
	if resumed {
		return "the connection dropped; reconnected and resumed the conversation"
	}
	return "the connection dropped; reconnected, but the server had forgotten the conversation, so this is a new one"
}

// printAnswer prints a whole answer, then its notice and sources.
func printAnswer(w io.Writer, ans *client.Answer) {
	fmt.Fprintln(w, printable(ans.Text))
	if ans.Notice != "" {
		fmt.Fprintf(w, "(%s)\n", printable(ans.Notice))
	}
	printCompactSources(w, ans)
	fmt.Fprintln(w)
}

// printCompactSources lists each section once: those the answer used
// (done.cited) under "Sources:", then the others retrieved under "Also
// retrieved:".
func printCompactSources(w io.Writer, ans *client.Answer) {
	used, others := ans.SplitSources()
	seen := map[string]bool{}
	n := 0
	for k, list := range [][]protocol.Source{used, others} {
		title := "Sources:"
		if k == 1 {
			title = "Also retrieved:"
		}
		titled := false
		for _, s := range list {
			name := s.Guide + " › " + s.Section
			if seen[name] {
				continue
			}
			seen[name] = true
			if !titled {
				fmt.Fprintln(w, title)
				titled = true
			}
			n++
			fmt.Fprintf(w, "  [%d] %s\n", n, printable(name))
		}
	}
}

// printFullSources shows what /sources shows: each retrieved section's text.
func printFullSources(w io.Writer, ans *client.Answer) {
	if ans == nil || len(ans.Sources) == 0 {
		fmt.Fprintln(w, "No sources yet: the last answer (if any) did not cite the guides.")
		return
	}
	fmt.Fprintf(w, "Sources of the answer to %q:\n", printable(ans.Question))
	used, others := ans.SplitSources()
	for i, s := range slices.Concat(used, others) {
		mark := ""
		if i >= len(used) {
			mark = ", not used in the answer"
		}
		fmt.Fprintf(w, "\n[%d] %s › %s (score %.2f%s)\n", i+1, printable(s.Guide), printable(s.Section), s.Score, mark)
		for _, line := range strings.Split(printable(s.Text), "\n") {
			fmt.Fprintln(w, "    "+line)
		}
	}
}

func printSuggestions(w io.Writer, intro string, suggestions []string) {
	if len(suggestions) == 0 {
		return
	}
	fmt.Fprintf(w, "%s (type a number):\n", intro)
	for i, s := range suggestions {
		fmt.Fprintf(w, "  %d. %s\n", i+1, printable(s))
	}
}

// printable drops control characters (other than newline and tab) so that
// text from the server cannot move the cursor or restyle the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}
