import type { Channel, Journey } from './model.ts';
import type { Rng } from './rng.ts';

/**
 * Free-text comments composed from phrase fragments, so the demo's comments read like real ones and
 * are not a handful of templates: 1–3 clauses chosen from what actually happened in the case (long
 * wait, repeated contacts, the agent's courtesy and competence, the journey's outcome), each with
 * several wordings, slots for durations and counts rendered in several ways, intensifiers and
 * negations, openers and closers, casing and punctuation habits, emoji, and typos. English, German
 * and French. The theme of every clause is returned as ground truth for the text analytics.
 */
export type Lang = 'en' | 'de' | 'fr';

export interface CommentFacts {
  language: Lang;
  journey: Journey;
  channel: Channel;
  waitMinutes: number;
  extraContacts: number;
  transfers: number;
  failures: number;
  courtesy: number;
  competence: number;
  ease: number;
  nps: number;
  /** At least one assisted contact (call, chat, shop) in the case. */
  assisted: boolean;
}

export interface Comment {
  text: string;
  themes: string[];
}

type Bank = Record<string, readonly string[]>;

const EN: Bank = {
  'wait-': [
    'waited {dur} on the phone',
    'I was on hold for {dur}',
    '{dur} in the queue before anyone picked up',
    'the waiting time was {int}{badwait}',
    'had to wait {dur} just to speak to someone',
    'hold music for {dur}, seriously?',
    'nobody answered for {dur}',
    'the wait ({dur}) was {int}frustrating',
    '{dur} waiting is not acceptable',
    'spent {dur} in your hotline queue',
    'it took {dur} to get through',
    'why do I have to wait {dur} every time I call',
  ],
  'wait+': [
    'got through {quick}',
    'hardly any waiting',
    'no waiting time at all',
    'the call was answered {quick}',
    "didn't have to wait long",
    'short wait, which was nice',
    'someone picked up {quick}',
  ],
  'repeat-': [
    'had to call {n}',
    'I was transferred {t} and had to explain everything again',
    'nobody could help me the first time',
    'I had to contact you {n} about the same issue',
    'passed from one department to the next',
    'still no answer after calling {n}',
    'each time I called I got a different answer',
    'got transferred {t}, then the line dropped',
    'why does it take {n} to sort out one problem',
    'after {k} calls the problem is still there',
    'had to repeat my account number {n}',
  ],
  'courtesy+': [
    'the agent was {int}{friendly}',
    'the lady on the phone was {int}{friendly}',
    'staff were {int}{friendly}',
    'thank you to the person who helped me, {int}{friendly}',
    'the guy in the shop was {int}{friendly} and took his time',
    'felt like they actually cared',
    'never rude, always {friendly}',
  ],
  'courtesy-': [
    'the agent was {int}rude',
    'unfriendly staff',
    'the person I spoke to was not helpful at all',
    'he basically hung up on me',
    'felt like I was bothering them',
    'not very polite to be honest',
    'the tone of the agent was {int}unpleasant',
    'nobody apologised',
  ],
  'competence+': [
    'knew exactly what to do',
    'sorted it out in minutes',
    '{int}knowledgeable staff',
    'explained everything {int}clearly',
    'problem solved on the first call',
    'she understood my problem straight away',
    'competent and quick',
  ],
  'competence-': [
    'the agent had no idea',
    'nobody seemed to know what they were doing',
    'got wrong information',
    "they didn't understand my problem",
    "couldn't answer a simple question",
    'was told one thing on the phone and another in the shop',
    'the advice was {int}useless',
  ],
  'billing-': [
    'my bill was {int}confusing',
    'I was charged twice',
    'unexpected charges on my invoice',
    'the bill is impossible to understand',
    'price went up without warning',
    'still waiting for the refund',
    'the invoice shows services I never ordered',
  ],
  'billing+': [
    'the bill was corrected quickly',
    'refund arrived fast',
    'they explained my invoice {int}well',
    'billing error fixed without fuss',
  ],
  'tech-': [
    'internet was down for {days}',
    "technician didn't show up",
    'the line still drops every evening',
    'router keeps disconnecting',
    'no signal at home for {days}',
    'the fault is still not fixed',
    'speed is nowhere near what I pay for',
  ],
  'tech+': [
    'technician was on time and fixed it',
    'connection is stable again',
    'fault fixed remotely within minutes',
    'internet works {int}well now',
    'the engineer was {int}{friendly} and fixed the problem',
  ],
  'onboarding-': [
    'the router arrived {late}',
    'activation failed and nobody told me why',
    'the SIM card took ages',
    'setup was a nightmare',
    'had no service for {days} after switching',
    'the welcome pack was missing half the things',
  ],
  'onboarding+': [
    'delivery was {int}quick',
    'everything worked straight away',
    '{int}easy setup',
    'switching was painless',
    'activation took only a few minutes',
  ],
  'upgrade-': [
    'the new plan is too expensive',
    'ordering online was {int}confusing',
    'the offer in the shop was different from the website',
    'the new phone took {days} to arrive',
    'upgrade fees are a rip-off',
  ],
  'upgrade+': [
    'great deal on the new phone',
    'upgrade was quick and easy',
    'love the new 5G speed',
    'the new tariff is {int}good value',
    'ordered in the app in two minutes',
  ],
  'complaint-': [
    'still no answer to my complaint',
    'no compensation offered',
    'complaint closed without a solution',
    'I complained {n} and nothing changed',
    'the complaints team never called back',
  ],
  'complaint+': [
    'they apologised and credited my account',
    'complaint handled fairly',
    'got a gesture of goodwill, appreciated',
    'my complaint was taken seriously',
  ],
  'digital-': [
    'the app {int}crashed',
    'website kept logging me out',
    "couldn't find anything in the app",
    'the online form did not work',
    'the website is {int}slow',
    'app error again and again',
  ],
  'digital+': [
    'the app is {int}easy to use',
    'did everything online in {mins}',
    'the website was clear',
    'self service worked {int}well',
  ],
  'price-': ['too expensive for what you get', 'prices keep going up', 'cheaper offers elsewhere'],
  'price+': ['good value for money', 'fair price', 'the price is ok'],
  'network-': ['coverage is bad in my area', 'mobile data is {int}slow in town'],
  'network+': ['network is excellent', 'never had a dropped call'],
  'general-': [
    '{int}disappointed',
    'worst customer service ever',
    'thinking about switching',
    "I'll be leaving when my contract ends",
    'not impressed',
    'this is not how you treat loyal customers',
    'not good at all',
  ],
  general0: [
    'it was ok',
    'fine I guess',
    'nothing special',
    'average experience',
    'could be better, could be worse',
  ],
  'general+': [
    'great service',
    '{int}happy',
    'keep it up',
    'no complaints',
    'not bad at all',
    'exactly what I needed',
    'would recommend',
  ],
};

