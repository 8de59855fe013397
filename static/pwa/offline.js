// The week page and the session pages offline (loaded by pwa/templates/pwa/_offline_banner.html).
//
// The banner: shown while the browser is offline, or when the page is a copy the service worker saved
// (data-pwa-copy="saved"), with the time the page was made, in the browser's own time.
//
// Ticks made offline: "Mark done" (a card's form, sent by htmx, or the session page's form) while offline is
// not sent but queued in localStorage under "steady-offline-ticks": [{owner, url, key, session, at}], and the
// page shows it as waiting to send. The queue is sent when the browser is back online (and on every load of
// these pages, and every 30 seconds while something waits), each tick with its Idempotency-Key: the server
// counts a key once (planner/views.py session_done), so a tick sent twice (two tabs, a lost answer) counts once.
// A tick htmx tried to send online but could not is queued with the key it was sent with, for the same reason.
// Only the person who made a tick sends it (owner: their key, pwa/owner.py). Log-out clears the queue
// (Clear-Site-Data). Without JavaScript none of this runs and the forms post as they always did.
(function () {
  "use strict";

  var banner = document.getElementById("offline-banner");
  if (!banner) return;
  var owner = banner.getAttribute("data-pwa-owner");
  var QUEUE = "steady-offline-ticks";
  var RETRY_EVERY = 30000; // ms
  var DONE_ACTION = /\/(\d+)\/done\/$/;

  // --- The banner --------------------------------------------------------------------------------------------

  var savedCopy = banner.getAttribute("data-pwa-copy") === "saved";
  if (savedCopy) {
    // A message shown once when the page was made ("Skipped", "Signed in") is not news in a saved copy.
    Array.prototype.forEach.call(document.querySelectorAll("[data-flash]"), function (flash) {
      flash.remove();
    });
  }

  // Written only when the banner shows: the first toLocaleTimeString loads the browser's locale data, which
  // costs a slow phone a tenth of a second at every page load.
  function drawTime() {
    var time = document.getElementById("offline-banner-time");
    var madeAt = new Date(banner.getAttribute("data-pwa-made-at"));
    if (time && !time.textContent && !isNaN(madeAt)) {
      var words = madeAt.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
      if (madeAt.toDateString() !== new Date().toDateString()) {
        // A copy from another day says which day: "08:40 on Monday 30 November".
        words += " on " + madeAt.toLocaleDateString([], { weekday: "long", day: "numeric", month: "long" });
      }
      time.textContent = words;
    }
  }

  function drawBanner() {
    banner.hidden = navigator.onLine && !savedCopy;
    if (!banner.hidden) drawTime();
    if (savedCopy && navigator.onLine && !banner.querySelector("[data-pwa-back-online]")) {
      // Back online on a saved copy: say so, and offer the page as it is now.
      var note = document.createElement("p");
      note.className = "mb-0 mt-2";
      note.setAttribute("data-pwa-back-online", "");
      note.appendChild(document.createTextNode("You are back online. "));
      var link = document.createElement("a");
      link.href = window.location.pathname;
      link.textContent = "See it as it is now";
      note.appendChild(link);
      banner.appendChild(note);
    }
  }

  // --- The queue ---------------------------------------------------------------------------------------------

  function load() {
    try {
      var list = JSON.parse(window.localStorage.getItem(QUEUE) || "[]");
      return Array.isArray(list) ? list : [];
    } catch (e) {
      return [];
    }
  }

  function store(list) {
    try {
      if (list.length) window.localStorage.setItem(QUEUE, JSON.stringify(list));
      else window.localStorage.removeItem(QUEUE);
    } catch (e) {
      /* storage full or refused: the tick stays on screen only */
    }
  }

  function forget(item) {
    store(
      load().filter(function (other) {
        return other.key !== item.key;
      }),
    );
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ("0" + b.toString(16)).slice(-2);
      })
      .join("");
  }

  function doneForm(element) {
    if (!element || element.tagName !== "FORM") return null;
    var match = new URL(element.action, window.location.href).pathname.match(DONE_ACTION);
    return match ? match[1] : null;
  }

  function enqueue(form, key) {
    var session = doneForm(form);
    var url = new URL(form.action, window.location.href).pathname;
    var list = load();
    var already = list.some(function (item) {
      return item.owner === owner && item.url === url;
    });
    if (!already) list.push({ owner: owner, url: url, key: key, session: session, at: Date.now() });
    store(list);
    drawWaiting(session);
    drawBanner();
  }

  // --- What the page shows -----------------------------------------------------------------------------------

  // Every form on the page that ticks this session off (its card, or the session page's checklist form).
  function formsFor(session) {
    return Array.prototype.filter.call(document.forms, function (form) {
      return doneForm(form) === session;
    });
  }

  function submitButtons(form) {
    var inside = form.querySelectorAll("button[type=submit], button:not([type])");
    var outside = form.id ? document.querySelectorAll('button[form="' + form.id + '"]') : [];
    return Array.prototype.slice.call(inside).concat(Array.prototype.slice.call(outside));
  }

  function drawWaiting(session) {
    formsFor(session).forEach(function (form) {
      submitButtons(form).forEach(function (button) {
        if (button.hidden) return;
        button.hidden = true;
        var note = document.createElement("p");
        note.className = "mb-2 fw-semibold text-success-emphasis";
        note.setAttribute("role", "status");
        note.setAttribute("data-pwa-waiting", session);
        note.textContent = "Marked done: waiting to send. It is sent when you are back online.";
        button.insertAdjacentElement("afterend", note);
      });
    });
  }

  function notes(session) {
    return document.querySelectorAll('[data-pwa-waiting="' + session + '"]');
  }

  function drawSent(item, html) {
    var card = document.getElementById("session-" + item.session);
    if (card && window.htmx && html) {
      // The card as the server now has it, and the week's progress with it (hx-swap-oob), as htmx would.
      window.htmx.swap(card, html, { swapStyle: "outerHTML" });
      return;
    }
    Array.prototype.forEach.call(notes(item.session), function (note) {
      note.textContent = "Done, and sent. Well done. ";
      var link = document.createElement("a");
      link.href = item.url.replace(/done\/$/, "details/");
      link.textContent = "How did it go?";
      note.appendChild(link);
    });
  }

  function drawRefused(item) {
    Array.prototype.forEach.call(notes(item.session), function (note) {
      note.textContent = "This tick could not be sent. Please mark it done again.";
      note.className = "mb-2 fw-semibold text-danger-emphasis";
      var button = note.previousElementSibling;
      if (button) button.hidden = false;
    });
  }

  // --- Sending -----------------------------------------------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    try {
      return JSON.parse(document.body.getAttribute("data-hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (e) {
      return "";
    }
  }

  // "sent" (with the server's card), "refused" (4xx: not theirs, gone), or "wait" (offline, server error, or
  // signed out meanwhile: redirected to the log-in page).
  function send(item) {
    var token = csrfToken();
    return fetch(item.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token,
        "Idempotency-Key": item.key,
        "HX-Request": "true",
      },
      body: "csrfmiddlewaretoken=" + encodeURIComponent(token),
    }).then(
      function (response) {
        if (response.redirected || response.status >= 500) return { outcome: "wait" };
        if (!response.ok) return { outcome: "refused" };
        var elsewhere = response.headers.get("HX-Redirect");
        return response.text().then(function (html) {
          return { outcome: "sent", html: html, redirect: elsewhere };
        });
      },
      function () {
        return { outcome: "wait" };
      },
    );
  }

  var sending = false;

  function mine(item) {
    return item.owner === owner;
  }

  // One tab sends at a time (Web Locks, where the browser has them), reading the queue only once it holds the
  // lock: a tick another tab has just sent is not sent again. (Were it sent again, its key counts it once.)
  function sendQueue() {
    if (sending || !navigator.onLine || !load().some(mine)) return;
    sending = true;
    var run = navigator.locks ? navigator.locks.request(QUEUE, sendEach) : sendEach();
    run.then(
      function (result) {
        sending = false;
        if (result.sent) keepWeek();
        // The week changed meanwhile (planned again, or the day not yet come): the server says where to look.
        if (result.redirect) window.location.href = result.redirect;
      },
      function () {
        sending = false;
      },
    );
  }

  function sendEach() {
    var items = load().filter(mine);
    var result = { sent: false, redirect: null };
    var next = function (index) {
      if (index >= items.length) return Promise.resolve(result);
      var item = items[index];
      return send(item).then(function (answer) {
        if (answer.outcome === "wait") return result; // the rest waits too
        forget(item);
        if (answer.outcome === "refused") drawRefused(item);
        else {
          result.sent = true;
          result.redirect = result.redirect || answer.redirect;
          drawSent(item, answer.html);
        }
        return next(index + 1);
      });
    };
    return next(0);
  }

  function keepWeek() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ type: "keep-week" });
    });
  }

  // --- Events ------------------------------------------------------------------------------------------------

  // Offline, "Mark done" is queued rather than sent: caught before htmx or the browser send it. Any other
  // form (undo) needs the server: it is not sent, and the person is told so next to the button.
  document.addEventListener(
    "submit",
    function (event) {
      if (navigator.onLine || event.target.tagName !== "FORM") return;
      event.preventDefault();
      event.stopPropagation();
      if (doneForm(event.target)) {
        enqueue(event.target, newKey());
      } else {
        sayNeedsNetwork(event.target);
      }
    },
    true,
  );

  function sayNeedsNetwork(form) {
    var note = form.parentNode.querySelector("[data-pwa-needs-network]");
    if (!note) {
      note = document.createElement("p");
      note.className = "small mb-0 mt-1 w-100";
      note.setAttribute("role", "status");
      note.setAttribute("data-pwa-needs-network", "");
      form.parentNode.appendChild(note);
    }
    note.textContent = "You are offline: this needs a connection. Nothing was changed; try again when you are back online.";
  }

  // Online, htmx's tick carries a key too: if it cannot be sent, it is queued with that same key, so that it
  // counts once even if the first attempt reached the server and only its answer was lost.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    if (!doneForm(form)) return;
    form.setAttribute("data-pwa-key", newKey());
    event.detail.headers["Idempotency-Key"] = form.getAttribute("data-pwa-key");
  });
  ["htmx:sendError", "htmx:timeout"].forEach(function (name) {
    document.addEventListener(name, function (event) {
      var form = event.detail.elt;
      if (doneForm(form) && form.getAttribute("data-pwa-key")) enqueue(form, form.getAttribute("data-pwa-key"));
    });
  });
  // A tick or an undo made in place: the saved copy of the week is brought up to date.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.successful) keepWeek();
  });

  window.addEventListener("online", function () {
    drawBanner();
    sendQueue();
  });
  window.addEventListener("offline", drawBanner);
  // Another tab sent (or queued) a tick: show what is still waiting.
  window.addEventListener("storage", function (event) {
    if (event.key !== QUEUE && event.key !== null) return;
    var waiting = load().map(function (item) {
      return item.session;
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-pwa-waiting]"), function (note) {
      var session = note.getAttribute("data-pwa-waiting");
      if (waiting.indexOf(session) === -1 && note.textContent.indexOf("waiting") !== -1) {
        note.textContent = "Done, and sent. Well done.";
      }
    });
  });
  window.setInterval(sendQueue, RETRY_EVERY);

  load()
    .filter(mine)
    .forEach(function (item) {
      drawWaiting(item.session);
    });
  drawBanner();
  sendQueue();
})();
