// Keyboard triage: j/k move through a queue (or to the next/previous item), c/x/e pick a decision.
(function () {
  "use strict";
  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }
  function move(step) {
    var links = Array.prototype.slice.call(document.querySelectorAll("a.row-link"));
    if (links.length) {
      var at = links.indexOf(document.activeElement);
      var next = links[Math.max(0, Math.min(links.length - 1, at < 0 ? 0 : at + step))];
      links.forEach(function (a) { a.closest("tr").classList.remove("current"); });
      next.closest("tr").classList.add("current");
      next.focus();
      return;
    }
    var pager = document.getElementById(step > 0 ? "next-item" : "prev-item");
    if (pager) { window.location.href = pager.href; }
  }
  function choose(key) {
    var radio = document.querySelector('input[type="radio"][data-key="' + key + '"]');
    if (!radio) { return; }
    radio.checked = true;
    var reason = document.getElementById("reason");
    if (reason) { reason.focus(); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) { return; }
    if (event.key === "j") { move(1); event.preventDefault(); }
    else if (event.key === "k") { move(-1); event.preventDefault(); }
    else if (event.key === "c" || event.key === "x" || event.key === "e") { choose(event.key); event.preventDefault(); }
  });
}());