const EN_SLOTS = {
  int: ['', '', 'really ', 'very ', 'extremely ', 'super ', 'so ', 'incredibly ', 'quite ', 'absolutely '],
  badwait: ['long', 'annoying', 'ridiculous', 'unacceptable', 'too long', 'crazy'],
  friendly: ['friendly', 'polite', 'helpful', 'kind', 'patient', 'nice', 'lovely'],
  quick: ['quickly', 'within a minute', 'right away', 'almost immediately', 'fast'],
  late: ['late', 'a week late', 'after ten days', 'much later than promised'],
  openPos: ['', '', '', 'Honestly, ', 'Overall ', 'To be fair, ', 'Well, ', 'Hi, '],
  openNeg: ['', '', '', 'Honestly, ', 'Sadly ', 'Well, ', 'Once again ', 'Seriously, ', 'Unfortunately '],
  closePos: ['', '', 'Thanks!', 'Keep it up.', 'Great job.', 'Thank you', 'Cheers', 'Thanks a lot 🙂'],
  closeNeg: [
    '',
    '',
    'Not good enough.',
    'Please fix this.',
    'Very disappointed.',
    'Do better!',
    'Sort it out.',
    '😡',
  ],
  join: ['. ', ', ', ' and ', '. Also ', ' - ', '; ', '. Plus '],
  contrast: [' but ', '. However ', ', although ', '. On the other hand '],
};

