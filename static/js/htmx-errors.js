/* htmx follows a redirect inside its request: a tick-off from a tab whose login has ended would put the
   login page inside the session card, and a form that expired (403) would change nothing on screen. Both
   load the whole page instead: the login page, or this page afresh with a new form token. */
(function () {
  "use strict";
  var loginUrl = document.currentScript.dataset.loginUrl;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var path = new URL(xhr.responseURL || window.location.href).pathname;
    if (path === loginUrl) {
      event.detail.shouldSwap = false;
      window.location.assign(xhr.responseURL);
    } else if (xhr.status === 403) {
      event.detail.shouldSwap = false;
      window.location.reload();
    }
  });
})();
