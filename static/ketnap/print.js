// A "Print" button (data-kn-print) prints the page: a listener instead of an onclick attribute (CSP).
document.querySelectorAll("[data-kn-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
