import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ConsoleData, ProgrammeAnalytics, Section } from './console-query.js';
import { purchasesOf } from './console-query.js';

echarts.use([
  BarChart,
  LineChart,
  HeatmapChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

/** Why a chart has nothing to draw: the console says so rather than drawing made-up figures. */
export interface NoData {
  noData: string;
}

/** One chart of the console: its card title, what it shows, and its options from the figures. */
export interface ChartSpec {
  id: string;
  title: string;
  caption: string;
  option(d: ConsoleData): EChartsCoreOption | NoData;
}

/** A chart drawn from `programmeAnalytics` alone. */
const fromAnalytics =
  (option: (a: ProgrammeAnalytics) => EChartsCoreOption | NoData) =>
  (d: ConsoleData): EChartsCoreOption | NoData =>
    option(d.analytics);

/** A chart drawn from a query of its own, which may have no answer (e.g. no model trained yet). */
const fromSection =
  <T>(pick: (d: ConsoleData) => Section<T>, option: (data: T) => EChartsCoreOption | NoData) =>
  (d: ConsoleData): EChartsCoreOption | NoData => {
    const section = pick(d);
    return 'data' in section ? option(section.data) : { noData: section.unavailable };
  };

const simpleBars = (names: string[], values: number[], series: string, format?: (v: number) => string) => ({
  tooltip: { trigger: 'axis', ...(format ? { valueFormatter: (v: unknown) => format(Number(v)) } : {}) },
  grid: { left: 60, right: 20, top: 20, bottom: 60 },
  xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
  yAxis: { type: 'value', ...(format ? { axisLabel: { formatter: format } } : {}) },
  series: [{ name: series, type: 'bar', data: values }],
});

interface Panel {
  categories: string[];
  series: Record<string, unknown>[];
}

/** Two charts side by side under one legend: each panel its own categories and series. */
const sideBySide = (left: Panel, right: Panel) => ({
  tooltip: { trigger: 'axis' },
  legend: { top: 0 },
  grid: [
    { left: 50, right: '55%', top: 40, bottom: 30 },
    { left: '55%', right: 20, top: 40, bottom: 30 },
  ],
  xAxis: [left, right].map((panel, i) => ({ type: 'category', data: panel.categories, gridIndex: i })),
  yAxis: [left, right].map((_panel, i) => ({ type: 'value', gridIndex: i })),
  series: [left, right].flatMap((panel, i) =>
    panel.series.map((s) => ({ ...s, xAxisIndex: i, yAxisIndex: i })),
  ),
});

const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

/** Members, penetration, repurchase, retention and points: one query over the window. */
const WINDOW_CHARTS: ChartSpec[] = [
  {
    id: 'members',
    title: 'Members',
    caption: 'Members who joined each month of the window, and by how many partner accounts they link.',
    option: fromAnalytics((a) =>
      sideBySide(
        {
          categories: a.membership.joinedByMonth.map((m) => m.month),
          series: [{ name: 'joined', type: 'line', data: a.membership.joinedByMonth.map((m) => m.members) }],
        },
        {
          categories: a.membership.linkedBrands.map((b) => `${b.brands} brand${b.brands > 1 ? 's' : ''}`),
          series: [
            { name: 'linked brands', type: 'bar', data: a.membership.linkedBrands.map((b) => b.members) },
          ],
        },
      ),
    ),
  },
  {
    id: 'penetration',
    title: 'Cross-brand penetration',
    caption: 'Members by how many partners they earned points at in the window.',
    option: fromAnalytics((a) => ({
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: a.crossBrandPenetration.map((b) => `${b.brands} brand${b.brands > 1 ? 's' : ''}`),
      },
      yAxis: { type: 'value' },
      series: [{ name: 'members', type: 'bar', data: a.crossBrandPenetration.map((b) => b.members) }],
    })),
  },
  {
    id: 'repurchase',
    title: 'Repurchase rate by partner',
    caption: 'Share of programme buyers at each partner who bought at least twice in the window.',
    option: fromAnalytics((a) => {
      const rows = purchasesOf(a);
      return {
        tooltip: {
          trigger: 'axis',
          valueFormatter: (v: unknown) => percent(Number(v)),
        },
        xAxis: { type: 'category', data: rows.map((r) => r.partner) },
        yAxis: { type: 'value', max: 1, axisLabel: { formatter: (v: number) => percent(v) } },
        series: [{ name: 'repurchase rate', type: 'bar', data: rows.map((r) => r.repurchaseRate) }],
      };
    }),
  },
  {
    id: 'retention',
    title: 'Monthly retention cohorts',
    caption: 'Members by the month they first earned points; share of them earning again k months later.',
    option: fromAnalytics((a) => {
      const cohorts = a.retentionCohorts.filter((c) => c.size > 0);
      const width = Math.max(1, ...cohorts.map((c) => c.retained.length));
      const cells = cohorts.flatMap((c, y) =>
        c.retained.map((r, k) => [k, y, Math.round((r / c.size) * 1000) / 10]),
      );
      return {
        tooltip: { formatter: (p: { value: number[] }) => `${p.value[2]}% after ${p.value[0]} month(s)` },
        grid: { left: 70, right: 20, top: 10, bottom: 60 },
        xAxis: { type: 'category', data: Array.from({ length: width }, (_, k) => `+${k}`) },
        yAxis: { type: 'category', data: cohorts.map((c) => `${c.cohort} (${c.size})`) },
        visualMap: { min: 0, max: 100, calculable: true, orient: 'horizontal', left: 'center', bottom: 0 },
        series: [{ name: 'retained %', type: 'heatmap', data: cells }],
      };
    }),
  },
  {
    id: 'points',
    title: 'Points',
    caption: 'Points issued, reversed, redeemed and expired each month; the outstanding liability is above.',
    option: fromAnalytics((a) => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: a.points.monthly.map((m) => m.month) },
      yAxis: { type: 'value' },
      series: (['issued', 'reversed', 'redeemed', 'expired'] as const).map((kind) => ({
        name: kind,
        type: 'bar',
        data: a.points.monthly.map((m) => m[kind]),
      })),
    })),
  },
];

