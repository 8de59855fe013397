// Marks the page as having JavaScript, before it is drawn, so that the CSS can show the collapsed phone menu
// to browsers without it (a separate file: the CSP allows no inline script).
document.documentElement.classList.add("js");
