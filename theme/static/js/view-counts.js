// The most-read box and fresher view counts.
//
// 1. The box's switch (7 ngày / 30 ngày / Tất cả): without JavaScript its links jump to
//    each list (the first shown, :target shows another); here it becomes a tab switch
//    (role tab, aria-selected, arrow keys, Home/End), one list shown at a time.
// 2. After `make stats-upload` the server's views.json is newer than the numbers baked into
//    the pages at build time; this module puts the fresh numbers in place: the article's
//    own "Lượt xem" and the numbers (and order) of the most-read lists. A count is shown
//    only from the page's threshold (data-views-min, VIEW_COUNTS["min_shown"]) up, as at
//    build time. Without JavaScript, offline, or with Save-Data on, the baked numbers
//    stay. Text only, never HTML.
const box = document.querySelector(".most-read[data-views-label]");
const config = document.querySelector("[data-views-min]");
const saveData = navigator.connection && navigator.connection.saveData;

function setUpSwitch(section) {
  const tabs = [...section.querySelectorAll("[data-window-tab]")];
  if (tabs.length < 2) return;
  const panelOf = (tab) => section.querySelector(`[data-window-panel="${tab.dataset.windowTab}"]`);
  const list = tabs[0].closest("ul");
  list.setAttribute("role", "tablist");
  for (const item of list.children) item.setAttribute("role", "presentation");
  const select = (chosen, focus) => {
    for (const tab of tabs) {
      const on = tab === chosen;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      panelOf(tab).hidden = !on;
    }
    if (focus) chosen.focus();
  };
  for (const tab of tabs) {
    const panel = panelOf(tab);
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", panel.id);
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    tab.addEventListener("click", (event) => {
      event.preventDefault(); // no jump, no #fragment in the address
      select(tab, true);
    });
    tab.addEventListener("keydown", (event) => {
      const at = tabs.indexOf(tab);
      const to = {
        ArrowRight: tabs[(at + 1) % tabs.length],
        ArrowDown: tabs[(at + 1) % tabs.length],
        ArrowLeft: tabs[(at - 1 + tabs.length) % tabs.length],
        ArrowUp: tabs[(at - 1 + tabs.length) % tabs.length],
        Home: tabs[0],
        End: tabs[tabs.length - 1],
        " ": tab,
        Enter: tab,
      }[event.key];
      if (!to) return;
      event.preventDefault();
      select(to, true);
    });
  }
  // The list the address names (#tin-xem-nhieu-30d), else the first.
  const named = tabs.find((tab) => location.hash === tab.hash);
  select(named || tabs[0], false);
  section.dataset.switch = "on";
}

async function refresh() {
  const label = config.dataset.viewsLabel;
  const least = Number(config.dataset.viewsMin) || 1;
  const format = new Intl.NumberFormat("vi-VN");
  const shown = (n) => `${label}: ${format.format(n)}`;
  const countSpan = (n) => {
    const span = document.createElement("span");
    span.className = "views nowrap";
    span.textContent = shown(n);
    return span;
  };
  const response = await fetch(new URL("../../views.json", import.meta.url), {
    cache: "no-cache",
  });
  if (!response.ok) return;
  const data = await response.json();
  const articles = data.articles || {};
  const own = articles[location.pathname.replace(/index\.html$/, "")];
  const ownSlot = document.querySelector("[data-views-own]");
  if (own && ownSlot && Number.isInteger(own.views)) {
    if (own.views >= least) {
      ownSlot.replaceChildren("\u00a0· ", countSpan(own.views));
      ownSlot.hidden = false;
    } else {
      ownSlot.replaceChildren();
      ownSlot.hidden = true;
    }
  }
  for (const list of document.querySelectorAll("ol[data-window]")) {
    const fresh = new Map((data.most_read || {})[list.dataset.window] || []);
    if (!fresh.size) continue;
    const items = [];
    for (const item of [...list.children]) {
      const path = new URL(item.querySelector("a").href).pathname;
      if (!fresh.has(path)) {
        item.remove(); // no longer among the most read (newcomers come with the next build)
        continue;
      }
      const n = fresh.get(path);
      const old = item.querySelector(".views");
      if (n >= least) {
        if (old) old.textContent = shown(n);
        else item.append(" ", countSpan(n));
      } else if (old) {
        const space = old.previousSibling;
        if (space && space.nodeType === Node.TEXT_NODE) space.remove();
        old.remove();
      }
      items.push([n, item]);
    }
    items.sort((a, b) => b[0] - a[0]);
    for (const [, item] of items) list.append(item);
  }
}

if (box) setUpSwitch(box);
if (config && !saveData) {
  refresh().catch(() => {}); // offline or blocked: keep the baked numbers
}
