/*
 * The palmarès search (/palmares/) with HTMX: what happens after the results region is swapped.
 *
 * - The filter groups the visitor opened stay open (the server opens only those with a ticked
 *   box; a group whose last box was unticked would otherwise fold away).
 * - When the control that had the focus was replaced (« Appliquer les filtres », « Trier », a
 *   page link), the focus goes to the results heading, which says how many laureates there
 *   are, instead of falling back to the start of the page (RGAA 7.1, 12.8). A control that
 *   stayed in place (the search field) keeps it.
 * The document title comes with the region (its <title>); htmx sets it.
 */
(function () {
  "use strict";

  var REGION = "resultats-recherche";
  var open = [];

  function isRegion(event) {
    return event.detail && event.detail.target && event.detail.target.id === REGION;
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!isRegion(event)) {
      return;
    }
    open = Array.prototype.map.call(
      event.detail.target.querySelectorAll("details[open][id]"),
      function (group) {
        return group.id;
      }
    );
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (!isRegion(event)) {
      return;
    }
    open.forEach(function (id) {
      var group = document.getElementById(id);
      if (group) {
        group.open = true;
      }
    });
    var focused = document.activeElement;
    if (!focused || focused === document.body || !focused.isConnected) {
      var heading = document.getElementById("resultats-titre");
      if (heading) {
        heading.focus();
      }
    }
  });
})();
