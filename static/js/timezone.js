// Prefill the time zone from the browser (a separate file: the CSP allows no inline script).
// Without JavaScript the select keeps its server-side default and the person picks their zone.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) { return; }
  document.querySelectorAll("select[data-browser-timezone]").forEach(function (select) {
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) { select.value = zone; return; }
    }
  });
})();
