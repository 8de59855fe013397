// Steady's service worker, served at /sw.js (pwa/views.py) after one line of settings:
//   const STEADY = {version, staticUrl, weekUrl, sessionsUrl, safetyUrl, precache: [...], icon};
//
// What it keeps, and for how long:
// - Static files (CSS, scripts, icons, the moves' pictures) in "steady-static-<version>": the precache list when
//   it installs, then whatever a page uses or a saved page links to. Their names change with their content in
//   production, so a saved copy is always right; a new version drops the old cache.
// - The signed-in person's week page and its session pages, in "steady-pages-<owner>" (owner: an opaque key per
//   person, from the page's offline banner, pwa/owner.py). Network first; the copy is used only when the network
//   fails. Saving a page of another person drops every other "steady-pages-" cache first, so one person's pages
//   are never shown to another. Each time the week page is fetched, its session pages (found by their links) are
//   fetched and saved too, and session pages no longer in the week are dropped. No other page is ever kept, nor
//   any answer to a POST.
// - The safety page (crisis lines), the same for everyone signed in or not, in the static cache: kept when the
//   worker installs and refreshed at each online visit, so that help is one tap away offline too. Any other
//   page that cannot be loaded offline gets a short page of our own that points to it.
// - Log-out and account deletion answer with Clear-Site-Data, which drops all of it; sw-register.js drops the
//   page copies on any page shown to nobody signed in.
//
// It also shows push reminders (reminders app) and opens the page a notification points to.
"use strict";

const STATIC_CACHE = "steady-static-" + STEADY.version;
const PAGES_PREFIX = "steady-pages-";
const NETWORK_TIMEOUT = 6000; // ms: on a weak signal, the saved copy after this long rather than a blank wait
const OWNER = /data-pwa-owner="([0-9a-f]+)"/;
// Fetches of a page may answer out of order (a slow one started before a tick-off, a quick one after): each
// is numbered when it starts, and a copy never replaces one from a later fetch.
let fetches = 0;
const savedFrom = new Map(); // page URL -> number of the fetch its saved copy came from

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(STATIC_CACHE)
      // One by one: a file that fails to load leaves the others kept.
      .then((cache) =>
        Promise.all([...STEADY.precache, STEADY.safetyUrl].map((url) => cache.add(url).catch(() => null))),
      )
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("steady-static-") && name !== STATIC_CACHE)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// --- Fetching -------------------------------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // POSTs go to the network, untouched and never kept
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STEADY.staticUrl)) {
    event.respondWith(staticFile(event));
  } else if (isWeekPage(url)) {
    event.respondWith(weekPage(event, url.origin + url.pathname));
  } else if (url.pathname === STEADY.safetyUrl && !url.search) {
    event.respondWith(safetyPage(event));
  } else if (request.mode === "navigate") {
    // Any other page: fetched as if there were no service worker, never kept; offline, our own short page.
    event.respondWith(fetch(request).catch(() => notSaved()));
  }
});

// Network first, the copy when offline: the crisis lines must open without a signal.
async function safetyPage(event) {
  const cache = await caches.open(STATIC_CACHE);
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === "basic" && !response.redirected) {
      event.waitUntil(cache.put(STEADY.safetyUrl, response.clone()));
    }
    return response;
  } catch (error) {
    return (await cache.match(STEADY.safetyUrl)) || notSaved();
  }
}

function isWeekPage(url) {
  if (url.search) return false;
  if (url.pathname === STEADY.weekUrl) return true;
  const rest = url.pathname.slice(STEADY.sessionsUrl.length);
  return url.pathname.startsWith(STEADY.sessionsUrl) && /^\d+\/$/.test(rest);
}

async function staticFile(event) {
  const cache = await caches.open(STATIC_CACHE);
  const kept = await cache.match(event.request);
  if (kept) return kept;
  const response = await fetch(event.request);
  if (response.ok && response.type === "basic") event.waitUntil(cache.put(event.request, response.clone()));
  return response;
}