const DE: Bank = {
  'wait-': [
    'habe {dur} in der Warteschleife gewartet',
    'Wartezeit von {dur} ist {int}unzumutbar',
    '{dur} gewartet bis jemand rangegangen ist',
    'die Hotline ist {int}schlecht erreichbar',
    'ewig in der Warteschleife, {dur}',
  ],
  'wait+': ['kaum Wartezeit', 'sofort durchgekommen', 'keine Warteschleife'],
  'repeat-': [
    'musste {n} anrufen',
    'wurde ständig weiterverbunden',
    'jedes Mal eine andere Auskunft',
    'habe {n} wegen derselben Sache angerufen',
    'nach {k} Anrufen immer noch keine Lösung',
  ],
  'courtesy+': ['die Mitarbeiterin war {int}freundlich', '{int}nette Beratung', 'sehr höflicher Mitarbeiter'],
  'courtesy-': [
    'der Mitarbeiter war {int}unfreundlich',
    'nicht hilfsbereit',
    'man fühlt sich nicht ernst genommen',
  ],
  'competence+': ['{int}kompetente Beratung', 'Problem sofort gelöst', 'wusste genau was zu tun ist'],
  'competence-': [
    'keiner wusste Bescheid',
    'falsche Auskunft bekommen',
    'der Mitarbeiter hatte keine Ahnung',
  ],
  'billing-': ['Rechnung ist {int}unverständlich', 'doppelt abgebucht', 'Preiserhöhung ohne Ankündigung'],
  'billing+': ['Rechnung wurde schnell korrigiert', 'Gutschrift kam schnell'],
  'tech-': ['Internet ist seit {days} weg', 'Techniker kam nicht', 'Verbindung bricht ständig ab'],
  'tech+': ['Techniker war pünktlich und hat alles repariert', 'Störung schnell behoben'],
  'onboarding-': ['Router kam zu spät', 'Aktivierung hat nicht geklappt', 'Umstellung war ein Albtraum'],
  'onboarding+': [
    'Lieferung war {int}schnell',
    'alles hat sofort funktioniert',
    'Einrichtung war {int}einfach',
  ],
  'upgrade-': ['der neue Tarif ist zu teuer', 'Bestellung online war {int}kompliziert'],
  'upgrade+': ['tolles Angebot für das neue Handy', 'Vertragsverlängerung ging schnell'],
  'complaint-': ['noch immer keine Antwort auf meine Beschwerde', 'keine Entschädigung angeboten'],
  'complaint+': ['Beschwerde wurde ernst genommen', 'Gutschrift als Entschuldigung erhalten'],
  'digital-': ['die App stürzt ständig ab', 'Webseite ist {int}unübersichtlich'],
  'digital+': ['App ist {int}einfach zu bedienen', 'online alles selbst erledigt'],
  'price-': ['zu teuer', 'die Preise steigen ständig'],
  'price+': ['Preis-Leistung stimmt'],
  'network-': ['schlechter Empfang bei mir zu Hause'],
  'network+': ['Netz ist top'],
  'general-': ['{int}enttäuscht', 'werde kündigen', 'schlechtester Service überhaupt', 'nicht gut'],
  general0: ['war ok', 'ganz in Ordnung', 'nichts Besonderes'],
  'general+': ['alles super', 'bin {int}zufrieden', 'nicht schlecht', 'gerne wieder', 'weiter so'],
};
const DE_SLOTS = {
  int: ['', '', 'sehr ', 'wirklich ', 'total ', 'extrem ', 'echt ', 'absolut '],
  badwait: [],
  friendly: [],
  quick: [],
  late: [],
  openPos: ['', '', 'Ehrlich gesagt ', 'Insgesamt ', 'Hallo, '],
  openNeg: ['', '', 'Leider ', 'Schon wieder ', 'Ehrlich gesagt '],
  closePos: ['', 'Danke!', 'Vielen Dank', 'Weiter so!'],
  closeNeg: ['', 'So nicht!', 'Bitte ändern.', 'Sehr enttäuschend.'],
  join: ['. ', ', ', ' und ', '. Außerdem '],
  contrast: [' aber ', '. Allerdings ', ', trotzdem '],
};

