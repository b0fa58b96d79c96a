import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import type { EChartsCoreOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { ProgrammeAnalytics } from './console-query.js';
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

/** One chart of the console: its card title, what it shows, and its options from the analytics. */
export interface ChartSpec {
  id: string;
  title: string;
  caption: string;
  option(a: ProgrammeAnalytics): EChartsCoreOption;
}

const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

export const CHARTS: ChartSpec[] = [
  {
    id: 'members',
    title: 'Members',
    caption: 'Members who joined each month of the window, and by how many partner accounts they link.',
    option: (a) => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: [
        { left: 50, right: '55%', top: 40, bottom: 30 },
        { left: '55%', right: 20, top: 40, bottom: 30 },
      ],
      xAxis: [
        { type: 'category', data: a.membership.joinedByMonth.map((m) => m.month), gridIndex: 0 },
        {
          type: 'category',
          data: a.membership.linkedBrands.map((b) => `${b.brands} brand${b.brands > 1 ? 's' : ''}`),
          gridIndex: 1,
        },
      ],
      yAxis: [
        { type: 'value', gridIndex: 0 },
        { type: 'value', gridIndex: 1 },
      ],
      series: [
        {
          name: 'joined',
          type: 'line',
          data: a.membership.joinedByMonth.map((m) => m.members),
          xAxisIndex: 0,
          yAxisIndex: 0,
        },
        {
          name: 'linked brands',
          type: 'bar',
          data: a.membership.linkedBrands.map((b) => b.members),
          xAxisIndex: 1,
          yAxisIndex: 1,
        },
      ],
    }),
  },
  {
    id: 'penetration',
    title: 'Cross-brand penetration',
    caption: 'Members by how many partners they earned points at in the window.',
    option: (a) => ({
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: a.crossBrandPenetration.map((b) => `${b.brands} brand${b.brands > 1 ? 's' : ''}`),
      },
      yAxis: { type: 'value' },
      series: [{ name: 'members', type: 'bar', data: a.crossBrandPenetration.map((b) => b.members) }],
    }),
  },
  {
    id: 'repurchase',
    title: 'Repurchase rate by partner',
    caption: 'Share of programme buyers at each partner who bought at least twice in the window.',
    option: (a) => {
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
    },
  },
  {
    id: 'retention',
    title: 'Monthly retention cohorts',
    caption: 'Members by the month they first earned points; share of them earning again k months later.',
    option: (a) => {
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
    },
  },
  {
    id: 'points',
    title: 'Points',
    caption: 'Points issued, reversed, redeemed and expired each month; the outstanding liability is above.',
    option: (a) => ({
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
    }),
  },
];

/**
 * Sections the programme does not record yet: the console says so rather than drawing made-up figures.
 */
export const NOT_YET: { title: string; reason: string }[] = [
  {
    title: 'Members by tier',
    reason:
      'Tiers are computed per member at query time from each consented brand’s behaviour and are not stored, so no store can count them yet.',
  },
  { title: 'Redemptions per benefit', reason: 'Redemptions are not recorded by the benefits store yet.' },
  {
    title: 'Campaign uplift against control',
    reason:
      'The console does not chart campaigns yet; each campaign’s results against its control group are in `campaign(id) { results }`.',
  },
  {
    title: 'Satisfaction',
    reason: 'The console does not chart satisfaction yet; operators read it with `benefitSatisfaction`.',
  },
  { title: 'Segment sizes', reason: 'Value segments are not assigned and stored per member yet.' },
];

export function drawChart(element: HTMLElement, spec: ChartSpec, analytics: ProgrammeAnalytics): void {
  const chart = echarts.getInstanceByDom(element) ?? echarts.init(element, undefined, { renderer: 'canvas' });
  chart.setOption(spec.option(analytics), true);
  element.dataset.state = 'rendered';
}