// Network first; the saved copy when the network fails, or has not answered in NETWORK_TIMEOUT and a copy exists.
function weekPage(event, key) {
  const number = ++fetches;
  const network = fetch(event.request);
  // Registered before the page's own handler below, so the copy is cloned before the page reads the body.
  event.waitUntil(network.then((response) => remember(key, response.clone(), number)).catch(() => null));
  return new Promise((resolve) => {
    let answered = false;
    const answer = (response) => {
      if (!answered) resolve(response);
      answered = true;
    };
    const timer = setTimeout(() => {
      savedCopy(key).then((copy) => copy && answer(copy));
    }, NETWORK_TIMEOUT);
    network.then(
      (response) => {
        clearTimeout(timer);
        answer(response);
      },
      () => {
        clearTimeout(timer);
        savedCopy(key).then((copy) => answer(copy || notSaved()));
      },
    );
  });
}

// A page is kept only if it is a whole page the server sent for a signed-in person: 200, not redirected, with
// the owner's key in its offline banner.
async function remember(key, response, number) {
  if (!response.ok || response.type !== "basic" || response.redirected) return;
  const html = await response.text();
  const owner = (html.match(OWNER) || [])[1];
  if (!owner) return;
  const cache = await pagesCache(owner);
  const previous = await cache.match(key);
  if (!newer(key, number)) return;
  await cache.put(key, asCopy(html, response.headers));
  await keepLinkedFiles(html);
  if (new URL(key).pathname === STEADY.weekUrl) {
    await keepSessionPages(cache, owner, html, previous ? await previous.text() : null);
  }
}

// Whether a copy from fetch `number` may be saved for `key` (no later fetch's copy is saved); if so, it is now
// the one saved. Checked right before the put, with no wait in between.
function newer(key, number) {
  if ((savedFrom.get(key) || 0) > number) return false;
  savedFrom.set(key, number);
  return true;
}

// The one cache of page copies, for this owner: any other person's are deleted first.
async function pagesCache(owner) {
  const name = PAGES_PREFIX + owner;
  const names = await caches.keys();
  await Promise.all(
    names.filter((other) => other.startsWith(PAGES_PREFIX) && other !== name).map((other) => caches.delete(other)),
  );
  return caches.open(name);
}

// The week's session pages: fetched again when the week page changed (a page kept by the server comes back
// byte for byte, so an unchanged week costs nothing), or when one has no copy yet. Pages of sessions no longer
// in the week are dropped.
async function keepSessionPages(cache, owner, html, previousHtml) {
  const wanted = new Set();
  const link = new RegExp('href="' + escapeRegExp(STEADY.sessionsUrl) + '(\\d+)/"', "g");
  for (const match of html.matchAll(link)) {
    wanted.add(self.location.origin + STEADY.sessionsUrl + match[1] + "/");
  }
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (url.pathname !== STEADY.weekUrl && !wanted.has(request.url)) await cache.delete(request);
  }
  const weekChanged = html !== previousHtml;
  for (const url of wanted) {
    if (!weekChanged && (await cache.match(url))) continue;
    try {
      const number = ++fetches;
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok || response.redirected) continue;
      const page = await response.text();
      if ((page.match(OWNER) || [])[1] !== owner || !newer(url, number)) continue;
      await cache.put(url, asCopy(page, response.headers));
      await keepLinkedFiles(page);
    } catch (error) {
      return; // offline again: what was kept stays
    }
  }
}

// Every static file the page names (its CSS and scripts, the pictures of its moves), kept if not kept yet.
async function keepLinkedFiles(html) {
  const cache = await caches.open(STATIC_CACHE);
  const named = new RegExp('="(' + escapeRegExp(STEADY.staticUrl) + '[^"?#]+)"', "g");
  const urls = new Set(Array.from(html.matchAll(named), (match) => match[1]));
  for (const url of urls) {
    if (await cache.match(url)) continue;
    try {
      const response = await fetch(url);
      if (response.ok) await cache.put(url, response);
    } catch (error) {
      return;
    }
  }
}

