// Progressive enhancement of the photo form: a preview and a size check before upload.
// The form works the same without it; the server checks everything again.
(function () {
  "use strict";
  document.querySelectorAll("[data-iln-photo-form]").forEach(function (form) {
    var input = form.querySelector('input[type="file"]');
    var preview = form.querySelector(".iln-photo-form__preview");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    if (!input || !preview) return;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      preview.textContent = "";
      preview.hidden = true;
      input.setCustomValidity("");
      if (!file) return;
      if (maxBytes && file.size > maxBytes) {
        input.setCustomValidity(input.getAttribute("data-too-big-message") || "");
        input.reportValidity();
        return;
      }
      if (file.type.indexOf("image/") === 0 && file.type !== "image/heic" && file.type !== "image/heif") {
        var img = document.createElement("img");
        img.alt = "";
        img.src = URL.createObjectURL(file);
        img.onload = function () { URL.revokeObjectURL(img.src); };
        preview.appendChild(img);
        preview.hidden = false;
      }
    });
  });
})();
