import { describe, expect, it } from 'vitest';
import { progressBar } from '../src/progress-bar.ts';

const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { out: { isTTY, write: (t: string) => chunks.push(t) }, text: () => chunks.join('') };
};

describe('progressBar', () => {
  it('without a terminal: plain lines at the start, every 10 % and the end of a step, no carriage returns', () => {
    const s = sink(false);
    const bar = progressBar(s.out);
    for (let done = 0; done <= 100; done++) bar.update({ step: 'events: events', done, total: 100 });
    bar.update({ step: 'events: costs', done: 0, total: 0 });
    bar.done();
    const lines = s.text().trimEnd().split('\n');
    expect(s.text()).not.toContain('\r');
    expect(lines.filter((l) => l.startsWith('events: events'))).toHaveLength(11);
    expect(lines.at(-1)).toMatch(/^events: costs\s+\[#{30}\] 0\/0 done$/);
  });

  it('on a terminal: one line per step redrawn in place, at most every 100 ms, ended by a newline', () => {
    const s = sink(true);
    let now = 0;
    const bar = progressBar(s.out, () => now);
    for (let done = 1; done <= 50; done++) {
      now += 10;
      bar.update({ step: 'control: users', done, total: 50 });
    }
    bar.done();
    const redraws = s.text().split('\r').length - 1;
    expect(redraws).toBeGreaterThanOrEqual(5);
    expect(redraws).toBeLessThanOrEqual(8);
    expect(s.text().endsWith('control: users               [##############################] 50/50\n')).toBe(true);
  });
});
