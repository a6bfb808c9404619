// The daily return form works without this script: with "count from the ticks" on, the server
// counts the ticked children itself. The script only shows that count in the present field as
// children are ticked, so the head sees the number that will be sent.
for (const set of document.querySelectorAll('fieldset[data-group]')) {
  const mode = set.querySelector('input[data-ticks-mode]');
  const present = set.querySelector('input[data-present]');
  const boxes = Array.from(set.querySelectorAll('input[data-child]'));
  if (!mode || !present || !boxes.length) continue;
  const sync = () => {
    if (mode.checked) present.value = String(boxes.filter((b) => b.checked).length);
    present.readOnly = mode.checked;
  };
  for (const box of boxes) {
    box.addEventListener('change', () => {
      // Ticking a child means counting by ticks.
      mode.checked = true;
      sync();
    });
  }
  mode.addEventListener('change', sync);
  sync();
}
