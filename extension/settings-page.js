import { getSettings, updateSettings } from "./settings.js";

const form = document.getElementById("settings-form");
const status = document.getElementById("status");

async function load() {
  const s = await getSettings();
  form.neutralUrl.value = s.neutralUrl;
  form.discreet.checked = s.discreet;
  form.idleLockMinutes.value = String(s.idleLockMinutes);
  await showPersistence();
}

async function showPersistence() {
  const el = document.getElementById("persist-status");
  const persisted = await navigator.storage?.persisted?.();
  el.className = `status ${persisted ? "ok" : "warn"}`;
  el.textContent = persisted
    ? "Persistent storage: granted. The browser will not delete this data to free space."
    : "Persistent storage: not granted. The browser may delete this data when the disk is nearly full. Export regularly.";
}

document.getElementById("persist").addEventListener("click", async () => {
  await navigator.storage?.persist?.();
  await showPersistence();
});

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  try {
    await updateSettings({
      neutralUrl: form.neutralUrl.value.trim(),
      discreet: form.discreet.checked,
      idleLockMinutes: Number(form.idleLockMinutes.value),
    });
    status.className = "status ok";
    status.textContent = "Saved.";
  } catch (err) {
    status.className = "status bad";
    status.textContent = `Not saved: ${err.message}`;
  }
});

load();
