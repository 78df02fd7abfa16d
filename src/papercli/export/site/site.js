// papercli static site: find as you type, facets kept in the URL, copy BibTeX.
// Catalog text is only ever set with textContent or read from the page; no HTML is built from strings.
(function () {
  "use strict";

  var byId = function (id) { return document.getElementById(id); };
  var fold = function (s) { return s.normalize("NFKC").toLowerCase(); };
  var data = JSON.parse(byId("_data").textContent);
  var papers = data.papers;
  var n = papers.length;
  var haystack = new Array(n);
  var all = new Array(n);
  for (var i = 0; i < n; i++) {
    haystack[i] = fold(papers[i].text);
    all[i] = i;
  }
  // Entries in page order (a paper listed in two sections has a full entry and a reference), each with
  // its paper, section and block (div.chunk). Only the first `limit` matching entries are in the document;
  // the others are taken out of it (not just hidden: the browser's work on hiding one element grows with
  // the size of the whole document), so a keystroke costs about the same with 200 or 10,000 papers.
  // "Show more", or scrolling to it, raises the limit.
  var STEP = 300;
  var limit = STEP;
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-i]"));
  var itemPaper = new Int32Array(items.length);
  var itemSection = new Int32Array(items.length);
  var itemChunk = new Int32Array(items.length);
  var itemShown = new Uint8Array(items.length);
  var entryOf = Object.create(null); // paper anchor -> index of its full entry
  var chunks = Array.prototype.slice.call(document.querySelectorAll("div.chunk"));
  var chunkItems = chunks.map(function () { return []; });
  chunks.forEach(function (chunk, c) { chunk.setAttribute("data-c", String(c)); });
  var sections = Array.prototype.map.call(document.querySelectorAll("section.part"), function (el, s) {
    var nav = el.id ? document.querySelector('#_toc li[data-sec="' + el.id + '"]') : null;
    el.setAttribute("data-s", String(s));
    return { el: el, nav: nav, count: nav ? nav.querySelector(".n") : null, shown: -1, matched: -1 };
  });
  for (var k = 0; k < items.length; k++) {
    itemPaper[k] = Number(items[k].getAttribute("data-i"));
    itemSection[k] = Number(items[k].closest("section.part").getAttribute("data-s"));
    itemChunk[k] = Number(items[k].parentNode.getAttribute("data-c"));
    chunkItems[itemChunk[k]].push(k);
    itemShown[k] = 1;
    if (items[k].id) entryOf[items[k].id] = k;
  }

  // The paper or section the address's fragment names, or null (also for a malformed fragment).
  function hashTarget() {
    var id;
    try {
      id = decodeURIComponent(location.hash.slice(1));
    } catch (err) {
      return null;
    }
    return !id ? null : id in entryOf ? items[entryOf[id]] : byId(id);
  }

  var form = byId("_filters");
  var box = byId("_q");
  var selects = { tag: byId("_tag"), inst: byId("_inst"), year: byId("_year") };
  var counter = byId("_count");
  var empty = byId("_empty");
  var more = byId("_more");

  // The last text query and the papers it matched: a query that only adds to every term (typing on)
  // can only narrow the result, so it is checked against those papers alone.
  var lastTerms = [];
  var lastMatches = all;

  function terms(query) {
    return fold(query).split(/\s+/).filter(function (t) { return t.length > 0; });
  }

  function refines(next, previous) {
    return previous.every(function (old) {
      return next.some(function (t) { return t.indexOf(old) !== -1; });
    });
  }

  function textMatches(query) {
    var wanted = terms(query);
    var candidates = refines(wanted, lastTerms) ? lastMatches : all;
    var found = [];
    for (var c = 0; c < candidates.length; c++) {
      var idx = candidates[c];
      var text = haystack[idx];
      var ok = true;
      for (var w = 0; w < wanted.length; w++) {
        if (text.indexOf(wanted[w]) === -1) { ok = false; break; }
      }
      if (ok) found.push(idx);
    }
    lastTerms = wanted;
    lastMatches = found;
    return found;
  }

  var match = new Uint8Array(n);

  function apply(keepLimit) {
    if (!keepLimit) limit = STEP;
    var tag = selects.tag.value, inst = selects.inst.value, year = selects.year.value;
    var found = textMatches(box.value);
    var total = 0;
    match.fill(0);
    for (var f = 0; f < found.length; f++) {
      var p = papers[found[f]];
      if (tag && p.tags.indexOf(tag) === -1) continue;
      if (inst && p.insts.indexOf(inst) === -1) continue;
      if (year && String(p.year) !== year) continue;
      match[found[f]] = 1;
      total++;
    }
    var secShown = new Int32Array(sections.length), secMatched = new Int32Array(sections.length);
    var changed = new Uint8Array(chunks.length);
    var rank = 0;
    for (var j = 0; j < items.length; j++) {
      var hit = match[itemPaper[j]];
      var want = hit && rank < limit ? 1 : 0;
      rank += hit;
      secMatched[itemSection[j]] += hit;
      secShown[itemSection[j]] += want;
      if (want !== itemShown[j]) {
        itemShown[j] = want;
        changed[itemChunk[j]] = 1;
      }
    }
    for (var c = 0; c < chunks.length; c++) {
      if (!changed[c]) continue;
      var keep = [];
      for (var m = 0; m < chunkItems[c].length; m++) {
        if (itemShown[chunkItems[c][m]]) keep.push(items[chunkItems[c][m]]);
      }
      chunks[c].replaceChildren.apply(chunks[c], keep);
    }
    for (var s = 0; s < sections.length; s++) {
      var sec = sections[s];
      if (secShown[s] !== sec.shown) {
        sec.shown = secShown[s];
        sec.el.hidden = secShown[s] === 0;
      }
      if (sec.nav && secMatched[s] !== sec.matched) {
        sec.matched = secMatched[s];
        sec.nav.classList.toggle("none", secMatched[s] === 0);
        sec.count.textContent = String(secMatched[s]);
      }
    }
    counter.textContent = (total === n ? "" : total + " of ") + n + (n === 1 ? " paper" : " papers");
    empty.hidden = total !== 0 || n === 0; // an empty page says so without the script
    more.hidden = rank <= limit;
    if (rank > limit) more.textContent = "Show more (" + limit + " of " + rank + " shown)";
    scheduleUrl();
  }

  // Raise the limit until entry `j` is shown (it must match the filter).
  function reveal(j) {
    var rank = 0;
    for (var k = 0; k < j; k++) rank += match[itemPaper[k]];
    if (rank >= limit) {
      limit = rank + STEP;
      apply(true);
    }
  }

  // The filter lives in the query string (?q=...&tag=...&inst=...&year=...), so a filtered page can be
  // shared; the fragment stays free for paper anchors. Written after typing pauses (the page itself is
  // updated on every keystroke).
  var urlTimer = 0;
  function scheduleUrl() {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(writeUrl, 300);
  }

  function writeUrl() {
    var params = new URLSearchParams();
    if (box.value.trim()) params.set("q", box.value.trim());
    Object.keys(selects).forEach(function (name) {
      if (selects[name].value) params.set(name, selects[name].value);
    });
    var query = params.toString();
    var target = location.pathname + (query ? "?" + query : "") + location.hash;
    if (target !== location.pathname + location.search + location.hash) history.replaceState(null, "", target);
    written = location.search;
  }
  var written = location.search;

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : "";
  }

  function readUrl() {
    var params = new URLSearchParams(location.search);
    box.value = params.get("q") || "";
    Object.keys(selects).forEach(function (name) { choose(selects[name], params.get(name) || ""); });
  }

  function clearAll() {
    box.value = "";
    Object.keys(selects).forEach(function (name) { selects[name].value = ""; });
    apply(false);
  }

  // A link to a paper or section the filter hides clears the filter; one beyond the shown entries raises
  // the limit. Then the target is scrolled to, and a paper's notes are opened.
  function showTarget() {
    var target = hashTarget();
    if (!target || !(target.classList.contains("paper") || target.classList.contains("part"))) return;
    var isPaper = target.classList.contains("paper");
    var section = isPaper ? -1 : Number(target.getAttribute("data-s"));
    var first = -1;
    var firstMatch = function () {
      for (var k = 0; k < items.length; k++) {
        if ((isPaper ? items[k] === target : itemSection[k] === section) && match[itemPaper[k]]) return k;
      }
      return -1;
    };
    first = firstMatch();
    if (first === -1) {
      clearAll();
      writeUrl();
      first = firstMatch();
    }
    if (first !== -1) reveal(first);
    // Entries coming into view get their real height (off-screen ones are only estimated), which can move
    // the target: scroll to it again once the next frame has been laid out.
    target.scrollIntoView();
    requestAnimationFrame(function () { target.scrollIntoView(); });
    var note = isPaper ? target.querySelector("details.note") : null;
    if (note) note.open = true;
  }

  function copyBibtex(button) {
    var pre = button.closest("article").querySelector(".bib pre");
    var done = function (label) {
      button.textContent = label;
      setTimeout(function () { button.textContent = "Copy BibTeX"; }, 2000);
    };
    var select = function () {
      pre.parentNode.open = true;
      var range = document.createRange();
      range.selectNodeContents(pre);
      var selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (err) { copied = false; }
      done(copied ? "Copied" : "Selected: press Ctrl+C");
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(pre.textContent).then(function () { done("Copied"); }, select);
    } else {
      select();
    }
  }

  document.addEventListener("click", function (event) {
    var jump = event.target.closest('a[href^="#"]');
    if (jump && jump.getAttribute("href") === location.hash) {
      // The address names this target already, so no hashchange comes: show it (the filter may hide it).
      event.preventDefault();
      return showTarget();
    }
    var target = event.target.closest("button.copy, a.chip, a.year, #_clear, #_more");
    if (!target) return;
    if (target.tagName === "A" && (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)) return;
    if (target.id === "_more") {
      limit += STEP;
      return apply(true);
    }
    if (target.matches("button.copy")) return copyBibtex(target);
    event.preventDefault();
    if (target.id === "_clear") return clearAll();
    var facet = target.classList.contains("tag") ? "tag" : target.classList.contains("inst") ? "inst" : "year";
    choose(selects[facet], target.getAttribute("data-" + facet));
    apply(false);
    writeUrl();
    form.scrollIntoView({ block: "nearest" });
  });
  // "/" jumps to the filter box (as on GitHub), unless one is typing somewhere already.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest && event.target.closest("input, select, textarea, [contenteditable]")) return;
    event.preventDefault();
    box.focus();
    box.select();
  });
  box.addEventListener("input", function () { apply(false); });
  Object.keys(selects).forEach(function (name) {
    selects[name].addEventListener("change", function () { apply(false); });
  });
  // Scrolling near the end of the shown entries shows more. Observing afresh after each step makes the
  // observer report again if the button is still within reach (it reports changes only).
  if (window.IntersectionObserver) {
    var loader = new IntersectionObserver(function (entries) {
      if (entries[entries.length - 1].isIntersecting && !more.hidden) {
        limit += STEP;
        apply(true);
        loader.unobserve(more);
        loader.observe(more);
      }
    }, { rootMargin: "800px" });
    loader.observe(more);
  }
  byId("_reset").addEventListener("click", function () { clearAll(); writeUrl(); box.focus(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  window.addEventListener("hashchange", showTarget);
  // Following an anchor fires popstate too, with the query string unchanged (and perhaps not yet holding
  // the latest keystrokes): only a query string that differs from the one last written is read back.
  window.addEventListener("popstate", function () {
    if (location.search === written) return;
    written = location.search;
    readUrl();
    apply(false);
  });

  var toc = document.querySelector("#_toc details");
  if (toc && window.matchMedia("(max-width: 760px)").matches) toc.open = false;
  document.documentElement.classList.add("js");
  form.hidden = false;
  readUrl();
  apply(false);
  showTarget();
  // The browser scrolls to the fragment again as the page finishes loading, measured before entries were
  // hidden or revealed above; scroll to the target once more after that.
  window.addEventListener("load", function () {
    var target = hashTarget();
    if (target && target.isConnected) requestAnimationFrame(function () { target.scrollIntoView(); });
  });
})();
