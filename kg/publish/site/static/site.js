// dtkg site: the language switch, the 63/34 map switch and the search, all offline.
(function () {
  "use strict";
  var body = document.body, button = document.getElementById("lang");
  function setLang(lang) {
    body.classList.toggle("en", lang === "en");
    document.documentElement.lang = lang;
    if (button) button.textContent = lang === "en" ? "VI" : "EN";
    try { localStorage.setItem("dtkg-lang", lang); } catch (e) { /* file:// may refuse */ }
  }
  var saved = null;
  try { saved = localStorage.getItem("dtkg-lang"); } catch (e) { saved = null; }
  setLang(saved === "en" ? "en" : "vi");
  if (button) button.addEventListener("click", function () { setLang(body.classList.contains("en") ? "vi" : "en"); });

  document.querySelectorAll(".switch button").forEach(function (b) {
    b.addEventListener("click", function () {
      document.querySelectorAll(".switch button").forEach(function (x) { x.classList.toggle("on", x === b); });
      document.querySelectorAll(".tilemap, .tilemap-table").forEach(function (f) { f.hidden = f.dataset.units !== b.dataset.units; });
    });
  });

  // Search: folded like the graph's skos:hiddenLabel (no case, no diacritics, đ → d).
  function fold(s) {
    return s.replace(/đ/g, "d").replace(/Đ/g, "D").normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var q = document.getElementById("q"), out = document.getElementById("results");
  if (!q || !out) return;
  var index = null;
  function load(then) {
    // search-index.js sets window.DTKG_SEARCH: a script, not fetch(), so it works from file:// too.
    if (index) return then();
    if (window.DTKG_SEARCH) { index = window.DTKG_SEARCH; return then(); }
    var s = document.createElement("script");
    s.src = "search-index.js";
    s.onload = function () { index = window.DTKG_SEARCH || []; then(); };
    s.onerror = function () { out.innerHTML = "<li>search-index.js could not be read</li>"; };
    document.head.appendChild(s);
  }
  function show() {
    var needle = fold(q.value);
    out.innerHTML = "";
    if (needle.length < 2) return;
    var words = needle.split(" "), found = [];
    for (var i = 0; i < index.length && found.length < 50; i++) {
      var e = index[i], ok = true;
      for (var w = 0; w < words.length; w++) if (e.f.indexOf(words[w]) < 0) { ok = false; break; }
      if (ok) found.push(e);
    }
    found.sort(function (a, b) { return (fold(a.l).indexOf(words[0]) === 0 ? 0 : 1) - (fold(b.l).indexOf(words[0]) === 0 ? 0 : 1); });
    found.forEach(function (e) {
      var li = document.createElement("li"), a = document.createElement("a"), k = document.createElement("span");
      a.href = e.h; a.textContent = body.classList.contains("en") ? e.e : e.l;
      k.className = "k"; k.textContent = e.k + (e.d ? " · " + e.d : "");
      li.appendChild(a); li.appendChild(k); out.appendChild(li);
    });
    if (!found.length) out.innerHTML = "<li>—</li>";
  }
  q.addEventListener("input", function () { load(show); });
  if (location.hash.indexOf("#q=") === 0) { q.value = decodeURIComponent(location.hash.slice(3)); load(show); }
})();
