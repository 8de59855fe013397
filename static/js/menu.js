// The phone menu's button (templates/base.html) opens and closes the menu it controls. Without JavaScript the
// menu is shown open instead (static/css/without-js.css). Bootstrap's own script was 80 KB for this alone.
(function () {
  "use strict";
  document.querySelectorAll(".navbar-toggler[aria-controls]").forEach(function (button) {
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      menu.classList.toggle("show", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
    button.addEventListener("click", function () {
      setOpen(!menu.classList.contains("show"));
    });
    // Escape closes the open menu and gives the focus back to its button (the WAI-ARIA disclosure pattern).
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !menu.classList.contains("show")) return;
      setOpen(false);
      button.focus();
    });
  });
})();
