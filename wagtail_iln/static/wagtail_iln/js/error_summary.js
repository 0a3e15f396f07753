// A form sent back with errors: focus its error summary, so that it is read out first.
// Browsers skip `autofocus` when the address has a fragment, as the answer to a post
// has (the form's id), and focus the form the fragment names once the page has loaded;
// without JavaScript that is where the reader starts, the summary opening the form.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".iln-error-summary");
    if (summary) summary.focus();
  }
  if (document.readyState === "complete") {
    focusSummary();
  } else {
    window.addEventListener("load", function () {
      window.setTimeout(focusSummary, 0);
    });
  }
})();
