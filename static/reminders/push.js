// Turns push notifications on or off for this browser, from the reminders settings (a separate file: the CSP
// allows no inline script). The service worker (static/pwa/sw.js, registered at "/" by every page) receives
// the pushes and shows them. Without JavaScript, or in a browser without push, the page says so and the email
// choices work as before. The server's VAPID public key comes in the section's data-vapid-public-key.
(function () {
  "use strict";
  var section = document.querySelector("[data-push-settings]");
  if (!section) { return; }
  var status = section.querySelector("[data-push-status]");
  var onButton = section.querySelector("[data-push-on]");
  var offButton = section.querySelector("[data-push-off]");
  var BLOCKED = "Notifications are blocked for this site in your browser's settings. Allow them there to " +
    "turn them on. Email reminders work as usual.";

  function say(text) {
    status.textContent = text;
    status.hidden = false;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    if (/iPhone|iPad|iPod/.test(navigator.userAgent)) {
      say("On an iPhone or iPad, notifications work once Steady is on your Home Screen: tap Share, then " +
        "Add to Home Screen, and open Steady from there. Email reminders work as usual.");
    } else {
      say("This browser can't receive push notifications. Email reminders work as usual.");
    }
    return;
  }

  // The key as the Push API wants it: bytes, from base64url.
  function serverKey() {
    var text = section.dataset.vapidPublicKey.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(text + "===".slice((text.length + 3) % 4));
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) { bytes[i] = binary.charCodeAt(i); }
    return bytes;
  }

  function sameKey(subscription) {
    var key = subscription.options && subscription.options.applicationServerKey;
    if (!key) { return true; }  // the browser does not say: assume it is ours
    var theirs = new Uint8Array(key), ours = serverKey();
    if (theirs.length !== ours.length) { return false; }
    for (var i = 0; i < ours.length; i++) { if (theirs[i] !== ours[i]) { return false; } }
    return true;
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": section.dataset.csrfToken },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || "the server answered " + response.status); }
        return data;
      });
    });
  }

  // The service worker registers on every page; give it a few seconds before saying it is missing.
  function worker() {
    var late = new Promise(function (resolve, reject) {
      setTimeout(function () { reject(new Error("no service worker")); }, 10000);
    });
    return Promise.race([navigator.serviceWorker.ready, late]);
  }

  // A browser that cannot reach its push service may never settle subscribe(): give up after a while.
  var SUBSCRIBE_TIMEOUT = 20000; // ms
  function withinTime(promise, ms, message) {
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () { reject(new Error(message)); }, ms);
      promise.then(
        function (value) { clearTimeout(timer); resolve(value); },
        function (error) { clearTimeout(timer); reject(error); }
      );
    });
  }

  function hex(buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  }

  // Marks this browser in the list of devices (the server lists each endpoint's SHA-256, never the endpoint).
  function findInList(subscription) {
    if (!subscription || !window.crypto || !crypto.subtle) { return Promise.resolve(false); }
    return crypto.subtle.digest("SHA-256", new TextEncoder().encode(subscription.endpoint)).then(function (digest) {
      var item = section.querySelector('[data-endpoint-digest="' + hex(digest) + '"]');
      if (item) { item.querySelector("[data-this-device]").hidden = false; }
      return Boolean(item);
    });
  }

  // The server's new list of devices, in place of the old one: the page is not reloaded, so reminder choices
  // not saved yet stay as they are.
  function showDevices(data, subscription) {
    section.querySelector("[data-push-devices]").innerHTML = data.html;
    return findInList(subscription);
  }

  function show(on) {
    onButton.hidden = on;
    offButton.hidden = !on;
  }

  worker().then(function (registration) {
    return registration.pushManager.getSubscription();
  }).then(function (subscription) {
    return findInList(subscription).then(function (listed) {
      var on = listed && sameKey(subscription);
      show(on);
      if (on) {
        say("Notifications are on for this device.");
      } else if (Notification.permission === "denied") {
        say(BLOCKED);
      } else {
        say("Notifications are off for this device.");
      }
    });
  }).catch(function () {
    say("Notifications need this site's background service, which hasn't started in this browser. Reload " +
      "the page to try again. Email reminders work as usual.");
  });

  onButton.addEventListener("click", function () {
    onButton.disabled = true;
    say("Turning notifications on…");
    worker().then(function (registration) {
      return registration.pushManager.getSubscription().then(function (existing) {
        if (existing && sameKey(existing)) { return existing; }
        // One made for another server key (the server's keys were changed) cannot be used: replace it.
        var cleared = existing ? existing.unsubscribe() : Promise.resolve();
        return cleared.then(function () {
          return withinTime(
            registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKey() }),
            SUBSCRIBE_TIMEOUT,
            "your browser's notification service didn't answer. Try again later; email reminders work as usual"
          );
        });
      });
    }).then(function (subscription) {
      return post(section.dataset.subscribeUrl, subscription.toJSON()).then(function (data) {
        return showDevices(data, subscription);
      });
    }).then(function () {
      onButton.disabled = false;
      show(true);
      offButton.focus();  // the button pressed is hidden now
      say("Notifications are on for this device. Send yourself a test notification to see one.");
    }).catch(function (error) {
      onButton.disabled = false;
      say(Notification.permission === "denied" ? BLOCKED : "Notifications could not be turned on: " + error.message);
    });
  });

  offButton.addEventListener("click", function () {
    offButton.disabled = true;
    say("Turning notifications off…");
    worker().then(function (registration) {
      return registration.pushManager.getSubscription();
    }).then(function (subscription) {
      if (!subscription) { return null; }
      return post(section.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).then(function (data) {
        return subscription.unsubscribe().then(function () { return showDevices(data, null); });
      });
    }).then(function () {
      offButton.disabled = false;
      show(false);
      onButton.focus();
      say("Notifications are off for this device.");
    }).catch(function (error) {
      offButton.disabled = false;
      say("Notifications could not be turned off: " + error.message);
    });
  });
})();
