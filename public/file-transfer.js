// « Ajouter un fichier » with a progress bar: the same form, posted with XMLHttpRequest so the upload's progress
// shows; without this script the form posts as usual. Texts come from the page (data-* attributes), never from here.
(() => {
  const form = document.querySelector("form.upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  const input = form.querySelector('input[type="file"]');
  const area = form.querySelector(".upload-progress");
  const button = form.querySelector('button[type="submit"]');
  const maxBytes = Number(form.dataset.maxBytes);

  function say(text, isError) {
    area.replaceChildren();
    const message = document.createElement("p");
    message.className = isError ? "error-message" : "hint";
    if (isError) message.setAttribute("role", "alert");
    message.textContent = text;
    area.append(message);
  }

  form.addEventListener("submit", (event) => {
    const file = input?.files?.[0];
    if (!file) return;
    event.preventDefault();
    if (Number.isFinite(maxBytes) && file.size > maxBytes) {
      say(form.dataset.tooLarge.replace("{name}", file.name), true);
      return;
    }
    const label = document.createElement("label");
    label.textContent = form.dataset.uploading.replace("{name}", file.name);
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.id = "progression-televersement";
    label.htmlFor = bar.id;
    const percent = document.createElement("span");
    percent.textContent = " 0 %";
    area.replaceChildren(label, bar, percent);
    button.disabled = true;

    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const value = Math.floor((progress.loaded / progress.total) * 100);
      bar.value = value;
      percent.textContent = ` ${value} %`;
    });
    request.addEventListener("load", () => {
      button.disabled = false;
      let answer = null;
      try {
        answer = JSON.parse(request.responseText);
      } catch {
        answer = null;
      }
      if (answer?.ok && typeof answer.location === "string") {
        window.location.assign(answer.location);
      } else {
        say(answer?.message ?? form.dataset.failed, true);
      }
    });
    request.addEventListener("error", () => {
      button.disabled = false;
      say(form.dataset.failed, true);
    });
    request.send(new FormData(form));
  });
})();
