import './console.css';
import type { ChartSpec } from './console-charts.js';
import { CHARTS, drawChart } from './console-charts.js';
import type { ProgrammeAnalytics } from './console-query.js';
import { GraphQLRequestError, fetchConsoleData } from './console-query.js';
import { fetchDevTokens } from './dev-tokens.js';

/**
 * The operator console: programme figures from `programmeAnalytics`, drawn with ECharts. It needs an operator
 * token: outside production the development tokens are offered; otherwise the operator pastes one (kept for
 * this browser tab only).
 */
const TOKEN_KEY = 'console-token';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

const monthStart = (date: Date, monthsBack: number) =>
  new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - monthsBack, 1));
const dateInput = (d: Date) => d.toISOString().slice(0, 10);

const numberFormat = new Intl.NumberFormat('en');

function kpis(a: ProgrammeAnalytics): HTMLElement {
  const kpi = (label: string, value: string) =>
    element(
      'div',
      { class: 'kpi' },
      element('div', { class: 'kpi-value' }, value),
      element('div', {}, label),
    );
  return element(
    'section',
    { class: 'kpis' },
    kpi('members', numberFormat.format(a.membership.members)),
    kpi('consent to cross-brand profile', `${Math.round(a.membership.consentRate * 100)}%`),
    kpi('points issued in the window', numberFormat.format(a.points.issued)),
    kpi('points redeemed', numberFormat.format(a.points.redeemed)),
    kpi('points expired', numberFormat.format(a.points.expired)),
    kpi('outstanding liability (points)', numberFormat.format(a.points.outstanding)),
  );
}

async function main(): Promise<void> {
  const root = document.getElementById('console')!;
  root.textContent = '';
  const status = element('p', { class: 'status', role: 'status' });
  const from = element('input', {
    type: 'date',
    'aria-label': 'From',
    value: dateInput(monthStart(new Date(), 11)),
  });
  const to = element('input', {
    type: 'date',
    'aria-label': 'To',
    value: dateInput(monthStart(new Date(), -1)),
  });
  const tokens = await fetchDevTokens();
  let tokenControl: HTMLSelectElement | HTMLInputElement;
  if (tokens.length > 0) {
    tokenControl = element(
      'select',
      { 'aria-label': 'Development token' },
      ...tokens.map((t) => element('option', { value: t.token }, t.label)),
    );
    const operator = tokens.find((t) => /admin/.test(t.label));
    if (operator) tokenControl.value = operator.token;
  } else {
    tokenControl = element('input', {
      type: 'password',
      'aria-label': 'Operator token',
      placeholder: 'paste an operator (admin) token',
    });
    tokenControl.value = sessionStorage.getItem(TOKEN_KEY) ?? '';
  }
  const show = element('button', { type: 'button' }, 'Show');
  const header = element(
    'header',
    {},
    element('h1', {}, 'Operator console'),
    element('label', {}, 'Token ', tokenControl),
    element('label', {}, 'From ', from),
    element('label', {}, 'To ', to),
    show,
  );
  const figures = element('div', { class: 'figures' });
  const cards = new Map<ChartSpec, HTMLElement>();
  const grid = element('main', { class: 'grid' });
  for (const spec of CHARTS) {
    const canvas = element('div', { class: 'chart', 'data-chart': spec.id });
    cards.set(spec, canvas);
    grid.append(
      element(
        'section',
        { class: 'card' },
        element('h2', {}, spec.title),
        element('p', {}, spec.caption),
        canvas,
      ),
    );
  }
  root.append(header, status, figures, grid);

  // Each Show supersedes the loads before it: an earlier one that answers later (the first load, as the
  // operator, still running when another token is shown) must not overwrite what the newer one shows.
  let latest = 0;
  const load = async () => {
    const run = ++latest;
    const token = tokenControl.value.trim();
    if (tokenControl instanceof HTMLInputElement) sessionStorage.setItem(TOKEN_KEY, token);
    status.textContent = 'Loading…';
    status.className = 'status';
    try {
      const range = {
        from: new Date(`${from.value}T00:00:00Z`).toISOString(),
        to: new Date(`${to.value}T00:00:00Z`).toISOString(),
      };
      const data = await fetchConsoleData(token, range);
      if (run !== latest) return;
      figures.replaceChildren(kpis(data.analytics));
      for (const [spec, canvas] of cards) drawChart(canvas, spec, data);
      status.textContent = `Figures from ${from.value} to ${to.value} (to exclusive).`;
    } catch (error) {
      if (run !== latest) return;
      const code = error instanceof GraphQLRequestError && error.code ? `${error.code}: ` : '';
      status.textContent = `${code}${(error as Error).message}`;
      status.className = 'status error';
    }
  };
  show.addEventListener('click', () => void load());
  if (tokenControl.value) await load();
}

void main();
