// Passkeys: a form marked data-passkey is shown only where the browser can use passkeys. On submit, the server's
// options for the ceremony are fetched (the form's own fields, CSRF token included, go with the request), the
// authenticator is asked, and its answer goes in the form's « credential » field; the form is then sent as usual, so
// the server's page says what happened. A cancelled dialog sends an empty answer, which the server explains.
"use strict";

const supported =
  typeof window.PublicKeyCredential === "function" &&
  typeof PublicKeyCredential.parseCreationOptionsFromJSON === "function" &&
  typeof PublicKeyCredential.parseRequestOptionsFromJSON === "function";

for (const form of document.querySelectorAll("form[data-passkey]")) {
  if (!supported) continue;
  form.hidden = false;
  for (const note of document.querySelectorAll(".passkey-no-script")) note.hidden = true;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answer = form.elements.namedItem("credential");
    const body = new URLSearchParams(new FormData(form));
    body.delete("credential");
    let credential = null;
    try {
      const response = await fetch(form.dataset.options, { method: "POST", body, credentials: "same-origin" });
      if (response.ok) {
        const options = await response.json();
        credential =
          form.dataset.passkey === "create"
            ? await navigator.credentials.create({
                publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
              })
            : await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      }
    } catch {
      credential = null;
    }
    answer.value = credential ? JSON.stringify(credential.toJSON()) : "";
    form.submit();
  });
}
