/* mclint: build a file's marks in the browser from the JSON of POST /api/lint.
   A port of linter/formatters/marks.py and of the pieces of linter/formatters/html.py the
   page shows (file_view and what it calls), function for function, so the page and the
   HTML report mark the same spans with the same derivations; tests/test_web_browser.py
   renders one input both ways and compares them.  Keep the two in step.
   Text goes into the page only through textContent and setAttribute, never as markup. */
(function () {
  "use strict";

  var STATUSES = ["material", "minor", "notation", "verified", "skipped", "unchecked"];
  var LABELS = {
    material: "material problem", minor: "minor problem", notation: "notation",
    verified: "verified", skipped: "skipped", unchecked: "not checked"
  };
  var SEVERITY_GRADE = { error: "material", warning: "minor", info: "notation" };
  var CONTEXT = 200;

  /* ---- markup, safely: elements, attributes and text nodes only ---- */
  function h(name, attrs) {
    var el = document.createElement(name);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        el.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) add(el, arguments[i]);
    return el;
  }

  function add(el, child) {
    if (child === null || child === undefined || child === "") return;
    if (Array.isArray(child)) {
      child.forEach(function (c) { add(el, c); });
      return;
    }
    el.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }

  function get(obj, key) {
    var v = obj[key];
    return v === undefined ? null : v;
  }

  /* ---- marks.py ---- */
  function statusOf(f) {
    if (f.status === "verified" || f.status === "skipped") return f.status;
    return f.grade || SEVERITY_GRADE[f.severity] || "material";
  }

  function worst(a, b) {
    return STATUSES.indexOf(a) <= STATUSES.indexOf(b) ? a : b;
  }

  /* Python counts characters as code points, JavaScript as UTF-16 units. */
  function unitIndex(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return function (i) { return i; };
    var map = [], u = 0;
    for (var ch of text) {
      map.push(u);
      u += ch.length;
    }
    map.push(u);
    return function (i) { return i < map.length ? map[i] : u; };
  }

  function buildMarks(findings, claims) {
    var spans = [];
    findings.forEach(function (p) {
      if (p[1].end_offset > p[1].offset) spans.push([p[1].offset, p[1].end_offset, 0, p[0], p[1]]);
    });
    claims.forEach(function (p) {
      if (p[1].end_offset > p[1].offset) spans.push([p[1].offset, p[1].end_offset, 1, p[0], p[1]]);
    });
    spans.sort(function (a, b) {
      return a[0] - b[0] || b[1] - a[1] || a[2] - b[2] || a[3] - b[3];
    });
    var marks = [];
    spans.forEach(function (s) {
      var mark = marks[marks.length - 1];
      if (!mark || s[0] >= mark.end) {
        mark = { start: s[0], end: s[1], findings: [], claims: [], status: "unchecked",
                 entry: get(s[4], "entry"), field: get(s[4], "field"), line: s[4].line || 0,
                 number: marks.length };
        marks.push(mark);
      }
      mark.end = Math.max(mark.end, s[1]);
      (s[2] ? mark.claims : mark.findings).push(s[3]);
    });
    var byIndex = new Map(findings);
    var num = function (a, b) { return a - b; };
    marks.forEach(function (m) {
      m.findings.sort(num);
      m.claims.sort(num);
      m.status = m.findings.map(function (i) { return statusOf(byIndex.get(i)); })
        .reduce(worst, "unchecked");
    });
    return marks;
  }

  function isStructured(marks) {
    var entries = new Set(marks.map(function (m) { return m.entry; }));
    return marks.some(function (m) { return m.field !== null && m.field !== "body"; }) ||
      entries.size > 1;
  }

  function sections(text, marks, u) {
    var order = new Map();
    marks.forEach(function (m) {
      if (!order.has(m.entry)) order.set(m.entry, new Map());
      var fields = order.get(m.entry);
      if (!fields.has(m.field)) fields.set(m.field, []);
      fields.get(m.field).push(m);
    });
    var out = [];
    order.forEach(function (fields, entry) {
      var groups = [];
      fields.forEach(function (group, name) {
        groups.push({ field: name, blocks: excerpts(text, group, u) });
      });
      out.push({ entry: entry, groups: groups });
    });
    return out;
  }

  function rfind(t, ch, lo, hi) {
    if (hi <= lo) return -1;
    var k = t.lastIndexOf(ch, hi - 1);
    return k >= lo ? k : -1;
  }

  function find(t, ch, lo, hi) {
    var k = t.indexOf(ch, lo);
    return k >= 0 && (hi === undefined || k < hi) ? k : -1;
  }

  function firstFound(a, b, otherwise) {
    var ks = [a, b].filter(function (k) { return k >= 0; });
    return ks.length ? Math.min.apply(null, ks) : otherwise;
  }

  function quoteRun(t, k) {
    var first = k, last = k;
    while (first > 0 && t.charAt(first - 1) === '"') first--;
    while (last + 1 < t.length && t.charAt(last + 1) === '"') last++;
    if (first > 0 && t.charAt(first - 1) === "\\") first++;
    return [first, last];
  }

  function quoteBefore(t, lo, hi) {
    var k = hi - 1;
    while (k >= lo) {
      if (t.charAt(k) === '"') {
        var run = quoteRun(t, k);
        if (run[0] <= run[1] && (run[1] - run[0]) % 2 === 0) return run[0];
        k = run[0] - 1;
      } else {
        k--;
      }
    }
    return -1;
  }

  function quoteAfter(t, lo, hi) {
    var k = lo;
    while (k < hi) {
      if (t.charAt(k) === '"') {
        var run = quoteRun(t, k);
        if (run[0] <= run[1] && (run[1] - run[0]) % 2 === 0) return run[1];
        k = run[1] + 1;
      } else {
        k++;
      }
    }
    return -1;
  }

  /* Excerpts in UTF-16 units (the same as Python's code points unless the text has
     characters beyond the Basic Multilingual Plane). */
  function excerpts(text, marks, u) {
    var blocks = [];
    marks.forEach(function (m) {
      var ms = u(m.start), me = u(m.end);
      var lineStart = Math.max(rfind(text, "\n", 0, ms), rfind(text, "\r", 0, ms)) + 1;
      var lineEnd = firstFound(find(text, "\n", me), find(text, "\r", me), text.length);
      lineStart = Math.max(lineStart, quoteBefore(text, Math.max(lineStart, ms - CONTEXT), ms) + 1);
      var close = quoteAfter(text, me, Math.min(lineEnd, me + CONTEXT));
      lineEnd = close >= 0 ? close : lineEnd;
      var start = Math.max(lineStart, ms - CONTEXT), end = Math.min(lineEnd, me + CONTEXT);
      var cutStart = start > lineStart, cutEnd = end < lineEnd;
      if (cutStart) {
        var first = firstFound(find(text, " ", start, ms), find(text, "\t", start, ms), -1);
        start = first >= 0 ? first + 1 : start;
      }
      if (cutEnd) {
        var last = Math.max(rfind(text, " ", me, end), rfind(text, "\t", me, end));
        end = last >= 0 ? last : end;
      }
      var block = blocks[blocks.length - 1];
      if (block && start <= block.end) {
        if (end >= block.end) {
          block.end = end;
          block.cutEnd = cutEnd;
        }
        block.marks.push(m);
      } else {
        blocks.push({ start: start, end: end, marks: [m], cutStart: cutStart, cutEnd: cutEnd });
      }
    });
    return blocks;
  }

  function strip(n) {
    return n.indexOf(".") >= 0 ? n.replace(/0+$/, "").replace(/\.$/, "") : n;
  }

  function group(n) {
    var sign = n.charAt(0) === "-" ? "-" : "";
    var body = n.replace(/^-/, ""), dot = body.indexOf(".");
    var digits = dot >= 0 ? body.slice(0, dot) : body, frac = dot >= 0 ? body.slice(dot + 1) : "";
    var head = digits.length % 3 || 3, parts = [digits.slice(0, head)];
    for (var k = head; k < digits.length; k += 3) parts.push(digits.slice(k, k + 3));
    return sign + parts.join(",") + (frac ? "." + frac : "");
  }

  function fmt(v) {
    if (v === null || v === undefined || !isFinite(v)) return "\u2014";
    if (v === 0) return "0";
    var parts = v.toExponential(3).split("e"), exponent = parseInt(parts[1], 10);
    if (exponent >= -3 && exponent < 9) {
      if (Number.isInteger(v)) return group(v.toFixed(0));
      return group(strip(v.toFixed(Math.max(0, 3 - exponent))));
    }
    return strip(parts[0]) + "e" + exponent;
  }

  function pct(relative) {
    if (relative === null || relative === undefined) return null;
    var p = relative * 100;
    return (p < 0 ? "-" : "+") + Math.abs(p).toFixed(1) + "%";
  }

  /* ---- html.py ---- */
  function countText(status, n) {
    var label = LABELS[status];
    return n + " " + label + (n !== 1 && /problem$/.test(label) ? "s" : "");
  }

  function countList(counts, all) {
    return h("ul", { "class": "counts" }, STATUSES.filter(function (s) {
      return all || counts[s];
    }).map(function (s) {
      return h("li", { "class": "count s-" + s, "data-status": s, "data-count": counts[s] },
        countText(s, counts[s]));
    }));
  }

  function emptyCounts() {
    var c = {};
    STATUSES.forEach(function (s) { c[s] = 0; });
    return c;
  }

  function filtersBar() {
    return h("div", { "class": "filters", "data-filters": true, hidden: true },
      h("label", null, "Status ", h("select", { "data-filter": "status" },
        [h("option", { value: "" }, "every status")].concat(STATUSES.map(function (s) {
          return h("option", { value: s }, LABELS[s]);
        })))),
      " ",
      h("label", null, "Rule ", h("select", { "data-filter": "rule" },
        h("option", { value: "" }, "every rule"))),
      " ", h("span", { "class": "filter-count", "data-filter-count": true, "aria-live": "polite" }));
  }

  function badge(status) {
    return h("span", { "class": "badge s-" + status }, LABELS[status]);
  }

  function inputText(inp) {
    var name = inp.name && inp.name !== "number" ? inp.name + ": " : "";
    var value = fmt(get(inp, "value"));
    var shown = inp.text.split(",").join("").indexOf(value.split(",").join("")) >= 0;
    return name + inp.text + (shown ? "" : " = " + value);
  }

  function offBy(f) {
    var off = pct(get(f, "relative_error"));
    var stated = f.stated, computed = f.computed;
    if (stated && computed) {
      var r = computed / stated;
      if (r >= 2 || (r > 0 && r <= 0.5)) {
        var ratio = "\u00d7" + fmt(r);
        off = off ? off + " (" + ratio + ")" : ratio;
      }
    }
    return off;
  }

  function kv(key, value) {
    return h("span", { "class": "kv" }, h("span", { "class": "k" }, key), " ",
      h("span", { "class": "v" }, value));
  }

  function derivation(i, f) {
    var status = statusOf(f), unit = f.unit ? " " + f.unit : "", rows = [];
    if (get(f, "stated") !== null) rows.push(kv("stated", fmt(f.stated) + unit));
    if (get(f, "computed") !== null) rows.push(kv("recomputed", fmt(f.computed) + unit));
    if (f.inputs && f.inputs.length) {
      rows.push(kv("from", f.inputs.map(function (inp) {
        return h("span", { "class": "in" }, inputText(inp));
      })));
    }
    var off = offBy(f);
    if (off) rows.push(kv("off by", off));
    return h("span", { "class": "tf s-" + status, "data-finding": i },
      h("span", { "class": "th" }, badge(status), " ", h("code", null, f.rule), " ", f.slug),
      f.text ? h("code", { "class": "calc" }, f.text) : null,
      rows,
      h("span", { "class": "msg" }, f.message));
  }

  function claimNote(c) {
    var unit = c.unit ? " " + c.unit : "", rows = [kv("read as", fmt(get(c, "number")) + unit)];
    if (c.kind) rows.push(kv("kind", c.kind));
    if (c.role) rows.push(kv("role", c.role));
    return h("span", { "class": "tf s-unchecked" },
      h("span", { "class": "th" }, badge("unchecked")),
      rows,
      h("span", { "class": "msg" }, "No rule checked this number."));
  }

  function tip(m, k, findings, claims) {
    var body = m.findings.length ?
      m.findings.map(function (i) { return derivation(i, findings.get(i)); }) :
      m.claims.slice(0, 1).map(function (i) { return claimNote(claims.get(i)); });
    return h("span", { "class": "tip", id: "t" + k + "-" + m.number, role: "tooltip" }, body);
  }

  function mark(m, text, ctx) {
    var k = ctx.k, findings = ctx.findings, u = ctx.u;
    var rules = Array.from(new Set(m.findings.map(function (i) {
      return findings.get(i).rule;
    }))).sort();
    var statuses = STATUSES.filter(function (s) {
      return m.findings.some(function (i) { return statusOf(findings.get(i)) === s; });
    });
    return h("mark", {
      "class": "m s-" + m.status, id: "m" + k + "-" + m.number, tabindex: "0",
      "data-mark": m.number, "data-offset": m.start, "data-end": m.end,
      "data-status": m.status, "data-statuses": (statuses.length ? statuses : [m.status]).join(" "),
      "data-rules": rules.join(" "),
      "data-findings": m.findings.join(" "), "data-claims": m.claims.join(" "),
      "aria-describedby": "t" + k + "-" + m.number
    }, text.slice(u(m.start), u(m.end)), tip(m, k, findings, ctx.claims));
  }

  function cut() {
    return h("span", { "class": "cut", "aria-hidden": "true" }, "\u2026");
  }

  /* start and end in UTF-16 units */
  function textBlock(text, start, end, marks, ctx, cutStart, cutEnd) {
    var parts = [cutStart ? cut() : null], at = start;
    marks.forEach(function (m) {
      parts.push(text.slice(at, ctx.u(m.start)));
      parts.push(mark(m, text, ctx));
      at = ctx.u(m.end);
    });
    parts.push(text.slice(at, end));
    if (cutEnd) parts.push(cut());
    return h("div", { "class": "text" }, parts);
  }

  function entrySection(text, section, ctx, findings) {
    var counts = emptyCounts();
    findings.forEach(function (p) {
      if (get(p[1], "entry") === section.entry) counts[statusOf(p[1])] += 1;
    });
    var all = [];
    section.groups.forEach(function (g) {
      g.blocks.forEach(function (b) { all = all.concat(b.marks); });
    });
    counts.unchecked = all.filter(function (m) { return m.status === "unchecked"; }).length;
    var problems = counts.material + counts.minor + counts.notation;
    var name = section.entry !== null ? section.entry : "(no name)";
    var groups = section.groups.map(function (g) {
      return h("div", { "class": "group", "data-field": g.field },
        h("h3", { "class": "field" }, g.field || "text", " ",
          h("span", { "class": "line" }, "line " + g.blocks[0].marks[0].line)),
        g.blocks.map(function (b) {
          return textBlock(text, b.start, b.end, b.marks, ctx, b.cutStart, b.cutEnd);
        }));
    });
    return h("section", { "class": "entry", "data-entry": name, "data-problems": problems,
                          "aria-label": name },
      h("details", { open: problems > 0 },
        h("summary", null, h("span", { "class": "entry-name" }, name), " ", countList(counts)),
        groups));
  }

  function findingList(findings, byFinding, structured) {
    if (!findings.length) return h("p", { "class": "empty" }, "No findings.");
    return h("ol", { "class": "finding-list" }, findings.map(function (p) {
      var i = p[0], f = p[1], status = statusOf(f);
      var head = [badge(status), " ", h("code", null, f.rule), " ",
        h("span", { "class": "where" }, f.line + ":" + f.column),
        structured && f.entry ? [" ", h("span", { "class": "entry" }, f.entry)] : null];
      var target = byFinding.get(i);
      return h("li", { "class": "fi s-" + status, id: "f" + i, "data-finding": i,
                       "data-status": status, "data-rule": f.rule, "data-entry": get(f, "entry") },
        target ? h("a", { href: "#" + target, "data-target": target }, head) : h("span", null, head),
        h("span", { "class": "msg" }, f.message));
    }));
  }

  /* One file: its text (or its entries) with marks beside the list of its findings.
     Returns the element and the counts by status (for the summary). */
  function fileView(k, path, text, data) {
    var findings = [], claims = [];
    data.findings.forEach(function (f, i) { if (f.path === path) findings.push([i, f]); });
    (data.claims || []).forEach(function (c, i) { if (c.path === path) claims.push([i, c]); });
    var marks = buildMarks(findings, claims), u = unitIndex(text);
    var byFinding = new Map();
    marks.forEach(function (m) {
      m.findings.forEach(function (i) { byFinding.set(i, "m" + k + "-" + m.number); });
    });
    var ctx = { k: k, findings: new Map(findings), claims: new Map(claims), u: u };
    var structured = isStructured(marks), doc;
    if (!marks.length) {
      doc = h("p", { "class": "empty" }, "No numbers were found to check.");
    } else if (structured) {
      doc = sections(text, marks, u).map(function (s) {
        return entrySection(text, s, ctx, findings);
      });
    } else {
      doc = textBlock(text, 0, text.length, marks, ctx);
    }
    var counts = emptyCounts();
    findings.forEach(function (p) { counts[statusOf(p[1])] += 1; });
    counts.unchecked = marks.filter(function (m) { return m.status === "unchecked"; }).length;
    var element = h("section", { "class": "file", "data-path": path, "aria-label": path },
      h("h2", { "class": "path" }, path),
      h("div", { "class": "view" },
        h("div", { "class": "doc" }, doc),
        h("aside", { "class": "findings", "aria-label": "Findings in " + path },
          h("h3", null, "Findings (" + findings.length + ")"),
          findingList(findings, byFinding, structured))));
    return { element: element, counts: counts };
  }

  window.mclintRender = {
    STATUSES: STATUSES, LABELS: LABELS, h: h, fmt: fmt, pct: pct, statusOf: statusOf,
    buildMarks: buildMarks, countList: countList, countText: countText,
    filtersBar: filtersBar, fileView: fileView
  };
})();
