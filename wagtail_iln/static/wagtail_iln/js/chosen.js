// Under a list of several choices (a participant's languages), what is chosen in it:
// a list shows eight rows, and a choice scrolled out of sight, or one a plain click
// replaced, would otherwise go unseen.
(function () {
  "use strict";
  document.querySelectorAll("select[multiple][data-iln-chosen]").forEach(function (select) {
    const said = document.createElement("p");
    said.className = "iln-field__chosen";
    said.id = select.id + "_chosen";
    said.setAttribute("aria-live", "polite");
    select.insertAdjacentElement("afterend", said);
    function show() {
      const names = Array.prototype.map.call(select.selectedOptions, function (option) {
        return option.textContent.trim();
      });
      said.textContent = names.length
        ? select.dataset.ilnChosen.replace("%(choices)s", names.join(", "))
        : select.dataset.ilnNoneChosen;
    }
    select.addEventListener("change", show);
    show();
  });
})();
