// Two enhancements of « Transfert de fichiers », each leaving the page as it works without this script:
// - choosing a recipient shows its instructions and forms at once: the page the « Afficher les consignes » button
//   would load is fetched and its recipient region put in place of this one (the button is hidden);
// - « Ajouter un fichier » with a progress bar: the same form, posted with XMLHttpRequest so the upload's progress
//   shows. Texts come from the page (data-* attributes), never from here.
(() => {
  function enhanceUpload(form) {
    if (!window.XMLHttpRequest || !window.FormData) return;
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
  }

  function enhanceChoice(choice, region) {
    if (!window.fetch || !window.DOMParser || !window.history) return;
    const select = choice.querySelector("select");
    const button = choice.querySelector('button[type="submit"]');
    if (!select || !button) return;
    button.hidden = true;
    select.addEventListener("change", async () => {
      const url = new URL(choice.getAttribute("action") ?? "", window.location.href);
      url.search = new URLSearchParams(new FormData(choice)).toString();
      try {
        const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const next = new DOMParser()
          .parseFromString(await response.text(), "text/html")
          .getElementById("destinataire-choisi");
        if (!next) throw new Error("no recipient region");
        region.replaceChildren(...Array.from(next.childNodes, (node) => document.importNode(node, true)));
        window.history.replaceState(null, "", url);
        const upload = region.querySelector("form.upload-form");
        if (upload) enhanceUpload(upload);
      } catch {
        // As without the script: the page of the chosen recipient.
        choice.submit();
      }
    });
  }

  const upload = document.querySelector("form.upload-form");
  if (upload) enhanceUpload(upload);
  const choice = document.querySelector("form.recipient-choice");
  const region = document.getElementById("destinataire-choisi");
  if (choice && region) enhanceChoice(choice, region);
})();
