// Text size and high contrast (header buttons), kept in localStorage. A classic script in
// <head>, as the CSP forbids inline ones: the choice is set before the first paint.
(function (d, r) {
  var s = { size: "", hc: "" };
  try {
    s.size = localStorage.getItem("ward.textSize") || "";
    s.hc = localStorage.getItem("ward.contrast") || "";
  } catch (e) {}
  function apply() {
    r.classList.toggle("text-small", s.size === "small");
    r.classList.toggle("text-large", s.size === "large");
    r.classList.toggle("contrast-high", s.hc === "high");
    d.querySelectorAll("[data-text-size],[data-contrast]").forEach(function (b) {
      var v = b.getAttribute("data-text-size");
      b.setAttribute("aria-pressed", v ? v === (s.size || "default") : s.hc === "high");
    });
  }
  r.classList.add("js");
  apply();
  d.addEventListener("DOMContentLoaded", apply);
  d.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-text-size],[data-contrast]");
    if (!b) return;
    if (b.hasAttribute("data-contrast")) s.hc = s.hc === "high" ? "off" : "high";
    else s.size = b.getAttribute("data-text-size");
    try {
      localStorage.setItem("ward.textSize", s.size || "default");
      localStorage.setItem("ward.contrast", s.hc || "off");
    } catch (x) {} // no storage: the choice lasts for this page
    apply();
  });
})(document, document.documentElement);
