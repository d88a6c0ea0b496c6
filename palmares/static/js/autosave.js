/*
 * Autosave of the dossier form (applications/applicant/edit.html).
 *
 * Posts the whole form (files left out) to its data-autosave-url when a field loses focus and
 * every 30 seconds, if something changed; the JSON answer carries the new version, written back
 * into the hidden "version" field so the next save (automatic or by a button) is not taken for
 * a conflict. The result is announced in the form's status region. Messages come from the page
 * (server side, translated), never from this file. Without JavaScript the buttons do the same.
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

  function show(text) {
    if (status && text) {
      status.textContent = text;
    }
  }

  function save() {
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
      headers: { Accept: "application/json" }
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

  // A button pressed while an autosave runs waits for it, so it posts the new version.
  form.addEventListener("submit", function (event) {
    stopped = true;
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
