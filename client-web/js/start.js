// Start page: join with a code, or create a session and go to its board.

import { loadLanguage, setupLanguageSwitch, t, formatDateTime } from './i18n.js';
import { LIMITS, PROFILES } from './vocabulary.js';
import { rememberedSessions, rememberSession, tokenOf } from './recent.js';
import { askToDeleteSession } from './session-delete.js';
import { importSession } from './session-import.js';
import { checkCategories, oneLine } from './walk.js';

const joinForm = document.getElementById('join-form');
const createForm = document.getElementById('create-form');

function renderProfiles() {
  const box = document.getElementById('profiles');
  const checked = new Set([...box.querySelectorAll('input:checked')].map((i) => i.value));
  box.replaceChildren(...PROFILES.map((p) => {
    const label = document.createElement('label');
    label.className = 'check';
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.value = p;
    input.checked = checked.size === 0 || checked.has(p);
    label.append(input, ` ${t(`profile.${p}`)}`);
    return label;
  }));
}

// A walk ("Diagnostic en marchant") is a session created with categories;
// its stops are added on the board. Its categories start from the usual
// three, in the page's language until someone edits them.
const kindInputs = document.querySelectorAll('input[name="kind"]');
const categoriesField = document.getElementById('categories');
let categoriesEdited = false;
const isWalkChosen = () => document.querySelector('input[name="kind"]:checked')?.value === 'walk';

function renderKind() {
  document.getElementById('walk-options').hidden = !isWalkChosen();
  if (!categoriesEdited) categoriesField.value = t('start.categories_default');
}
for (const input of kindInputs) {
  input.addEventListener('change', () => {
    // On a walk the notes are seen as they come (the board is rarely
    // projected outdoors): no silent writing first, unless asked for.
    document.getElementById('private-writing').checked = !isWalkChosen();
    renderKind();
  });
}
categoriesField.addEventListener('input', () => { categoriesEdited = true; });

// The categories typed, one per line; { categories } or { error }.
function chosenCategories() {
  const labels = categoriesField.value.split('\n').map(oneLine).filter(Boolean);
  const checked = checkCategories(labels);
  return checked.error ? { error: t(checked.error, checked.detail) } : { categories: checked.labels };
}

function renderRecent() {
  const sessions = rememberedSessions();
  document.getElementById('recent').hidden = sessions.length === 0;
  document.getElementById('recent-list').replaceChildren(...sessions.map((s) => {
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = s.board_url;
    a.textContent = `${s.title} (${formatDateTime(s.created)})`;
    li.append(a);
    // Entries saved before the session id was kept get it when their board is opened.
    if (s.session_id) li.append(deleteButton(s));
    return li;
  }));
}

function deleteButton(session) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'danger';
  button.textContent = t('start.delete');
  button.setAttribute('aria-label', t('start.delete_session', { title: session.title }));
  button.addEventListener('click', async () => {
    const outcome = await askToDeleteSession({
      sessionId: session.session_id, token: tokenOf(session.board_url), title: session.title,
    });
    if (!outcome) return;
    renderRecent();
    const status = document.getElementById('recent-status');
    status.hidden = false;
    status.textContent = t(outcome === 'gone' ? 'start.deleted_gone' : 'start.deleted', { title: session.title });
    // The button is gone with its line: the focus goes to what replaced it.
    status.tabIndex = -1;
    status.focus();
  });
  return button;
}

joinForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('join-error');
  const code = document.getElementById('join-code').value.trim();
  const compact = code.replace(/[\s.-]/g, '').toUpperCase();
  if (!compact) {
    error.textContent = t('start.code_missing');
    return;
  }
  const response = await fetch(`/api/join/${encodeURIComponent(compact)}`);
  if (response.ok) {
    location.href = `/j/${compact}`;
  } else {
    error.textContent = t(response.status === 429 ? 'error.too_many_attempts' : 'start.code_unknown');
  }
});

createForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('create-error');
  const title = document.getElementById('title').value.trim();
  if (!title) {
    error.textContent = t('start.title_missing');
    document.getElementById('title').focus();
    return;
  }
  const profiles = [...document.querySelectorAll('#profiles input:checked')].map((i) => i.value);
  const walk = isWalkChosen() ? chosenCategories() : null;
  if (walk?.error) {
    error.textContent = walk.error;
    categoriesField.focus();
    return;
  }
  const body = {
    title,
    question: document.getElementById('question').value.trim(),
    vote_budget: Number(document.getElementById('vote-budget').value || 0),
    anonymous: document.getElementById('anonymous').checked,
    hidden_votes: document.getElementById('hidden-votes').checked,
    private_writing: document.getElementById('private-writing').checked,
    profiles: profiles.length ? profiles : PROFILES,
    ...(walk?.categories.length ? { categories: walk.categories } : {}),
  };
  const response = await fetch('/api/sessions', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const reply = await response.json();
  if (!response.ok) {
    error.textContent = t(`error.${reply.error.code}`) + ` (${reply.error.message})`;
    return;
  }
  // Stay on the origin the facilitator uses: the board link's path and secret fragment.
  const board = new URL(reply.board_url);
  const local = `${board.pathname}${board.hash}`;
  rememberSession({ title, board_url: local, created: Date.now(), session_id: reply.session_id });
  location.href = local;
});

document.getElementById('import-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = document.getElementById('import-error');
  const button = document.getElementById('import-button');
  error.textContent = '';
  button.disabled = true;
  try {
    const imported = await importSession(document.getElementById('import-file').files[0]);
    rememberSession({ title: imported.title, board_url: imported.board, created: Date.now(), session_id: imported.sessionId });
    location.href = imported.board;
  } catch (failure) {
    error.textContent = failure.message;
    document.getElementById('import-file').focus();
  } finally {
    button.disabled = false;
  }
});

document.getElementById('title').maxLength = LIMITS.title_chars;
document.getElementById('question').maxLength = LIMITS.question_chars;
await loadLanguage();
renderProfiles();
renderRecent();
renderKind();
setupLanguageSwitch(document.getElementById('lang-switch'), () => {
  renderProfiles();
  renderRecent();
  renderKind();
});