/** Tiers, redemptions, campaigns, feedback and segments. */
const PROGRAMME_CHARTS: ChartSpec[] = [
  {
    id: 'tiers',
    title: 'Members by tier',
    caption:
      'Members by the tier their latest scheduled evaluation stored (bars), and the moves each evaluation period recorded.',
    option: fromAnalytics(({ tiers }) => {
      if (tiers.current.every((t) => t.members === 0))
        return {
          noData: 'No scheduled tier evaluation has stored tiers yet (`npm run train` evaluates them).',
        };
      return sideBySide(
        {
          categories: tiers.current.map((t) => t.tier),
          series: [{ name: 'members', type: 'bar', data: tiers.current.map((t) => t.members) }],
        },
        {
          categories: tiers.periods.map((p) => p.period),
          series: (['initial', 'upgrades', 'downgrades', 'grace'] as const).map((kind) => ({
            name: kind,
            type: 'bar',
            stack: 'changes',
            data: tiers.periods.map((p) => p[kind]),
          })),
        },
      );
    }),
  },
  {
    id: 'redemptions',
    title: 'Redemptions per benefit',
    caption: 'Confirmed redemptions made in the window, per benefit (the fifteen most redeemed).',
    option: fromAnalytics(({ redemptions }) => {
      if (redemptions.length === 0) return { noData: 'No benefit was redeemed in the window.' };
      const top = redemptions.slice(0, 15);
      return simpleBars(
        top.map((r) => r.benefit.title),
        top.map((r) => r.redemptions),
        'redemptions',
      );
    }),
  },
  {
    id: 'uplift',
    title: 'Campaign uplift against control',
    caption:
      'Spend per treated member over spend per control member, minus one, for each campaign with a control group.',
    option: fromSection(
      (d) => d.campaigns,
      (campaigns) => {
        const measured = campaigns.filter((c) => c.results && c.results.uplift !== null);
        if (measured.length === 0)
          return { noData: 'No campaign has spend from both its treated and its control group yet.' };
        return simpleBars(
          measured.map((c) => c.name),
          measured.map((c) => c.results!.uplift!),
          'uplift',
          percent,
        );
      },
    ),
  },
  {
    id: 'satisfaction',
    title: 'Satisfaction',
    caption: "Mean of members' ratings (1 to 5) of each partner's benefits, from their feedback.",
    option: fromSection(
      (d) => d.satisfaction,
      (partners) => {
        const rated = partners.filter((p) => p.ratings > 0 && p.averageRating !== null);
        if (rated.length === 0) return { noData: 'No member has rated a benefit yet.' };
        return simpleBars(
          rated.map((p) => `${p.partner} (${p.ratings})`),
          rated.map((p) => Math.round(p.averageRating! * 100) / 100),
          'average rating',
        );
      },
    ),
  },
  {
    id: 'segments',
    title: 'Segment sizes',
    caption: 'Members in each value segment of the model in use, when it was trained.',
    option: fromSection(
      (d) => d.segments,
      (segments) =>
        segments.length === 0
          ? { noData: 'The model in use has no segments.' }
          : simpleBars(
              segments.map((s) => s.label),
              segments.map((s) => s.size),
              'members',
            ),
    ),
  },
];

export const CHARTS: ChartSpec[] = [...WINDOW_CHARTS, ...PROGRAMME_CHARTS];

export function drawChart(element: HTMLElement, spec: ChartSpec, data: ConsoleData): void {
  const option = spec.option(data);
  if ('noData' in option) {
    echarts.getInstanceByDom(element)?.dispose();
    element.textContent = `No data yet. ${option.noData as string}`;
    element.dataset.state = 'no-data';
    return;
  }
  element.textContent = '';
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: 'canvas' });
  // Drawn at once: figures for operators (and screenshots) rather than a show.
  chart.setOption({ animation: false, ...option }, true);
  element.dataset.state = 'rendered';
}
