// The import page works without this script: it then reloads itself every two seconds while the
// import runs. With it, only the bar and its label change in place, so a keyboard or screen-reader
// user keeps their place, and the page reloads once, when the import has finished, to show the
// summary. The label texts come from the page (data-checking, data-saving) in the reader's language.
const box = document.querySelector('[data-import-progress]');
if (box) {
  const bar = box.querySelector('progress');
  const label = box.querySelector('[data-label]');
  const fill = (text, values) => text.replace(/\{\{(\w+)\}\}/g, (_, k) => String(values[k] ?? ''));
  const tick = async () => {
    try {
      const res = await fetch(box.dataset.importProgress, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok) {
        const imp = await res.json();
        if (imp.status !== 'queued' && imp.status !== 'running') {
          location.reload();
          return;
        }
        const p = imp.progress;
        if (p.total === null) {
          bar.removeAttribute('value');
          label.textContent = fill(box.dataset.checking, p);
        } else {
          bar.max = p.total;
          bar.value = p.processed;
          label.textContent = fill(box.dataset.saving, p);
        }
      }
    } catch {
      // A moment without the network or the server: the next tick asks again.
    }
    setTimeout(tick, 2000);
  };
  setTimeout(tick, 2000);
}
