// Progressive enhancement of the like buttons: send the like without leaving the page.
// Without it the form posts and the server sends the reader back to the same place.
// A gallery is the same for every reader (it is kept in the cache), so this browser
// remembers what it liked and says so on its buttons on later visits.
(function () {
  "use strict";
  var STORED = "wagtail-iln-liked";
  var KEPT = 500; // the most recent likes remembered

  // "photo:12" from an action ending in /likes/photo/12/, in any language.
  function likeKey(form) {
    var match = /\/likes\/([a-z]+)\/(\d+)\/$/.exec(new URL(form.action).pathname);
    return match ? match[1] + ":" + match[2] : null;
  }

  function remembered() {
    try {
      var keys = JSON.parse(window.localStorage.getItem(STORED) || "[]");
      return Array.isArray(keys) ? keys : [];
    } catch (failure) {
      return []; // storage turned off, or not ours to read
    }
  }

  function remember(key) {
    var keys = remembered().filter(function (each) {
      return each !== key;
    });
    keys.push(key);
    try {
      window.localStorage.setItem(STORED, JSON.stringify(keys.slice(-KEPT)));
    } catch (failure) {
      // Storage full or turned off: the like is stored on the server all the same.
    }
  }

  function showLiked(button, text) {
    button.textContent = text;
    button.disabled = true;
    button.setAttribute("aria-pressed", "true");
  }

  var liked = remembered();
  document.querySelectorAll("form[data-iln-like]").forEach(function (form) {
    if (form.hasAttribute("data-iln-like-ready")) return;
    form.setAttribute("data-iln-like-ready", "");
    var button = form.querySelector("button");
    var count = form.querySelector("[data-iln-like-count]");
    var error = form.querySelector("[data-iln-like-error]");
    var key = likeKey(form);
    if (key && liked.indexOf(key) !== -1 && !button.disabled) {
      showLiked(button, form.getAttribute("data-liked-text"));
    }
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
          showLiked(button, result.data.liked);
          if (key) remember(key);
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
