// copydesk for the web: attaches house-style checking to a <textarea> or a
// contenteditable element, talking to `copydesk serve`. No dependencies, one ES module.
//
//   import { attach } from "http://127.0.0.1:7650/copydesk.js";
//   attach(document.querySelector("#body"), { endpoint: "http://127.0.0.1:7650" });
//
// Positions come from the service as UTF-16 offsets (`utf16`), which is how JavaScript
// strings and DOM text nodes count, so NFD letters and emoji need no conversion here.
//
// Incremental: after the first check, each check sends only the edit since the text the
// service last answered for (its `revision`), and the service answers only the findings
// that changed; the others are kept here, moved by the edit (docs/serve.md).

const LABELS = {
  vi: {
    checking: "Đang kiểm tra…",
    clean: "Không thấy lỗi nào. Bài viết đúng quy chuẩn.",
    found: (n) => `${n} vấn đề`,
    fixAll: "Sửa tất cả lỗi an toàn",
    fixAllNone: "Không có lỗi nào sửa tự động được",
    fixed: (n) => `Đã sửa ${n} lỗi`,
    fix: "Sửa",
    unsafe: "(cần xem lại)",
    offline: "Không kết nối được dịch vụ copydesk",
    stale: "Văn bản vừa thay đổi; đang kiểm tra lại",
    token: "Dịch vụ cần mã truy cập (token):",
    severity: { error: "lỗi", warning: "cảnh báo", info: "gợi ý", hint: "ghi chú" },
    keys: "Phím tắt: Alt+↓ / Alt+↑ đến vấn đề kế tiếp / trước; Alt+Enter áp dụng cách sửa; Esc đóng chú thích.",
    empty: "Chưa có nội dung. Hãy dán hoặc gõ bài viết.",
    more: "Xem giải thích",
  },
  en: {
    checking: "Checking…",
    clean: "No problems found. The copy follows the house style.",
    found: (n) => `${n} problem${n === 1 ? "" : "s"}`,
    fixAll: "Fix all safe problems",
    fixAllNone: "Nothing can be fixed automatically",
    fixed: (n) => `Fixed ${n}`,
    fix: "Fix",
    unsafe: "(review)",
    offline: "Cannot reach the copydesk service",
    stale: "The text changed; checking again",
    token: "The service needs an access token:",
    severity: { error: "error", warning: "warning", info: "info", hint: "hint" },
    keys: "Keys: Alt+↓ / Alt+↑ next / previous problem; Alt+Enter applies the fix; Esc closes the note.",
    empty: "Nothing yet. Paste or type an article.",
    more: "Explanation",
  },
};

let instances = 0;

