// The public lookup (templates/portal/lookup.html). The failure page echoes nothing typed (so that it is the same
// for every code); the browser refills the code from sessionStorage. A static file, not an inline script (CSP).
(function () {
  var form = document.getElementById("lookup-form"), code = form && form.elements.ma;
  if (!code) { return; }
  try {
    if (!code.value) { code.value = sessionStorage.getItem("kn-lookup-code") || ""; }
    form.addEventListener("submit", function () { sessionStorage.setItem("kn-lookup-code", code.value); });
  } catch (e) { /* storage disabled: the code is typed again */ }
})();
