/* mclint: what marks do, on the web page and in the HTML report (which inlines this file).
   The marks themselves work without it (the derivation box shows on hover and focus by
   CSS alone); this adds Escape to hide a box, boxes kept inside the window, list links
   that open a collapsed entry and focus the mark, and the filter by status and rule.
   It never builds markup from text: it only sets classes, attributes and textContent. */
(function () {
  "use strict";

  function markOf(node) {
    return node && node.closest ? node.closest("mark.m[data-mark]") : null;
  }

  /* Keep a mark's box inside the window: shift it left as far as it sticks out. */
  function place(mark) {
    var tip = mark.querySelector(".tip");
    if (!tip) return;
    tip.style.left = "";
    var box = tip.getBoundingClientRect(), width = document.documentElement.clientWidth;
    if (!box.width) return;
    var shift = Math.min(0, width - 4 - box.right);
    if (box.left + shift < 4) shift = 4 - box.left;
    if (shift) tip.style.left = shift + "px";
  }

  /* Open the collapsed entry that holds a node. */
  function reveal(node) {
    for (var d = node.closest("details"); d; d = d.parentElement.closest("details")) {
      d.open = true;
    }
  }

  function go(mark) {
    reveal(mark);
    mark.classList.remove("dismissed");
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }

  /* Delegated handlers, set once per document. */
  function listen(doc) {
    doc.addEventListener("focusin", function (e) {
      var m = markOf(e.target);
      if (m) place(m);
    });
    doc.addEventListener("mouseover", function (e) {
      var m = markOf(e.target);
      if (m) place(m);
    });
    doc.addEventListener("focusout", function (e) {
      var m = markOf(e.target);
      if (m) m.classList.remove("dismissed");
    });
    doc.addEventListener("mouseout", function (e) {
      var m = markOf(e.target);
      if (m && !m.contains(e.relatedTarget)) m.classList.remove("dismissed");
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = doc.querySelectorAll("mark.m:hover, mark.m:focus");
      for (var i = 0; i < open.length; i++) open[i].classList.add("dismissed");
    });
    doc.addEventListener("click", function (e) {
      var link = e.target.closest ? e.target.closest("a[data-target]") : null;
      if (!link) return;
      var mark = doc.getElementById(link.getAttribute("data-target"));
      if (!mark) return;
      e.preventDefault();
      go(mark);
    });
  }

  /* The filter of a rendered report or page result: rules listed from its findings. */
  function filters(root) {
    var box = root.querySelector("[data-filters]");
    if (!box) return;
    var status = box.querySelector('[data-filter="status"]');
    var rule = box.querySelector('[data-filter="rule"]');
    var count = box.querySelector("[data-filter-count]");
    var items = root.querySelectorAll("li.fi");
    var marks = root.querySelectorAll("mark.m[data-mark]");
    var entries = root.querySelectorAll("section.entry");
    var seen = {};
    for (var i = 0; i < items.length; i++) seen[items[i].getAttribute("data-rule")] = true;
    Object.keys(seen).sort().forEach(function (r) {
      var o = document.createElement("option");
      o.value = r;
      o.textContent = r;
      rule.appendChild(o);
    });
    for (i = 0; i < entries.length; i++) {
      var d = entries[i].querySelector("details");
      if (d) d.setAttribute("data-initially-open", d.open ? "1" : "0");
    }
    function apply() {
      var s = status.value, r = rule.value, active = !!(s || r), shown = 0;
      for (var i = 0; i < items.length; i++) {
        var ok = (!s || items[i].getAttribute("data-status") === s) &&
          (!r || items[i].getAttribute("data-rule") === r);
        items[i].hidden = !ok;
        if (ok) shown++;
      }
      for (i = 0; i < marks.length; i++) {
        var m = marks[i];
        var statuses = (m.getAttribute("data-statuses") || "").split(" ");
        var rules = (m.getAttribute("data-rules") || "").split(" ");
        var hit = (!s || statuses.indexOf(s) >= 0) && (!r || rules.indexOf(r) >= 0);
        m.classList.toggle("dim", !hit);
      }
      for (i = 0; i < entries.length; i++) {
        var any = !active || entries[i].querySelector("mark.m[data-mark]:not(.dim)");
        entries[i].hidden = !any;
        var det = entries[i].querySelector("details");
        if (det) det.open = active ? !!any : det.getAttribute("data-initially-open") === "1";
      }
      count.textContent = active ? shown + " of " + items.length + " findings shown" : "";
    }
    status.addEventListener("change", apply);
    rule.addEventListener("change", apply);
    box.hidden = false;
  }

  window.mclintMarks = { listen: listen, filters: filters, go: go };

  if (document.body && document.body.classList.contains("report")) {
    listen(document);
    filters(document);
  }
})();
