// Saving a file that needs the facilitator token: the browser cannot send an
// Authorization header with a plain link, so the file is fetched, then handed
// to the browser as a download under the name the server gives it.

// Throws when the server refuses or does not answer.
export async function downloadWithToken(url, token, fallbackName) {
  const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`${response.status}`);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileNameOf(response) ?? fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

// Content-Disposition: attachment; filename="2026-11-25-atelier-compte-rendu.odt"
function fileNameOf(response) {
  const header = response.headers.get('Content-Disposition') ?? '';
  const encoded = header.match(/filename\*=UTF-8''([^;]+)/i);
  if (encoded) {
    try { return decodeURIComponent(encoded[1]); } catch { /* fall through */ }
  }
  return header.match(/filename="?([^";]+)"?/i)?.[1] ?? null;
}
