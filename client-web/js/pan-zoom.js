// Moving around a board, for the live board and the replay: the view (pan
// and zoom) of a world element inside its viewport, and the pointer drag
// that panning, and on the live board moving notes and themes, are made of.

// Follows one pointer from its pointerdown `e`, captured by `node`. Calls
// onMove(at) once it has gone `slop` px or more from the start, and
// onEnd(moved, at) when it is released or cancelled; `at` is the pointer's
// last position on the screen (x, y) and how far it is from the start (dx, dy).
export function followDrag(node, e, { onMove, onEnd, slop = 0 }) {
  const start = { x: e.clientX, y: e.clientY };
  let at = { ...start, dx: 0, dy: 0 };
  let moved = false;
  const track = (ev) => { at = { x: ev.clientX, y: ev.clientY, dx: ev.clientX - start.x, dy: ev.clientY - start.y }; };
  node.setPointerCapture(e.pointerId);
  const move = (ev) => {
    track(ev);
    if (!moved && Math.hypot(at.dx, at.dy) < slop) return;
    moved = true;
    onMove(at);
  };
  // A cancelled pointer (the browser took it over) ends where it last was.
  const end = (ev) => {
    if (ev.type === 'pointerup') track(ev);
    node.removeEventListener('pointermove', move);
    node.removeEventListener('pointerup', end);
    node.removeEventListener('pointercancel', end);
    onEnd?.(moved, at);
  };
  node.addEventListener('pointermove', move);
  node.addEventListener('pointerup', end);
  node.addEventListener('pointercancel', end);
}

// Pans by dragging the viewport's background (not what matches `ignore`),
// zooms with Ctrl + wheel (a touchpad's pinch) and by zoomBy(). onChange(view)
// hears every change of the view.
export function createPanZoom({ viewport, world, view: start, ignore = null, onChange = null }) {
  const view = { ...start };

  function apply() {
    world.style.transform = `translate(${view.x}px, ${view.y}px) scale(${view.zoom})`;
    onChange?.(view);
  }

  function set(next) {
    Object.assign(view, next);
    apply();
  }

  // A point of the screen in the world's coordinates.
  function toWorld(clientX, clientY) {
    const box = viewport.getBoundingClientRect();
    return { x: (clientX - box.left - view.x) / view.zoom, y: (clientY - box.top - view.y) / view.zoom };
  }

  // Around the middle of the viewport.
  function zoomBy(factor) {
    const box = viewport.getBoundingClientRect();
    const cx = box.width / 2;
    const cy = box.height / 2;
    const next = Math.min(2.5, Math.max(0.15, view.zoom * factor));
    set({ x: cx - ((cx - view.x) * next) / view.zoom, y: cy - ((cy - view.y) * next) / view.zoom, zoom: next });
  }

  viewport.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || (ignore && e.target.closest(ignore))) return;
    const from = { x: view.x, y: view.y };
    viewport.classList.add('panning');
    followDrag(viewport, e, {
      onMove: (at) => set({ x: from.x + at.dx, y: from.y + at.dy }),
      onEnd: () => viewport.classList.remove('panning'),
    });
  });
  viewport.addEventListener('wheel', (e) => {
    if (!e.ctrlKey) return;
    e.preventDefault();
    zoomBy(e.deltaY < 0 ? 1.1 : 0.9);
  }, { passive: false });

  apply();
  return { view, set, toWorld, zoomBy };
}
