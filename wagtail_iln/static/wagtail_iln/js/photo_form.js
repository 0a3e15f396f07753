// Progressive enhancement of the photo form: a preview, and a photo too big to send is
// stopped before it is uploaded, its error shown as the server shows it (the markup is
// in the form's <template data-iln-photo-too-big>). The form works the same without it;
// the server checks everything again.
(function () {
  "use strict";
  document.querySelectorAll("[data-iln-photo-form]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var preview = form.querySelector(".iln-photo-form__preview");
    var template = form.querySelector("template[data-iln-photo-too-big]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!input || !preview || !template) return;
    var field = input.closest(".iln-field");
    var errorId = input.id + "_error";
    var anchor = "#" + input.id;

    function tooBig() {
      var file = input.files && input.files[0];
      return Boolean(file && maxBytes && file.size > maxBytes);
    }

    function describedBy(ids) {
      if (ids.length) input.setAttribute("aria-describedby", ids.join(" "));
      else input.removeAttribute("aria-describedby");
    }

    // The photo's errors, the browser's or the server's for an earlier photo, go.
    function clearError() {
      var errors = document.getElementById(errorId);
      if (errors) errors.remove();
      field.classList.remove("iln-field--error");
      input.removeAttribute("aria-invalid");
      describedBy((input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== errorId;
      }));
      var summary = form.querySelector(".iln-error-summary");
      if (!summary) return;
      summary.querySelectorAll('a[href="' + anchor + '"]').forEach(function (link) {
        link.closest("li").remove();
      });
      if (!summary.querySelector("li")) summary.remove();
    }

    function showError() {
      clearError();
      var parts = template.content.cloneNode(true);
      field.appendChild(parts.querySelector(".iln-field__errors"));
      field.classList.add("iln-field--error");
      input.setAttribute("aria-invalid", "true");
      var ids = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      describedBy(ids.concat(errorId));
      return parts.querySelector(".iln-error-summary");
    }

    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      preview.textContent = "";
      preview.hidden = true;
      if (tooBig()) {
        showError();
        return;
      }
      clearError();
      if (file && file.type.indexOf("image/") === 0 && file.type !== "image/heic" && file.type !== "image/heif") {
        var img = document.createElement("img");
        img.alt = "";
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        preview.appendChild(img);
        preview.hidden = false;
      }
    });

    form.addEventListener("submit", function (event) {
      if (!tooBig()) return;
      event.preventDefault();
      var fresh = showError();
      var summary = form.querySelector(".iln-error-summary");
      if (summary) {
        // Handed back by the server before: its summary lists the photo's error too.
        summary.querySelector(".iln-error-summary__list").appendChild(
          fresh.querySelector(".iln-error-summary__list li")
        );
        // Read out again: an alert already on the page is not announced twice.
        summary.remove();
      } else {
        summary = fresh;
      }
      summary.removeAttribute("autofocus");
      form.insertBefore(summary, form.firstChild);
      summary.focus();
    });
  });
})();
