// The list of documents (/van-ban/ and its filter pages): a form that filters the rows of
// the page in place, by words of the number or abstract (with or without marks, đ as d),
// type, year, issuer and status, shown in place of the filter links (one page per type,
// year, issuer), which do the same work without this script.

const form = document.getElementById("loc-van-ban");
const rows = Array.from(document.querySelectorAll(".document-list > li"));

// Lower case, marks dropped, đ as d: "QĐ-UBND" and "qd-ubnd" are the same words.
const fold = (text) =>
  text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();

if (form && rows.length) {
  const words = rows.map((row) => fold(row.textContent.replace(/\s+/g, " ")));
  const status = form.querySelector(".filter-status");
  const selects = Array.from(form.querySelectorAll("select[data-key]"));
  const text = form.elements.tu;

  const apply = () => {
    const wanted = fold(text.value).split(/\s+/).filter(Boolean);
    let shown = 0;
    rows.forEach((row, i) => {
      const match =
        wanted.every((w) => words[i].includes(w)) &&
        selects.every((s) => !s.value || row.dataset[s.dataset.key] === s.value);
      row.hidden = !match;
      if (match) shown += 1;
    });
    const filtered = wanted.length > 0 || selects.some((s) => s.value);
    status.textContent = !filtered
      ? ""
      : shown
        ? form.dataset.shown.replace("{k}", shown).replace("{n}", rows.length)
        : form.dataset.none;
  };

  form.hidden = false;
  for (const links of document.querySelectorAll(".document-filters[data-without-js]")) {
    links.hidden = true;
  }
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  // After the reset button has put the fields back.
  form.addEventListener("reset", () => setTimeout(apply));
}
