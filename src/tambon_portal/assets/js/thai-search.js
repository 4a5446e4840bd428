/* Thai search queries (docs/architecture.md §5). The search index has its Thai text cut into words at
 * build time; a reader types Thai without spaces, so the query is cut the same way here, by
 * longest match against the words of the index (search/thai_words.json), before it reaches
 * mkdocs-material's search worker. The visible input is left as typed. */
(function () {
  "use strict";
  var THAI = /[\u0e00-\u0e7f]+/g;
  var words = null;
  var longest = 0;

  function base() {
    var el = document.querySelector("script[src$='thai-search.js']");
    return el ? el.src.replace(/assets\/js\/thai-search\.js.*$/, "") : "./";
  }

  function load() {
    if (words !== null) return;
    words = new Set();
    fetch(base() + "search/thai_words.json")
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) {
        list.forEach(function (w) {
          words.add(w);
          if (w.length > longest) longest = w.length;
        });
        requery();
      })
      .catch(function () {});
  }

  // Longest known word at each position; unknown letters run on until a known word starts.
  function cut(run) {
    var out = [];
    var unknown = "";
    var i = 0;
    while (i < run.length) {
      var found = 0;
      for (var n = Math.min(longest, run.length - i); n > 0; n--) {
        if (words.has(run.substr(i, n))) { found = n; break; }
      }
      if (found) {
        if (unknown) { out.push(unknown); unknown = ""; }
        out.push(run.substr(i, found));
        i += found;
      } else {
        unknown += run.charAt(i);
        i += 1;
      }
    }
    if (unknown) out.push(unknown);
    return out.join(" ");
  }

  function segment(query) {
    if (!words || !words.size) return query;
    return query.replace(THAI, cut);
  }

  window.tambonSegmentQuery = segment;

  var post = Worker.prototype.postMessage;
  var searchWorker = null;

  // A query typed before the words arrived went out uncut: send it again, cut. (Material
  // itself would not: it only sends a query when the field's text changes.)
  function requery() {
    var field = document.querySelector("[data-md-component=search-query]");
    if (searchWorker && field && /[\u0e00-\u0e7f]/.test(field.value)) {
      post.call(searchWorker, { type: 2, data: segment(field.value) });
    }
  }

  Worker.prototype.postMessage = function (message) {
    // Type 2 is a query in mkdocs-material's worker protocol.
    if (message && message.type === 2 && typeof message.data === "string") {
      searchWorker = this;
      var args = Array.prototype.slice.call(arguments);
      args[0] = { type: message.type, data: segment(message.data) };
      return post.apply(this, args);
    }
    return post.apply(this, arguments);
  };

  // mkdocs-material reads the query on keyup; Thai input methods (and pasted text) may change
  // the field without one, so an input event is passed on as a keyup.
  document.addEventListener("input", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) {
      load();
      target.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.matches && event.target.matches("[data-md-component=search-query]")) load();
  });
  // A search opened from a link (?q=) is sent before any focus: load the words at once then.
  if (/[?&]q=/.test(location.search)) load();
})();
