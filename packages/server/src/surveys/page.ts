import {
  type FieldError,
  followUpField,
  MAX_COMMENT_CHARS,
  type Question,
  SCALES,
  type SurveyDefinition,
} from '@cx/core';

/**
 * The hosted survey page, rendered on the server as one small HTML document (no React bundle):
 * a plain form that works without JavaScript (POST to the same URL), radio groups in fieldsets
 * with legends for every scale, labels for every text box, an error summary that links to the
 * questions, large touch targets, a mobile viewport and high contrast. The inline script only
 * shows follow-up questions when their score range is chosen, prevents double submits and, inside
 * an embed, reports its height to the host page. Every text from a definition or an answer is
 * HTML-escaped, so a survey title or a comment can never inject markup.
 */

export const esc = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

type Lang = 'en' | 'de' | 'fr';
const UI: Record<
  Lang,
  {
    send: string;
    required: string;
    optional: string;
    problems: (n: number) => string;
    preview: string;
    ends: Record<Exclude<Question['kind'], 'open'>, [string, string]>;
  }
> = {
  en: {
    send: 'Send',
    required: 'required',
    optional: 'optional',
    problems: (n) => (n === 1 ? 'Please check 1 answer' : `Please check ${n} answers`),
    preview: 'Preview — answers are not saved',
    ends: {
      nps: ['Not at all likely', 'Extremely likely'],
      csat: ['Very dissatisfied', 'Very satisfied'],
      ces: ['Very difficult', 'Very easy'],
      element: ['Poor', 'Excellent'],
    },
  },
  de: {
    send: 'Absenden',
    required: 'Pflichtfeld',
    optional: 'optional',
    problems: (n) => (n === 1 ? 'Bitte prüfen Sie 1 Antwort' : `Bitte prüfen Sie ${n} Antworten`),
    preview: 'Vorschau — Antworten werden nicht gespeichert',
    ends: {
      nps: ['Sehr unwahrscheinlich', 'Sehr wahrscheinlich'],
      csat: ['Sehr unzufrieden', 'Sehr zufrieden'],
      ces: ['Sehr schwierig', 'Sehr einfach'],
      element: ['Schlecht', 'Ausgezeichnet'],
    },
  },
  fr: {
    send: 'Envoyer',
    required: 'obligatoire',
    optional: 'facultatif',
    problems: (n) => (n === 1 ? 'Veuillez vérifier 1 réponse' : `Veuillez vérifier ${n} réponses`),
    preview: 'Aperçu — les réponses ne sont pas enregistrées',
    ends: {
      nps: ['Pas du tout probable', 'Très probable'],
      csat: ['Très insatisfait', 'Très satisfait'],
      ces: ['Très difficile', 'Très facile'],
      element: ['Mauvais', 'Excellent'],
    },
  },
};
const ui = (lang: string) => UI[(lang in UI ? lang : 'en') as Lang];

const CSS = `*{box-sizing:border-box}body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111;background:#f3f4f6}
main{max-width:40rem;margin:0 auto;padding:1.25rem 1rem 2rem;background:#fff;min-height:100vh}
@media(min-width:44rem){main{margin:2rem auto;min-height:0;border-radius:12px;box-shadow:0 1px 4px #0002;padding:2rem}}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .5rem}.intro{margin:0 0 1rem;color:#333}
fieldset,.q{border:0;margin:0 0 1.5rem;padding:0;min-width:0}legend,.q>label{font-weight:600;padding:0;margin-bottom:.5rem;display:block}
.tag{font-weight:400;color:#444;font-size:.9em}
.scale{display:flex;gap:4px}.scale label{flex:1 1 0;min-width:0;position:relative}
.scale input{position:absolute;opacity:0;width:100%;height:100%;margin:0;cursor:pointer}
.scale span{display:block;text-align:center;padding:.6rem 0;border:2px solid #555;border-radius:6px;font-weight:600;background:#fff}
.scale input:checked+span{background:#0b3d91;border-color:#0b3d91;color:#fff}
.scale input:focus-visible+span{outline:3px solid #d4351c;outline-offset:2px}
.scale label:hover span{border-color:#0b3d91}
.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#444;margin-top:.25rem;gap:1rem}.ends span:last-child{text-align:right}
textarea{width:100%;font:inherit;padding:.5rem;border:2px solid #555;border-radius:6px;min-height:6rem}
textarea:focus-visible{outline:3px solid #d4351c;outline-offset:1px}
.fu{margin-top:1rem}.fu label{font-weight:600;display:block;margin-bottom:.25rem}
button{font:inherit;font-weight:600;color:#fff;background:#0b3d91;border:0;border-radius:6px;padding:.75rem 2rem;min-height:48px;cursor:pointer}
button:focus-visible{outline:3px solid #d4351c;outline-offset:2px}button:disabled{opacity:.6}
.err{color:#b00020;font-weight:600;margin:.25rem 0 0}.bad span,.bad textarea{border-color:#b00020}
.summary{border:3px solid #b00020;padding:.75rem 1rem;margin:0 0 1.5rem;border-radius:6px}.summary h2{font-size:1.1rem;margin:0 0 .25rem}
.summary a{color:#b00020}.banner{background:#fff4ce;border:2px solid #8a6d00;padding:.5rem .75rem;border-radius:6px;margin:0 0 1rem}
[hidden]{display:none!important}
@media(forced-colors:active){.scale input:checked+span{forced-color-adjust:none;background:Highlight;color:HighlightText}}`;

