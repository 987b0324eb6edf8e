// @ts-check
import { DEFAULT_HELPLINES, getSettings, updateSettings } from "../../shared/settings.js";
import { el } from "../../shared/ui.js";

async function render() {
  const { helplines } = await getSettings();
  document.getElementById("numbers").replaceChildren(
    ...helplines.map((h) =>
      el("tr", {}, el("td", {}, h.country ?? ""), el("td", {}, h.name), el("td", {}, el("a", { href: `tel:${h.number.replace(/[^\d+]/g, "")}` }, h.number)), el("td", {}, h.notes ?? "")),
    ),
  );
  const rows = document.getElementById("edit-rows");
  rows.replaceChildren(...helplines.map((h, i) => editRow(h, i)));
}

function editRow(h, i) {
  const input = (field, label) => el("input", { type: "text", name: field, value: h[field] ?? "", "aria-label": `${label}, row ${i + 1}` });
  const remove = el("button", { type: "button", text: "Remove", "aria-label": `Remove row ${i + 1}`, onclick: (e) => e.target.closest("tr").remove() });
  return el("tr", {}, el("td", {}, input("country", "Country")), el("td", {}, input("name", "Who")), el("td", {}, input("number", "Number")), el("td", {}, input("notes", "Notes")), el("td", {}, remove));
}

document.getElementById("add-row").addEventListener("click", () => {
  const rows = document.getElementById("edit-rows");
  rows.append(editRow({}, rows.children.length));
  rows.lastElementChild.querySelector("input").focus();
});

document.getElementById("reset-numbers").addEventListener("click", async () => {
  await updateSettings({ helplines: DEFAULT_HELPLINES });
  document.getElementById("numbers-status").textContent = "The UK numbers are back.";
  await render();
});

document.getElementById("edit-numbers").addEventListener("submit", async (e) => {
  e.preventDefault();
  const helplines = [...document.querySelectorAll("#edit-rows tr")]
    .map((tr) => Object.fromEntries([...tr.querySelectorAll("input")].map((i) => [i.name, i.value.trim()])))
    .filter((h) => h.name || h.number);
  const status = document.getElementById("numbers-status");
  try {
    await updateSettings({ helplines });
    status.textContent = "Saved.";
    await render();
  } catch (err) {
    status.textContent = `Not saved: ${err.message}`;
  }
});

render();
