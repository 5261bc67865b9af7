package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/careerbot/careerbot/internal/redisstate/redistest"
	"github.com/careerbot/careerbot/internal/testutil"
)

// nginxBinary is BOT_TEST_NGINX (CI sets it: the test must run), else an
// nginx found on this machine, else the test is skipped.
func nginxBinary(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("BOT_TEST_NGINX"); p != "" {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("BOT_TEST_NGINX=%s: %v", p, err)
		}
		return p
	}
	for _, p := range []string{"nginx", "/usr/sbin/nginx"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	t.Skip("needs nginx (apt-get install nginx-light) or BOT_TEST_NGINX; .ci/run installs it")
	return ""
}

// deployNginxSnippet is the nginx configuration from docs/deploy.md, so that
// the documented snippet is the tested one.
func deployNginxSnippet(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/deploy.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```nginx\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/deploy.md has no ```nginx block")
	}
	return string(m[1])
}

// The nginx snippet of docs/deploy.md in front of two replicas sharing one
// Redis: websockets pass through it, and a visitor whose reconnections land
// on either replica keeps the conversation.
func TestNginxInFrontOfTwoReplicas(t *testing.T) {
	url := redistest.URL(t)
	nginx := nginxBinary(t)
	prefix := redistest.Prefix(t, url)
	env := map[string]string{"BOT_REDIS_URL": url, "BOT_REDIS_PREFIX": prefix}
	a, b := startReplica(t, env), startReplica(t, env)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	front := ln.Addr().String()
	ln.Close()
	snippet := deployNginxSnippet(t)
	for old, repl := range map[string]string{"server 10.0.0.11:8080": "server " + a.addr, "server 10.0.0.12:8080": "server " + b.addr, "listen 80;": "listen " + front + ";"} {
		if !strings.Contains(snippet, old) {
			t.Fatalf("the snippet in docs/deploy.md lost %q", old)
		}
		snippet = strings.ReplaceAll(snippet, old, repl)
	}
	dir := t.TempDir()
	conf := fmt.Sprintf(`daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
%[2]s
}
`, dir, snippet)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(nginx, "-p", dir, "-e", filepath.Join(dir, "error.log"), "-c", filepath.Join(dir, "nginx.conf"))
	out := &testutil.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	nginxLog := func() string {
		data, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		return out.String() + string(data)
	}
	for deadline := time.Now().Add(fleetGuard); ; time.Sleep(20 * time.Millisecond) {
		resp, err := http.Get("http://" + front + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("nginx never proxied /readyz (%v):\n%s", err, nginxLog())
		}
	}

	first := dial(t, front, "", "")
	if _, f := first.ask("1", "What is the median salary of a media specialist?"); f.Type != "done" || !f.Grounded {
		t.Fatalf("ask through nginx: %+v", f)
	}
	session := first.Ready.Session
	first.WS.Close()
	// Round robin sends these reconnections to both replicas; each resumes.
	for i := range 4 {
		c := dial(t, front, session, "")
		if !c.Ready.Resumed || len(c.Ready.History) != 1+i {
			t.Fatalf("reconnection %d: resumed=%v, %d turns, want %d", i, c.Ready.Resumed, len(c.Ready.History), 1+i)
		}
		if _, f := c.ask("f", "And what about education?"); f.Type != "done" || !f.Grounded {
			t.Fatalf("follow-up %d through nginx: %+v", i, f)
		}
		c.WS.Close()
	}
	opened := "msg=\"websocket open\" session=" + fleetTag(session) + " resumed=true"
	if !strings.Contains(a.logs.String(), opened) || !strings.Contains(b.logs.String(), opened) {
		t.Errorf("the reconnections did not reach both replicas (want %q in both logs)", opened)
	}
	if strings.Contains(nginxLog(), "[error]") {
		t.Errorf("nginx errors:\n%s", nginxLog())
	}
}
