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
})();
