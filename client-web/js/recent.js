// The facilitator's sessions created on this device, so the board link is
// never lost (it is the only key to the session).

const KEY = 'ruche.sessions';

export function rememberedSessions() {
  try {
    return JSON.parse(localStorage.getItem(KEY) || '[]');
  } catch {
    return [];
  }
}

export function rememberSession(session) {
  const list = rememberedSessions().filter((s) => s.board_url !== session.board_url);
  list.unshift(session);
  localStorage.setItem(KEY, JSON.stringify(list.slice(0, 20)));
}
