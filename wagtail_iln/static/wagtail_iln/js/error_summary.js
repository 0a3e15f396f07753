// A form sent back with errors: focus its error summary, so that it is read out first.
// Browsers skip `autofocus` when the address has a fragment, as the answer to a post
// has (the form's id), and focus the form the fragment names in a frame after the
// page has loaded; without JavaScript that is where the reader starts, the summary
// opening the form. The summary is focused after that frame: focused before it, the
// browser moved the focus to the form again, from wherever the reader had taken it.
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.querySelector(".iln-error-summary");
    if (summary) summary.focus();
  }
  function afterTheNextFrame() {
    window.requestAnimationFrame(function () {
      window.requestAnimationFrame(function () {
        window.setTimeout(focusSummary, 0);
      });
    });
  }
  if (document.readyState === "complete") {
    afterTheNextFrame();
  } else {
    window.addEventListener("load", afterTheNextFrame);
  }
})();
