// Fresher view counts. After `make stats-upload` the server's views.json is newer than the
// numbers baked into the pages at build time; this module puts the fresh numbers in place:
// the article's own "Lượt xem" and the numbers (and order) of the most-read lists. Without
// JavaScript, offline, or with Save-Data on, the baked numbers stay. Text only, never HTML.
const box = document.querySelector("[data-views-label]");
const saveData = navigator.connection && navigator.connection.saveData;

async function refresh() {
  const label = box.dataset.viewsLabel;
  const format = new Intl.NumberFormat("vi-VN");
  const shown = (n) => `${label}: ${format.format(n)}`;
  const response = await fetch(new URL("../../views.json", import.meta.url), {
    cache: "no-cache",
  });
  if (!response.ok) return;
  const data = await response.json();
  const articles = data.articles || {};
  const own = articles[location.pathname.replace(/index\.html$/, "")];
  const meta = document.querySelector("article .meta");
  if (own && meta) {
    const pattern = new RegExp(label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ": [0-9.]+");
    for (const node of meta.childNodes) {
      if (node.nodeType === Node.TEXT_NODE && pattern.test(node.data)) {
        node.data = node.data.replace(pattern, shown(own.views));
      }
    }
  }
  for (const list of document.querySelectorAll("ol[data-window]")) {
    const fresh = new Map((data.most_read || {})[list.dataset.window] || []);
    if (!fresh.size) continue;
    const items = [];
    for (const item of [...list.children]) {
      const path = new URL(item.querySelector("a").href).pathname;
      if (fresh.has(path)) {
        item.querySelector(".views").textContent = shown(fresh.get(path));
        items.push([fresh.get(path), item]);
      } else {
        item.remove(); // no longer among the most read (newcomers come with the next build)
      }
    }
    items.sort((a, b) => b[0] - a[0]);
    for (const [, item] of items) list.append(item);
  }
}

if (box && !saveData) {
  refresh().catch(() => {}); // offline or blocked: keep the baked numbers
}