// The copy keeps the page's own headers (its Content-Security-Policy above all), less those about the body.
function asCopy(html, headers) {
  const kept = new Headers(headers);
  kept.delete("Content-Length");
  kept.delete("Content-Encoding");
  return new Response(html, { status: 200, headers: kept });
}

// A saved copy, marked as such: its offline banner shows (pwa/templates/pwa/_offline_banner.html).
async function savedCopy(key) {
  const names = (await caches.keys()).filter((name) => name.startsWith(PAGES_PREFIX));
  for (const name of names) {
    const copy = await (await caches.open(name)).match(key, { ignoreVary: true });
    if (copy) {
      const html = (await copy.text()).replace('data-pwa-copy="live"', 'data-pwa-copy="saved"');
      return new Response(html, { status: 200, headers: copy.headers });
    }
  }
  return null;
}

function notSaved() {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Offline · Steady</title></head>' +
    '<body style="font-family: system-ui, sans-serif; margin: 2rem; max-width: 36rem">' +
    "<h1>You are offline</h1><p>This page was not saved on this device. Steady keeps this week's page and its " +
    "sessions once you have opened them online.</p>" +
    '<p><a href="' + STEADY.weekUrl + '">This week</a></p>' +
    '<p><strong><a href="' + STEADY.safetyUrl + '">Need help now? Crisis lines and professional help</a></strong>' +
    " (kept on this device). In an emergency call your local emergency number: 112 in the EU, 999 in the UK, " +
    "911 in the US and Canada, 000 in Australia.</p></body></html>";
  return new Response(html, {
    status: 503,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'",
    },
  });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

// --- Messages from the pages (static/pwa/sw-register.js, offline.js) ------------------------------------------

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "keep-week") event.waitUntil(refreshWeek());
});

// The week page fetched again and saved, with its session pages: after the first visit (which this worker did
// not see yet) and after a tick-off made in place (htmx), which changes the week without loading it.
async function refreshWeek() {
  const key = self.location.origin + STEADY.weekUrl;
  const number = ++fetches;
  try {
    await remember(key, await fetch(key, { credentials: "same-origin" }), number);
  } catch (error) {
    /* offline: the copy stays as it was */
  }
}

// --- Push reminders -------------------------------------------------------------------------------------------
// The reminders app sends JSON {title, body, url, tag}; url is a path of this site ("/sessions/12/").

self.addEventListener("push", (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : "" };
  }
  const text = (value) => (typeof value === "string" ? value : "");
  const options = {
    body: text(message.body),
    icon: STEADY.icon,
    data: { url: sitePath(message.url) },
  };
  if (text(message.tag)) options.tag = text(message.tag);
  event.waitUntil(self.registration.showNotification(text(message.title) || "Steady", options));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const opened = openPage(sitePath(event.notification.data && event.notification.data.url));
  try {
    event.waitUntil(opened);
  } catch (error) {
    /* an event a test dispatched itself cannot be extended; the page still opens */
  }
});

// A path of this site ("/sessions/12/"), or the week page for anything else (another site, "//host", junk).
function sitePath(url) {
  if (typeof url !== "string" || !url.startsWith("/") || url.startsWith("//") || url.startsWith("/\\")) {
    return STEADY.weekUrl;
  }
  try {
    const parsed = new URL(url, self.location.origin);
    if (parsed.origin !== self.location.origin) return STEADY.weekUrl;
    return parsed.pathname + parsed.search + parsed.hash;
  } catch (error) {
    return STEADY.weekUrl;
  }
}

// An open Steady window, brought forward and sent to the path; else a new window at it.
async function openPage(path) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).origin === self.location.origin);
  if (open) {
    try {
      await open.focus();
    } catch (error) {
      /* focusing needs the click itself; the window is still sent to the page */
    }
    try {
      const navigated = await open.navigate(path);
      if (navigated) return navigated;
    } catch (error) {
      /* a window this worker does not control cannot be sent elsewhere: open a new one */
    }
  }
  return self.clients.openWindow(path);
}
