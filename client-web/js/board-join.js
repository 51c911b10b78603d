// How people join, on the projector: the QR code, the address and the code
// shown big while people join (the writing phase), then a small corner badge
// with the code, so that it never hides notes. A latecomer can be let in at
// any time: the badge (or "Code et QR") shows it full again, after the
// writing phase as a big overlay in the middle of the screen. The facilitator
// can shrink or enlarge it at any time; the next phase decides again.

export function createJoinPanel({ panel, badge, badgeCode, badgeUrl, toggle, shrink, onChange }) {
  let full = true;
  let phase = null;
  let overlay = false;
  let opener = null;

  function show(next, from) {
    full = next;
    opener = next ? from : null;
    onChange();
  }

  // Shrinking puts the focus back where it came from, or on the badge that
  // takes the panel's place.
  function shrinkAndRefocus() {
    const back = opener ?? badge;
    show(false, null);
    back.focus();
  }

  // The overlay takes the focus, so that Escape or Enter shrinks it again.
  function toggleFrom(from) {
    show(!full, from);
    if (overlay) shrink.focus();
  }

  toggle.addEventListener('click', () => toggleFrom(toggle));
  badge.addEventListener('click', () => toggleFrom(badge));
  shrink.addEventListener('click', shrinkAndRefocus);
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || !full || !overlay || document.querySelector('dialog[open]')) return;
    e.preventDefault();
    shrinkAndRefocus();
  });

  return {
    update(state, { joinCode, joinUrl }) {
      if (state.phase !== phase) {
        phase = state.phase;
        full = phase === 'writing';
      }
      overlay = full && phase !== 'writing';
      panel.hidden = !full;
      panel.classList.toggle('overlay', overlay);
      badge.hidden = full;
      toggle.setAttribute('aria-pressed', String(full));
      if (joinCode) {
        badgeCode.textContent = joinCode;
        badgeUrl.textContent = joinUrl.replace(/^https?:\/\//, '');
      }
    },
    // The part of the screen the panel or the badge keeps covered, which
    // "Tout voir" must keep clear of (the overlay is only there for a moment).
    covered() {
      if (overlay) return null;
      return (full ? panel : badge).getBoundingClientRect();
    },
  };
}