const FR: Bank = {
  'wait-': [
    "j'ai attendu {dur} au téléphone",
    "{dur} d'attente, c'est {int}inacceptable",
    'personne ne répond pendant {dur}',
    "le temps d'attente est {int}long",
  ],
  'wait+': ["pas d'attente", 'réponse rapide au téléphone'],
  'repeat-': [
    "j'ai dû appeler {n}",
    'transféré de service en service',
    'chaque fois une réponse différente',
    'toujours pas de solution après {k} appels',
  ],
  'courtesy+': ['le conseiller était {int}aimable', 'personnel {int}sympathique', 'conseillère très polie'],
  'courtesy-': ['conseiller {int}désagréable', 'pas aimable du tout', "on m'a raccroché au nez"],
  'competence+': ['conseiller compétent', 'problème réglé tout de suite'],
  'competence-': [
    'personne ne savait quoi faire',
    'mauvaises informations',
    "le conseiller n'y connaissait rien",
  ],
  'billing-': ['facture incompréhensible', 'prélevé deux fois', 'augmentation de prix sans prévenir'],
  'billing+': ['facture corrigée rapidement'],
  'tech-': [
    'internet coupé depuis {days}',
    "le technicien n'est jamais venu",
    'la connexion coupe sans arrêt',
  ],
  'tech+': ['technicien ponctuel et efficace', 'panne réparée rapidement'],
  'onboarding-': ['la box est arrivée en retard', "l'activation n'a pas marché"],
  'onboarding+': ['livraison {int}rapide', 'tout a fonctionné tout de suite'],
  'upgrade-': ['le nouveau forfait est trop cher'],
  'upgrade+': ['super offre pour le nouveau téléphone', 'changement de forfait facile'],
  'complaint-': ['toujours pas de réponse à ma réclamation', 'aucun geste commercial'],
  'complaint+': ['réclamation bien traitée'],
  'digital-': ["l'application plante tout le temps", 'site internet {int}lent'],
  'digital+': ["l'appli est {int}simple", 'tout fait en ligne'],
  'price-': ['trop cher'],
  'price+': ['bon rapport qualité-prix'],
  'network-': ['mauvaise couverture réseau'],
  'network+': ['réseau excellent'],
  'general-': ['{int}déçu', 'je vais résilier', 'service client nul', 'pas terrible'],
  general0: ['correct', 'sans plus', 'moyen'],
  'general+': ['très bon service', '{int}satisfait', 'pas mal du tout', 'rien à redire', 'merci'],
};
const FR_SLOTS = {
  int: ['', '', 'très ', 'vraiment ', 'super ', 'trop ', 'extrêmement '],
  badwait: [],
  friendly: [],
  quick: [],
  late: [],
  openPos: ['', '', 'Franchement, ', 'Bonjour, ', 'Dans l’ensemble '],
  openNeg: ['', '', 'Malheureusement ', 'Encore une fois ', 'Franchement, '],
  closePos: ['', 'Merci !', 'Bravo.', 'Merci beaucoup'],
  closeNeg: ['', 'Inadmissible.', 'À revoir.', 'Très déçu.'],
  join: ['. ', ', ', ' et ', '. En plus '],
  contrast: [' mais ', '. Par contre ', ', pourtant '],
};

const BANKS: Record<Lang, { bank: Bank; slots: typeof EN_SLOTS }> = {
  en: { bank: EN, slots: EN_SLOTS },
  de: { bank: DE, slots: DE_SLOTS },
  fr: { bank: FR, slots: FR_SLOTS },
};

const THEME: Record<string, string> = {
  wait: 'waiting_time',
  repeat: 'repeat_contact',
  courtesy: 'staff_courtesy',
  competence: 'staff_competence',
  billing: 'billing',
  tech: 'technical_fault',
  onboarding: 'delivery_activation',
  upgrade: 'offer_upgrade',
  complaint: 'complaint_handling',
  digital: 'app_website',
  price: 'price',
  network: 'network',
  general: 'general',
};

const NUM_EN = ['zero', 'one', 'two', 'three', 'four', 'five', 'six'];

