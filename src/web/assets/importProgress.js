// The import page works without this script: it then reloads itself every two seconds while the
// import runs. With it, only the bar and its label change in place, so a keyboard or screen-reader
// user keeps their place, and the page reloads once, when the import has finished, to show the
// summary. The label texts come from the page (data-checking, data-saving) in the reader's language.
// Plain ES5 and XMLHttpRequest: a school's old laptop may run an old browser, and a script it
// cannot parse would leave the page standing still.
(function () {
  var box = document.querySelector('[data-import-progress]');
  if (!box) return;
  var bar = box.querySelector('progress');
  var label = box.querySelector('[data-label]');
  function fill(text, values) {
    return text.replace(/\{\{(\w+)\}\}/g, function (_, key) {
      return values[key] === undefined || values[key] === null ? '' : String(values[key]);
    });
  }
  function show(imp) {
    if (imp.status !== 'queued' && imp.status !== 'running') {
      window.location.reload();
      return false;
    }
    var p = imp.progress;
    if (p.total === null) {
      bar.removeAttribute('value');
      label.textContent = fill(box.getAttribute('data-checking'), p);
    } else {
      bar.max = p.total;
      bar.value = p.processed;
      label.textContent = fill(box.getAttribute('data-saving'), p);
    }
    return true;
  }
  function tick() {
    var req = new XMLHttpRequest();
    req.open('GET', box.getAttribute('data-import-progress'));
    req.setRequestHeader('Accept', 'application/json');
    req.onload = function () {
      var again = true;
      if (req.status === 200) {
        try {
          again = show(JSON.parse(req.responseText));
        } catch (e) {
          again = true;
        }
      }
      if (again) setTimeout(tick, 2000);
    };
    // A moment without the network or the server: the next tick asks again.
    req.onerror = function () {
      setTimeout(tick, 2000);
    };
    req.send();
  }
  setTimeout(tick, 2000);
})();
