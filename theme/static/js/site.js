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

// Main menu, narrow screens: a <details> that works without this script; here it also
// closes on Escape (focus back to its button) and on a click outside.
const menu = document.getElementById("danh-muc");
if (menu) {
  const nav = menu.parentElement;
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !menu.open) return;
    const inside = nav.contains(document.activeElement);
    menu.open = false;
    if (inside) menu.firstElementChild.focus();
  });
  document.addEventListener("click", (e) => {
    if (menu.open && !nav.contains(e.target)) menu.open = false;
  });
}
// The printed page's address (print stylesheet): the canonical one, in full.
const canonical = document.querySelector("link[rel=canonical]");
for (const el of $$("[data-print-url]")) el.textContent = canonical ? canonical.href : location.href;
