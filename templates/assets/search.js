/* Starts Pagefind's search UI (pagefind/pagefind-ui.js, generated at build time) in the search box of the index page.
   Result addresses are made relative to where the site is served, so the same files work at a domain root
   and under a sub-path. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href).pathname;
  new window.PagefindUI({
    element: "#search",
    baseUrl: root,
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  // Pagefind's input has only a title; give it an accessible name (WCAG 4.1.2) in the site's language.
  var name = box.getAttribute("data-label");
  function label() {
    var input = box.querySelector("input");
    if (input && name && !input.hasAttribute("aria-label")) {
      input.setAttribute("aria-label", name);
    }
    return Boolean(input);
  }
  if (!label()) {
    new MutationObserver(function (changes, observer) {
      if (label()) {
        observer.disconnect();
      }
    }).observe(box, { childList: true, subtree: true });
  }
})();
