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

// Text size (A−/A/A+) and high contrast, from the header's buttons: kept in localStorage and
// applied to <html> (the script in the head applies the saved choice before the first paint).
const root = document.documentElement.classList;
const prefs = { size: "default", contrast: "off" };
try {
  prefs.size = localStorage.getItem("ward.textSize") || "default";
  prefs.contrast = localStorage.getItem("ward.contrast") || "off";
} catch {} // no storage: choices last for this page
function applyPrefs() {
  root.toggle("text-small", prefs.size === "small");
  root.toggle("text-large", prefs.size === "large");
  root.toggle("contrast-high", prefs.contrast === "high");
  for (const b of $$("[data-text-size]")) b.setAttribute("aria-pressed", b.dataset.textSize === prefs.size);
  for (const b of $$("[data-contrast]")) b.setAttribute("aria-pressed", prefs.contrast === "high");
}
applyPrefs();
document.addEventListener("click", (e) => {
  const b = e.target.closest && e.target.closest("[data-text-size],[data-contrast]");
  if (!b) return;
  if (b.hasAttribute("data-contrast")) prefs.contrast = prefs.contrast === "high" ? "off" : "high";
  else prefs.size = b.dataset.textSize;
  try {
    localStorage.setItem("ward.textSize", prefs.size);
    localStorage.setItem("ward.contrast", prefs.contrast);
  } catch {}
  applyPrefs();
});
