import { createProgrammeCalendar } from '../../shared/domain/programme-calendar.js';
import { insufficientPointsMessage } from './points-shortfall.js';
import { DAY_MS, walletScenario } from '../../../test/benefits/wallet-test-scenario.js';

const calendar = createProgrammeCalendar();
const T0 = new Date('2025-01-10T02:00:00Z');
const day = (n: number): Date => new Date(T0.getTime() + n * DAY_MS);

describe('insufficientPointsMessage', () => {
  function wallet() {
    const w = walletScenario();
    w.earn({ key: 'a', points: 300, occurredAt: day(-10) });
    w.earn({ key: 'b', points: 200, occurredAt: day(0) }); // spendable 17 January
    w.earn({ key: 'c', points: 400, occurredAt: day(2) }); // spendable 19 January
    return w;
  }

  it('says from which local day pending points cover the rest', () => {
    expect(insufficientPointsMessage(wallet().state.lots, day(3), 500, calendar)).toBe(
      'You need 500 points and have 300 points to spend: your pending points cover the rest from 2025-01-17.',
    );
    expect(insufficientPointsMessage(wallet().state.lots, day(3), 800, calendar)).toBe(
      'You need 800 points and have 300 points to spend: your pending points cover the rest from 2025-01-19.',
    );
  });

  it('says how many to earn when pending points are not enough, naming what costs the points', () => {
    expect(
      insufficientPointsMessage(wallet().state.lots, day(3), 1_000, calendar, 'Design workshop seat costs'),
    ).toBe(
      'Design workshop seat costs 1,000 points and you have 300 points to spend: 600 points pending become spendable by 2025-01-19; earn 100 points more.',
    );
    expect(insufficientPointsMessage([], day(3), 1, calendar)).toBe(
      'You need 1 point and have 0 points to spend: earn 1 point more.',
    );
  });
});
