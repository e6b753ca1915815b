// The follow-up questionnaire: warn before the session ends and keep the draft.
// Progressive enhancement only: without this file the form saves as usual.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("section-form");
    var warning = document.getElementById("session-warning");
    if (!form || !warning) return;
    var seconds = parseInt(form.getAttribute("data-session-seconds"), 10);
    var warnBefore = parseInt(form.getAttribute("data-session-warning"), 10) || 300;
    var saveBefore = parseInt(form.getAttribute("data-session-autosave"), 10) || 60;
    if (!seconds || seconds <= saveBefore) return;
    var changed = false;
    form.addEventListener("input", function () { changed = true; });
    form.addEventListener("change", function () { changed = true; });
    setTimeout(function () {
      warning.hidden = false;
    }, Math.max(0, seconds - warnBefore) * 1000);
    setTimeout(function () {
      // Save the draft before the session ends; the page comes back with the answers saved.
      if (!changed) return;
      var save = form.querySelector("button[name=save]");
      if (save) save.click();
    }, (seconds - saveBefore) * 1000);
  });
})();
