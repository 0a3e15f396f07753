// A long story in a gallery shows its first lines and a button that shows it whole
// (gallery.story_fold guesses which stories are long from their length, the same for
// every reader). Where the card is wide enough for the whole story, as a list's card
// on a wide screen, the button would show nothing more: it is hidden, and shown again
// when the card narrows.
(function () {
  "use strict";
  var FITS = "iln-photo__more--fits";

  function check(story) {
    var more = story.nextElementSibling;
    if (!more || !more.classList.contains("iln-photo__more") || more.open) return;
    // Cut or not, the story keeps its first lines: shown whole, it is no taller.
    more.classList.toggle(FITS, story.scrollHeight <= story.clientHeight + 1);
  }

  var stories = document.querySelectorAll(".iln-photo__story");
  stories.forEach(check);
  if ("ResizeObserver" in window) {
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { check(entry.target); });
    });
    stories.forEach(function (story) { observer.observe(story); });
  }
})();
