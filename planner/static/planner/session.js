// The session page's guide (planner/templates/planner/session.html): one step at a time, with a countdown for
// timed steps and rests. The checklist in the page is the source of the steps (data-* on each <li>) and stays as
// the overview; without JavaScript it is the whole page.
//
// The place is kept in localStorage under "steady-session-<id>": {index, endsAt, remaining, done, finished,
// stopped}. endsAt is an absolute moment (ms since the epoch) and the time left is always endsAt - Date.now(), so
// a locked phone, a throttled tab or a reload never loses or gains time. Ticks only redraw; they never count.
//
// A timed step that runs out while the person is watching leads straight on to the next step. One that ran out
// while they were away (the page hidden, the phone locked, the page reloaded or left) is ticked, and the guide
// waits, paused, at the next step ("Welcome back: ... is next"): nothing more goes by unseen.
//
// Focus moves only when the person pressed one of the guide's buttons; a change the clock makes is only
// announced (aria-live), unless it hid the control that had focus.
(function () {
  "use strict";

  var guide = document.getElementById("guide");
  if (!guide) return;
  if (guide.dataset.done) {
    // Marked done (here or on the dashboard): no guide, and no old place to come back to if it is undone.
    try {
      window.localStorage.removeItem("steady-session-" + guide.dataset.session);
    } catch (e) {
      /* nothing to do */
    }
    return;
  }
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
  var note = $("guide-note");
  var soundHint = $("guide-sound-hint");
  var startButton = $("guide-start");
  var stoppedNote = $("guide-stopped");
  var restartButton = $("guide-restart");
  var finishedHeading = $("guide-finished-heading");
  var beepBox = $("guide-beep");
  var vibrateBox = $("guide-vibrate");

  var key = "steady-session-" + guide.dataset.session;
  var prefsKey = "steady-guide-prefs";
  var state = null; // {index, endsAt, remaining, done: [indexes], finished, stopped, count}
  var timer = null;
  var wakeLock = null;
  var audio = null;
  var gestured = false; // the person has tapped or pressed a key on this page: sound is allowed
  var welcomePending = false; // a step ran out while the page was hidden: say "Welcome back" on return
  var submitted = false;
  // A step that ended more than this long ago ended while nobody was watching (timers stopped: a locked
  // phone, a sleeping computer), even if the page never said it was hidden.
  var LATE_MS = 3000;

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
  // After a reload the "Beep" box is still ticked, but the browser lets the page make sound only after a tap or
  // a key press: say so, and allow the sound on the first one.
  function drawSoundHint() {
    var running = state && !state.stopped && !state.finished;
    var allowed = gestured || (audio && audio.state === "running");
    soundHint.hidden = !(beepBox.checked && running && !allowed);
  }
  function onGesture() {
    gestured = true;
    ["pointerup", "click", "keydown", "touchend"].forEach(function (name) {
      document.removeEventListener(name, onGesture, true);
    });
    if (beepBox.checked) {
      prepareAudio();
      if (audio && audio.state === "suspended") {
        try {
          audio.resume().catch(function () {});
        } catch (e) {
          /* no sound then */
        }
      }
    }
    drawSoundHint();
  }
  ["pointerup", "click", "keydown", "touchend"].forEach(function (name) {
    document.addEventListener(name, onGesture, true);
  });

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

  // Put the guide on step `index`: a timed step starts at once (from `startAt`: the moment the step before
  // ended), unless the guide is paused or `pause` says to wait.
  function enter(index, startAt, pause) {
    var paused = pause || isPaused();
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

  // A timed step whose end has passed is done. Seen to its end, the next step starts from that moment; run out
  // while the person was `away` (or long ago), the guide waits, paused, at the next step. True if it moved on.
  function runOut(away) {
    if (!state || state.stopped || state.finished || !state.endsAt || state.endsAt > Date.now()) return false;
    var endedAt = state.endsAt;
    var unseen = away || Date.now() - endedAt > LATE_MS;
    markDone(state.index);
    enter(state.index + 1, endedAt, unseen);
    if (unseen) welcomePending = true;
    beep();
    buzz();
    save();
    redraw();
    if (welcomePending && document.visibilityState !== "hidden") welcome();
    return true;
  }

  function welcome() {
    welcomePending = false;
    if (state.finished) {
      status.textContent = "Welcome back: that's all of it. Well done.";
      return;
    }
    var step = steps[state.index];
    var words = "Welcome back: " + step.title + " is next.";
    note.textContent = words;
    note.hidden = false;
    status.textContent =
      words +
      " Step " +
      (state.index + 1) +
      " of " +
      steps.length +
      ", " +
      step.dose +
      (step.seconds ? ". Paused: press Resume when you're ready." : ".");
  }

  function markDone(index) {
    if (state.done.indexOf(index) === -1) state.done.push(index);
  }

  function tick() {
    if (!state) return;
    if (runOut(document.visibilityState === "hidden")) return;
    drawTime();
  }

  // The page is seen again (unlocked, back in front, restored from the back/forward cache).
  function comeBack() {
    if (!state || state.stopped) return;
    if (!runOut(true)) {
      if (welcomePending) welcome();
      drawTime();
    }
    if (!state.finished && !stage.hidden) keepAwake();
  }

  function drawTime() {
    var step = steps[state.index];
    if (!step || !step.seconds) return;
    countdown.textContent = clock(remainingMs());
  }

  function runTimer() {
    if (timer) window.clearInterval(timer);
    timer = null;
    if (state && !state.stopped && !state.finished && state.endsAt) timer = window.setInterval(tick, 250);
  }

  // --- Drawing ------------------------------------------------------------------------------------------------

  function drawTicks() {
    steps.forEach(function (step, index) {
      if (step.box) step.box.checked = state.done.indexOf(index) !== -1;
    });
  }

  // A change the clock made: announced, but focus stays where it is, unless the control that had it is gone.
  function redraw() {
    var active = document.activeElement;
    var hadFocus = active && active !== document.body && guide.contains(active);
    show(false);
    if (hadFocus && !active.getClientRects().length) {
      if (state.finished) finishedHeading.focus();
      else title.focus();
    }
  }

  function show(moveFocus) {
    runTimer();
    drawTicks();
    drawSoundHint();
    note.hidden = true;
    if (state.stopped) {
      stage.hidden = true;
      finished.hidden = true;
      ready.hidden = false;
      $("guide-intro").hidden = true;
      stoppedNote.hidden = false;
      restartButton.hidden = false;
      letSleep();
      return;
    }
    ready.hidden = true;
    if (state.finished) {
      stage.hidden = true;
      finished.hidden = false;
      letSleep();
      status.textContent = "That's all of it. Well done.";
      if (moveFocus) finishedHeading.focus();
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
      picture.alt = "";
    }
    easier.hidden = !step.easier;
    easier.textContent = step.easier ? "Easier: " + step.easier : "";
    howtoLine.hidden = !step.howto;
    if (step.howto) howto.href = step.howto;
    // A repetition step waits for "Done, next"; a timed one runs out by itself, or is done early (a stretch held
    // long enough: ticked) or skipped (not ticked).
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

  // The ticks in the checklist, as the person left them (they may tick or untick a box by hand).
  function tickedBoxes() {
    var done = [];
    steps.forEach(function (step, index) {
      if (step.box && step.box.checked) done.push(index);
    });
    return done;
  }

  function start(keepTicks) {
    prepareAudio();
    state = {
      count: steps.length,
      index: 0,
      endsAt: null,
      remaining: null,
      done: keepTicks ? tickedBoxes() : [],
      finished: false,
      stopped: false,
    };
    enter(0);
    save();
    show(true);
  }

  startButton.addEventListener("click", function () {
    if (!state || !state.stopped || state.finished) {
      start(true);
      return;
    }
    // Carry on where the guide was stopped, with the ticks as they are now.
    prepareAudio();
    state.stopped = false;
    state.done = tickedBoxes();
    if (isPaused()) {
      state.endsAt = Date.now() + state.remaining;
      state.remaining = null;
    }
    save();
    show(true);
  });
  restartButton.addEventListener("click", function () {
    start(false);
  });
  $("guide-again").addEventListener("click", function () {
    start(false);
  });
  $("guide-finished-back").addEventListener("click", function () {
    go(steps.length - 1);
  });
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
    // The ticks stay (they record what was done); the step's time left is kept for "Start".
    if (state.endsAt) {
      state.remaining = remainingMs();
      state.endsAt = null;
    }
    state.stopped = true;
    save();
    show(false);
    status.textContent = "Guide stopped. Your ticks stay; press Start to carry on. The steps are listed below.";
    startButton.focus();
  });
  form.addEventListener("change", function (event) {
    // A box ticked or unticked by hand while the guide has a place: remember it.
    if (!state) return;
    var index = steps.findIndex(function (step) {
      return step.box === event.target;
    });
    if (index === -1) return;
    var at = state.done.indexOf(index);
    if (event.target.checked && at === -1) state.done.push(index);
    if (!event.target.checked && at !== -1) state.done.splice(at, 1);
    save();
  });
  form.addEventListener("submit", function () {
    submitted = true;
    store(key, null);
  });

  function savePrefs() {
    store(prefsKey, { beep: beepBox.checked, vibrate: vibrateBox.checked });
  }
  beepBox.addEventListener("change", function () {
    prepareAudio();
    savePrefs();
    if (state) drawSoundHint();
  });
  vibrateBox.addEventListener("change", savePrefs);

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") comeBack();
  });
  window.addEventListener("pageshow", function (event) {
    // Back to a copy of the page kept from before it was marked done: load it afresh.
    if (event.persisted && submitted) {
      window.location.reload();
      return;
    }
    comeBack();
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
    if (!Array.isArray(state.done)) state.done = [];
    // Reloaded (or come back to) after the step's end: that step is done, the next one waits.
    if (!runOut(true)) show(false);
    save();
  }
})();
