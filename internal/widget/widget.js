/*! careerbot chat widget v1 (docs/widget.md) */
// Safety rule: text from the server or the user only ever enters the page via
// textContent / createTextNode, never parsed as HTML.
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

  // ---- strings: one key list, one '|'-joined row per language (keys in docs/widget.md)
  var KEYS = 'title placeholder open close new log question send stop you typing chips sources more helpful unhelpful copy copied why feedback thanks stopped connecting reconnecting starting unreachable retry refused fast when later busy upstream too_large bad_request internal dropped expired confirm clear cancel cut unread greeting limit'.split(' ');
  var LANGS = {
    en: 'Career coach|Ask about a career…|Open chat|Close chat|New chat|Conversation|Your question|Send|Stop|You|Typing…|Suggested questions|Sources|More from the guide|Helpful|Not helpful|Copy answer|Copied|What was wrong? (optional)|Send feedback|Thanks for your feedback.|Stopped.|Connecting…|Reconnecting…|The chat is starting up…|Can\'t reach the chat right now.|Try again|Chat is unavailable here.|You\'re sending questions a little fast. Your question is kept.|You can send it in {s} s.|Send it then|The coach is busy. Try again in a moment.|The answer service is having trouble. Try again soon.|That message is too long.|That question could not be sent.|Something went wrong. Please try again.|The connection dropped mid-answer. Please ask again.|Your earlier chat expired.|Start a new chat? This one will be cleared.|Clear chat|Cancel|Your paste was cut to {n} characters.|{n} new|Hi! Ask me about a career.|limit reached',
    es: 'Asesor profesional|Pregunta sobre una profesión…|Abrir chat|Cerrar chat|Nuevo chat|Conversación|Tu pregunta|Enviar|Detener|Tú|Escribiendo…|Preguntas sugeridas|Fuentes|Más de la guía|Útil|No útil|Copiar respuesta|Copiado|¿Qué falló? (opcional)|Enviar opinión|Gracias por tu opinión.|Detenido.|Conectando…|Reconectando…|El chat se está iniciando…|No se puede conectar con el chat.|Reintentar|El chat no está disponible aquí.|Vas un poco rápido. Tu pregunta se conserva.|Podrás enviarla en {s} s.|Enviarla entonces|El asesor está ocupado. Inténtalo en un momento.|El servicio de respuestas falla. Inténtalo en breve.|Mensaje demasiado largo. Acórtalo.|No se pudo enviar. Reformula la pregunta.|Algo falló. Inténtalo de nuevo.|Se cortó la conexión. Vuelve a preguntar.|Tu conversación anterior caducó.|¿Nuevo chat? Se borrará este.|Borrar chat|Cancelar|Lo pegado se recortó a {n} caracteres.|{n} nuevas|¡Hola! Pregúntame sobre una profesión.|límite alcanzado',
    fr: 'Conseiller carrière|Une question sur un métier…|Ouvrir le chat|Fermer le chat|Nouveau chat|Conversation|Votre question|Envoyer|Arrêter|Vous|Écrit…|Questions suggérées|Sources|Plus dans le guide|Utile|Pas utile|Copier la réponse|Copié|Qu’est-ce qui n’allait pas ? (facultatif)|Envoyer l’avis|Merci pour votre avis.|Arrêté.|Connexion…|Reconnexion…|Le chat démarre…|Impossible de joindre le chat.|Réessayer|Le chat n’est pas disponible ici.|Un peu trop vite. Votre question est conservée.|Envoi possible dans {s} s.|L’envoyer alors|Le conseiller est occupé. Réessayez dans un instant.|Le service de réponses a un problème. Réessayez bientôt.|Message trop long. Raccourcissez-le.|Envoi impossible. Reformulez la question.|Une erreur s’est produite. Réessayez.|Connexion coupée en pleine réponse. Reposez la question.|Votre conversation précédente a expiré.|Nouveau chat ? Celui-ci sera effacé.|Effacer le chat|Annuler|Le texte collé a été coupé à {n} caractères.|{n} nouv.|Bonjour ! Une question sur un métier ?|limite atteinte',
    de: 'Karriere-Coach|Frag nach einem Beruf…|Chat öffnen|Chat schließen|Neuer Chat|Unterhaltung|Deine Frage|Senden|Stopp|Du|Schreibt…|Vorgeschlagene Fragen|Quellen|Mehr aus dem Leitfaden|Hilfreich|Nicht hilfreich|Antwort kopieren|Kopiert|Was war falsch? (optional)|Feedback senden|Danke für dein Feedback.|Gestoppt.|Verbinde…|Verbinde erneut…|Der Chat startet…|Der Chat ist nicht erreichbar.|Erneut versuchen|Der Chat ist hier nicht verfügbar.|Etwas zu schnell. Deine Frage bleibt erhalten.|Senden in {s} s möglich.|Dann senden|Der Coach ist beschäftigt. Gleich noch einmal versuchen.|Der Antwortdienst hat Probleme. Bald noch einmal versuchen.|Nachricht zu lang. Bitte kürzen.|Senden fehlgeschlagen. Bitte anders formulieren.|Etwas ging schief. Bitte erneut versuchen.|Verbindung während der Antwort abgebrochen. Bitte erneut fragen.|Deine frühere Unterhaltung ist abgelaufen.|Neuer Chat? Dieser wird gelöscht.|Chat löschen|Abbrechen|Eingefügter Text auf {n} Zeichen gekürzt.|{n} neu|Hallo! Frag mich nach einem Beruf.|Limit erreicht',
    ar: 'مستشار مهني|اسأل عن مهنة…|فتح الدردشة|إغلاق الدردشة|دردشة جديدة|المحادثة|سؤالك|إرسال|إيقاف|أنت|يكتب…|أسئلة مقترحة|المصادر|المزيد من الدليل|مفيد|غير مفيد|نسخ الإجابة|تم النسخ|ما الخطأ؟ (اختياري)|إرسال الرأي|شكرًا لرأيك.|تم الإيقاف.|جارٍ الاتصال…|إعادة الاتصال…|الدردشة تبدأ…|تعذّر الوصول إلى الدردشة.|أعد المحاولة|الدردشة غير متاحة هنا.|أسئلتك سريعة. سؤالك محفوظ.|أرسله بعد {s} ث.|أرسله حينها|المستشار مشغول. حاول بعد قليل.|خدمة الإجابات متعثرة. حاول قريبًا.|الرسالة طويلة. اختصرها.|تعذّر الإرسال. أعد الصياغة.|حدث خطأ. حاول مجددًا.|انقطع الاتصال. اسأل مجددًا.|انتهت محادثتك السابقة.|دردشة جديدة؟ ستُمسح هذه.|مسح الدردشة|إلغاء|قُصّ الملصق إلى {n} حرفًا.|{n} جديدة|مرحبًا! اسألني عن مهنة.|بلغت الحد'
  };
  var lang = (attr('lang', 'en').toLowerCase().match(/^[a-z]+/) || ['en'])[0];
  if (!LANGS[lang]) lang = 'en';
  var T = {}, en = LANGS.en.split('|'), row = LANGS[lang].split('|');
  // data-text-<key> overrides one string; data-title and data-placeholder stay as before.
  KEYS.forEach(function (k, i) { T[k] = attr('text-' + k.replace(/_/g, '-'), row[i] || en[i]); });
  T.title = attr('title', T.title);
  T.placeholder = attr('placeholder', T.placeholder);
  function t(k, n) { return T[k].replace(/\{[sn]\}/g, n); }
  var dir = lang === 'ar' ? 'rtl' : 'ltr';

  // ---- configuration
  var DEFAULT_COLOR = '#1d4ed8';
  var color = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(attr('color', '')) ? attr('color', '') : DEFAULT_COLOR;
  var pageMax = parseInt(attr('max-length', ''), 10);
  if (!(pageMax >= 1 && pageMax <= 1e5)) pageMax = 0;
  var cfg = {
    greeting: attr('greeting', ''),
    left: attr('position', 'right') === 'left',
    open: attr('open', 'false') === 'true',
    theme: attr('theme', 'auto'),
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
  function luminance(hex) {
    hex = hex.slice(1);
    if (hex.length === 3) hex = hex.replace(/./g, '$&$&');
    var c = [0, 2, 4].map(function (i) {
      var v = parseInt(hex.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function contrast(a, b) {
    var x = luminance(a), y = luminance(b);
    return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
  }
  var onAccent = contrast(color, '#ffffff') >= contrast(color, '#111111') ? '#ffffff' : '#111111';
  // Links, chip text and focus rings sit on the panel: the accent only if it passes AA there.
  var ink = contrast(color, '#ffffff') >= 4.5 ? color : DEFAULT_COLOR;
  var inkDark = contrast(color, '#22272e') >= 4.5 ? color : '#8cb4ff';

  // ---- styles: px only, as rem would follow the host page's root font size.
  // Colours are variables: .dark swaps them (data-theme, or prefers-color-scheme).
  var CSS = `
:host{all:initial !important;display:block !important}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none !important}
.root{--bg:#fff;--fg:#1f2328;--mu:#57606a;--lg:#f6f7f9;--bd:#dde1e6;--cd:#eef0f3;--sf:#3d444d;--ib:#767676;--bn:#fff4ce;--bt:#5c4400;--eb:#fdecec;--et:#8a1c1c;--ed:#f3c2c2;--st:#b42318;--db:#d0d7de;--dt:#424a53;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);text-align:start}
.root.dark{--bg:#22272e;--fg:#e6edf3;--mu:#a8b3bf;--lg:#1c2128;--bd:#444c56;--cd:#2d333b;--sf:#cdd5de;--ib:#8b949e;--bn:#3d3000;--bt:#f5d77a;--eb:#3c1618;--et:#ffc1c1;--ed:#6e2a2a;--st:#ff8f87;--db:#444c56;--dt:#d0d7de;--ink:var(--inkd) !important}
button,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus{outline:none}
:focus-visible{outline:3px solid var(--ink);outline-offset:2px}
.sr{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
.launcher,.panel{position:fixed;bottom:20px;right:20px}
.launcher{z-index:2147483000;width:60px;height:60px;border-radius:50%;border:0;background:var(--accent);color:var(--on);display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(0,0,0,.28)}
.left .launcher,.left .panel{right:auto;left:20px}
.launcher:focus-visible{outline-color:#111;box-shadow:0 0 0 6px #fff,0 6px 20px rgba(0,0,0,.28)}
.launcher svg{width:28px;height:28px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b42318;color:#fff;font-size:12.5px;font-weight:700;line-height:22px;border:2px solid #fff}
.panel{z-index:2147483001;width:380px;height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--bg);border-radius:14px;overflow:hidden;box-shadow:0 14px 44px rgba(0,0,0,.28);border:1px solid rgba(127,127,127,.25);animation:cb-in .16s ease-out}
@keyframes cb-in{from{opacity:0;transform:translateY(10px)}}
.head{display:flex;align-items:center;gap:8px;padding:10px 10px 10px 16px;background:var(--accent);color:var(--on)}
.head h2{flex:1;margin:0;font-size:16px;font-weight:650;line-height:1.3;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.head button{background:transparent;border:1px solid currentColor;border-radius:8px;padding:5px 10px;font-size:13.5px;font-weight:600;display:flex;align-items:center;gap:6px}
.head button.icon{border-color:transparent;width:36px;height:36px;padding:0;justify-content:center}
.head button:hover{background:rgba(127,127,127,.22)}
.head button:focus-visible{outline-color:currentColor;outline-offset:1px}
.head svg{width:18px;height:18px}
.banner,.confirm{padding:6px 16px;background:var(--bn);color:var(--bt);font-size:13px;border-bottom:1px solid rgba(127,127,127,.3);display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center}
.banner button,.confirm button,.retry{background:var(--bg);color:var(--fg);border:1px solid var(--ib);border-radius:8px;padding:3px 10px;font-size:13px}
.log{flex:1;min-height:0;overflow-y:auto;overscroll-behavior:contain;padding:14px;display:flex;flex-direction:column;gap:10px;background:var(--lg)}
.log:focus-visible{outline-offset:-3px}
.msg{max-width:88%;padding:9px 13px;border-radius:14px;overflow-wrap:anywhere}
.user{align-self:flex-end;background:var(--accent);color:var(--on);border-end-end-radius:4px;white-space:pre-wrap}
.user time{display:block;text-align:end;font-size:11.5px;opacity:.9}
.bot{align-self:flex-start;background:var(--bg);border:1px solid var(--bd);border-end-start-radius:4px;max-width:94%}
.bot p,.bot ul,.bot ol,.bot table,.bot blockquote{margin:0 0 8px}
.bot .body>:last-child{margin-bottom:0}
.bot ul,.bot ol{padding-inline-start:22px}
.bot li{margin:2px 0}
.bot code{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace;background:var(--cd);border-radius:4px;padding:1px 4px}
.bot a{color:var(--ink);text-decoration:underline}
.bot blockquote{border-inline-start:3px solid var(--bd);padding-inline-start:10px;color:var(--sf)}
.tw{overflow-x:auto}
.bot table{border-collapse:collapse;font-size:13.5px}
.bot th,.bot td{border:1px solid var(--bd);padding:3px 7px;text-align:start;vertical-align:top}
.typing{display:inline-flex;gap:4px;padding:4px 0}
.typing i{width:7px;height:7px;border-radius:50%;background:var(--mu);animation:cb-dot 1.1s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes cb-dot{0%,80%,100%{opacity:.35}40%{opacity:1;transform:translateY(-3px)}}
.note{font-size:12.5px;color:var(--mu);margin-top:6px}
.center{align-self:center;text-align:center;margin:0}
.error{align-self:stretch;background:var(--eb);color:var(--et);border:1px solid var(--ed);border-radius:10px;padding:8px 12px;font-size:14px}
.error .retry{margin-inline-start:8px}
.bot .error{margin-top:6px}
.sources{margin-top:8px;border-top:1px solid var(--bd);padding-top:6px;font-size:13.5px}
.sources summary{cursor:pointer;color:var(--sf);font-weight:600;padding:2px 0}
.sources ol{margin:4px 0 0;padding:0 2px;list-style:none}
.sources li{margin:3px 0}
.sources li summary{font-weight:500;color:var(--fg)}
.bot .snippet{margin:4px 0 6px;padding-inline-start:14px;color:var(--sf);font-size:13px;white-space:pre-wrap}
.guide{display:block;padding-inline-start:14px;color:var(--mu);font-size:12px}
.meta{display:flex;align-items:center;gap:4px;margin-top:6px;font-size:12px;color:var(--mu)}
.meta time{margin-inline-end:auto}
.meta button{background:transparent;border:1px solid transparent;border-radius:6px;padding:1px 6px;font-size:13px;color:var(--mu)}
.meta button:hover,.meta button[aria-pressed=true]{border-color:var(--bd);background:var(--cd);color:var(--fg)}
.fb{display:flex;gap:6px;margin-top:6px}
.fb textarea{min-height:34px;font-size:13.5px}
.chips{display:flex;flex-wrap:wrap;gap:6px;align-self:stretch}
.chip{background:var(--bg);color:var(--ink);border:1px solid var(--ink);border-radius:16px;padding:5px 12px;font-size:13.5px;line-height:1.35;text-align:start}
.composer{border-top:1px solid var(--bd);background:var(--bg);padding:10px}
.row{display:flex;gap:8px;align-items:flex-end}
textarea{flex:1;resize:none;min-height:42px;max-height:132px;padding:9px 11px;border:1px solid var(--ib);border-radius:10px;background:var(--bg);color:var(--fg);line-height:1.45;overflow-y:auto}
textarea::placeholder{color:var(--mu);opacity:1}
textarea:focus-visible{outline-offset:0;border-color:var(--ink)}
.send{height:42px;min-width:72px;padding:0 14px;border-radius:10px;border:2px solid var(--accent);background:var(--accent);color:var(--on);font-weight:650}
.send.stop{background:var(--bg);color:var(--st);border-color:var(--st)}
.send:disabled{background:var(--db);border-color:var(--db);color:var(--dt);cursor:default}
.counter{font-size:12px;color:var(--mu);text-align:end;margin-top:4px}
.counter.full{color:var(--st);font-weight:600}
@media (max-width:480px),(max-height:500px){.panel{top:0;bottom:0;left:0 !important;right:0 !important;width:auto;height:auto;border-radius:0;border:0}.msg{max-width:92%}}
@media (pointer:coarse){textarea{font-size:16px !important}}
@media (prefers-reduced-motion:reduce){.panel,.typing i{animation:none}.typing i{opacity:.7}}`;

  // ---- tiny DOM helpers: attributes and text only, never HTML
  function el(tag, props, kids) {
    var n = document.createElement(tag);
    if (tag === 'button') n.type = 'button';
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
  function emit(name, detail) {
    window.dispatchEvent(new CustomEvent('careerbot:' + name, { detail: detail }));
  }

  // ---- safe markdown subset → DOM
  // Blocks: paragraphs (blank line), "- "/"* " bullets, "1. " numbers, "> "
  // quotes, "| a | b |" tables; "#" headings become bold paragraphs. Inline:
  // **bold**, *italic*/_italic_ (never inside a word for "_"), `code`,
  // [text](http…) and bare http(s) links.
  function cells(line) {
    return line.trim().replace(/^\||\|$/g, '').split('|').map(function (c) { return c.trim(); });
  }
  function renderMarkdown(parent, text) {
    var lines = String(text).replace(/\r\n?/g, '\n').split('\n');
    var para = null, list = null, listType = '', quote = null;
    function close() { para = null; list = null; listType = ''; quote = null; }
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i], m;
      if (!line.trim()) { close(); continue; }
      if (/^\s*\|.*\|\s*$/.test(line) && /^\s*\|?[\s:|-]*-[\s:|-]*$/.test(lines[i + 1] || '')) {
        close();
        var table = el('table'), tr = el('tr');
        cells(line).forEach(function (c) { var th = el('th'); inline(th, c); tr.appendChild(th); });
        table.appendChild(el('thead', null, [tr]));
        var tbody = el('tbody');
        for (i += 2; i < lines.length && /^\s*\|/.test(lines[i]); i++) {
          tr = el('tr');
          cells(lines[i]).forEach(function (c) { var td = el('td'); inline(td, c); tr.appendChild(td); });
          tbody.appendChild(tr);
        }
        i--;
        table.appendChild(tbody);
        parent.appendChild(el('div', { cls: 'tw' }, [table]));
        continue;
      }
      if ((m = /^\s*>\s?(.*)$/.exec(line))) {
        if (!quote) { close(); quote = el('blockquote'); parent.appendChild(quote); } else quote.appendChild(el('br'));
        inline(quote, m[1]);
        continue;
      }
      if ((m = /^\s*(?:[-*•+])\s+(.*)$/.exec(line)) || (m = /^\s*(\d{1,3})[.)]\s+(.*)$/.exec(line))) {
        var type = m.length === 3 ? 'ol' : 'ul';
        var content = m.length === 3 ? m[2] : m[1];
        if (!list || listType !== type) {
          para = quote = null;
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
      list = quote = null;
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
  function word(ch) { return /[\p{L}\p{N}_]/u.test(ch || ''); }

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
      // "_" emphasis needs a word boundary on both sides: my__var__name stays text.
      var edge = c !== '_' || !word(s[i - 1]);
      if ((c === '*' || c === '_') && edge && s[i + 1] === c && (j = s.indexOf(c + c, i + 2)) > i + 2 && (c !== '_' || !word(s[j + 2]))) {
        flush();
        var b = el('strong');
        inline(b, s.slice(i + 2, j), inLink);
        parent.appendChild(b);
        i = j + 2;
        continue;
      }
      if ((c === '*' || c === '_') && edge && s[i + 1] && s[i + 1] !== c && !/\s/.test(s[i + 1])) {
        j = i + 1;
        while ((j = s.indexOf(c, j)) !== -1 && (s[j + 1] === c || /\s/.test(s[j - 1]))) j += s[j + 1] === c ? 2 : 1;
        if (j > i + 1 && !(c === '_' && word(s[j + 1]))) {
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

  // A stopped answer ends mid-sentence: drop a dangling list marker or an
  // unclosed "**" so the partial text reads cleanly.
  function tidy(text) {
    var lines = String(text).replace(/\s+$/, '').split('\n');
    while (lines.length && /^\s*([-*•+]|\d{1,3}[.)]|#+|>|\|)?\s*$/.test(lines[lines.length - 1])) lines.pop();
    var out = lines.join('\n');
    if ((out.match(/\*\*/g) || []).length % 2) out = out.replace(/\*\*(?!.*\*\*)/, '');
    return out.replace(/\s+$/, '');
  }

  // ---- persistence: the conversation lives in localStorage (shared by the
  // site's tabs, expiring with the server's session TTL); open/closed is per tab.
  var KEY = 'careerbot:' + (cfg.server || location.host);
  var ttl = 36e5; // until ready says otherwise (BOT_SESSION_TTL, 1 h by default)
  var store;
  function load() {
    var s = { session: '', messages: [], p: null, ttl: 0 };
    try {
      var saved = JSON.parse(localStorage.getItem(KEY) || 'null');
      if (saved && typeof saved === 'object' && !(saved.exp < Date.now())) {
        s.session = str(saved.session);
        s.messages = Array.isArray(saved.messages) ? saved.messages.filter(function (m) { return m && typeof m === 'object'; }) : [];
        s.p = saved.p && typeof saved.p === 'object' && str(saved.p.id) ? saved.p : null;
        if (saved.ttl > 0) ttl = saved.ttl;
      }
    } catch (e) { /* storage disabled or corrupt: start fresh */ }
    return s;
  }
  store = load();
  var wasOpen = null;
  try { wasOpen = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { /* as above */ }
  function save() {
    if (store.messages.length > 80) store.messages = store.messages.slice(-80);
    try {
      localStorage.setItem(KEY, JSON.stringify({ session: store.session, messages: store.messages, p: store.p, ttl: ttl, exp: Date.now() + ttl }));
      sessionStorage.setItem(KEY, JSON.stringify(!panel.hidden));
    } catch (e) { /* private mode: not fatal */ }
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

  var root = el('div', { cls: 'root' + (cfg.left ? ' left' : ''), lang: lang, dir: dir });
  root.style.setProperty('--accent', color);
  root.style.setProperty('--on', onAccent);
  root.style.setProperty('--ink', ink);
  root.style.setProperty('--inkd', inkDark);
  shadow.appendChild(root);
  var darkQuery = window.matchMedia('(prefers-color-scheme: dark)');
  function applyTheme() { root.classList.toggle('dark', cfg.theme === 'dark' || (cfg.theme !== 'light' && darkQuery.matches)); }
  applyTheme();
  if (darkQuery.addEventListener) darkQuery.addEventListener('change', applyTheme);

  var badge = el('span', { cls: 'badge', id: 'cb-unread', hidden: '' });
  var launcher = el('button', { cls: 'launcher', type: 'button', 'aria-label': T.open, 'aria-haspopup': 'dialog', 'aria-expanded': 'false', onclick: function () { open(true); } }, [icon('M21 12a8 8 0 0 1-11.6 7.1L4 20.5l1.4-4.6A8 8 0 1 1 21 12z'), badge]);
  var title = el('h2', { id: 'cb-title', text: T.title });
  var newBtn = el('button', { onclick: newChat }, [icon('M12 5v14M5 12h14'), T['new']]);
  var closeBtn = el('button', { cls: 'icon', 'aria-label': T.close, onclick: function () { close(true); } }, [icon('M6 6l12 12M18 6L6 18')]);
  var bannerText = el('span');
  var retryBtn = el('button', { text: T.retry, hidden: '', onclick: function () { attempts = 0; connect(); } });
  var banner = el('div', { cls: 'banner', role: 'status', hidden: '' }, [bannerText, retryBtn]);
  var confirmBar = el('div', { cls: 'confirm', role: 'group', 'aria-label': T['new'], hidden: '' }, [
    el('span', { text: T.confirm }),
    el('button', { text: T.clear, onclick: function () { confirmBar.hidden = true; reset(); } }),
    el('button', { text: T.cancel, onclick: function () { confirmBar.hidden = true; newBtn.focus(); } })
  ]);
  var log = el('div', { cls: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': T.log, tabindex: '0' });
  var input = el('textarea', { id: 'cb-input', rows: '1', maxlength: String(cfg.maxLen), placeholder: T.placeholder, 'aria-describedby': 'cb-counter', enterkeyhint: 'send' });
  var sendBtn = el('button', { type: 'submit', cls: 'send', text: T.send });
  var counter = el('div', { id: 'cb-counter', cls: 'counter', role: 'status', hidden: '' });
  var form = el('form', { cls: 'composer', novalidate: '' }, [
    el('label', { 'for': 'cb-input', cls: 'sr', text: T.question }),
    el('div', { cls: 'row' }, [input, sendBtn]),
    counter
  ]);
  var panel = el('div', { cls: 'panel', role: 'dialog', 'aria-labelledby': 'cb-title', hidden: '' }, [
    el('div', { cls: 'head' }, [title, newBtn, closeBtn]),
    banner, confirmBar, log, form
  ]);
  root.appendChild(launcher);
  root.appendChild(panel);

  // ---- conversation state
  var ws = null, state = 'idle'; // idle | connecting | online | reconnecting | starting | down | refused
  var attempts = 0, retryTimer = 0, readyOnce = false, resetting = false, tooLarge = false, warned = false;
  var pending = null; // the answer being streamed: {id, q, text, sources, node, body}
  var queued = ''; // CareerBot.ask() before the connection is up
  var lastSug = [], unread = 0, seq = 0;

  function atBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 60; }
  function scrollDown(force) { if (force || atBottom()) log.scrollTop = log.scrollHeight; }
  function append(node) { var stick = atBottom(); log.appendChild(node); scrollDown(stick); return node; }

  function stamp(at) {
    var d = new Date(at > 0 ? at : Date.now());
    return el('time', { datetime: d.toISOString(), text: d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }) });
  }
  function userBubble(m) {
    return append(el('div', { cls: 'msg user' }, [el('span', { cls: 'sr', text: T.you + ': ' }), el('span', { cls: 'qt', text: String(m.t) }), m.at && stamp(m.at)]));
  }
  function botBubble() {
    var body = el('div', { cls: 'body' });
    var node = append(el('div', { cls: 'msg bot' }, [el('span', { cls: 'sr', text: T.title + ': ' }), body]));
    return { node: node, body: body };
  }
  function typing() {
    return el('span', { cls: 'typing' }, [el('i'), el('i'), el('i'), el('span', { cls: 'sr', text: T.typing })]);
  }
  function noteLine(text) { return el('div', { cls: 'note', role: 'note', text: text }); }
  function errorLine(text) { return el('div', { cls: 'error', text: text }); }

  function sourceItems(list, sources) {
    sources.forEach(function (s) {
      var name = String(s.section || s.guide || T.sources);
      var snippet = String(s.text || '');
      if (snippet.length > 420) snippet = snippet.slice(0, 400).replace(/\s+\S*$/, '') + ' …';
      var kids = [el('summary', { text: name })];
      if (s.guide && s.section) kids.push(el('span', { cls: 'guide', text: String(s.guide) }));
      if (snippet) kids.push(el('p', { cls: 'snippet', text: snippet }));
      list.appendChild(el('li', null, [el('details', null, kids)]));
    });
    return list;
  }
  // The answer's own sources (done.cited: indexes into sources) come first;
  // the other retrieved sections sit under "More from the guide".
  function sourcesList(sources, cited) {
    sources = sources.filter(function (s) { return s && typeof s === 'object'; });
    if (!sources.length) return null;
    var used = sources, rest = [];
    if (Array.isArray(cited)) {
      used = sources.filter(function (s, i) { return cited.indexOf(i) >= 0; });
      rest = sources.filter(function (s, i) { return cited.indexOf(i) < 0; });
    }
    var box = el('details', { cls: 'sources' }, [el('summary', { text: T.sources + ' (' + used.length + ')' })]);
    if (used.length) box.appendChild(sourceItems(el('ol'), used));
    if (rest.length) box.appendChild(el('details', null, [el('summary', { text: T.more + ' (' + rest.length + ')' }), sourceItems(el('ol'), rest)]));
    if (!used.length) box.open = true;
    return box;
  }

  function chips(suggestions) {
    var items = (Array.isArray(suggestions) ? suggestions : []).filter(function (s) { return typeof s === 'string' && s.trim(); }).slice(0, 4);
    if (!items.length) return null;
    var group = el('div', { cls: 'chips', role: 'group', 'aria-label': T.chips });
    items.forEach(function (s) {
      group.appendChild(el('button', { cls: 'chip', text: s, onclick: function () { ask(s); } }));
    });
    return append(group);
  }
  function dropChips() {
    var groups = log.querySelectorAll('.chips');
    // A keyboard user who pressed a chip keeps focus in the conversation.
    if (shadow.activeElement && shadow.activeElement.classList.contains('chip')) log.focus({ preventScroll: true });
    for (var i = 0; i < groups.length; i++) groups[i].remove();
  }

  // Rating, copy and time under an answer (not under the greeting).
  function controls(m, node) {
    var meta = el('div', { cls: 'meta' }, [stamp(m.at)]);
    if (!m.id) { if (m.at) node.appendChild(meta); return; }
    var up = el('button', { 'aria-label': T.helpful, text: '👍' });
    var down = el('button', { 'aria-label': T.unhelpful, text: '👎' });
    var copy = el('button', { text: T.copy });
    function pressed() { up.setAttribute('aria-pressed', String(m.v === 'up')); down.setAttribute('aria-pressed', String(m.v === 'down')); }
    function rate(v) {
      m.v = m.v === v ? '' : v;
      pressed();
      save();
      var box = node.querySelector('.fb');
      if (box) box.remove();
      if (!m.v) return;
      send({ type: 'feedback', id: m.id, rating: v });
      emit('feedback', { id: m.id, rating: v, comment: '' });
      if (v === 'down') {
        var why = el('textarea', { rows: '1', 'aria-label': T.why, placeholder: T.why, maxlength: '2000' });
        box = el('div', { cls: 'fb' }, [why, el('button', { cls: 'retry', text: T.feedback, onclick: function () {
          var c = why.value.trim();
          if (c) { send({ type: 'feedback', id: m.id, rating: 'down', comment: c }); emit('feedback', { id: m.id, rating: 'down', comment: c }); }
          box.replaceWith(noteLine(T.thanks));
        } })]);
        meta.after(box);
        why.focus();
      }
    }
    up.onclick = function () { rate('up'); };
    down.onclick = function () { rate('down'); };
    copy.onclick = function () {
      var done = function () { copy.textContent = T.copied; setTimeout(function () { copy.textContent = T.copy; }, 1500); };
      try { navigator.clipboard.writeText(m.t || '').then(done, function () {}); } catch (e) { /* no clipboard here */ }
    };
    pressed();
    meta.appendChild(up);
    meta.appendChild(down);
    meta.appendChild(copy);
    node.appendChild(meta);
  }

  // Draws one finished bot message (also used to restore the transcript).
  function drawBot(m, withChips) {
    var b = botBubble();
    renderMarkdown(b.body, m.t || '');
    if (m.e) b.node.appendChild(errorLine(m.e));
    var src = Array.isArray(m.s) && sourcesList(m.s, m.c);
    if (src) b.node.appendChild(src);
    if (m.n) b.node.appendChild(noteLine(m.n));
    controls(m, b.node);
    if (withChips) chips(m.f);
    return b;
  }
  function drawAll() {
    log.textContent = '';
    store.messages.forEach(function (m, i) {
      var last = i === store.messages.length - 1;
      if (m.r === 'u') userBubble(m);
      else if (m.r === 'b') drawBot(m, last);
      else append(lineNode(m));
    });
    if (pending) { log.appendChild(pending.node); paint(); }
    scrollDown(true);
  }
  // Error ('e') and note ('n') lines between messages.
  function lineNode(m) { return m.r === 'e' ? errorLine(m.t) : el('p', { cls: 'note center', text: m.t }); }
  function addLine(r, text, keep) {
    var m = { r: r, t: text };
    if (keep) { store.messages.push(m); save(); }
    return append(lineNode(m));
  }

  // ---- connection
  // refusal=close asks the server to explain a refusal (not ready, origin not
  // allowed) in a close frame: a browser cannot read a failed handshake's status.
  function connect() {
    if (ws || !cfg.server) {
      if (!cfg.server && !log.querySelector('.error')) append(errorLine(T.internal));
      return;
    }
    clearTimeout(retryTimer);
    var url = new URL(cfg.server), opened = false;
    if (store.session) url.searchParams.set('session', store.session);
    url.searchParams.set('refusal', 'close');
    if (state !== 'starting') setState(readyOnce || attempts ? 'reconnecting' : 'connecting');
    var sock;
    try { sock = new WebSocket(url.href); } catch (e) { return down(); }
    ws = sock;
    sock.onopen = function () { opened = true; };
    sock.onmessage = function (ev) {
      if (sock !== ws) return;
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (f && typeof f === 'object') handle(f);
    };
    sock.onclose = function (ev) {
      if (sock !== ws) return;
      ws = null;
      // The server closed an idle connection: sleep (no banner) until the
      // visitor next asks, then connect and send the question once ready.
      if (ev.reason === 'idle' && !pending) return;
      if (ev.code === 1013) { // the server is starting up (or restarting): try again soon
        setState('starting');
        retryTimer = setTimeout(connect, 400 + Math.random() * 400);
        return;
      }
      if (ev.code === 1008 && /origin/i.test(ev.reason)) {
        if (!warned) {
          warned = true;
          console.warn('careerbot: the chat server refused this page\'s origin (' + location.origin + '). Add it to BOT_ALLOWED_ORIGINS on the bot server.');
        }
        if (pending) fail(T.refused);
        return setState('refused');
      }
      if (ev.code === 1009) {
        if (pending) fail(T.too_large);
        else if (!tooLarge) addLine('e', T.too_large);
      } else if (pending && !(opened && readyOnce)) fail(T.dropped);
      tooLarge = false;
      // Never reached, or failing again after a drop: say so and wait for
      // the visitor (each failed attempt is a console line on the host page).
      if (!opened && (!readyOnce || attempts >= 3)) return down();
      setState('reconnecting');
      var delay = Math.min(15000, 500 * Math.pow(2, attempts++)) * (0.75 + Math.random() * 0.5);
      retryTimer = setTimeout(connect, delay);
    };
  }
  function down() {
    ws = null;
    if (pending) fail(T.dropped);
    setState('down');
  }
  window.addEventListener('online', function () { if ((state === 'reconnecting' || state === 'down') && !ws) { attempts = 0; connect(); } });

  function send(frame) {
    if (!ws || ws.readyState !== 1) return false;
    ws.send(JSON.stringify(frame));
    return true;
  }

  function setState(s) {
    state = s;
    var text = { reconnecting: T.reconnecting, connecting: T.connecting, starting: T.starting, down: T.unreachable, refused: T.refused }[s];
    banner.hidden = !text;
    bannerText.textContent = text || '';
    retryBtn.hidden = s !== 'down';
    updateComposer();
  }

  function handle(f) {
    switch (f.type) {
      case 'ready': return onReady(f);
      case 'sources':
        if (pending && f.id === pending.id && Array.isArray(f.sources)) pending.sources = f.sources;
        return;
      case 'token':
        if (pending && f.id === pending.id && typeof f.text === 'string') {
          if (pending.typing) { pending.typing = false; pending.text = ''; }
          pending.text += f.text;
          paint();
        }
        return;
      case 'done':
        if (pending && f.id === pending.id) finish(f);
        return;
      case 'error': return onError(f);
    }
  }

  function onReady(f) {
    // What another tab reads; see the save below.
    var before = JSON.stringify([store.session, store.messages, store.p, ttl]);
    var resumed = !!store.session && f.session === store.session;
    var talked = asked(store);
    var lim = +(f.limits && f.limits.max_question);
    if (lim >= 1) { input.maxLength = cfg.maxLen = Math.min(lim, pageMax || 1e5); updateCounter(); }
    if (f.session_ttl_ms > 0) ttl = f.session_ttl_ms;
    attempts = 0;
    readyOnce = true;
    store.session = str(f.session) || store.session;
    setState('online');
    lastSug = Array.isArray(f.suggestions) ? f.suggestions : [];
    if (resetting || !talked) {
      store.messages = [{ r: 'b', t: cfg.greeting || str(f.greeting) || T.greeting, f: f.suggestions }];
      resetting = false;
      drawAll();
    } else if (!resumed) {
      if (pending) fail(T.dropped);
      addLine('n', T.expired, true);
    }
    // An answer that was streaming when the page went away (or the socket
    // dropped): the server kept it; ask for it back.
    if (resumed && (pending || store.p)) {
      if (!pending) startPending(store.p.id, store.p.q);
      send({ type: 'resume', id: pending.id });
    }
    // Resuming changes nothing shared: writing our copy anyway would undo a
    // newer write by another tab (a reset there) whose storage event has not
    // reached us yet, and that tab would then adopt our stale copy.
    if (JSON.stringify([store.session, store.messages, store.p, ttl]) !== before) save();
    if (queued) { var q = queued; queued = ''; ask(q); }
  }

  function onError(f) {
    var text = T[f.code] || T.internal;
    if (f.code === 'rate_limited') text = T.fast;
    if (f.code === 'bad_request' && str(f.message)) text = f.message; // e.g. the server's length limit, in words
    if (f.code === 'too_large') tooLarge = true; // the 1009 close that follows says nothing more
    if (!pending || (f.id && f.id !== pending.id)) return void addLine('e', text);
    if (pending.resuming) return fail(T.dropped); // a server that keeps no answers
    if (pending.text) return fail(text);
    // Nothing answered yet: take the question back into the box and say
    // why; the error is not kept in the transcript.
    var q = pending.q;
    pending.node.remove();
    pending = null;
    store.p = null;
    store.messages.pop();
    save();
    var u = log.querySelectorAll('.msg.user');
    if (u.length) u[u.length - 1].remove();
    log.removeAttribute('aria-busy');
    if (!input.value.trim()) { input.value = q; autosize(); updateCounter(); }
    var line = addLine('e', text);
    var wait = +f.retry_after_ms;
    if (f.code === 'rate_limited' && wait > 0) {
      var s = Math.ceil(wait / 1000);
      line.appendChild(document.createTextNode(' ' + t('when', s)));
      line.appendChild(el('button', { cls: 'retry', text: T.later, onclick: function () {
        this.disabled = true;
        this.setAttribute('aria-pressed', 'true');
        setTimeout(function () { if (input.value.trim()) submit(); }, wait);
      } }));
    }
    lastSug = [];
    updateComposer();
  }

  // ---- asking and streaming
  function startPending(id, q) {
    var b = botBubble();
    b.body.appendChild(typing());
    pending = { id: id, q: q, text: '', sources: [], node: b.node, body: b.body, typing: true, resuming: !!store.p && store.p.id === id };
    log.setAttribute('aria-busy', 'true');
    updateComposer();
  }
  function ask(text) {
    text = String(text).trim();
    if (!text || pending || state !== 'online') return false;
    if (text.length > cfg.maxLen) { updateCounter(); return false; }
    if (!ws) return queued = text, connect(), true;
    var id = 'w' + Date.now().toString(36) + '-' + (++seq);
    if (!send({ type: 'ask', id: id, text: text })) return false;
    dropChips();
    var m = { r: 'u', t: text, at: Date.now() };
    store.messages.push(m);
    store.p = { id: id, q: text };
    save();
    userBubble(m);
    scrollDown(true);
    startPending(id, text);
    pending.resuming = false;
    return true;
  }

  var painting = 0;
  function paint() { // re-render the streamed markdown at most once a frame
    if (painting) return;
    painting = requestAnimationFrame(function () {
      painting = 0;
      if (!pending || pending.typing) return;
      var stick = atBottom();
      pending.body.textContent = '';
      renderMarkdown(pending.body, pending.text);
      scrollDown(stick);
    });
  }

  // Ends the pending answer: the streamed bubble is redrawn as a finished
  // message, so a live answer and a restored one look the same. A transient
  // error (msg.e) shows now but is not kept.
  function settle(msg) {
    if (painting) { cancelAnimationFrame(painting); painting = 0; }
    var stick = atBottom(), q = pending.q;
    pending.node.remove();
    pending = null;
    store.p = null;
    msg.at = Date.now();
    var kept = {};
    for (var k in msg) if (k !== 'e') kept[k] = msg[k];
    if (msg.t || !msg.e) store.messages.push(kept);
    save();
    drawBot(msg, true);
    scrollDown(stick || !!msg.e);
    log.removeAttribute('aria-busy');
    updateComposer();
    if (!msg.e) {
      emit('answer', { id: msg.id, question: q, text: msg.t, sources: (msg.s || []).length, stopped: msg.n === T.stopped });
      if (panel.hidden) { unread++; showUnread(); }
    }
  }
  function finish(f) {
    lastSug = Array.isArray(f.suggestions) ? f.suggestions : lastSug;
    settle({ r: 'b', id: pending.id, t: str(f.text) || pending.text, s: pending.sources, c: Array.isArray(f.cited) ? f.cited : undefined, n: str(f.notice), f: f.suggestions });
  }
  function fail(text) { settle({ r: 'b', t: tidy(pending.text), e: text, f: lastSug }); }
  function stop() {
    if (!pending) return;
    send({ type: 'cancel', id: pending.id });
    settle({ r: 'b', id: pending.id, t: tidy(pending.text), s: pending.sources, n: T.stopped, f: lastSug });
    input.focus();
  }

  // "New chat" asks first when there is a conversation to lose.
  function newChat() {
    if (!asked(store)) return reset();
    confirmBar.hidden = false;
    confirmBar.querySelectorAll('button')[1].focus();
  }
  function reset() {
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
    sendBtn.textContent = streaming ? T.stop : T.send;
    sendBtn.classList.toggle('stop', streaming);
    sendBtn.disabled = !streaming && state !== 'online';
  }
  var cut = 0;
  function updateCounter() {
    var len = input.value.length;
    var near = len >= Math.max(0, cfg.maxLen - Math.max(50, Math.round(cfg.maxLen * 0.1)));
    counter.hidden = !near && !cut;
    counter.textContent = (cut ? t('cut', cut) + ' ' : '') + len + ' / ' + cfg.maxLen + (len >= cfg.maxLen ? ' — ' + T.limit : '');
    counter.classList.toggle('full', len >= cfg.maxLen);
  }
  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 132) + 'px';
  }
  function submit() {
    if (pending) stop();
    else if (ask(input.value)) { input.value = ''; cut = 0; autosize(); updateCounter(); }
  }
  form.addEventListener('submit', function (e) { e.preventDefault(); submit(); });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (!pending) submit(); // Enter never stops an answer; the Stop button does
    }
  });
  // A paste longer than the room left is cut by maxlength: say so.
  input.addEventListener('beforeinput', function (e) {
    var d = e.data != null ? e.data : e.dataTransfer ? e.dataTransfer.getData('text/plain') : '';
    var room = cfg.maxLen - input.value.length + (input.selectionEnd - input.selectionStart);
    cut = d && d.length > room ? Math.max(0, cfg.maxLen) : 0;
  });
  input.addEventListener('input', function () { autosize(); updateCounter(); });

  // ---- open and close
  function showUnread() {
    badge.hidden = !unread;
    badge.textContent = unread > 9 ? '9+' : String(unread);
    if (unread) launcher.setAttribute('aria-describedby', 'cb-unread-sr');
    srUnread.textContent = t('unread', unread);
  }
  var srUnread = el('span', { id: 'cb-unread-sr', cls: 'sr' });
  root.appendChild(srUnread);
  function show(on) {
    panel.hidden = !on;
    launcher.hidden = on;
    launcher.setAttribute('aria-expanded', String(on));
    if (on) { unread = 0; showUnread(); launcher.removeAttribute('aria-describedby'); }
    save();
    fit();
  }
  function open(focus) {
    var was = !panel.hidden;
    show(true);
    if (!log.firstChild && store.messages.length) drawAll();
    if (state === 'idle' || (state === 'refused' && !ws)) connect(); // the websocket opens only when the panel first opens
    scrollDown(true);
    if (focus) input.focus();
    if (!was) emit('open', {});
  }
  function close(focus) {
    var was = !panel.hidden;
    show(false);
    if (focus) launcher.focus();
    if (was) emit('close', {});
  }
  // Full screen on a narrow or short screen (phones in either orientation):
  // then it is modal, Tab stays inside, and it follows the visual viewport so
  // the composer stays above an on-screen keyboard.
  var small = window.matchMedia('(max-width:480px),(max-height:500px)');
  var vv = window.visualViewport;
  function fit() {
    var full = small.matches && !panel.hidden;
    if (full) panel.setAttribute('aria-modal', 'true'); else panel.removeAttribute('aria-modal');
    panel.style.height = full && vv ? vv.height + 'px' : '';
    panel.style.top = full && vv ? vv.offsetTop + 'px' : '';
    panel.style.bottom = full && vv ? 'auto' : '';
  }
  if (small.addEventListener) small.addEventListener('change', fit);
  if (vv) { vv.addEventListener('resize', fit); vv.addEventListener('scroll', fit); }
  panel.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' || e.key === 'Esc') {
      e.preventDefault();
      if (!confirmBar.hidden) { confirmBar.hidden = true; newBtn.focus(); } else close(true);
    } else if (e.key === 'Tab' && small.matches) {
      var f = [].filter.call(panel.querySelectorAll('button:not([disabled]),textarea'), function (b) { return b.offsetParent; });
      var edge = e.shiftKey ? f[0] : f[f.length - 1];
      if (shadow.activeElement === edge) { e.preventDefault(); (e.shiftKey ? f[f.length - 1] : f[0]).focus(); }
    }
  });

  // Another tab of the site changed the conversation: show the same one.
  window.addEventListener('storage', function (e) {
    if (e.key !== KEY || pending) return;
    var was = store.session;
    store = load();
    store.p = null; // that tab is still receiving it
    // A session without a question yet cannot be resumed (the server makes
    // a new one): keep ours, or two tabs would trade fresh sessions forever.
    if (!asked(store)) store.session = was;
    if (log.firstChild) drawAll();
    if (ws && store.session !== was) ws.close(); // reconnects to the new session
  });
  function asked(s) { return s.messages.some(function (m) { return m.r === 'u'; }); }

  window.CareerBot = {
    open: function () { open(true); },
    close: function () { close(false); },
    ask: function (text) {
      text = String(text == null ? '' : text);
      if (panel.hidden) open(false);
      if (!ask(text)) queued = text;
    },
    reset: function () { confirmBar.hidden = true; reset(); }
  };

  // Mounted on <html>, not <body>: a transform on the host's body would
  // otherwise make the fixed panel scroll with the page.
  function mount() {
    document.documentElement.appendChild(host);
    updateComposer();
    if (wasOpen === true || (wasOpen === null && cfg.open)) open(false);
  }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
