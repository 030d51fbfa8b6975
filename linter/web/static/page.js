/* mclint: the page's form.  Sends the text to POST /api/lint as a file (exact bytes, no
   line-ending changes on the way), then shows the JSON it gets back with render.js. */
(function () {
  "use strict";
  var R = window.mclintRender, M = window.mclintMarks, h = R.h;
  var form = document.getElementById("check");
  var textarea = document.getElementById("text");
  var fileInput = document.getElementById("file");
  var fileName = document.getElementById("file-name");
  var kind = document.getElementById("kind");
  var select = document.getElementById("select");
  var ignore = document.getElementById("ignore");
  var failLevel = document.getElementById("fail-level");
  var showVerified = document.getElementById("show-verified");
  var button = document.getElementById("check-button");
  var status = document.getElementById("status");
  var result = document.getElementById("result");
  var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10) || 5 * 1024 * 1024;
  var KINDS = {
    ".txt": ".txt", ".text": ".txt", ".md": ".md", ".markdown": ".md", ".csv": ".csv",
    ".tsv": ".tsv", ".yaml": ".yaml", ".yml": ".yaml", ".json": ".json", ".jsonl": ".jsonl",
    ".ndjson": ".jsonl"
  };
  var LEVELS = { notation: "any problem", minor: "minor or material", material: "material" };
  var dropped = null;     // the name of the file the text came from, if any

  document.getElementById("limit").textContent = String(Math.round(maxBytes / 1048576));
  M.listen(document);

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", !!isError);
  }

  function suffix(name) {
    var m = /\.[^.]+$/.exec(name.toLowerCase());
    return m ? m[0] : "";
  }

  /* The name sent with the text: it picks the reader (.csv, .md, ...). */
  function filename() {
    if (dropped && KINDS[suffix(dropped)] === kind.value) return dropped;
    return (kind.value === ".txt" ? "note" : kind.value === ".md" ? "card" : "models") +
      kind.value;
  }

  /* Decode as mclint does: UTF-16 with a byte-order mark, else UTF-8 (a BOM kept). */
  function decode(buffer) {
    var b = new Uint8Array(buffer);
    if (b[0] === 0xFF && b[1] === 0xFE) return new TextDecoder("utf-16le").decode(b);
    if (b[0] === 0xFE && b[1] === 0xFF) return new TextDecoder("utf-16be").decode(b);
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(b);
  }

  function load(file) {
    if (!file) return;
    if (file.size > maxBytes) {
      say(file.name + " is larger than " + Math.round(maxBytes / 1048576) +
        " MB, the most this page checks.", true);
      return;
    }
    file.arrayBuffer().then(function (buffer) {
      var text;
      try {
        text = decode(buffer);
      } catch (e) {
        say(file.name + " is not UTF-8 text.", true);
        return;
      }
      textarea.value = text;
      dropped = file.name;
      kind.value = KINDS[suffix(file.name)] || ".txt";
      fileName.textContent = "Text from " + file.name;
      say("");
    });
  }

  textarea.addEventListener("dragover", function (e) {
    e.preventDefault();
    form.classList.add("dragging");
  });
  textarea.addEventListener("dragleave", function () { form.classList.remove("dragging"); });
  textarea.addEventListener("drop", function (e) {
    e.preventDefault();
    form.classList.remove("dragging");
    if (e.dataTransfer && e.dataTransfer.files.length) load(e.dataTransfer.files[0]);
  });
  fileInput.addEventListener("change", function () { load(fileInput.files[0]); });
  textarea.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  document.getElementById("clear").addEventListener("click", function () {
    textarea.value = "";
    dropped = null;
    fileInput.value = "";
    fileName.textContent = "";
    result.textContent = "";
    say("");
    textarea.focus();
  });

  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function summary(data, counts) {
    var level = failLevel.value;
    var failing = counts.material + (level !== "material" ? counts.minor : 0) +
      (level === "notation" ? counts.notation : 0);
    var problems = counts.material + counts.minor + counts.notation;
    var verdict = failing ?
      "Fails: " + plural(failing, "problem") + " at the fail level (" + LEVELS[level] + ")" :
      "Passes at the fail level (" + LEVELS[level] + ")" +
        (problems ? ", with " + plural(problems, "lesser problem") : "");
    var s = data.summary;
    var heading = h("h2", { id: "result-title", tabindex: "-1" }, "Result");
    return {
      heading: heading,
      element: h("section", { "class": "summary", "aria-labelledby": "result-title" },
        heading,
        h("p", { "class": "verdict " + (failing ? "fail" : "pass"), "data-failing": failing },
          verdict + "."),
        R.countList(counts, true),
        h("p", { "class": "hint" }, s.entries + (s.entries === 1 ? " entry" : " entries") +
          " read; " + plural(s.verified, "claim") + " verified.")),
      text: verdict
    };
  }

  function errors(list) {
    if (!list.length) return null;
    return h("section", { "class": "errors", role: "alert" },
      h("h2", null, "The input could not be read"),
      h("ul", null, list.map(function (e) {
        return h("li", null, (e.line ? e.line + ":" + e.column + ": " : "") + e.message);
      })));
  }

  var last = null;     // the summary shown and what it was made from

  function show(data, text, name) {
    var view = R.fileView(0, name, text, data);
    var top = summary(data, view.counts);
    result.textContent = "";
    [top.element, errors(data.errors), R.filtersBar(), view.element].forEach(function (el) {
      if (el) result.appendChild(el);
    });
    M.filters(result);
    last = { data: data, counts: view.counts, element: top.element };
    say("Checked " + name + ". " + top.text + ".");
    top.heading.focus();
  }

  /* A new fail level changes the verdict, not the check: no new request. */
  failLevel.addEventListener("change", function () {
    if (!last || !last.element.parentNode) return;
    var top = summary(last.data, last.counts);
    last.element.parentNode.replaceChild(top.element, last.element);
    last.element = top.element;
    say(top.text + ".");
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = textarea.value;
    if (!text.trim()) {
      say("Paste a note or drop a file first.", true);
      textarea.focus();
      return;
    }
    var name = filename(), verified = showVerified.checked;
    var body = new FormData();
    body.append("file", new Blob([text], { type: "text/plain" }), name);
    if (select.value.trim()) body.append("select", select.value);
    if (ignore.value.trim()) body.append("ignore", ignore.value);
    body.append("show_verified", verified ? "true" : "false");
    body.append("show_claims", verified ? "true" : "false");
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    say("Checking\u2026");
    fetch("/api/lint", { method: "POST", body: body, credentials: "same-origin" })
      .then(function (response) {
        return response.json().catch(function () {
          return { error: "the server answered " + response.status };
        }).then(function (data) {
          if (!response.ok) {
            say("Could not check (" + response.status + "): " + (data.error || "error") + ".",
              true);
            return;
          }
          show(data, text, name);
        });
      })
      .catch(function () { say("Could not reach the server.", true); })
      .then(function () {
        button.disabled = false;
        form.removeAttribute("aria-busy");
      });
  });

  /* The rules, for the options (from the server's own list). */
  fetch("/api/rules").then(function (r) { return r.json(); }).then(function (rules) {
    var table = h("table", { "class": "rules" },
      h("thead", null, h("tr", null, h("th", { scope: "col" }, "id"),
        h("th", { scope: "col" }, "slug"), h("th", { scope: "col" }, "what it checks"))),
      h("tbody", null, rules.map(function (r) {
        return h("tr", null, h("td", null, h("code", null, r.id)),
          h("td", null, h("code", null, r.slug)), h("td", null, r.summary));
      })));
    document.getElementById("rules-table").appendChild(table);
  }).catch(function () { /* the list is a help only */ });
})();
