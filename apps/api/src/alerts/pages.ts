/** Small HTML pages for people who follow a link from an email (no login, no scripts). */
import type { PublicCaseView, PublicHearingView } from '#alerts';
import { isIanaTimeZone } from '#common';
import { labelsFor } from '#reports';

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

/** The zones a follower may pick on the public form: UTC, then every IANA zone the API accepts. */
const FOLLOWER_TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => isIanaTimeZone(zone))];

/** The `<select>` of time zones for alerts, with `selected` (the court's zone) chosen. */
function timeZoneSelect(selected: string): string {
  const zones = FOLLOWER_TIME_ZONES.includes(selected) ? FOLLOWER_TIME_ZONES : [selected, ...FOLLOWER_TIME_ZONES];
  const options = zones.map((zone) => `<option${zone === selected ? ' selected' : ''}>${escapeHtml(zone)}</option>`);
  return `<select name="timeZone">${options.join('')}</select>`;
}

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

/** The public page is in English, with the labels of English reports. */
const labels = labelsFor('en');

function hearingList(title: string, hearings: PublicHearingView[]): string {
  if (hearings.length === 0) return '';
  const items = hearings.map((h) => {
    const where = [h.court, h.courtroom].filter((part) => part).join(', ');
    const status = h.status === 'scheduled' ? '' : ` — ${labels.hearingStatus(h.status)}`;
    const when = labels.dateTime(h.startsAt, h.timeZone);
    const text = `${when}: ${labels.hearingKind(h.kind)}${where ? `, ${where}` : ''}${status}`;
    const line = escapeHtml(text);
    return `<li>${h.status === 'cancelled' || h.status === 'postponed' ? `<s>${line}</s>` : line}</li>`;
  });
  return `<h2>${escapeHtml(title)}</h2>\n<ul>\n${items.join('\n')}\n</ul>`;
}

/**
 * The public page of a case: what the alerts and calendar entries of a public case link to. Only
 * what `PublicCaseView` holds (public material), a link to its calendar feed and a form to follow
 * it by email (a plain form POST to a relative URL, so the CSP's `form-action 'self'` allows it; the
 * confirmation link then comes by email).
 */
export function publicCasePage(view: PublicCaseView): string {
  const facts = [
    view.defendants.length > 0 ? `Defendants: ${view.defendants.join(', ')}.` : '',
    `Stage: ${labels.stage(view.stage)}${view.verdict ? ` (${labels.verdict(view.verdict)})` : ''}.`,
    view.court ? `Court: ${view.court}.` : '',
  ].filter((line) => line);
  const charges =
    view.charges.length === 0
      ? ''
      : `<h2>Charges</h2>\n<ul>\n${view.charges
          .map((c) => `<li>${escapeHtml(c.article ? `${c.article}: ${c.description}` : c.description)}</li>`)
          .join('\n')}\n</ul>`;
  const upcoming = hearingList('Upcoming hearings', view.upcomingHearings);
  const past = hearingList('Past hearings', view.pastHearings);
  // Alerts give the court's time too; the follower's own zone defaults to the court's.
  const courtZone = [...view.upcomingHearings, ...view.pastHearings][0]?.timeZone ?? 'UTC';
  const follow = `<h2>Follow this case</h2>
<p>Receive an email before each hearing and when one is moved or cancelled. We first send a link to confirm.</p>
<form method="post" action="${escapeHtml(view.id)}/follow">
<label>Email <input type="email" name="email" required maxlength="254"></label>
<label>Language <select name="language"><option value="en">English</option><option value="ru">Русский</option></select></label>
<label>Time zone for the alerts ${timeZoneSelect(courtZone)}</label>
<button type="submit">Follow</button>
</form>
<p><a href="${escapeHtml(view.links.calendar)}">Calendar of the hearings</a> (iCalendar, for calendar apps).</p>`;
  return page(view.title, facts, [charges, upcoming, past, follow].filter((part) => part).join('\n'));
}