/** Shows each follow-up only when its score range is chosen; disables the button once sent; sizes an embed. */
const SCRIPT = `(function(){var f=document.querySelector('form');if(!f)return;
document.querySelectorAll('.fu').forEach(function(d){var n=d.getAttribute('data-for'),lo=+d.getAttribute('data-min'),hi=+d.getAttribute('data-max');
function u(){var c=f.querySelector('input[name="'+n+'"]:checked');var v=c?+c.value:NaN;d.hidden=!(v>=lo&&v<=hi)}
f.querySelectorAll('input[name="'+n+'"]').forEach(function(i){i.addEventListener('change',function(){u();h()})});u()});
f.addEventListener('submit',function(){var b=f.querySelector('button');if(b)setTimeout(function(){b.disabled=true},0)});
function h(){if(window.parent!==window)parent.postMessage({cxSurveyHeight:document.documentElement.scrollHeight},'*')}
window.addEventListener('load',h);window.addEventListener('resize',h);h();
var s=document.getElementById('summary');if(s)s.focus()})();`;

export interface PageOptions {
  lang: string;
  /** POST target. */
  action: string;
  token?: string;
  nonce: string;
  mode: 'live' | 'preview';
  /** Answers to show again after a refused submit. */
  values?: Record<string, string>;
  errors?: readonly FieldError[];
}

