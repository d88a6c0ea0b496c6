/*
 * Autosave of the dossier form (applications/applicant/edit.html).
 *
 * Posts the whole form (files left out) to its data-autosave-url when a field loses focus and
 * every 30 seconds, if something changed; the JSON answer carries the new version, written back
 * into the hidden "version" field so the next save (automatic or by a button) is not taken for
 * a conflict. The result is announced in the form's status region. Messages come from the page
 * (server side, translated), never from this file. Without JavaScript the buttons do the same.
 *
 * The last change is never dropped: a change made while a save runs is saved as soon as that
 * one answers; leaving the page (another tab, closing, following a link) saves with
 * `keepalive`, so the request outlives the page; and while a change is not saved yet, the
 * browser asks before leaving (its own standard question, « beforeunload »).
 */
(function () {
  "use strict";

  var form = document.querySelector("form[data-autosave-url]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var version = form.querySelector("input[name='version']");
  var dirty = false;
  var stopped = false;
  var inFlight = null;
  var submitting = false;

  function show(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function save(keepalive) {
    if (!dirty || stopped || inFlight) {
      return inFlight;
    }
    dirty = false;
    var data = new FormData(form);
    // Files go with the buttons only: sending them every 30 seconds would waste bandwidth.
    form.querySelectorAll("input[type='file']").forEach(function (input) {
      data.delete(input.name);
    });
    inFlight = fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      keepalive: keepalive === true
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            version.value = body.version;
          } else if (response.status === 400) {
            dirty = true; // the user will fix the field; try again then
          } else {
            stopped = true; // conflict, expired session, locked dossier: the buttons take over
          }
          show(body.message);
        });
      })
      .catch(function () {
        dirty = true;
        show(form.dataset.autosaveOffline);
      })
      .then(function () {
        inFlight = null;
        // Typed while that save ran: save it now rather than at the next blur or tick.
        if (dirty && !stopped) {
          save();
        }
      });
    return inFlight;
  }

  form.addEventListener("input", function () {
    dirty = true;
  });
  form.addEventListener("change", function () {
    dirty = true;
  });
  form.addEventListener("focusout", function (event) {
    if (event.target.matches("input, textarea, select")) {
      save();
    }
  });
  window.setInterval(save, 30000);

  // Leaving: another tab, the window closed, a link followed. The page may not come back.
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      save(true);
    }
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
  window.addEventListener("beforeunload", function (event) {
    if (submitting || stopped || (!dirty && !inFlight)) {
      return;
    }
    save(true);
    // Unsaved yet: the browser asks the person whether to leave.
    event.preventDefault();
    event.returnValue = "";
  });

  // A button pressed while an autosave runs waits for it, so it posts the new version.
  form.addEventListener("submit", function (event) {
    stopped = true;
    submitting = true;
    if (inFlight) {
      event.preventDefault();
      var submitter = event.submitter;
      inFlight.then(function () {
        if (submitter && form.requestSubmit) {
          form.requestSubmit(submitter);
        } else {
          form.submit();
        }
      });
    }
  });

  // Enter in the partner search field runs the search rather than the form's first button.
  document.querySelectorAll("[data-enter-from]").forEach(function (button) {
    var field = document.getElementById(button.dataset.enterFrom);
    if (field) {
      field.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          button.click();
        }
      });
    }
  });
})();
