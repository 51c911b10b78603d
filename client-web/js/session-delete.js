// Deleting a session for good, from the board or the start page. A dialog
// says exactly what is lost and offers the full export (JSON) first; then
// DELETE /api/sessions/{id} with the facilitator token, and the session is
// forgotten on this device.

import { t } from './i18n.js';
import { el } from './dom.js';
import { downloadWithToken } from './download.js';
import { forgetSession } from './recent.js';

// Resolves to 'deleted', 'gone' (the server no longer had it: forgotten here
// all the same) or null (the person changed their mind).
export function askToDeleteSession({ sessionId, token, title }) {
  return new Promise((resolve) => {
    let outcome = null;
    const error = el('p', { className: 'hint', id: 'delete-session-error' });
    error.setAttribute('role', 'alert');
    const download = el('button', { type: 'button', textContent: t('delete.download') });
    const cancel = el('button', { type: 'button', textContent: t('delete.cancel'), autofocus: true });
    const confirm = el('button', { type: 'button', className: 'danger-strong', textContent: t('delete.confirm') });
    const dialog = el('dialog', { className: 'confirm-dialog', id: 'delete-session-dialog' },
      el('h2', { id: 'delete-session-heading', textContent: t('delete.heading') }),
      el('div', { id: 'delete-session-what' },
        el('p', { className: 'confirm-title', textContent: t('delete.session', { title }) }),
        el('p', { textContent: t('delete.lost_intro') }),
        el('ul', {}, ...['delete.lost_notes', 'delete.lost_votes', 'delete.lost_themes', 'delete.lost_plan', 'delete.lost_minutes']
          .map((key) => el('li', { textContent: t(key) }))),
        el('p', {}, el('strong', { textContent: t('delete.no_undo') }))),
      el('p', { className: 'hint', textContent: t('delete.export_first') }),
      download,
      error,
      el('div', { className: 'row menu-footer' }, cancel, confirm));
    dialog.setAttribute('aria-labelledby', 'delete-session-heading');
    dialog.setAttribute('aria-describedby', 'delete-session-what');

    download.addEventListener('click', async () => {
      error.textContent = '';
      try {
        await downloadWithToken(`/api/sessions/${sessionId}/minutes.json`, token, 'sauvegarde-ruche.json');
      } catch {
        error.textContent = t('delete.download_failed');
      }
    });
    cancel.addEventListener('click', () => dialog.close());
    confirm.addEventListener('click', async () => {
      error.textContent = '';
      confirm.disabled = true;
      try {
        outcome = await deleteOnServer(sessionId, token);
        forgetSession(`/tableau#${token}`);
        dialog.close();
      } catch (e) {
        error.textContent = e.message;
        confirm.disabled = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(outcome);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

async function deleteOnServer(sessionId, token) {
  let response;
  try {
    response = await fetch(`/api/sessions/${sessionId}`, {
      method: 'DELETE', headers: { Authorization: `Bearer ${token}` },
    });
  } catch {
    throw new Error(t('delete.offline'));
  }
  if (response.status === 204) return 'deleted';
  // The token is this session's own: refused means the session is not there any more.
  if (response.status === 401) return 'gone';
  throw new Error(t('delete.failed'));
}
