// Bringing back a session from its full export (the JSON file downloaded from
// "Rejouer la séance et compte-rendu"): POST /api/sessions/import creates a
// new session with the same history, a new code and a new board link.

import { t } from './i18n.js';

// The server takes up to 32 MiB; a bigger file is refused before it is sent,
// which on a weak Wi-Fi saves a long wait for nothing.
const MAX_BYTES = 32 * 1024 * 1024;

// Resolves to { board, sessionId, title }, board being the local board link
// ('/tableau#TOKEN'); throws an Error whose message
// is for the person (French or English).
export async function importSession(file) {
  if (!file) throw new Error(t('import.no_file'));
  if (file.size > MAX_BYTES) throw new Error(t('import.too_large'));
  const text = await file.text();
  let response;
  try {
    response = await fetch('/api/sessions/import', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text,
    });
  } catch {
    throw new Error(t('import.offline'));
  }
  const reply = await response.json().catch(() => null);
  if (response.status !== 201 || !reply?.board_url) throw new Error(failureMessage(response.status, reply?.error));
  // Stay on the origin the facilitator uses: the board link's path and secret fragment.
  const board = new URL(reply.board_url);
  return { board: `${board.pathname}${board.hash}`, sessionId: reply.session_id, title: titleOf(text, file.name) };
}

function failureMessage(status, error) {
  if (status === 413) return t('import.too_large');
  if (status === 400) {
    if (error?.code === 'not_json') return t('import.not_json');
    // "version must be 1": a file from another version of Ruche.
    if (error?.code === 'out_of_range' && /version must be/.test(error.message ?? '')) return t('import.other_version');
    if (error?.code === 'too_long') return t('import.too_big');
    return t('import.invalid');
  }
  if (status === 429) return t(error?.code === 'import_in_progress' ? 'import.in_progress' : 'import.too_many');
  if (status === 503) return t(error?.code === 'busy' ? 'import.busy' : 'import.storage');
  return t('import.failed', { status });
}

// The title to remember until the board has said hello (it then knows better).
function titleOf(text, fileName) {
  try {
    return JSON.parse(text).state.settings.title || fileName;
  } catch {
    return fileName;
  }
}