/** The one replacement turning `a` into `b` (UTF-16 units, never splitting a surrogate pair). */
export function textEdit(a, b) {
  const n = Math.min(a.length, b.length);
  let p = 0;
  while (p < n && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  if (p > 0 && isHigh(a.charCodeAt(p - 1))) p--;
  let q = 0;
  while (q < n - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++;
  if (q > 0 && isLow(a.charCodeAt(a.length - q))) q--;
  return { start: p, end: a.length - q, text: b.slice(p, b.length - q) };
}

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

/** Findings as this module keeps them, from an answer (`shared_fixes` put back). */
function resolve(report) {
  const shared = report.shared_fixes || [];
  const fix = (f) => (f.shared === undefined ? f : shared[f.shared]);
  return report.diagnostics.map((d) => ({
    rule: d.rule,
    severity: d.severity,
    message: d.message,
    found: d.found,
    link: d.link,
    start: d.start.utf16,
    end: d.end.utf16,
    fixes: d.fixes.map(fix).filter(Boolean).map((f) => ({
      title: f.title,
      safe: f.safe,
      edits: f.edits.map((e) => ({ start: e.start.utf16, end: e.end.utf16, replacement: e.replacement })),
    })),
  }));
}

/**
 * The findings of an incremental answer: the base's first `kept_before` and last
 * `kept_after`, moved by the edit (a position after its start moves by its length
 * change), around the findings the answer sends.
 */
export function applyDelta(old, report) {
  const from = report.edit.start.utf16;
  const shift = report.edit.new_end.utf16 - report.edit.end.utf16;
  const at = (p) => (p <= from ? p : p + shift);
  const move = (f) => ({
    ...f,
    start: at(f.start),
    end: at(f.end),
    fixes: f.fixes.map((x) => ({ ...x, edits: x.edits.map((e) => ({ ...e, start: at(e.start), end: at(e.end) })) })),
  });
  return [
    ...old.slice(0, report.kept_before).map(move),
    ...resolve(report),
    ...old.slice(old.length - report.kept_after).map(move),
  ];
}

/**
 * A rule's description as paragraphs of lines: rule files wrap descriptions at a fixed
 * width, so the lines of a paragraph are joined (blank lines separate paragraphs); a line
 * that starts a list item ("- ", "* ", "1. ") keeps its own line.
 */
export function reflow(text) {
  const out = [];
  for (const para of text.trim().split(/\n[ \t]*\n+/)) {
    const lines = [];
    for (const raw of para.split("\n")) {
      const line = raw.trim();
      if (!line) continue;
      if (lines.length && !/^([-*•]|\d+[.)])\s/.test(line)) lines[lines.length - 1] += ` ${line}`;
      else lines.push(line);
    }
    if (lines.length) out.push(lines);
  }
  return out;
}

function newDocId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  const a = new Uint32Array(4);
  globalThis.crypto?.getRandomValues?.(a);
  return Array.from(a, (x) => (x || Math.floor(Math.random() * 2 ** 32)).toString(16)).join("-");
}

const COLORS = { error: "#d0021b", warning: "#d97706", info: "#2563eb", hint: "#6b7280" };

function css(id) {
  const sev = Object.entries(COLORS)
    .map(
      ([s, c]) =>
        `::highlight(${id}-${s}){text-decoration:underline wavy ${c};text-decoration-skip-ink:none;text-underline-offset:3px}` +
        `.${id}-mirror mark.cd-${s}{text-decoration:underline wavy ${c};text-decoration-skip-ink:none;text-underline-offset:3px}`,
    )
    .join("\n");
  return `${sev}
::highlight(${id}-active){background:rgba(255,213,79,.45)}
.${id}-mirror{position:absolute;pointer-events:none;overflow:hidden;color:transparent;white-space:pre-wrap;overflow-wrap:break-word;word-wrap:break-word;margin:0}
.${id}-mirror mark{background:none;color:transparent}
.${id}-mirror mark.cd-active{background:rgba(255,213,79,.45)}
.${id}-tip{position:fixed;z-index:2147483000;max-width:28rem;background:#fff;color:#111;border:1px solid #bbb;border-radius:6px;box-shadow:0 4px 16px rgba(0,0,0,.18);padding:.6rem .75rem;font:14px/1.45 system-ui,sans-serif}
.${id}-tip[hidden]{display:none}
.${id}-tip .cd-rule{font:12px ui-monospace,monospace;color:#555}
.${id}-tip .cd-explain{color:#333;margin:.35rem 0;max-height:10rem;overflow-y:auto}
.${id}-tip .cd-explain p{margin:0 0 .35rem}
.${id}-tip button,.${id}-panel button{font:inherit;cursor:pointer}
.${id}-panel{font:14px/1.45 system-ui,sans-serif}
.${id}-panel .cd-group{margin:.5rem 0}
.${id}-panel .cd-group>h3{font-size:14px;margin:.25rem 0}
.${id}-panel .cd-count{display:inline-block;min-width:1.5em;text-align:center;border-radius:9px;background:#eee;margin-left:.35rem}
.${id}-panel ul{list-style:none;margin:0;padding:0}
.${id}-panel li{display:flex;gap:.4rem;align-items:baseline;margin:.15rem 0}
.${id}-panel .cd-go{background:none;border:0;padding:0;text-align:left;color:#1d4ed8;text-decoration:underline}
.${id}-panel .cd-found{font-weight:600}
`;
}

