// The session page's guide (planner/templates/planner/session.html): one step at a time, with a countdown for
// timed steps and rests. The checklist in the page is the source of the steps (data-* on each <li>) and stays as
// the overview; without JavaScript it is the whole page.
//
// The place is kept in localStorage under "steady-session-<id>": {index, endsAt, remaining, done, finished}.
// endsAt is an absolute moment (ms since the epoch) and the time left is always endsAt - Date.now(), so a locked
// phone, a throttled tab or a reload never loses or gains time. Ticks only redraw; they never count.
(function () {
  "use strict";

  var guide = document.getElementById("guide");
  if (!guide) return;
  var form = document.getElementById("session-finish");
  var items = Array.prototype.slice.call(form.querySelectorAll("li[data-kind]"));
  if (!items.length) return;

  var steps = items.map(function (li) {
    var data = li.dataset;
    return {
      li: li,
      box: li.querySelector("input[type=checkbox]"),
      kind: data.kind,
      part: data.part || "",
      set: data.set || "",
      title: data.title || "",
      dose: data.dose || "",
      seconds: data.seconds ? parseInt(data.seconds, 10) : 0,
      picture: data.picture || "",
      alt: data.alt || "",
      howto: data.howto || "",
      easier: data.easier || "",
    };
  });

  function $(id) {
    return document.getElementById(id);
  }
  var ready = $("guide-ready");
  var stage = $("guide-stage");
  var finished = $("guide-finished");
  var where = $("guide-where");
  var title = $("guide-title");
  var dose = $("guide-dose");
  var countdown = $("guide-countdown");
  var pausedNote = $("guide-paused");
  var picture = $("guide-picture");
  var easier = $("guide-easier");
  var howtoLine = $("guide-howto-line");
  var howto = $("guide-howto");
  var nextButton = $("guide-next");
  var backButton = $("guide-back");
  var pauseButton = $("guide-pause");
  var skipButton = $("guide-skip");
  var status = $("guide-status");
  var beepBox = $("guide-beep");
  var vibrateBox = $("guide-vibrate");

  var key = "steady-session-" + guide.dataset.session;
  var prefsKey = "steady-guide-prefs";
  var state = null; // {index, endsAt, remaining, done: [indexes], finished, count}
  var timer = null;
  var wakeLock = null;
  var audio = null;

  // --- Storage (private browsing or a full disk: the guide still works, it just forgets) ---------------------

  function load(name) {
    try {
      return JSON.parse(window.localStorage.getItem(name) || "null");
    } catch (e) {
      return null;
    }
  }
  function store(name, value) {
    try {
      if (value === null) window.localStorage.removeItem(name);
      else window.localStorage.setItem(name, JSON.stringify(value));
    } catch (e) {
      /* nothing to do */
    }
  }
  function save() {
    store(key, state);
  }

  // --- Sound, vibration, wake lock ----------------------------------------------------------------------------

  function prepareAudio() {
    // Made on a click (browsers only let a page make sound after one), used later when a step ends.
    if (!beepBox.checked || audio) return;
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context) {
      try {
        audio = new Context();
      } catch (e) {
        audio = null;
      }
    }
  }
  function beep() {
    if (!beepBox.checked || !audio) return;
    try {
      if (audio.state === "suspended") audio.resume();
      var oscillator = audio.createOscillator();
      var gain = audio.createGain();
      oscillator.type = "sine";
      oscillator.frequency.value = 880;
      gain.gain.setValueAtTime(0.25, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
      oscillator.connect(gain);
      gain.connect(audio.destination);
      oscillator.start();
      oscillator.stop(audio.currentTime + 0.4);
    } catch (e) {
      /* no sound then */
    }
  }
  function buzz() {
    if (vibrateBox.checked && navigator.vibrate) navigator.vibrate([200, 100, 200]);
  }
  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock || document.visibilityState !== "visible") return;
    navigator.wakeLock.request("screen").then(
      function (lock) {
        wakeLock = lock;
        lock.addEventListener("release", function () {
          wakeLock = null;
        });
      },
      function () {
        /* not allowed now (battery saver): the screen may lock, the guide keeps its place anyway */
      }
    );
  }
  function letSleep() {
    if (wakeLock) {
      wakeLock.release().catch(function () {});
      wakeLock = null;
    }
  }

  // --- Time ---------------------------------------------------------------------------------------------------

  function remainingMs() {
    if (state.remaining !== null && state.remaining !== undefined) return state.remaining;
    if (state.endsAt) return Math.max(0, state.endsAt - Date.now());
    return 0;
  }
  function clock(ms) {
    var seconds = Math.ceil(ms / 1000);
    var minutes = Math.floor(seconds / 60);
    seconds = seconds % 60;
    return minutes + ":" + (seconds < 10 ? "0" : "") + seconds;
  }
  function isPaused() {
    return state.remaining !== null && state.remaining !== undefined;
  }

  // Put the guide on step `index`: a timed step starts at once (from `startAt`, when a step ran out while
  // the page was asleep), unless the guide is paused.
  function enter(index, startAt) {
    var paused = isPaused();
    state.index = index;
    state.finished = index >= steps.length;
    state.endsAt = null;
    state.remaining = null;
    if (!state.finished) {
      var step = steps[index];
      if (step.seconds) {
        if (paused) state.remaining = step.seconds * 1000;
        else state.endsAt = (startAt || Date.now()) + step.seconds * 1000;
      }
    }
  }

  // A timed step whose end has passed is done; so is the next one if it also ran out (the phone was locked).
  function catchUp() {
    var changed = false;
    while (!state.finished && state.endsAt && state.endsAt <= Date.now()) {
      var endedAt = state.endsAt;
      markDone(state.index);
      enter(state.index + 1, endedAt);
      changed = true;
    }
    return changed;
  }

  function markDone(index) {
    if (state.done.indexOf(index) === -1) state.done.push(index);
  }

  function tick() {
    if (!state) return;
    if (catchUp()) {
      beep();
      buzz();
      save();
      show(true);
      return;
    }
    drawTime();
  }

  function drawTime() {
    var step = steps[state.index];
    if (!step || !step.seconds) return;
    countdown.textContent = clock(remainingMs());
  }

  function runTimer() {
    if (timer) window.clearInterval(timer);
    timer = null;
    if (state && !state.finished && state.endsAt) timer = window.setInterval(tick, 250);
  }

  // --- Drawing ------------------------------------------------------------------------------------------------

  function show(moveFocus) {
    runTimer();
    steps.forEach(function (step, index) {
      if (step.box) step.box.checked = state.done.indexOf(index) !== -1;
    });
    ready.hidden = true;
    if (state.finished) {
      stage.hidden = true;
      finished.hidden = false;
      letSleep();
      status.textContent = "That's all of it. Well done.";
      if (moveFocus) $("guide-finished-heading").focus();
      return;
    }
    finished.hidden = true;
    stage.hidden = false;
    keepAwake();
    var step = steps[state.index];
    var position = "Step " + (state.index + 1) + " of " + steps.length;
    where.textContent = [step.part, step.set, position].filter(Boolean).join(" · ");
    title.textContent = step.title;
    dose.textContent = step.dose;
    countdown.hidden = !step.seconds;
    drawTime();
    pausedNote.hidden = !(step.seconds && isPaused());
    if (step.picture) {
      picture.src = step.picture;
      picture.alt = step.alt;
      picture.hidden = false;
    } else {
      picture.hidden = true;
      picture.removeAttribute("src");
    }
    easier.hidden = !step.easier;
    easier.textContent = step.easier ? "Easier: " + step.easier : "";
    howtoLine.hidden = !step.howto;
    if (step.howto) howto.href = step.howto;
    // A repetition step waits for "Done, next"; a timed one runs out by itself (or can be skipped).
    nextButton.hidden = !!step.seconds;
    pauseButton.hidden = !step.seconds;
    pauseButton.textContent = isPaused() ? "Resume" : "Pause";
    backButton.disabled = state.index === 0;
    skipButton.textContent = state.index === steps.length - 1 ? "Skip to the end" : "Skip";
    status.textContent = position + ": " + step.title + ", " + step.dose + (isPaused() ? ". Paused." : ".");
    if (moveFocus) title.focus();
  }

  function go(index, options) {
    if (options && options.done) markDone(state.index);
    else if (index < state.index) {
      var at = state.done.indexOf(index);
      if (at !== -1) state.done.splice(at, 1);
    }
    enter(Math.max(0, Math.min(index, steps.length)));
    save();
    show(true);
  }

  // --- Controls -----------------------------------------------------------------------------------------------

  function start() {
    prepareAudio();
    state = { count: steps.length, index: 0, endsAt: null, remaining: null, done: [], finished: false };
    enter(0);
    save();
    show(true);
  }

  $("guide-start").addEventListener("click", start);
  $("guide-again").addEventListener("click", start);
  nextButton.addEventListener("click", function () {
    prepareAudio();
    go(state.index + 1, { done: true });
  });
  skipButton.addEventListener("click", function () {
    go(state.index + 1);
  });
  backButton.addEventListener("click", function () {
    go(state.index - 1);
  });
  pauseButton.addEventListener("click", function () {
    prepareAudio();
    if (isPaused()) {
      state.endsAt = Date.now() + state.remaining;
      state.remaining = null;
    } else {
      state.remaining = remainingMs();
      state.endsAt = null;
    }
    save();
    show(false);
    status.textContent = isPaused() ? "Paused." : "Going again.";
    pauseButton.focus();
  });
  $("guide-stop").addEventListener("click", function () {
    state = null;
    save();
    runTimer();
    letSleep();
    stage.hidden = true;
    finished.hidden = true;
    ready.hidden = false;
    status.textContent = "Guide stopped. The steps are listed below.";
    $("guide-start").focus();
  });
  form.addEventListener("submit", function () {
    store(key, null);
  });

  function savePrefs() {
    store(prefsKey, { beep: beepBox.checked, vibrate: vibrateBox.checked });
  }
  beepBox.addEventListener("change", function () {
    prepareAudio();
    savePrefs();
  });
  vibrateBox.addEventListener("change", savePrefs);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && state) {
      tick();
      if (!state.finished && !stage.hidden) keepAwake();
    }
  });

  // --- Start up: show the guide, and go back to where the person was ------------------------------------------

  var prefs = load(prefsKey) || {};
  beepBox.checked = !!prefs.beep;
  if (navigator.vibrate) {
    $("guide-vibrate-choice").hidden = false;
    vibrateBox.checked = !!prefs.vibrate;
  }
  guide.hidden = false;

  var saved = load(key);
  if (
    saved &&
    saved.count === steps.length &&
    typeof saved.index === "number" &&
    saved.index >= 0 &&
    saved.index <= steps.length &&
    Array.isArray(saved.done)
  ) {
    state = saved;
    catchUp();
    save();
    show(false);
  }
})();
