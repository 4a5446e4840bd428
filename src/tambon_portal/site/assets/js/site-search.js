/* The site's search box (docs/architecture.md §5): Pagefind over the index search.py makes.
 *
 * Nothing is fetched at page load. Opening the box (focus, the header button, or a ?q= link)
 * loads Pagefind; then each query is answered from the index fragments it needs. The query is sent as typed: the index has, after each run of Thai letters, the run
 * from every word boundary on (the "search tokens" between U+E000 and U+E001), so Thai typed
 * without spaces is found as a prefix without cutting it into words here. The tokens are cut
 * out of everything shown. When no result has the query as typed (a name with a wrong letter:
 * Pagefind has no typo tolerance), the places list is fetched, once, and the names one letter
 * off are offered first ("คุณหมายถึง").
 *
 * The offline copy (site/offline.py: opened from file://, where Pagefind cannot load) marks
 * this script's tag with data-offline-index: the box then answers from that script's index
 * of every page's sections instead (offlineEngine), with the same results list. */
(function () {
  "use strict";
  var TOKENS = /\ue000[^\ue001]*\ue001?|^[^\ue000]*\ue001/g;
  // The language the index was made under (search.INDEX_LANGUAGE); see loadPagefind.
  var INDEX_LANGUAGE = "und";
  var MAX_RESULTS = 10;
  var MAX_PLACES = 4;
  var EXCERPT_CHARS = 70;
  var PLACE_PREFIX = /^(ตำบล|อำเภอ|จังหวัด|tambon|amphoe|district|province)\s*/i;
  // Standalone words that every place has: left out of a query that has other words, so
  // "ตำบล ท่าไร่" does not fetch the index of every "ตำบล".
  var STOP_WORDS = /^(ตำบล|อำเภอ|จังหวัด|หมู่ที่|tambon|amphoe|district|province)$/i;

  var root = document.querySelector("[data-site-search]");
  if (!root) return;
  var input = root.querySelector("[data-site-search-query]");
  var meta = root.querySelector("[data-site-search-meta]");
  var list = root.querySelector("[data-site-search-results]");
  var toggle = document.getElementById("__search");
  var script = document.querySelector("script[src*='assets/js/site-search.js']");
  // The site's root, relative to this page: right under a release's /<version>/ prefix too.
  var base = script ? script.src.replace(/assets\/js\/site-search\.js.*$/, "") : "./";
  var offlineIndex = script && script.getAttribute("data-offline-index");
  // Set by the offline index script (offline.OFFLINE_GLOBAL).
  var OFFLINE_GLOBAL = "__tambonOfflineIndex";

  var loading = null;
  var pagefind = null;
  var placesLoading = null;
  var places = null;
  var latest = 0;

  function text(value) {
    return String(value || "").replace(TOKENS, "").replace(/\s+/g, " ").trim();
  }

  function escapeHtml(value) {
    return value.replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function siteUrl(url) {
    return base + String(url).replace(/^\//, "");
  }

  function loadPagefind() {
    // Pagefind takes its language from <html lang>, and for "th" cuts the query with the
    // browser's Intl.Segmenter, which the index does not share: it is read once, at init.
    var html = document.documentElement;
    var lang = html.getAttribute("lang");
    return import(base + "pagefind/pagefind.js").then(function (module) {
      // Result URLs as the index has them, from the site's root: siteUrl puts this copy's
      // address in front once (Pagefind's default would already hold a release's /<version>/).
      return Promise.resolve(module.options({ baseUrl: "/" })).then(function () {
        return module;
      });
    }).then(function (module) {
      html.setAttribute("lang", INDEX_LANGUAGE);
      try {
        module.init();
      } finally {
        html.setAttribute("lang", lang);
      }
      return module;
    });
  }

  // --- the offline copy's index (no fetch, no module: file:// allows a classic script) ---

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  var offlineLoading = null;
  function loadOfflineIndex() {
    if (!offlineLoading) {
      offlineLoading = loadScript(base + offlineIndex).then(function () {
        return window[OFFLINE_GLOBAL];
      });
      offlineLoading.catch(function () { offlineLoading = null; });
    }
    return offlineLoading;
  }

  function occurrences(haystack, needle) {
    var count = 0;
    for (var at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) {
      count++;
    }
    return count;
  }

  // Pagefind's answer (a list of results, each with data()) from the offline index: a page
  // has every word of the query somewhere in it, and ranks by BM25 over the words' counts,
  // weighted as Pagefind weighs them (title 7, a section heading 6, the page's top, where
  // its subtitle names it, 5, text 1). A query of several words counts its whole phrase as
  // one more word, so "tha rai" ranks the page that names Tha Rai above one with tha and rai.
  function offlineEngine(index) {
    var pages = index.pages.map(function (p) {
      var sections = p.s.map(function (s) {
        return { id: s[0], heading: s[1], text: s[2], lowerHeading: s[1].toLowerCase(), lower: s[2].toLowerCase() };
      });
      var content = p.s.map(function (s) { return (s[1] ? s[1] + " " : "") + s[2]; }).join(" ");
      return { page: p, title: p.t.toLowerCase(), sections: sections, content: content };
    });
    var average = pages.reduce(function (sum, p) { return sum + p.content.length; }, 0) / (pages.length || 1);
    function weighted(entry, word) {
      var inSections = entry.sections.map(function (s) {
        return 6 * occurrences(s.lowerHeading, word) + (s.id ? 1 : 5) * occurrences(s.lower, word);
      });
      return {
        total: 7 * occurrences(entry.title, word) + inSections.reduce(function (a, b) { return a + b; }, 0),
        sections: inSections
      };
    }
    function result(entry, perSection) {
      var p = entry.page;
      var subs = [];
      // Words found mostly in the page's top (its name, in the subtitle) lead to the top.
      var top = entry.sections[0] && !entry.sections[0].id ? perSection[0] : 0;
      entry.sections.forEach(function (s, i) {
        if (s.id && perSection[i] && perSection[i] > top) subs.push({ url: p.u + "#" + s.id, title: s.heading, locations: new Array(perSection[i]) });
      });
      var data = { url: p.u, content: entry.content, excerpt: "", meta: { title: p.t, trail: p.r }, sub_results: subs };
      return { data: function () { return Promise.resolve(data); } };
    }
    // A word that every profile has in the same section (an indicator's name in its BMN
    // section) would fill the list with profiles: past the second result whose words are
    // under the same heading, the others of that heading come after every other page.
    function varied(found) {
      var seen = {};
      var first = [];
      var later = [];
      found.forEach(function (f) {
        var best = 0;
        f.perSection.forEach(function (count, k) { if (count > f.perSection[best]) best = k; });
        var heading = f.entry.sections[best] ? f.entry.sections[best].heading : "";
        seen[heading] = (seen[heading] || 0) + 1;
        (heading && seen[heading] > 2 ? later : first).push(f);
      });
      return first.concat(later);
    }
    return {
      search: function (query) {
        var required = query.toLowerCase().split(/\s+/).filter(Boolean);
        var words = required.length > 1 ? required.concat([required.join(" ")]) : required;
        var found = [];
        var counts = {};
        pages.forEach(function (entry) {
          var per = words.map(function (w) { return weighted(entry, w); });
          if (!required.length || per.slice(0, required.length).some(function (c) { return c.total === 0; })) return;
          words.forEach(function (w, i) { if (per[i].total) counts[w] = (counts[w] || 0) + 1; });
          found.push({ entry: entry, per: per });
        });
        var n = pages.length;
        found.forEach(function (f) {
          var norm = 1 - 0.75 + 0.75 * f.entry.content.length / average;
          f.score = words.reduce(function (sum, w, i) {
            var idf = Math.log(1 + (n - counts[w] + 0.5) / (counts[w] + 0.5));
            var tf = f.per[i].total;
            return tf ? sum + idf * tf * 2.2 / (tf + 1.2 * norm) : sum;
          }, 0) * (f.entry.page.w || 1);  // a story ranks below the place it names (search.page_weight)
          f.perSection = f.entry.sections.map(function (s, k) {
            return f.per.reduce(function (sum, c) { return sum + c.sections[k]; }, 0);
          });
        });
        found.sort(function (a, b) { return b.score - a.score || a.entry.page.u.localeCompare(b.entry.page.u); });
        return Promise.resolve({ results: varied(found).map(function (f) { return result(f.entry, f.perSection); }) });
      }
    };
  }

  function loadOffline() {
    return loadOfflineIndex().then(offlineEngine);
  }

  function loadPlaces() {
    var listed = offlineIndex
      ? loadOfflineIndex().then(function (index) { return index.places; })
      : fetch(base + "search/places.json")
        .then(function (r) { return r.ok ? r.json() : { levels: {}, places: [] }; });
    return listed
      .then(function (data) {
        return data.places.map(function (p) {
          var level = data.levels[String(p[0].length)] || { prefix: "", url: "" };
          return {
            code: p[0],
            th: p[1],
            en: p[2],
            title: level.prefix + p[1],
            url: level.url.replace("{code}", p[0]),
            keys: [squash(p[1]), squash(p[2])]
          };
        });
      });
  }

  function load() {
    if (!loading) {
      setMeta("กำลังเตรียมการค้นหา…");
      loading = (offlineIndex ? loadOffline() : loadPagefind()).then(function (module) {
        pagefind = module;
      });
      loading.catch(function () {
        loading = null;
        setMeta("โหลดการค้นหาไม่สำเร็จ ลองใหม่อีกครั้ง");
      });
    }
    return loading;
  }

  // The places list is fetched only for a query no result has as typed (~100 KB gzip for
  // the whole country: not for every search).
  function placesFor(query, results) {
    var phrase = terms(query).join(" ").toLowerCase();
    var typed = results.some(function (data) {
      return text(data.content).toLowerCase().indexOf(phrase) >= 0;
    });
    if (typed || squash(query).length < 4) return Promise.resolve([]);
    if (!placesLoading) {
      placesLoading = loadPlaces().then(function (loaded) { places = loaded; });
      placesLoading.catch(function () { placesLoading = null; });
    }
    return placesLoading.then(function () { return matchPlaces(query); }, function () { return []; });
  }

  function setMeta(message) {
    meta.textContent = message;
  }

  // --- places: direct links and one-letter typos ----------------------------------------

  function squash(value) {
    return String(value || "").toLowerCase().replace(PLACE_PREFIX, "").replace(/[\s\-'.]/g, "");
  }

  // Optimal string alignment distance, stopping once it is over `limit`.
  function distance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) return limit + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var d = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) {
          d = Math.min(d, prev2[k - 2] + 1);
        }
        row.push(d);
        if (d < best) best = d;
      }
      if (best > limit) return limit + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  // Places whose code or name is the query, starts with it, or is one letter off (two in a
  // long name): [{place, typo}], best first.
  function matchPlaces(query) {
    var q = squash(query);
    if (!places || q.length < 2) return [];
    var limit = q.length >= 10 ? 2 : q.length >= 4 ? 1 : 0;
    var found = [];
    places.forEach(function (place) {
      var rank = null;
      if (place.code === q) rank = 0;
      place.keys.forEach(function (key) {
        if (!key) return;
        if (key === q) rank = 0;
        else if (rank === null && q.length >= 3 && key.indexOf(q) === 0) rank = 1;
        else if (rank === null && limit && distance(q, key, limit) <= limit) rank = 2;
      });
      if (rank !== null) found.push({ place: place, rank: rank });
    });
    found.sort(function (a, b) { return a.rank - b.rank || a.place.code.localeCompare(b.place.code); });
    return found.slice(0, MAX_PLACES);
  }

  function placeContext(place) {
    var parent = null;
    if (place.code.length > 2) {
      var parentCode = place.code.slice(0, place.code.length - 2);
      parent = places.filter(function (p) { return p.code === parentCode; })[0];
    }
    return [parent ? parent.title : "", place.en, place.code].filter(Boolean).join(" · ");
  }

  // --- results ----------------------------------------------------------------------------

  function terms(query) {
    var all = query.trim().split(/\s+/).filter(Boolean);
    var kept = all.filter(function (t) { return !STOP_WORDS.test(t); });
    return kept.length ? kept : all;
  }

  function highlight(plain, words) {
    var html = escapeHtml(plain);
    words.forEach(function (word) {
      if (word.length < 1) return;
      var pattern = new RegExp(escapeHtml(word).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
      html = html.replace(pattern, function (m) { return "<mark>" + m + "</mark>"; });
    });
    return html;
  }

  // A window of the page's text around the first place a query word occurs.
  function excerpt(data, words) {
    var plain = text(data.content);
    var lower = plain.toLowerCase();
    var at = -1;
    words.forEach(function (w) {
      var i = lower.indexOf(w.toLowerCase());
      if (i >= 0 && (at < 0 || i < at)) at = i;
    });
    if (at < 0) return highlight(text(data.excerpt.replace(/<\/?mark>/g, "")), words);
    // From a space to a space, so that no word is cut in two.
    var start = Math.max(0, at - EXCERPT_CHARS / 2);
    var space = plain.lastIndexOf(" ", start);
    if (start > 0 && space >= 0 && at - space < EXCERPT_CHARS) start = space + 1;
    var end = plain.indexOf(" ", start + EXCERPT_CHARS * 2);
    var piece = plain.slice(start, end < 0 ? plain.length : end);
    return (start > 0 ? "… " : "") + highlight(piece, words) + (end < 0 ? "" : " …");
  }

  // The section of the page where the words are, when it is not the page's top; none when
  // the page is about the query (its title has it: ท่าไร่ opens ตำบลท่าไร่ at its top).
  function bestSection(data, phrase) {
    if (text(data.meta.title).toLowerCase().indexOf(phrase) >= 0) return null;
    var subs = (data.sub_results || []).filter(function (s) { return s.url.indexOf("#") > 0; });
    subs.sort(function (a, b) { return b.locations.length - a.locations.length; });
    var top = subs[0];
    return top && text(top.title) !== text(data.meta.title) ? top : null;
  }

  function item(href, hint, title, trail, body) {
    return (
      '<li class="md-search-result__item"><a class="md-search-result__link" href="' +
      escapeHtml(href) + '"><article class="md-search-result__article md-typeset">' +
      (hint ? '<p class="site-search__hint">' + hint + "</p>" : "") +
      '<div class="site-search__title">' + title + "</div>" +
      (trail ? '<p class="site-search__trail">' + trail + "</p>" : "") +
      (body ? '<p class="site-search__excerpt">' + body + "</p>" : "") +
      "</article></a></li>"
    );
  }

  function render(query, matched, results) {
    var shown = {};
    var html = [];
    matched.forEach(function (m) {
      shown[m.place.url] = true;
      html.push(item(
        siteUrl(m.place.url),
        m.rank === 2 ? "คุณหมายถึง" : "",
        escapeHtml(m.place.title),
        escapeHtml(placeContext(m.place)),
        ""
      ));
    });
    var words = terms(query);
    var phrase = words.join(" ").toLowerCase();
    results.forEach(function (data) {
      var section = bestSection(data, phrase);
      var target = (section ? section.url : data.url).replace(/^\//, "");
      if (shown[target]) return; // the place link above goes there already
      shown[target] = true;
      var title = text(data.meta.title);
      if (section) title += " › " + text(section.title);
      html.push(item(
        siteUrl(target),
        "",
        escapeHtml(title),
        escapeHtml(text(data.meta.trail)),
        excerpt(data, words)
      ));
    });
    list.innerHTML = html.join("");
    // Which query the list answers (typing runs ahead of the answers).
    list.setAttribute("data-query", query);
    var count = html.length;
    setMeta(count ? "พบ " + count + " รายการ" : "ไม่พบผลลัพธ์สำหรับ “" + query + "”");
  }

  function search(query) {
    var ticket = ++latest;
    return pagefind.search(terms(query).join(" ")).then(function (found) {
      if (ticket !== latest) return;
      var top = found.results.slice(0, MAX_RESULTS);
      return Promise.all(top.map(function (r) { return r.data(); })).then(function (results) {
        if (ticket !== latest) return;
        return placesFor(query, results).then(function (matched) {
          if (ticket === latest) render(query, matched, results);
        });
      });
    });
  }

  function onQuery() {
    var query = input.value.trim();
    if (!query) {
      latest++;
      list.innerHTML = "";
      setMeta("พิมพ์ชื่อตำบล อำเภอ หมู่บ้าน รหัสพื้นที่ หรือคำในชื่อโครงการ");
      return;
    }
    load().then(function () {
      if (input.value.trim() === query) return search(query);
    }).catch(function () {});
  }

  function open() {
    if (toggle && !toggle.checked) toggle.checked = true;
    load().catch(function () {});
  }

  function close() {
    if (toggle) toggle.checked = false;
    input.blur();
  }

  input.addEventListener("focus", open);
  input.addEventListener("input", onQuery);
  // Enter (or a phone keyboard's search key) opens the first result, never reloads the page.
  function openFirst(event) {
    event.preventDefault();
    var first = list.querySelector("a");
    if (first) first.click();
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") openFirst(event);
    else if (event.key === "Escape") close();
  });
  var form = root.querySelector("form");
  form.addEventListener("submit", openFirst);
  form.addEventListener("reset", function () {
    setTimeout(onQuery, 0);
  });
  list.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("a")) close();
  });
  if (toggle) {
    toggle.addEventListener("change", function () {
      if (toggle.checked) {
        load().catch(function () {});
        input.focus();
      }
    });
  }
  document.addEventListener("keydown", function (event) {
    var typing = /^(input|textarea|select)$/i.test(event.target.tagName || "");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      open();
      input.focus();
    }
  });
  // A search opened from a link: ?q=ท่าไร่
  var linked = new URLSearchParams(location.search).get("q");
  if (linked) {
    input.value = linked;
    open();
    onQuery();
  }
})();
