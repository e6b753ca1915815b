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
// A table's scroll box is a tab stop only while it scrolls (keyboard users reach the hidden columns).
function pogiScrollBoxes() {
  document.querySelectorAll(".table--responsive-scroll").forEach(function (box) {
    if (box.scrollWidth > box.clientWidth + 1) box.setAttribute("tabindex", "0");
    else box.removeAttribute("tabindex");
  });
}
document.addEventListener("DOMContentLoaded", pogiScrollBoxes);
window.addEventListener("resize", pogiScrollBoxes);
document.addEventListener("htmx:afterSettle", pogiScrollBoxes);