function duration(rng: Rng, minutes: number, lang: Lang): string {
  const m = Math.max(1, Math.round(minutes));
  if (lang === 'de') {
    if (m >= 28 && m <= 35 && rng.chance(0.5)) return 'eine halbe Stunde';
    if (m >= 50 && rng.chance(0.5)) return 'fast eine Stunde';
    return rng.pick([`${m} Minuten`, `${m} Min.`, `über ${Math.floor(m / 5) * 5 || m} Minuten`]);
  }
  if (lang === 'fr')
    return rng.pick([`${m} minutes`, `${m} min`, `plus de ${Math.floor(m / 5) * 5 || m} minutes`]);
  if (m >= 28 && m <= 35 && rng.chance(0.4))
    return rng.pick(['half an hour', 'over half an hour', 'about 30 mins']);
  if (m >= 50 && rng.chance(0.4)) return rng.pick(['almost an hour', 'nearly an hour', 'an hour']);
  const r5 = Math.floor(m / 5) * 5 || m;
  return rng.pick([
    `${m} minutes`,
    `${m} min`,
    `${m} mins`,
    `${m}min`,
    `over ${r5} minutes`,
    `more than ${r5} minutes`,
    `about ${r5} minutes`,
    `${m} (!) minutes`,
    m <= 6 ? `${NUM_EN[m] ?? m} minutes` : `${m} minutes`,
  ]);
}

function times(rng: Rng, n: number, lang: Lang): string {
  const k = Math.max(2, n);
  if (lang === 'de')
    return rng.pick([k === 2 ? 'zweimal' : k === 3 ? 'dreimal' : `${k} mal`, 'mehrmals', `${k}x`]);
  if (lang === 'fr') return rng.pick([`${k} fois`, 'plusieurs fois']);
  return rng.pick([
    k === 2 ? 'twice' : `${NUM_EN[k] ?? k} times`,
    `${k} times`,
    `${k}x`,
    'several times',
    'again and again',
    k >= 3 ? 'three or four times' : 'two times',
  ]);
}

const NUM_DE = ['null', 'ein', 'zwei', 'drei', 'vier', 'fünf', 'sechs'];
const NUM_FR = ['zéro', 'un', 'deux', 'trois', 'quatre', 'cinq', 'six'];

/** A count as a number or a word: "3", "three", "drei", "trois". */
function count(rng: Rng, n: number, lang: Lang): string {
  const k = Math.max(2, n);
  const words = lang === 'de' ? NUM_DE : lang === 'fr' ? NUM_FR : NUM_EN;
  return rng.chance(0.5) ? String(k) : (words[k] ?? String(k));
}

function days(rng: Rng, lang: Lang): string {
  const d = rng.int(2, 12);
  if (lang === 'de') return rng.pick([`${d} Tagen`, 'Tagen', 'einer Woche']);
  if (lang === 'fr') return rng.pick([`${d} jours`, 'une semaine']);
  return rng.pick([`${d} days`, 'days', 'a whole week', 'over a week', `${d} days straight`]);
}

function fill(rng: Rng, template: string, lang: Lang, facts: CommentFacts): string {
  const slots = BANKS[lang].slots;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    switch (k) {
      case 'dur':
        return duration(rng, facts.waitMinutes, lang);
      case 'n':
        return times(rng, facts.extraContacts + 1, lang);
      case 't':
        return times(rng, Math.max(2, facts.transfers + 1), lang);
      case 'k':
        return count(rng, facts.extraContacts + 1, lang);
      case 'days':
        return days(rng, lang);
      case 'mins':
        return rng.pick(['two minutes', '5 min', 'a few minutes', 'no time']);
      default: {
        const options = (slots as Record<string, readonly string[]>)[k];
        return options && options.length > 0 ? rng.pick(options) : '';
      }
    }
  });
}

/** Swaps, drops or doubles a letter in one or two longer words. */
function typos(rng: Rng, text: string): string {
  const words = text.split(' ');
  const ops = rng.int(1, 2);
  for (let o = 0; o < ops; o++) {
    const i = rng.int(0, words.length - 1);
    const w = words[i]!;
    if (w.length < 4) continue;
    const j = rng.int(1, w.length - 2);
    const kind = rng.int(0, 2);
    words[i] =
      kind === 0
        ? w.slice(0, j) + w[j + 1] + w[j] + w.slice(j + 2)
        : kind === 1
          ? w.slice(0, j) + w.slice(j + 1)
          : w.slice(0, j) + w[j] + w.slice(j);
  }
  return words.join(' ');
}

