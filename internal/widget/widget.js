/*! careerbot chat widget: one file, no dependencies; data- attributes in docs/widget.md.
 * Safety rule: text from the server or the user only ever enters the page via
 * textContent / createTextNode, never parsed as HTML. */
(function () {
  'use strict';
  if (window.__careerbotWidget) return; // embedded twice: keep the first
  window.__careerbotWidget = true;

  var script = document.currentScript; // set for classic scripts, async or not

  function str(v) { return typeof v === 'string' ? v : ''; }
  function attr(name, fallback) {
    var v = script && script.getAttribute('data-' + name);
    return v == null || v.trim() === '' ? fallback : v.trim();
  }

  // ---- configuration
  var DEFAULT_COLOR = '#1d4ed8';
  var color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(attr('color', '')) ? attr('color', '') : DEFAULT_COLOR;
  // The question cap: data-max-length, lowered to the server's from ready.
  var pageMax = parseInt(attr('max-length', ''), 10);
  if (!(pageMax >= 1 && pageMax <= 1e5)) pageMax = 0;
  var cfg = {
    title: attr('title', 'Career coach'),
    greeting: attr('greeting', ''),
    placeholder: attr('placeholder', 'Ask about a career…'),
    left: attr('position', 'right') === 'left',
    open: attr('open', 'false') === 'true',
    maxLen: pageMax || 1000,
    server: serverURL()
  };

  // The websocket URL comes from the script's own src (…/widget.js → …/ws),
  // so a bot served under a path prefix works too; data-server overrides it.
  function serverURL() {
    var base = attr('server', '');
    try {
      var u = base ? new URL(base, location.href) : new URL('ws', script && script.src ? script.src : location.href);
      if (base && (u.pathname === '/' || u.pathname === '')) u.pathname = '/ws';
      if (u.protocol === 'https:') u.protocol = 'wss:';
      else if (u.protocol === 'http:') u.protocol = 'ws:';
      u.hash = '';
      u.search = '';
      return u.protocol === 'ws:' || u.protocol === 'wss:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  // ---- colour maths for AA contrast with any data-color
  function rgb(hex) {
    hex = hex.slice(1);
    if (hex.length === 3) hex = hex.replace(/./g, '$&$&');
    return [0, 2, 4].map(function (i) { return parseInt(hex.substr(i, 2), 16) / 255; });
  }
  function luminance(hex) {
    var c = rgb(hex).map(function (v) { return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  // Text on the accent colour: white or near-black, whichever reads better.
  var onAccent = contrast(color, '#ffffff') >= contrast(color, '#111111') ? '#ffffff' : '#111111';
  // Links, chip text and focus rings sit on white: use the accent only if it passes AA there.
  var ink = contrast(color, '#ffffff') >= 4.5 ? color : DEFAULT_COLOR;

  // ---- styles: px only, as rem would follow the host page's root font size
  var CSS = `
:host{all:initial !important;display:block !important}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none !important}
.root{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2328;text-align:left;letter-spacing:normal;text-transform:none}
button,textarea{font:inherit;color:inherit;letter-spacing:inherit;margin:0}
button{cursor:pointer}
:focus{outline:none}
:focus-visible{outline:3px solid var(--ink);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher,.panel{position:fixed;bottom:20px;right:20px}
.launcher{z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;background:var(--accent);color:var(--on);display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.28)}
.left .launcher,.left .panel{right:auto;left:20px}
.launcher:focus-visible{outline-color:#111;box-shadow:0 0 0 6px #fff,0 6px 20px rgba(0,0,0,.28)}
.launcher svg{width:28px;height:28px}
.panel{z-index:2147483001;width:380px;height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 14px 44px rgba(0,0,0,.28);border:1px solid rgba(0,0,0,.1);animation:cb-in .16s ease-out}
@keyframes cb-in{from{opacity:0;transform:translateY(10px)}}
.head{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;background:var(--accent);color:var(--on)}
.head h2{flex:1;margin:0;font-size:16px;font-weight:650;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.head button{background:transparent;border:1px solid currentColor;border-radius:8px;padding:5px 10px;font-size:13.5px;font-weight:600;display:flex;align-items:center;gap:6px}
.head button.icon{border-color:transparent;width:36px;height:36px;padding:0;justify-content:center}
.head button:hover{background:rgba(127,127,127,.22)}
.head button:focus-visible{outline-color:currentColor;outline-offset:1px}
.head svg{width:18px;height:18px}
.banner{padding:6px 16px;background:#fff4ce;color:#5c4400;font-size:13px;border-bottom:1px solid #f0dc9a}
.log{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:14px;display:flex;flex-direction:column;gap:10px;background:#f6f7f9}
.log:focus-visible{outline-offset:-3px}
.msg{max-width:88%;padding:9px 13px;border-radius:14px;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--accent);color:var(--on);border-bottom-right-radius:4px;white-space:pre-wrap}
.bot{align-self:flex-start;background:#fff;border:1px solid #dde1e6;border-bottom-left-radius:4px;max-width:94%}
.bot p,.bot ul,.bot ol{margin:0 0 8px}
.bot .body>:last-child{margin-bottom:0}
.bot ul,.bot ol{padding-left:22px}
.bot li{margin:2px 0}
.bot code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eef0f3;border-radius:4px;padding:1px 4px}
.bot a{color:var(--ink);text-decoration:underline}
.typing{display:inline-flex;gap:4px;padding:4px 0}
.typing i{width:7px;height:7px;border-radius:50%;background:#6e7781;animation:cb-dot 1.1s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes cb-dot{0%,80%,100%{opacity:.35;transform:translateY(0)}40%{opacity:1;transform:translateY(-3px)}}
.note{font-size:12.5px;color:#57606a;margin-top:6px}
.center{align-self:center;text-align:center;margin:0}
.error{align-self:stretch;background:#fdecec;color:#8a1c1c;border:1px solid #f3c2c2;border-radius:10px;padding:8px 12px;font-size:14px}
.bot .error{margin-top:6px}
.sources{margin-top:8px;border-top:1px solid #e3e5e8;padding-top:6px;font-size:13.5px}
.sources summary{cursor:pointer;color:#3d444d;font-weight:600;padding:2px 0}
.sources ol{margin:4px 0 0;padding-left:2px;list-style:none}
.sources li{margin:3px 0}
.sources li summary{font-weight:500;color:#1f2328}
.bot .snippet{margin:4px 0 6px 14px;color:#3d444d;font-size:13px;white-space:pre-wrap}
.guide{display:block;margin-left:14px;color:#57606a;font-size:12px}
.chips{display:flex;flex-wrap:wrap;gap:6px;align-self:stretch}
.chip{background:#fff;color:var(--ink);border:1px solid var(--ink);border-radius:16px;padding:5px 12px;font-size:13.5px;line-height:1.35;text-align:left}
.chip:hover{background:#eef3ff}
.composer{border-top:1px solid #dde1e6;background:#fff;padding:10px}
.row{display:flex;gap:8px;align-items:flex-end}
textarea{flex:1;resize:none;min-height:42px;max-height:132px;padding:9px 11px;border:1px solid #767676;border-radius:10px;background:#fff;color:#1f2328;line-height:1.45;overflow-y:auto}
textarea::placeholder{color:#6e7781;opacity:1}
textarea:focus-visible{outline-offset:0;border-color:var(--ink)}
.send{height:42px;min-width:72px;padding:0 14px;border-radius:10px;border:2px solid var(--accent);background:var(--accent);color:var(--on);font-weight:650}
.send.stop{background:#fff;color:#b42318;border-color:#b42318}
.send:disabled{background:#d0d7de;border-color:#d0d7de;color:#424a53;cursor:default}
.counter{font-size:12px;color:#57606a;text-align:right;margin-top:4px}
.counter.full{color:#b42318;font-weight:600}
@media (max-width:480px){.panel{top:0;bottom:0;left:0 !important;right:0 !important;width:auto;height:auto;border-radius:0;border:0}.msg{max-width:92%}}
@media (prefers-reduced-motion:reduce){.panel,.typing i{animation:none}.typing i{opacity:.7}.log{scroll-behavior:auto}}`;

  // ---- tiny DOM helpers: attributes and text only, never HTML
  function el(tag, props, kids) {
    var n = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === 'text') n.textContent = props[k];
      else if (k === 'cls') n.className = props[k];
      else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), props[k]);
      else n.setAttribute(k, props[k]);
    }
    (kids || []).forEach(function (c) { if (c) n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return n;
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    var n = document.createElementNS(SVGNS, tag);
    for (var k in attrs) n.setAttribute(k, attrs[k]);
    return n;
  }
  function icon(d) {
    var s = svgEl('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' });
    s.appendChild(svgEl('path', { d: d, fill: 'none', stroke: 'currentColor', 'stroke-width': '2', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
    return s;
  }
  var ICON_CHAT = 'M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z';
  var ICON_CLOSE = 'M6 6l12 12M18 6L6 18';
  var ICON_NEW = 'M12 5v14M5 12h14';

  // ---- safe markdown subset → DOM
  // Blocks: paragraphs (blank line), "- "/"* " bullets, "1. " numbers;
  // "#" headings become bold paragraphs. Inline: **bold**, *italic*/_italic_,
  // `code`, [text](http…) and bare http(s) links.
  function renderMarkdown(parent, text) {
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    var para = null, list = null, listType = '';
    function close() { para = null; list = null; listType = ''; }
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i], m;
      if (!line.trim()) { close(); continue; }
      if ((m = /^\s*(?:[-*•+])\s+(.*)$/.exec(line)) || (m = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(line))) {
        var type = m.length === 3 ? 'ol' : 'ul';
        var content = m.length === 3 ? m[2] : m[1];
        if (!list || listType !== type) {
          para = null;
          list = el(type);
          if (type === 'ol' && m[1] !== '1') list.setAttribute('start', String(parseInt(m[1], 10)));
          listType = type;
          parent.appendChild(list);
        }
        var li = el('li');
        inline(li, content);
        list.appendChild(li);
        continue;
      }
      if (list && /^\s{2,}\S/.test(line)) { // continuation of a list item
        var last = list.lastChild;
        last.appendChild(document.createTextNode(' '));
        inline(last, line.trim());
        continue;
      }
      if ((m = /^\s*#{1,6}\s+(.*)$/.exec(line))) {
        close();
        var h = el('p'), strong = el('strong');
        inline(strong, m[1]);
        h.appendChild(strong);
        parent.appendChild(h);
        continue;
      }
      list = null;
      if (!para) { para = el('p'); parent.appendChild(para); } else para.appendChild(el('br'));
      inline(para, line);
    }
  }

  function safeHref(url) {
    try {
      var u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch (e) {
      return null;
    }
  }
  function link(parent, label, href) {
    var a = el('a', { href: href, target: '_blank', rel: 'noopener noreferrer' });
    inline(a, label, true);
    parent.appendChild(a);
  }

  function inline(parent, s, inLink) {
    var buf = '', i = 0, n = s.length;
    function flush() { if (buf) { parent.appendChild(document.createTextNode(buf)); buf = ''; } }
    while (i < n) {
      var c = s[i], j, m;
      if (c === '`' && (j = s.indexOf('`', i + 1)) > i + 1) {
        flush();
        parent.appendChild(el('code', { text: s.slice(i + 1, j) }));
        i = j + 1;
        continue;
      }
      if ((c === '*' || c === '_') && s[i + 1] === c && (j = s.indexOf(c + c, i + 2)) > i + 2) {
        flush();
        var b = el('strong');
        inline(b, s.slice(i + 2, j), inLink);
        parent.appendChild(b);
        i = j + 2;
        continue;
      }
      if ((c === '*' || c === '_') && s[i + 1] && !/\s/.test(s[i + 1]) && !(c === '_' && /\w/.test(s[i - 1] || ''))) {
        j = i + 1;
        while ((j = s.indexOf(c, j)) !== -1 && (s[j + 1] === c || /\s/.test(s[j - 1]))) j += s[j + 1] === c ? 2 : 1;
        if (j > i + 1 && !(c === '_' && /\w/.test(s[j + 1] || ''))) {
          flush();
          var em = el('em');
          inline(em, s.slice(i + 1, j), inLink);
          parent.appendChild(em);
          i = j + 1;
          continue;
        }
      }
      if (c === '[' && !inLink && (m = /^\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)/.exec(s.slice(i)))) {
        flush();
        var href = safeHref(m[2]);
        if (href) link(parent, m[1], href);
        else inline(parent, m[1], inLink); // unsafe or relative target: keep the words, drop the link
        i += m[0].length;
        continue;
      }
      if (c === 'h' && !inLink && !/\w/.test(s[i - 1] || '') && (m = /^https?:\/\/[^\s<>"'`]+/i.exec(s.slice(i)))) {
        var url = m[0].replace(/[.,;:!?)\]]+$/, '');
        var safe = safeHref(url);
        if (safe) {
          flush();
          link(parent, url, safe);
          i += url.length;
          continue;
        }
      }
      buf += c;
      i++;
    }
    flush();
  }

  // ---- persistence: session id and transcript live in sessionStorage
  var KEY = 'careerbot:' + (cfg.server || location.host);
  var store = { session: '', open: null, messages: [] };
  try {
    var saved = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (saved && typeof saved === 'object') {
      store.session = str(saved.session);
      store.open = typeof saved.open === 'boolean' ? saved.open : null;
      store.messages = Array.isArray(saved.messages) ? saved.messages.filter(function (m) { return m && typeof m === 'object'; }) : [];
    }
  } catch (e) { /* storage disabled or corrupt: start fresh */ }
  function save() {
    if (store.messages.length > 80) store.messages = store.messages.slice(-80);
    try { sessionStorage.setItem(KEY, JSON.stringify(store)); } catch (e) { /* private mode: not fatal */ }
  }

  // ---- build the UI inside a shadow root
  var host = document.createElement('careerbot-chat');
  var shadow = host.attachShadow({ mode: 'open' });
  // Constructed stylesheets work on pages whose CSP forbids inline styles.
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch (e) {
    shadow.appendChild(el('style', { text: CSS }));
  }

  var root = el('div', { cls: 'root' + (cfg.left ? ' left' : '') });
  root.style.setProperty('--accent', color);
  root.style.setProperty('--on', onAccent);
  root.style.setProperty('--ink', ink);
  shadow.appendChild(root);

  var launcher = el('button', { cls: 'launcher', type: 'button', 'aria-label': 'Open chat', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', onclick: function () { open(true); } }, [icon(ICON_CHAT)]);
  var title = el('h2', { id: 'cb-title', text: cfg.title });
  var newBtn = el('button', { type: 'button', onclick: newChat }, [icon(ICON_NEW), 'New chat']);
  var closeBtn = el('button', { type: 'button', cls: 'icon', 'aria-label': 'Close chat', onclick: function () { close(true); } }, [icon(ICON_CLOSE)]);
  var banner = el('div', { cls: 'banner', role: 'status', hidden: '' });
  var log = el('div', { cls: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', tabindex: '0' });
  var input = el('textarea', { id: 'cb-input', rows: '1', maxlength: String(cfg.maxLen), placeholder: cfg.placeholder, 'aria-describedby': 'cb-counter', enterkeyhint: 'send' });
  var sendBtn = el('button', { type: 'submit', cls: 'send', text: 'Send' });
  var counter = el('div', { id: 'cb-counter', cls: 'counter', hidden: '' });
  var form = el('form', { cls: 'composer', novalidate: '' }, [
    el('label', { 'for': 'cb-input', cls: 'sr', text: 'Your question' }),
    el('div', { cls: 'row' }, [input, sendBtn]),
    counter
  ]);
  var panel = el('div', { cls: 'panel', role: 'dialog', 'aria-labelledby': 'cb-title', hidden: '' }, [
    el('div', { cls: 'head' }, [title, newBtn, closeBtn]),
    banner, log, form
  ]);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- conversation state
  var ws = null, state = 'idle'; // idle | connecting | online | reconnecting
  var attempts = 0, retryTimer = 0, readyOnce = false, resetting = false, tooLarge = false, queued = '';
  var pending = null; // the answer being streamed: {id, text, sources, node, body}
  var seq = 0;

  function atBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 60; }
  function scrollDown(force) { if (force || atBottom()) log.scrollTop = log.scrollHeight; }
  function append(node) { var stick = atBottom(); log.appendChild(node); scrollDown(stick); return node; }

  function userBubble(text) {
    return append(el('div', { cls: 'msg user' }, [el('span', { cls: 'sr', text: 'You: ' }), String(text)]));
  }
  function botBubble() {
    var body = el('div', { cls: 'body' });
    var node = append(el('div', { cls: 'msg bot' }, [el('span', { cls: 'sr', text: cfg.title + ': ' }), body]));
    return { node: node, body: body };
  }
  function typing() {
    return el('span', { cls: 'typing' }, [el('i'), el('i'), el('i'), el('span', { cls: 'sr', text: 'Typing…' })]);
  }
  function noteLine(text) { return el('div', { cls: 'note', role: 'note', text: text }); }
  function errorLine(text) { return el('div', { cls: 'error', text: text }); }

  function sourcesList(sources) {
    var list = el('ol');
    sources.forEach(function (s) {
      if (!s || typeof s !== 'object') return;
      var name = String(s.section || s.guide || 'Source');
      var snippet = String(s.text || '');
      if (snippet.length > 420) snippet = snippet.slice(0, 400).replace(/\s+\S*$/, '') + ' …';
      var kids = [el('summary', { text: name })];
      if (s.guide && s.section) kids.push(el('span', { cls: 'guide', text: String(s.guide) }));
      if (snippet) kids.push(el('p', { cls: 'snippet', text: snippet }));
      list.appendChild(el('li', null, [el('details', null, kids)]));
    });
    if (!list.firstChild) return null;
    return el('details', { cls: 'sources' }, [el('summary', { text: 'Sources (' + list.childNodes.length + ')' }), list]);
  }

  function chips(suggestions) {
    var items = (Array.isArray(suggestions) ? suggestions : []).filter(function (s) { return typeof s === 'string' && s.trim(); }).slice(0, 4);
    if (!items.length) return null;
    var group = el('div', { cls: 'chips', role: 'group', 'aria-label': 'Suggested questions' });
    items.forEach(function (s) {
      group.appendChild(el('button', { type: 'button', cls: 'chip', text: s, onclick: function () { ask(s); } }));
    });
    return append(group);
  }
  function dropChips() {
    var groups = log.querySelectorAll('.chips');
    // A keyboard user who pressed a chip keeps focus in the conversation.
    if (shadow.activeElement && shadow.activeElement.classList.contains('chip')) log.focus({ preventScroll: true });
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  // Draws one finished bot message (also used to restore the transcript).
  function drawBot(m, withChips) {
    var b = botBubble();
    renderMarkdown(b.body, m.t || '');
    if (m.e) b.node.appendChild(errorLine(m.e));
    var src = Array.isArray(m.s) && sourcesList(m.s);
    if (src) b.node.appendChild(src);
    if (m.n) b.node.appendChild(noteLine(m.n));
    if (withChips) chips(m.f);
    return b;
  }
  function drawAll() {
    log.textContent = '';
    store.messages.forEach(function (m, i) {
      var last = i === store.messages.length - 1;
      if (m.r === 'u') userBubble(m.t);
      else if (m.r === 'b') drawBot(m, last);
      else append(lineNode(m));
    });
    scrollDown(true);
  }
  // Error ('e') and note ('n') lines between messages.
  function lineNode(m) { return m.r === 'e' ? errorLine(m.t) : el('p', { cls: 'note center', text: m.t }); }
  function addLine(r, t) {
    var m = { r: r, t: t };
    store.messages.push(m);
    save();
    append(lineNode(m));
  }

  // ---- connection
  function connect() {
    if (ws || !cfg.server) {
      if (!cfg.server && !log.querySelector('.error')) append(errorLine('The chat is not configured correctly (no server address).'));
      return;
    }
    clearTimeout(retryTimer);
    var url = new URL(cfg.server);
    if (store.session) url.searchParams.set('session', store.session);
    setState(readyOnce || attempts ? 'reconnecting' : 'connecting');
    var sock;
    try { sock = new WebSocket(url.href); } catch (e) { scheduleRetry(); return; }
    ws = sock;
    sock.onmessage = function (ev) {
      if (sock !== ws) return;
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f === 'object') handle(f);
    };
    sock.onclose = function (ev) {
      if (sock !== ws) return;
      ws = null;
      if (ev.reason === 'idle' && !pending) return;
      if (pending) fail(ev.code === 1009 ? FRIENDLY.too_large : 'The connection dropped before the answer finished. Please ask again.');
      else if (ev.code === 1009 && !tooLarge) addLine('e', FRIENDLY.too_large);
      tooLarge = false;
      scheduleRetry();
    };
  }
  function scheduleRetry() {
    ws = null;
    setState('reconnecting');
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s … capped at 15 s.
    var delay = Math.min(15000, 500 * Math.pow(2, attempts++)) * (0.75 + Math.random() * 0.5);
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, delay);
  }
  window.addEventListener('online', function () { if (state === 'reconnecting' && !ws) { attempts = 0; connect(); } });

  function send(frame) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function setState(s) {
    state = s;
    if (s === 'reconnecting') { banner.textContent = 'Reconnecting…'; banner.hidden = false; }
    else if (s === 'connecting') { banner.textContent = 'Connecting…'; banner.hidden = false; }
    else banner.hidden = true;
    updateComposer();
  }

  function handle(f) {
    switch (f.type) {
      case 'ready': return onReady(f);
      case 'sources':
        if (pending && f.id === pending.id && Array.isArray(f.sources)) pending.sources = f.sources;
        return;
      case 'token':
        if (pending && f.id === pending.id && typeof f.text === 'string') { pending.text += f.text; paint(); }
        return;
      case 'done':
        if (pending && f.id === pending.id) finish(f);
        return;
      case 'error': return onError(f);
    }
  }

  function onReady(f) {
    var resumed = !!store.session && f.session === store.session;
    var talked = store.messages.some(function (m) { return m.r === 'u'; });
    var lim = +(f.limits && f.limits.max_question);
    if (lim >= 1) { input.maxLength = cfg.maxLen = Math.min(lim, pageMax || 1e5); updateCounter(); }
    attempts = 0;
    readyOnce = true;
    store.session = str(f.session) || store.session;
    setState('online');
    if (resetting || !talked) {
      store.messages = [{ r: 'b', t: cfg.greeting || str(f.greeting) || 'Hi! Ask me about a career.', f: f.suggestions }];
      resetting = false;
      drawAll();
    } else if (!resumed) {
      addLine('n', 'Your earlier conversation has expired, so the coach won\'t remember it.');
    }
    save();
    if (queued) { ask(queued); queued = ''; }
  }

  var FRIENDLY = {
    rate_limited: 'You\'re sending questions a little fast. Please wait a moment and try again.',
    busy: 'The coach is busy right now. Please try again in a moment.',
    upstream: 'The answer service is having trouble right now. Please try again shortly.',
    too_large: 'That message is too long. Please shorten it and try again.',
    bad_request: 'Sorry, that question could not be sent. Please try rephrasing it.',
    internal: 'Something went wrong on our side. Please try again.'
  };
  function onError(f) {
    var text = FRIENDLY[f.code] || 'Something went wrong. Please try again.';
    // The server explains a refused question (e.g. its length limit) in words.
    if (f.code === 'bad_request' && str(f.message)) text = f.message;
    if (f.code === 'too_large') tooLarge = true; // the 1009 close that follows says nothing more
    if (pending && (!f.id || f.id === pending.id)) fail(text);
    else addLine('e', text);
  }

  // ---- asking and streaming
  function ask(text) {
    text = String(text).trim();
    if (!text || pending || state !== 'online') return false;
    if (text.length > cfg.maxLen) { updateCounter(); return false; }
    var id = 'w' + Date.now().toString(36) + '-' + (++seq);
    if (!ws) return queued = text, connect(), true;
    if (!send({ type: 'ask', id: id, text: text })) return false;
    dropChips();
    store.messages.push({ r: 'u', t: text });
    save();
    userBubble(text);
    scrollDown(true);
    var b = botBubble();
    b.body.appendChild(typing());
    pending = { id: id, text: '', sources: [], node: b.node, body: b.body };
    log.setAttribute('aria-busy', 'true');
    updateComposer();
    return true;
  }

  var painting = 0;
  function paint() { // re-render the streamed markdown at most once a frame
    if (painting) return;
    painting = requestAnimationFrame(function () {
      painting = 0;
      if (!pending) return;
      var stick = atBottom();
      pending.body.textContent = '';
      renderMarkdown(pending.body, pending.text);
      scrollDown(stick);
    });
  }

  // Ends the pending answer: the streamed bubble is redrawn as a finished
  // message, so a live answer and a restored one look the same.
  function settle(msg) {
    if (painting) { cancelAnimationFrame(painting); painting = 0; }
    var stick = atBottom();
    pending.node.remove();
    pending = null;
    store.messages.push(msg);
    save();
    drawBot(msg, true);
    scrollDown(stick || !!msg.e);
    log.removeAttribute('aria-busy');
    updateComposer();
  }
  function finish(f) {
    settle({ r: 'b', t: str(f.text) || pending.text, s: pending.sources, n: str(f.notice), f: f.suggestions });
  }
  function fail(text) { settle({ r: 'b', t: pending.text, e: text }); }
  function stop() {
    if (!pending) return;
    send({ type: 'cancel', id: pending.id });
    settle({ r: 'b', t: pending.text, n: 'Stopped.' });
    input.focus();
  }

  function newChat() {
    if (pending) stop();
    store.messages = [];
    log.textContent = '';
    if (send({ type: 'reset' })) resetting = true;
    else store.session = ''; // offline: the next connection starts a fresh session
    save();
    input.focus();
  }

  // ---- composer
  function updateComposer() {
    var streaming = !!pending;
    sendBtn.textContent = streaming ? 'Stop' : 'Send';
    sendBtn.classList.toggle('stop', streaming);
    sendBtn.disabled = !streaming && state !== 'online';
  }
  function updateCounter() {
    var len = input.value.length;
    var near = len >= Math.max(0, cfg.maxLen - Math.max(50, Math.round(cfg.maxLen * 0.1)));
    counter.hidden = !near;
    counter.textContent = len + ' / ' + cfg.maxLen + (len >= cfg.maxLen ? ' — limit reached' : '');
    counter.classList.toggle('full', len >= cfg.maxLen);
  }
  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 132) + 'px';
  }
  function submit() {
    if (pending) stop();
    else if (ask(input.value)) { input.value = ''; autosize(); updateCounter(); }
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); submit(); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!pending) submit(); // Enter never stops an answer; the Stop button does
    }
  });
  input.addEventListener('input', function () { autosize(); updateCounter(); });

  // ---- open and close
  function show(on) {
    panel.hidden = !on;
    launcher.hidden = on;
    launcher.setAttribute('aria-expanded', String(on));
    store.open = on;
    save();
  }
  function open(focus) {
    show(true);
    if (!log.firstChild && store.messages.length) drawAll();
    if (state === 'idle') connect(); // the websocket opens only when the panel first opens
    scrollDown(true);
    if (focus) input.focus();
  }
  function close(focus) {
    show(false);
    if (focus) launcher.focus();
  }
  var small = window.matchMedia('(max-width:480px)');
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') { e.preventDefault(); close(true); }
    // Full-screen on a small screen: Tab cycles inside the panel, not into
    // the page hidden behind it.
    else if (e.key === 'Tab' && small.matches) {
      var f = panel.querySelectorAll('button:not([disabled]),textarea');
      var edge = e.shiftKey ? f[0] : f[f.length - 1];
      if (shadow.activeElement === edge) { e.preventDefault(); (e.shiftKey ? f[f.length - 1] : f[0]).focus(); }
    }
  });

  window.CareerBot = { open: function () { open(true); }, close: function () { close(false); } };

  function mount() {
    document.body.appendChild(host);
    updateComposer();
    if (store.open === true || (store.open === null && cfg.open)) open(false);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
