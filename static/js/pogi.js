// Progressive enhancement only: every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button || !navigator.clipboard) return;
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source) return;
  navigator.clipboard.writeText(source.innerText.trim()).then(function () {
    var label = button.textContent;
    button.textContent = button.getAttribute("data-copied-label");
    setTimeout(function () { button.textContent = label; }, 2000);
  });
});
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("[data-copy-target][hidden]").forEach(function (b) { b.hidden = false; });
});
