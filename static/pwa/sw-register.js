// On every page (templates/base.html): registers Steady's service worker (/sw.js, static/pwa/sw.js), and keeps
// no one's saved pages on a browser where nobody is signed in. The script tag carries data-signed-in only for a
// signed-in person.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator)) return;
  var script = document.currentScript || document.querySelector("script[src*='pwa/sw-register']");
  var signedIn = !!(script && script.hasAttribute("data-signed-in"));

  if (!signedIn && window.caches) {
    // Logged out, timed out, or someone else's turn: the saved copies of the week go. (Log-out also sends
    // Clear-Site-Data; this covers a session that ended without one.)
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name.indexOf("steady-pages-") === 0;
          })
          .map(function (name) {
            return caches.delete(name);
          }),
      );
    });
  }

  // Whether the worker saw this page load (a page can come under its control only after loading, when the
  // worker starts meanwhile, so the controller alone does not say).
  var entry = window.performance && performance.getEntriesByType && performance.getEntriesByType("navigation")[0];
  var seenByWorker = !!navigator.serviceWorker.controller && !!entry && entry.workerStart > 0;
  navigator.serviceWorker
    .register("/sw.js", { scope: "/" })
    .then(function () {
      return navigator.serviceWorker.ready;
    })
    .then(function (registration) {
      // The worker did not see this page load: ask it to save the week now, so it opens offline from the start.
      if (signedIn && !seenByWorker && registration.active) registration.active.postMessage({ type: "keep-week" });
    })
    .catch(function () {
      /* no service worker (private browsing, an old browser): the site works as it is */
    });
})();
