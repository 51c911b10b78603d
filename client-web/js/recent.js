// The facilitator's sessions created on this device, so the board link is
// never lost (it is the only key to the session). Each entry:
// { title, board_url: '/tableau#TOKEN', created, session_id } (session_id
// is missing in entries saved before it was kept; the board adds it).

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

// Where the board keeps its outbox and its facilitator seat for a session.
export function boardStorageKey(token) {
  return `ruche.board.${token.slice(0, 12)}`;
}

export function tokenOf(boardUrl) {
  return boardUrl.slice(boardUrl.indexOf('#') + 1);
}

// After the session is deleted: nothing of it stays on this device.
export function forgetSession(boardUrl) {
  const list = rememberedSessions().filter((s) => s.board_url !== boardUrl);
  localStorage.setItem(KEY, JSON.stringify(list));
  localStorage.removeItem(boardStorageKey(tokenOf(boardUrl)));
}
