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
    // Changed means a field differs from what the page was served with, so typing that came before
    // this script ran (a slow connection, a quick typist) counts too.
    function changed() {
      for (var i = 0; i < form.elements.length; i++) {
        var field = form.elements[i];
        if (field.type === "checkbox" || field.type === "radio") {
          if (field.checked !== field.defaultChecked) return true;
        } else if (field.type === "select-one") {
          var served = 0;
          for (var j = 0; j < field.options.length; j++) {
            if (field.options[j].defaultSelected) { served = j; break; }
          }
          if (field.selectedIndex !== served) return true;
        } else if (field.type === "select-multiple") {
          for (var k = 0; k < field.options.length; k++) {
            if (field.options[k].selected !== field.options[k].defaultSelected) return true;
          }
        } else if ("defaultValue" in field && field.type !== "hidden" && field.value !== field.defaultValue) {
          return true;
        }
      }
      return false;
    }
    setTimeout(function () {
      warning.hidden = false;
    }, Math.max(0, seconds - warnBefore) * 1000);
    setTimeout(function () {
      // Save the draft before the session ends; the page comes back with the answers saved.
      if (!changed()) return;
      var save = form.querySelector("button[name=save]");
      if (save) save.click();
    }, (seconds - saveBefore) * 1000);
  });
})();
