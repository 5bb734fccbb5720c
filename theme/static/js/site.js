// Small progressive enhancements of the ward site. Every page works without this file.

const $$ = (sel) => Array.from(document.querySelectorAll(sel));

for (const el of $$(".no-js-only")) el.hidden = true;

// Share, copy link and print buttons on articles: shown only where the browser can do it.
const field = document.getElementById("lien-ket");
// The article's address, made absolute (development builds write root-relative links).
const address = field ? new URL(field.value, location.href).href : location.href;
const status = document.querySelector(".copy-status");
for (const button of $$("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
if (field && navigator.share) {
  for (const button of $$("[data-share]")) {
    button.hidden = false;
    button.addEventListener("click", () => {
      navigator.share({ title: document.title, url: address }).catch(() => {});
    });
  }
}
if (field && navigator.clipboard && window.isSecureContext) {
  for (const button of $$("[data-copy]")) {
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(address);
        if (status) status.textContent = status.dataset.copied;
      } catch {
        field.select();
      }
    });
  }
}

// Search page: the Pagefind index built at publish time, loaded only here.
const results = document.getElementById("ket-qua");
if (results) search(results);

async function search(box) {
  const query = new URLSearchParams(location.search).get("q")?.trim() ?? "";
  const input = document.getElementById("tim-trang");
  if (input) input.value = query;
  if (!query) return;
  const say = box.querySelector(".search-status");
  const list = box.querySelector(".search-list");
  say.textContent = box.dataset.loading;
  let pagefind;
  try {
    pagefind = await import(box.dataset.bundle);
  } catch {
    say.textContent = box.dataset.error;
    return;
  }
  const found = await pagefind.search(query);
  const items = await Promise.all(found.results.slice(0, 20).map((r) => r.data()));
  say.textContent = items.length
    ? box.dataset.results.replace("{q}", query).replace("{n}", found.results.length)
    : box.dataset.none.replace("{q}", query);
  for (const item of items) {
    const li = document.createElement("li");
    const h = document.createElement("h2");
    h.className = "item-title";
    const a = document.createElement("a");
    a.href = item.url;
    a.textContent = item.meta.title;
    h.append(a);
    const p = document.createElement("p");
    p.className = "summary";
    p.append(excerpt(item.excerpt));
    li.append(h, p);
    list.append(li);
  }
}

// Pagefind's excerpt is HTML with <mark> around the words found: keep the text and the
// marks only, parsed in an inert document (nothing in it can run).
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild?.childNodes ?? []) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}
