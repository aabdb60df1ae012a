// The forms page (templates/admission/documents/documents.html): poll the documents being generated and reload
// the page when one of them finishes (a static file, not an inline script: CSP).
(function () {
  const pending = document.querySelectorAll('[data-status="queued"], [data-status="running"]');
  if (!pending.length) return;
  const poll = () => Promise.all([...pending].map((el) => fetch(el.dataset.statusUrl, {headers: {Accept: 'application/json'}})
      .then((r) => r.json()).then((s) => {
        const bar = el.querySelector('.kn-progress'); if (bar) bar.textContent = s.progress + '%';
        return s.status === 'done' || s.status === 'failed';
      })))
    .then((finished) => { if (finished.some(Boolean)) { window.location.reload(); } else { setTimeout(poll, 1500); } })
    .catch(() => setTimeout(poll, 5000));
  setTimeout(poll, 1000);
})();