/** Attaches checking to `el` (a textarea or a contenteditable element). */
export function attach(el, options = {}) {
  return new Checker(el, options);
}

class Checker {
  constructor(el, options) {
    this.el = el;
    this.opts = {
      endpoint: "",
      format: "plain",
      path: undefined,
      profile: undefined,
      token: undefined,
      lang: "vi",
      delay: 350,
      panel: null,
      status: null,
      document: undefined,
      ...options,
    };
    this.id = `copydesk${++instances}`;
    // One id per editor for as long as it is open: the service keeps this document's
    // paragraph results and re-checks only the paragraphs that changed.
    this.docId = this.opts.document || newDocId();
    this.isTextarea = el instanceof HTMLTextAreaElement;
    this.findings = [];
    this.checkedText = null;
    // The service's last answer for this document: { revision, text, findings }.
    this.base = null;
    this.inflight = null;
    this.seq = 0;
    this.timer = null;
    this.explanations = new Map();
    this.listeners = new Map();
    this.active = -1;
    this.style = document.createElement("style");
    this.style.textContent = css(this.id);
    document.head.appendChild(this.style);
    this.tip = document.createElement("div");
    this.tip.className = `${this.id}-tip`;
    this.tip.setAttribute("role", "tooltip");
    this.tip.hidden = true;
    document.body.appendChild(this.tip);
    if (this.isTextarea) this.makeMirror();
    if (this.opts.panel) this.opts.panel.classList.add(`${this.id}-panel`);
    this.bound = {
      input: () => this.schedule(),
      scroll: () => this.syncMirror(),
      move: (e) => this.hover(e),
      leave: () => this.hideSoon(),
      key: (e) => this.key(e),
      caret: () => this.caret(),
    };
    el.addEventListener("input", this.bound.input);
    el.addEventListener("scroll", this.bound.scroll);
    el.addEventListener("mousemove", this.bound.move);
    el.addEventListener("mouseleave", this.bound.leave);
    el.addEventListener("keydown", this.bound.key);
    el.addEventListener("keyup", this.bound.caret);
    el.addEventListener("click", this.bound.caret);
    this.tip.addEventListener("mouseenter", () => clearTimeout(this.hideTimer));
    this.tip.addEventListener("mouseleave", () => this.hideSoon());
    this.check();
  }

  get t() {
    return LABELS[this.opts.lang] || LABELS.vi;
  }

  /** `check` (findings), `status` (text), `fixed` (count): callbacks. */
  on(event, fn) {
    if (!this.listeners.has(event)) this.listeners.set(event, []);
    this.listeners.get(event).push(fn);
    return this;
  }

  emit(event, value) {
    for (const fn of this.listeners.get(event) || []) fn(value);
  }

  setLang(lang) {
    this.opts.lang = lang;
    this.renderPanel();
    this.setStatus(this.summary());
  }

  detach() {
    const el = this.el;
    el.removeEventListener("input", this.bound.input);
    el.removeEventListener("scroll", this.bound.scroll);
    el.removeEventListener("mousemove", this.bound.move);
    el.removeEventListener("mouseleave", this.bound.leave);
    el.removeEventListener("keydown", this.bound.key);
    el.removeEventListener("keyup", this.bound.caret);
    el.removeEventListener("click", this.bound.caret);
    this.mirror?.remove();
    this.resize?.disconnect();
    this.tip.remove();
    this.style.remove();
    if (globalThis.CSS?.highlights) for (const k of [...CSS.highlights.keys()]) if (k.startsWith(this.id)) CSS.highlights.delete(k);
  }

  // --- text access -------------------------------------------------------------------

