// Building DOM elements without innerHTML (text is always text).

export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

let composing = false;
document.addEventListener('compositionstart', () => { composing = true; }, true);
document.addEventListener('compositionend', () => { composing = false; }, true);

// Re-renders a list of controls that people may be typing in. Elements are
// matched across renders by data-key: a field whose value differs from what
// it was drawn with (its defaultValue) keeps what the person typed, and the
// focused control gets the focus back (with the caret where it was). Build
// fields with defaultValue, not value, for this to see what was typed.
// Returns false when it did not replace them (see below).
export function replaceKeepingEdits(container, children) {
  // Replacing a field in the middle of an accent typed with a dead key (or
  // any input method) would lose it: that render waits for the next one.
  if (composing && container.contains(document.activeElement)) return false;
  const typed = new Map();
  for (const field of container.querySelectorAll('[data-key]')) {
    if ('defaultValue' in field && field.value !== field.defaultValue) typed.set(field.dataset.key, field.value);
  }
  const active = document.activeElement;
  const focusedKey = container.contains(active) ? active.dataset.key : undefined;
  const caret = focusedKey && selectionOf(active);
  container.replaceChildren(...children);
  for (const [key, value] of typed) {
    const field = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
    if (field) field.value = value;
  }
  if (focusedKey) {
    const again = container.querySelector(`[data-key="${CSS.escape(focusedKey)}"]`);
    if (again) {
      again.focus();
      if (caret) again.setSelectionRange(caret.start, caret.end, caret.direction);
    }
  }
  return true;
}

// Only text fields have a caret (number inputs throw on selectionStart).
function selectionOf(field) {
  try {
    if (typeof field.selectionStart !== 'number') return null;
    return { start: field.selectionStart, end: field.selectionEnd, direction: field.selectionDirection };
  } catch {
    return null;
  }
}

// Sets a node's text only when it changes: a live region announces every
// write, even of the same words, and rewriting costs a cheap phone layout.
export function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}