const JOURNEY_TOPIC: Partial<Record<Journey, string>> = {
  billing_question: 'billing',
  tech_support: 'tech',
  onboarding: 'onboarding',
  upgrade: 'upgrade',
  complaint: 'complaint',
};

/** Chooses the clauses' topics from the facts of the case, then words them. */
export function composeComment(rng: Rng, f: CommentFacts): Comment {
  const positive = f.nps >= 7;
  const candidates: { key: string; w: number }[] = [];
  if (f.waitMinutes >= 5) candidates.push({ key: 'wait-', w: 3 + f.waitMinutes / 10 });
  else if (f.assisted && f.waitMinutes < 1.5 && positive) candidates.push({ key: 'wait+', w: 0.8 });
  if (f.extraContacts > 0 || f.transfers > 0) candidates.push({ key: 'repeat-', w: 3 });
  if (f.assisted && f.courtesy >= 5) candidates.push({ key: 'courtesy+', w: 1.5 });
  if (f.assisted && f.courtesy <= 2) candidates.push({ key: 'courtesy-', w: 2 });
  if (f.assisted && f.competence >= 5) candidates.push({ key: 'competence+', w: 1.2 });
  if (f.assisted && f.competence <= 2) candidates.push({ key: 'competence-', w: 2 });
  const jt = JOURNEY_TOPIC[f.journey];
  if (jt) candidates.push({ key: `${jt}${f.failures > 0 || !positive ? '-' : '+'}`, w: 2 });
  if (f.channel === 'web' || f.channel === 'app')
    candidates.push({ key: `digital${f.ease >= 4 ? '+' : '-'}`, w: 1.5 });
  candidates.push({ key: `price${positive ? '+' : '-'}`, w: 0.5 });
  candidates.push({ key: `network${f.nps >= 8 ? '+' : '-'}`, w: 0.3 });
  candidates.push({ key: f.nps >= 9 ? 'general+' : f.nps >= 7 ? 'general0' : 'general-', w: 1 });

  const wanted = rng.weighted([1, 2, 3], [0.45, 0.4, 0.15]);
  const chosen: string[] = [];
  while (chosen.length < wanted && candidates.length > 0) {
    const c = rng.weighted(
      candidates,
      candidates.map((x) => x.w),
    );
    chosen.push(c.key);
    candidates.splice(candidates.indexOf(c), 1);
  }
  const { bank, slots } = BANKS[f.language];
  const clauses = chosen.map((key) => fill(rng, rng.pick(bank[key] ?? bank.general0!), f.language, f));
  let text = clauses[0]!;
  for (let i = 1; i < clauses.length; i++) {
    const flip = chosen[i]!.endsWith('+') !== chosen[i - 1]!.endsWith('+');
    text += (flip ? rng.pick(slots.contrast) : rng.pick(slots.join)) + clauses[i]!;
  }
  const tone = positive ? 'Pos' : 'Neg';
  text = rng.pick(slots[`open${tone}`]) + text;
  const close = rng.pick(slots[`close${tone}`]);
  if (close) text += (text.endsWith('?') || /^\P{L}/u.test(close) ? ' ' : rng.pick(['. ', '! '])) + close;
  else if (rng.chance(0.6)) text += positive ? rng.pick(['.', '!', '']) : rng.pick(['.', '!', '!!!', '...']);

  const style = rng.next();
  if (style < 0.15) text = text.toLowerCase();
  else if (style < 0.18 && !positive) text = text.toUpperCase();
  else text = text.charAt(0).toUpperCase() + text.slice(1);
  if (rng.chance(0.12)) text = typos(rng, text);
  if (rng.chance(0.04)) text += positive ? rng.pick([' 👍', ' 😊', ' ❤️']) : rng.pick([' 👎', ' 😤', ' 🙄']);

  const themes = [...new Set(chosen.map((k) => THEME[k.replace(/[-+0]$/, '')]!))];
  text = text
    .replace(/\?[,.;]/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
  return { text, themes };
}
