// Progressive enhancement of the photo form: a preview, and a file the server would refuse
// for its size or its type (a photo too big, a PDF, a video) is stopped before it is
// uploaded, its error shown as the server shows it (the markup is in the form's
// <template data-iln-photo-refused>: an error per reason, data-reason="too-big" or
// "format", and the summary's items in the same order). The form works the same without
// it; the server checks everything again, the photo's content included.
(function () {
  "use strict";
  document.querySelectorAll("[data-iln-photo-form]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var preview = form.querySelector(".iln-photo-form__preview");
    var template = form.querySelector("template[data-iln-photo-refused]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!input || !preview || !template) return;
    var accepted = (input.getAttribute("accept") || "").split(",").map(function (type) {
      return type.trim().toLowerCase();
    }).filter(Boolean);
    var field = input.closest(".iln-field");
    var errorId = input.id + "_error";
    var anchor = "#" + input.id;

    // Why the chosen file would be refused: "too-big", "format", or "" to send it. A type
    // the browser does not know ("", or "application/octet-stream" from some phones' file
    // pickers) is left for the server, which reads the content.
    function refusal() {
      var file = input.files && input.files[0];
      if (!file) return "";
      if (maxBytes && file.size > maxBytes) return "too-big";
      var type = (file.type || "").toLowerCase();
      if (type === "application/octet-stream") return "";
      if (type && accepted.length && accepted.indexOf(type) === -1) return "format";
      return "";
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

    // The template's markup for ``reason`` alone: its error, and its item of the summary.
    function refusalParts(reason) {
      var parts = template.content.cloneNode(true);
      var errors = Array.prototype.slice.call(parts.querySelectorAll(".iln-field__error"));
      var items = Array.prototype.slice.call(parts.querySelectorAll(".iln-error-summary__list li"));
      errors.forEach(function (error, index) {
        if (error.getAttribute("data-reason") === reason) return;
        error.remove();
        if (items[index]) items[index].remove();
      });
      return parts;
    }

    function showError(reason) {
      clearError();
      var parts = refusalParts(reason);
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
      var reason = refusal();
      if (reason) {
        showError(reason);
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
      var reason = refusal();
      if (!reason) return;
      event.preventDefault();
      var fresh = showError(reason);
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
