// The matching page's progress bar: asks the server how far the run has gone, once a
// second, and reloads the page when it has finished. Without it, the page offers a
// link to refresh by hand.
(function () {
  "use strict";
  var INTERVAL = 1000;
  document.querySelectorAll("[data-iln-matching-progress]").forEach(function (box) {
    var url = box.getAttribute("data-url");
    var bar = box.querySelector("progress");
    var label = box.querySelector("[data-iln-matching-status]");
    if (!url || !bar) return;
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (run) {
          bar.value = run.progress;
          bar.textContent = Math.round(run.progress * 100) + "%";
          if (label) label.textContent = run.status_label;
          if (run.done) {
            window.location.assign(run.url);
          } else {
            window.setTimeout(poll, INTERVAL);
          }
        })
        .catch(function () {
          window.setTimeout(poll, INTERVAL * 5);
        });
    }
    window.setTimeout(poll, INTERVAL);
  });
})();