  /** The text as sent to the service; for contenteditable also the map to DOM nodes. */
  read() {
    if (this.isTextarea) return this.el.value;
    const segments = [];
    let out = "";
    const BLOCK = /^(P|DIV|H[1-6]|LI|BLOCKQUOTE|PRE|UL|OL|TABLE|TR|SECTION|ARTICLE|HEADER|FOOTER|FIGURE|FIGCAPTION)$/;
    const walk = (node) => {
      for (const child of node.childNodes) {
        if (child.nodeType === Node.TEXT_NODE) {
          segments.push({ node: child, start: out.length });
          out += child.data;
        } else if (child.nodeName === "BR") {
          out += "\n";
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          const block = BLOCK.test(child.nodeName);
          if (block && out.length && !out.endsWith("\n\n")) out += out.endsWith("\n") ? "\n" : "\n\n";
          walk(child);
          if (block && !out.endsWith("\n\n")) out += out.endsWith("\n") ? "\n" : "\n\n";
        }
      }
    };
    walk(this.el);
    this.segments = segments;
    return out;
  }

  /** A DOM position for a UTF-16 offset in the text of a contenteditable. */
  domPoint(offset) {
    const segs = this.segments || [];
    let lo = 0;
    let hi = segs.length - 1;
    let best = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (segs[mid].start <= offset) {
        best = segs[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (!best) return segs.length ? { node: segs[0].node, offset: 0 } : { node: this.el, offset: 0 };
    return { node: best.node, offset: Math.min(offset - best.start, best.node.data.length) };
  }

  domRange(start, end) {
    const r = document.createRange();
    const a = this.domPoint(start);
    const b = this.domPoint(end);
    r.setStart(a.node, a.offset);
    r.setEnd(b.node, b.offset);
    return r;
  }

  /** Replaces [start, end) (UTF-16) with `text`, through the editor's own undo history. */
  replace(start, end, text) {
    this.el.focus();
    if (this.isTextarea) {
      this.el.setSelectionRange(start, end);
      if (!document.execCommand("insertText", false, text)) {
        this.el.setRangeText(text, start, end, "end");
        this.el.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return;
    }
    const range = this.domRange(start, end);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    if (!document.execCommand("insertText", false, text)) {
      range.deleteContents();
      range.insertNode(document.createTextNode(text));
      this.el.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  select(start, end) {
    this.el.focus();
    if (this.isTextarea) {
      this.el.setSelectionRange(start, end);
    } else {
      this.read();
      const sel = getSelection();
      sel.removeAllRanges();
      sel.addRange(this.domRange(start, end));
    }
  }

  caretOffset() {
    if (this.isTextarea) return this.el.selectionStart;
    const sel = getSelection();
    if (!sel.rangeCount || !this.el.contains(sel.anchorNode)) return -1;
    this.read();
    const seg = (this.segments || []).find((s) => s.node === sel.anchorNode);
    return seg ? seg.start + sel.anchorOffset : -1;
  }

  // --- checking ----------------------------------------------------------------------

  headers() {
    const h = { "Content-Type": "application/json" };
    if (this.opts.token) h.Authorization = `Bearer ${this.opts.token}`;
    return h;
  }

  async post(path, body) {
    const res = await fetch(`${this.opts.endpoint}${path}`, {
      method: "POST",
      headers: this.headers(),
      body: JSON.stringify({ format: this.opts.format, path: this.opts.path, profile: this.opts.profile, ...body }),
    });
    const json = await res.json().catch(() => null);
    if (!res.ok) {
      const err = new Error(json?.error?.message || `HTTP ${res.status}`);
      err.status = res.status;
      throw err;
    }
    return json;
  }

  schedule(delay = this.opts.delay) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.check(), delay);
  }

  /** Checks now; resolves with the findings (or null when the text changed meanwhile). */
  async check() {
    clearTimeout(this.timer);
    const seq = ++this.seq;
    // One request at a time: each builds on the service's answer to the one before.
    while (this.inflight) {
      await this.inflight.catch(() => {});
      if (seq !== this.seq) return null;
    }
    const text = this.read();
    if (!text.trim()) {
      this.show(text, []);
      this.setStatus(this.t.empty);
      return [];
    }
    this.setStatus(this.t.checking);
    const request = this.request(text);
    this.inflight = request;
    try {
      const findings = await request;
      // An answer for an older text is not shown: a newer check is on its way.
      if (seq !== this.seq || this.read() !== text) return null;
      this.show(text, findings);
      return this.findings;
    } catch (e) {
      if (seq === this.seq) this.setStatus(e.status === 401 ? this.t.token : `${this.t.offline}: ${e.message}`);
      this.emit("error", e);
      return null;
    } finally {
      if (this.inflight === request) this.inflight = null;
    }
  }

  /**
   * The findings of `text`: the edit since the service's last answer when it has one (the
   * answer then holds only the findings that changed), else the whole text. share_fixes:
   * a fix several findings offer comes once (about half the bytes for a real article).
   */
  async request(text) {
    const base = this.base;
    this.base = null;
    const common = { document: this.docId, incremental: true, share_fixes: true };
    let report = null;
    if (base) {
      try {
        report = await this.post("/v1/check", { ...common, base: base.revision, edit: textEdit(base.text, text) });
      } catch (e) {
        // The service no longer holds that revision (restarted, dropped, busy): send it all.
        if (e.status !== 409 && e.status !== 422) throw e;
      }
    }
    if (!report) report = await this.post("/v1/check", { ...common, text });
    const findings = report.base !== undefined && base && report.base === base.revision ? applyDelta(base.findings, report) : resolve(report);
    if (report.revision) this.base = { revision: report.revision, text, findings };
    return findings;
  }

  /** The `/v1/fix` answer for `text`: on the service's last revision when it holds one. */
  async fixRequest(text) {
    const base = this.base;
    this.base = null;
    const common = { document: this.docId, incremental: true };
    let res = null;
    if (base) {
      try {
        res = await this.post("/v1/fix", { ...common, base: base.revision, edit: textEdit(base.text, text) });
      } catch (e) {
        if (e.status !== 409 && e.status !== 422) throw e;
      }
    }
    if (!res) res = await this.post("/v1/fix", { ...common, text });
    if (res.revision) this.base = { revision: res.revision, text: res.text, findings: resolve(res.report) };
    return res;
  }

  show(text, findings) {
    this.checkedText = text;
    this.findings = findings.map((f, index) => ({ ...f, index }));
    this.active = -1;
    this.paint();
    this.renderPanel();
    this.setStatus(this.summary());
    this.emit("check", this.findings);
  }

  summary() {
    if (this.checkedText !== null && !this.checkedText.trim()) return this.t.empty;
    return this.findings.length ? this.t.found(this.findings.length) : this.t.clean;
  }

  setStatus(s) {
    if (this.opts.status) this.opts.status.textContent = s;
    this.emit("status", s);
  }

  // --- underlines --------------------------------------------------------------------

  makeMirror() {
    const m = document.createElement("div");
    m.className = `${this.id}-mirror`;
    m.setAttribute("aria-hidden", "true");
    this.el.insertAdjacentElement("afterend", m);
    this.mirror = m;
    this.layoutMirror();
    if (globalThis.ResizeObserver) {
      this.resize = new ResizeObserver(() => this.layoutMirror());
      this.resize.observe(this.el);
    }
  }

  layoutMirror() {
    const s = getComputedStyle(this.el);
    const m = this.mirror.style;
    for (const p of [
      "fontFamily", "fontSize", "fontWeight", "fontStyle", "lineHeight", "letterSpacing", "wordSpacing",
      "textTransform", "textIndent", "tabSize", "paddingTop", "paddingLeft", "paddingBottom",
      "borderTopWidth", "borderLeftWidth", "borderRightWidth", "borderBottomWidth", "direction", "textAlign",
    ])
      m[p] = s[p];
    m.borderStyle = "solid";
    m.borderColor = "transparent";
    m.boxSizing = "border-box";
    const scrollbar = this.el.offsetWidth - this.el.clientWidth - parseFloat(s.borderLeftWidth) - parseFloat(s.borderRightWidth);
    m.paddingRight = `${parseFloat(s.paddingRight) + Math.max(0, scrollbar)}px`;
    m.width = `${this.el.offsetWidth}px`;
    m.height = `${this.el.offsetHeight}px`;
    m.top = `${this.el.offsetTop}px`;
    m.left = `${this.el.offsetLeft}px`;
    this.syncMirror();
  }

  syncMirror() {
    if (this.mirror) {
      this.mirror.scrollTop = this.el.scrollTop;
      this.mirror.scrollLeft = this.el.scrollLeft;
    }
    if (!this.tip.hidden && this.tipFor !== undefined) this.hide();
  }

  paint() {
    if (this.isTextarea) {
      const text = this.checkedText || "";
      const frag = document.createDocumentFragment();
      let pos = 0;
      this.marks = [];
      for (const f of this.findings) {
        if (f.start < pos) {
          this.marks.push(null);
          continue; // overlapping findings share the first underline
        }
        frag.append(text.slice(pos, f.start));
        const mark = document.createElement("mark");
        mark.className = `cd-${f.severity}`;
        mark.dataset.finding = String(f.index);
        // An empty range (an insertion point) still gets a visible mark.
        mark.textContent = text.slice(f.start, Math.max(f.end, f.start)) || "\u200b";
        frag.append(mark);
        this.marks.push(mark);
        pos = Math.max(f.end, f.start);
      }
      frag.append(text.slice(pos) + "\n");
      this.mirror.replaceChildren(frag);
      this.syncMirror();
      return;
    }
    if (!globalThis.CSS?.highlights) return;
    this.read();
    for (const sev of Object.keys(COLORS)) {
      const ranges = this.findings.filter((f) => f.severity === sev).map((f) => this.domRange(f.start, f.end));
      CSS.highlights.set(`${this.id}-${sev}`, new Highlight(...ranges));
    }
    CSS.highlights.delete(`${this.id}-active`);
  }

  /** Screen rectangles of a finding's underline. */
  rects(f) {
    if (this.isTextarea) {
      const mark = this.marks?.[f.index];
      return mark ? [...mark.getClientRects()] : [];
    }
    this.read();
    return [...this.domRange(f.start, f.end).getClientRects()];
  }

  /** The text under an underline, as the browser shows it (for tests and tools). */
  underlined(f) {
    if (this.isTextarea) return this.marks?.[f.index]?.textContent ?? null;
    this.read();
    return this.domRange(f.start, f.end).toString();
  }

  highlightActive(f) {
    if (this.isTextarea) {
      for (const m of this.mirror.querySelectorAll("mark.cd-active")) m.classList.remove("cd-active");
      if (f) this.marks?.[f.index]?.classList.add("cd-active");
    } else if (globalThis.CSS?.highlights) {
      if (f) {
        this.read();
        CSS.highlights.set(`${this.id}-active`, new Highlight(this.domRange(f.start, f.end)));
      } else CSS.highlights.delete(`${this.id}-active`);
    }
  }

  // --- hover, caret and keys ------------------------------------------------------------

  at(x, y) {
    for (const f of this.findings) {
      for (const r of this.rects(f)) {
        if (x >= r.left && x <= r.right && y >= r.top - 2 && y <= r.bottom + 2) return f;
      }
    }
    return null;
  }

  hover(e) {
    const f = this.at(e.clientX, e.clientY);
    if (f) this.showTip(f);
    else this.hideSoon();
  }

  caret() {
    if (this.checkedText === null || this.read() !== this.checkedText) return;
    const at = this.caretOffset();
    const f = this.findings.find((g) => at >= g.start && at <= g.end);
    if (f) this.showTip(f);
    else if (this.tipFor !== undefined) this.hide();
  }

  key(e) {
    if (e.altKey && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      this.go(e.key === "ArrowDown" ? 1 : -1);
    } else if (e.altKey && e.key === "Enter") {
      e.preventDefault();
      const at = this.caretOffset();
      const f = this.findings.find((g) => at >= g.start && at <= g.end && g.fixes.length);
      if (f) this.applyFix(f, 0);
    } else if (e.key === "Escape" && !this.tip.hidden) {
      e.preventDefault();
      this.hide();
    }
  }

  /** Moves the selection to the next (1) or previous (-1) finding. */
  go(dir) {
    if (!this.findings.length) return;
    const at = this.caretOffset();
    const list = this.findings;
    let f = dir > 0 ? list.find((g) => g.start > at) || list[0] : [...list].reverse().find((g) => g.start < at) || list[list.length - 1];
    this.focusFinding(f);
  }

  focusFinding(f) {
    this.select(f.start, f.end);
    this.active = f.index;
    this.highlightActive(f);
    this.showTip(f);
  }

  async explain(rule) {
    if (!this.explanations.has(rule)) {
      const p = fetch(`${this.opts.endpoint}/v1/rules/${rule.split("/").map(encodeURIComponent).join("/")}`, { headers: this.headers() })
        .then((r) => (r.ok ? r.json() : null))
        .catch(() => null);
      this.explanations.set(rule, p);
    }
    return this.explanations.get(rule);
  }

  showTip(f) {
    clearTimeout(this.hideTimer);
    if (this.tipFor === f.index && !this.tip.hidden) return;
    this.tipFor = f.index;
    const t = this.t;
    const tip = this.tip;
    tip.replaceChildren();
    const head = document.createElement("div");
    head.className = "cd-rule";
    head.textContent = `${t.severity[f.severity] || f.severity} · ${f.rule}`;
    const msg = document.createElement("div");
    msg.className = "cd-message";
    msg.textContent = f.message;
    tip.append(head, msg);
    // The fixes come before the explanation, which arrives later and can be long: the
    // buttons stay where the tip first showed them.
    for (const [i, fix] of f.fixes.entries()) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "cd-fix";
      b.textContent = `${t.fix}: ${fix.title}${fix.safe ? "" : ` ${t.unsafe}`}`;
      b.addEventListener("click", () => this.applyFix(f, i));
      tip.append(b);
    }
    const explain = document.createElement("div");
    explain.className = "cd-explain";
    tip.append(explain);
    const place = () => {
      const rect = this.rects(f)[0];
      if (!rect) return;
      const top = rect.bottom + 6;
      tip.style.left = `${Math.max(4, Math.min(rect.left, innerWidth - tip.offsetWidth - 8))}px`;
      tip.style.top = `${top + tip.offsetHeight > innerHeight ? Math.max(4, rect.top - tip.offsetHeight - 6) : top}px`;
    };
    this.explain(f.rule).then((r) => {
      if (this.tipFor !== f.index || !r?.description) return;
      explain.replaceChildren(
        ...reflow(r.description).map((lines) => {
          const p = document.createElement("p");
          lines.forEach((l, i) => p.append(...(i ? [document.createElement("br"), l] : [l])));
          return p;
        }),
      );
      place();
    });
    tip.hidden = false;
    place();
  }

  hideSoon() {
    clearTimeout(this.hideTimer);
    this.hideTimer = setTimeout(() => this.hide(), 250);
  }

  hide() {
    this.tip.hidden = true;
    this.tipFor = undefined;
  }

  // --- fixes -------------------------------------------------------------------------

  /** Applies fix `i` of finding `f` (if the text is still the one checked). */
  async applyFix(f, i = 0) {
    const fix = f.fixes[i];
    if (!fix) return false;
    if (this.read() !== this.checkedText) {
      this.setStatus(this.t.stale);
      await this.check();
      return false;
    }
    const edits = [...fix.edits].sort((a, b) => b.start - a.start);
    for (const e of edits) this.replace(e.start, e.end, e.replacement);
    this.hide();
    this.emit("fixed", 1);
    await this.check();
    return true;
  }

  /**
   * Applies every safe fix (through the service, to a fixpoint); returns how many. Like a
   * check, it sends the edit since the service's last answer when it has one, and the
   * fixed text becomes the service's revision: the next check sends only what is typed
   * after the fix.
   */
  async fixAll() {
    // One request at a time: the fix builds on the last check's answer, the next check on
    // the fix's.
    while (this.inflight) await this.inflight.catch(() => {});
    const text = this.read();
    const request = this.fixRequest(text);
    this.inflight = request;
    let res;
    try {
      res = await request;
    } catch (e) {
      this.setStatus(`${this.t.offline}: ${e.message}`);
      return 0;
    } finally {
      if (this.inflight === request) this.inflight = null;
    }
    if (this.read() !== text) {
      this.setStatus(this.t.stale);
      await this.check();
      return 0;
    }
    const edits = [...res.edits].sort((a, b) => b.start.utf16 - a.start.utf16);
    for (const e of edits) this.replace(e.start.utf16, e.end.utf16, e.replacement);
    this.hide();
    // A check already scheduled by the edits above would only find the fixed text.
    clearTimeout(this.timer);
    if (this.read() === res.text) this.show(res.text, this.base ? this.base.findings : resolve(res.report));
    else await this.check();
    this.setStatus(res.applied ? `${this.t.fixed(res.applied)} · ${this.summary()}` : this.t.fixAllNone);
    this.emit("fixed", res.applied);
    return res.applied;
  }

  // --- side panel --------------------------------------------------------------------

  renderPanel() {
    const panel = this.opts.panel;
    if (!panel) return;
    const t = this.t;
    panel.replaceChildren();
    const top = document.createElement("div");
    top.className = "cd-top";
    const all = document.createElement("button");
    all.type = "button";
    all.className = "cd-fix-all";
    all.textContent = t.fixAll;
    const safe = this.findings.filter((f) => f.fixes.some((x) => x.safe)).length;
    all.disabled = safe === 0;
    all.addEventListener("click", () => this.fixAll());
    top.append(all);
    panel.append(top);
    const groups = new Map();
    for (const f of this.findings) {
      if (!groups.has(f.rule)) groups.set(f.rule, []);
      groups.get(f.rule).push(f);
    }
    for (const [rule, list] of groups) {
      const g = document.createElement("section");
      g.className = "cd-group";
      g.dataset.rule = rule;
      const h = document.createElement("h3");
      h.textContent = rule;
      const count = document.createElement("span");
      count.className = "cd-count";
      count.textContent = String(list.length);
      count.setAttribute("aria-label", t.found(list.length));
      h.append(count);
      const ul = document.createElement("ul");
      for (const f of list) {
        const li = document.createElement("li");
        li.dataset.finding = String(f.index);
        const go = document.createElement("button");
        go.type = "button";
        go.className = "cd-go";
        const found = document.createElement("span");
        found.className = "cd-found";
        found.textContent = f.found || "¶";
        go.append(found, ` — ${f.message}`);
        go.addEventListener("click", () => this.focusFinding(f));
        li.append(go);
        if (f.fixes.length) {
          const fx = document.createElement("button");
          fx.type = "button";
          fx.className = "cd-fix";
          fx.textContent = t.fix;
          fx.title = f.fixes[0].title;
          fx.addEventListener("click", () => this.applyFix(f, 0));
          li.append(fx);
        }
        ul.append(li);
      }
      g.append(h, ul);
      panel.append(g);
    }
  }
}
