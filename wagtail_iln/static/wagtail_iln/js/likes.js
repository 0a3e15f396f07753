// Progressive enhancement of the like buttons: send the like without leaving the page.
// Without it the form posts and the server sends the reader back to the same place.
(function () {
  "use strict";
  document.querySelectorAll("form[data-iln-like]").forEach(function (form) {
    if (form.hasAttribute("data-iln-like-ready")) return;
    form.setAttribute("data-iln-like-ready", "");
    var button = form.querySelector("button");
    var count = form.querySelector("[data-iln-like-count]");
    var error = form.querySelector("[data-iln-like-error]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) return;
      button.disabled = true;
      error.hidden = true;
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (!result.ok) throw new Error(result.data.error || "");
          count.textContent = result.data.label;
          button.textContent = result.data.liked;
          button.setAttribute("aria-pressed", "true");
        })
        .catch(function (failure) {
          button.disabled = false;
          if (!failure.message) {
            // No answer the page understands (a lost session, a proxy's page): post it plainly.
            form.submit();
            return;
          }
          error.textContent = failure.message;
          error.hidden = false;
        });
    });
  });
})();