function document(title: string, lang: string, body: string, nonce: string | null): string {
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(title)}</title><style>${CSS}</style></head><body><main>${body}</main>${nonce ? `<script nonce="${esc(nonce)}">${SCRIPT}</script>` : ''}</body></html>`;
}

function scoreQuestion(q: Question, o: PageOptions, error: FieldError | undefined): string {
  const t = ui(o.lang);
  const kind = q.kind as Exclude<Question['kind'], 'open'>;
  const { min, max } = SCALES[kind];
  const value = o.values?.[q.id];
  const errId = `${q.id}-err`;
  const endsId = `${q.id}-ends`;
  const [low, high] = [q.lowLabel ?? t.ends[kind][0], q.highLabel ?? t.ends[kind][1]];
  let radios = '';
  for (let v = min; v <= max; v++) {
    radios += `<label><input type="radio" name="${esc(q.id)}" value="${v}"${value === String(v) ? ' checked' : ''}${q.required ? ' required' : ''}><span>${v}</span></label>`;
  }
  let html = `<fieldset id="q-${esc(q.id)}" class="${error ? 'bad' : ''}" aria-describedby="${endsId}${error ? ` ${errId}` : ''}"><legend>${esc(q.text)} <span class="tag">(${q.required ? t.required : t.optional})</span></legend>`;
  html += `<div class="scale">${radios}</div><div class="ends" id="${endsId}"><span>${min} = ${esc(low)}</span><span>${max} = ${esc(high)}</span></div>`;
  if (error) html += `<p class="err" id="${errId}">${esc(error.message)}</p>`;
  html += '</fieldset>';
  if (q.followUp) {
    const f = followUpField(q.id);
    const w = q.followUp.when;
    html += `<div class="fu q" data-for="${esc(q.id)}" data-min="${w.min}" data-max="${w.max}"><label for="${esc(f)}">${esc(q.followUp.text)} <span class="tag">(${t.optional})</span></label><textarea id="${esc(f)}" name="${esc(f)}" rows="3" maxlength="${MAX_COMMENT_CHARS}">${esc(o.values?.[f] ?? '')}</textarea></div>`;
  }
  return html;
}

function openQuestion(q: Question, o: PageOptions, error: FieldError | undefined): string {
  const t = ui(o.lang);
  const errId = `${q.id}-err`;
  return `<div class="q${error ? ' bad' : ''}" id="q-${esc(q.id)}"><label for="${esc(q.id)}">${esc(q.text)} <span class="tag">(${q.required ? t.required : t.optional})</span></label><textarea id="${esc(q.id)}" name="${esc(q.id)}" rows="4" maxlength="${MAX_COMMENT_CHARS}"${q.required ? ' required' : ''}${error ? ` aria-describedby="${errId}" aria-invalid="true"` : ''}>${esc(o.values?.[q.id] ?? '')}</textarea>${error ? `<p class="err" id="${errId}">${esc(error.message)}</p>` : ''}</div>`;
}

/** The survey form. `def` is already localised. */
export function renderSurveyPage(def: SurveyDefinition, o: PageOptions): string {
  const t = ui(o.lang);
  const errors = o.errors ?? [];
  const errorFor = (id: string) => errors.find((e) => e.field === id || e.field === followUpField(id));
  let body = '';
  if (o.mode === 'preview') body += `<p class="banner">${esc(t.preview)}</p>`;
  body += `<h1>${esc(def.title)}</h1>`;
  if (def.intro) body += `<p class="intro">${esc(def.intro)}</p>`;
  if (errors.length > 0) {
    const items = errors.map((e) => {
      const q = def.questions.find((x) => x.id === e.field || followUpField(x.id) === e.field);
      const href = `q-${q?.id ?? def.questions[0]!.id}`;
      return `<li><a href="#${esc(href)}">${esc(`${q ? `${q.text}: ` : ''}${e.message}`)}</a></li>`;
    });
    body += `<div class="summary" id="summary" role="alert" tabindex="-1"><h2>${esc(t.problems(errors.length))}</h2><ul>${items.join('')}</ul></div>`;
  }
  body += `<form method="post" action="${esc(o.action)}" accept-charset="utf-8">`;
  if (o.token) body += `<input type="hidden" name="t" value="${esc(o.token)}">`;
  body += `<input type="hidden" name="lang" value="${esc(o.lang)}">`;
  for (const q of def.questions) {
    body += q.kind === 'open' ? openQuestion(q, o, errorFor(q.id)) : scoreQuestion(q, o, errorFor(q.id));
  }
  body += `<button type="submit"${o.mode === 'preview' ? ' disabled' : ''}>${esc(t.send)}</button></form>`;
  return document(def.title, o.lang, body, o.nonce);
}

export function renderThankYou(def: SurveyDefinition, lang: string, nonce: string): string {
  return document(
    def.title,
    lang,
    `<h1>${esc(def.title)}</h1><p role="status">${esc(def.thankYou)}</p>`,
    nonce,
  );
}

export function renderMessage(title: string, message: string, lang = 'en'): string {
  return document(title, lang, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`, null);
}

/**
 * The embed snippet: `<script src="https://cx.example.com/s/<survey>/embed.js" data-token="…"
 * data-lang="de" async></script>` renders the survey in an iframe right where the tag stands and
 * grows the frame to the page's height (the page posts its height; only messages from our own
 * frame are trusted).
 */
export function embedScript(surveyId: string): string {
  return `(function(){var s=document.currentScript;if(!s)return;var o=new URL(s.src).origin;
var q=new URLSearchParams({embed:'1'});var t=s.getAttribute('data-token'),l=s.getAttribute('data-lang');if(t)q.set('t',t);if(l)q.set('lang',l);
var f=document.createElement('iframe');f.src=o+'/s/'+${JSON.stringify(encodeURIComponent(surveyId))}+'?'+q.toString();
f.title=s.getAttribute('data-title')||'Survey';f.loading='lazy';f.style.cssText='width:100%;border:0;min-height:480px;display:block';
window.addEventListener('message',function(e){if(e.source===f.contentWindow&&e.origin===o&&e.data&&e.data.cxSurveyHeight)f.style.height=e.data.cxSurveyHeight+'px'});
s.parentNode.insertBefore(f,s.nextSibling)})();`;
}
