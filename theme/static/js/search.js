// The search page's script, loaded by that page only (theme/templates/search.html).

// Search page: the Pagefind index built at publish time (tools/search_index.py), loaded only
// here. The query, filters and sort live in the address (?q=…&muc=…&nam=…&xep=moi-nhat), so
// a search can be shared and the back button returns to the previous one.
// The index has đ/Đ as ḏ/Ḏ so that Pagefind folds them to d (see tools/search_index.py):
// a query is written the same way, and what the index gives back is turned back into đ.
const fold = (text) => text.normalize("NFC").replace(/đ/g, "ḏ").replace(/Đ/g, "Ḏ");
const unfold = (text) => text.replace(/ḏ/g, "đ").replace(/Ḏ/g, "Đ");
// A query typed with any Vietnamese mark ranks words with exactly those marks first; a
// query typed without marks ranks all spellings alike ("dang" is Đảng as much as dang).
const hasMarks = (text) => text.normalize("NFD") !== text.normalize("NFD").replace(/\p{M}/gu, "") || /[đĐ]/.test(text);
const PAGE = 10;
const say = (template, values) => template.replace(/\{(\w)\}/g, (_, k) => values[k]);
const number = (n) => n.toLocaleString("vi-VN");

function searchPage(box, form) {
  form.hidden = false;
  const input = form.elements.q;
  const status = box.querySelector(".search-status");
  const list = box.querySelector(".search-list");
  const more = box.querySelector(".search-more");
  const tips = document.querySelector(".search-tips");
  const clear = document.querySelector(".search-clear");
  let pagefind = null;
  let current = null; // the search on screen: {query, found, shown, filtered}
  let runs = 0;
  let searching = Promise.resolve(); // searches one after the other (they set options)

  const params = () => new URLSearchParams(location.search);
  const address = (values) => {
    const url = new URL(form.action, location.href);
    for (const [k, v] of Object.entries(values)) if (v) url.searchParams.set(k, v);
    return url;
  };
  const fromForm = () => ({
    q: input.value.trim(),
    muc: form.elements.muc.value,
    nam: form.elements.nam.value,
    xep: form.elements.xep.value,
  });

  async function load() {
    if (!pagefind) {
      pagefind = await import(box.dataset.bundle);
      await pagefind.options({ excerptLength: 24 });
    }
    return pagefind;
  }

  // Ranked by relevance (`marks` true or false) or newest first (`marks` null). A query
  // typed with marks lists the pages that have its words with exactly those marks first
  // ("Đảng" before "đáng" and "dang"), each group in Pagefind's order.
  function find(query, filters, marks) {
    const next = searching.then(() => rank(query, filters, marks));
    searching = next.catch(() => {});
    return next;
  }

  async function rank(query, filters, marks) {
    const pf = await load();
    if (marks === null) return (await pf.search(query, { filters, sort: { date: "desc" } })).results;
    await pf.options({ exactDiacritics: false, ranking: { diacriticSimilarity: marks ? 0.8 : 0 } });
    const all = (await pf.search(query, { filters })).results;
    if (!marks) return all;
    await pf.options({ exactDiacritics: true });
    const exact = (await pf.search(query, { filters })).results;
    await pf.options({ exactDiacritics: false });
    const first = new Set(exact.map((r) => r.id));
    return [...exact, ...all.filter((r) => !first.has(r.id))];
  }

  async function run(shown) {
    const run = ++runs;
    const p = params();
    const values = { q: p.get("q")?.trim() ?? "", muc: p.get("muc") ?? "", nam: p.get("nam") ?? "", xep: p.get("xep") ?? "" };
    input.value = values.q;
    for (const key of ["muc", "nam", "xep"]) {
      const select = form.elements[key];
      select.value = values[key];
      if (select.value !== values[key]) select.value = "";
    }
    list.replaceChildren();
    more.hidden = true;
    tips.hidden = true;
    current = null;
    if (!values.q) {
      status.textContent = p.has("q") ? box.dataset.empty : "";
      return;
    }
    status.textContent = box.dataset.loading;
    let found;
    try {
      const filters = {};
      if (form.elements.muc.value) filters.category = fold(form.elements.muc.value);
      if (form.elements.nam.value) filters.year = form.elements.nam.value;
      const newest = form.elements.xep.value === "moi-nhat";
      found = await find(fold(values.q), filters, newest ? null : hasMarks(values.q));
    } catch {
      if (run === runs) status.textContent = box.dataset.error;
      return;
    }
    if (run !== runs) return; // a newer search has started
    current = { query: values.q, found, shown: 0, filtered: Boolean(values.muc || values.nam) };
    if (!current.found.length) {
      status.textContent = say(box.dataset.none, { q: values.q });
      tips.hidden = false;
      clear.parentElement.hidden = !current.filtered;
      clear.href = address({ q: values.q }).href;
      performance.mark("search-done");
      return;
    }
    await show(Math.max(PAGE, shown || 0), false);
    performance.mark("search-done"); // for bench/search_bench.py: time to first results
  }

  // Shows results up to `upTo`; `focus` moves the focus to the first new one ("Xem thêm").
  async function show(upTo, focus) {
    const now = current;
    const batch = now.found.slice(now.shown, upTo);
    const items = await Promise.all(batch.map((r) => r.data()));
    if (now !== current) return;
    let first = null;
    for (const item of items) {
      const li = result(item);
      list.append(li);
      first ??= li.querySelector("a");
    }
    now.shown += items.length;
    const total = now.found.length;
    const values = { q: now.query, n: number(total), k: number(now.shown) };
    status.textContent = say(now.shown < total ? box.dataset.shown : box.dataset.count, values);
    more.hidden = now.shown >= total;
    more.textContent = say(box.dataset.more, { k: number(Math.min(PAGE, total - now.shown)) });
    history.replaceState({ shown: now.shown }, "");
    if (focus && first) first.focus();
  }

  function result(item) {
    const li = document.createElement("li");
    const h = document.createElement("h2");
    h.className = "item-title";
    const a = document.createElement("a");
    a.href = item.url;
    a.textContent = unfold(item.meta.title ?? item.url);
    h.append(a);
    const meta = document.createElement("p");
    meta.className = "meta";
    const bits = [item.filters?.category?.[0], item.filters?.date?.[0]].filter(Boolean).map(unfold);
    meta.textContent = bits.join(" · ");
    const p = document.createElement("p");
    p.className = "summary";
    p.append(excerpt(item.excerpt));
    li.append(h, meta, p);
    return li;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.pushState(null, "", address(fromForm()));
    run();
  });
  for (const key of ["muc", "nam", "xep"]) {
    form.elements[key].addEventListener("change", () => {
      if (!input.value.trim()) return;
      history.pushState(null, "", address(fromForm()));
      run();
    });
  }
  clear.addEventListener("click", (event) => {
    event.preventDefault();
    history.pushState(null, "", clear.href);
    run();
    input.focus();
  });
  more.addEventListener("click", () => current && show(current.shown + PAGE, true));
  addEventListener("popstate", (event) => run(event.state?.shown));
  run(history.state?.shown);
}

// Pagefind's excerpt is HTML with <mark> around the words found: keep the text and the
// marks only, parsed in an inert document (nothing in it can run), with đ given back.
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild?.childNodes ?? []) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = unfold(node.textContent);
      out.append(mark);
    } else {
      out.append(document.createTextNode(unfold(node.textContent)));
    }
  }
  return out;
}

const results = document.getElementById("ket-qua");
if (results) searchPage(results, document.getElementById("tim-kiem"));
