/** Small HTML pages for people who follow a link from an email (no login, no scripts). */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

export function page(title: string, paragraphs: string[], extra = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
${extra}
</main>
</body>
</html>
`;
}

/** "the case “…”", or "this case" when its title may not be shown (it is no longer public). */
export const caseName = (title: string | null) => (title ? `the case “${title}”` : 'this case');

/**
 * The unsubscribe confirmation: a button that POSTs the RFC 8058 one-click body to the same URL
 * (a GET never changes anything: mail scanners open links).
 */
export function unsubscribeForm(token: string): string {
  return `<form method="post" action="unsubscribe?token=${escapeHtml(encodeURIComponent(token))}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button>
</form>`;
}

/** The follow confirmation: a button that POSTs to the same URL (the GET changes nothing). */
export function confirmForm(token: string): string {
  return `<form method="post" action="confirm?token=${escapeHtml(encodeURIComponent(token))}">
<button type="submit">Follow this case</button>
</form>`;
}
