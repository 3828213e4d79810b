import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { clientKey, createStrangerLimits } from '../../../server/http/stranger-limits.ts';
import { createLogger } from '../../../server/logging/logger.ts';
import { ManualClock } from '../../../server/platform/clock.ts';

describe('stranger limits: the budget of unverified requests', () => {
  function setup(perIp = 3, perAccount = 5) {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => lines.push(...c.toString().trim().split('\n')));
    const logger = createLogger({ level: 'info', stream });
    const limits = createStrangerLimits({ clock, logger, name: 'webhooks', budget: { perIp, perAccount, windowMs: 60_000 } });
    return { clock, limits, lines };
  }

  it('refuses a client past its budget until the window ends, and logs that once per window, not per request', async () => {
    const { clock, limits, lines } = setup();
    const answers = Array.from({ length: 10 }, () => limits.admit('203.0.113.7', 1));
    expect(answers).to.deep.equal([true, true, true, false, false, false, false, false, false, false]);
    await new Promise((r) => setImmediate(r));
    expect(lines.filter((l) => l.includes('rate limited'))).to.have.length(1);
    expect(limits.retryAfterSec()).to.equal(60);
    clock.advance(60_000);
    expect(limits.admit('203.0.113.7', 1), 'a new window').to.equal(true);
  });

  it('keeps one budget per account across clients, and a refused client does not spend it', () => {
    const { limits } = setup(3, 5);
    for (let i = 0; i < 10; i++) limits.admit('198.51.100.1', 9);
    const others = ['198.51.100.2', '198.51.100.3', '198.51.100.4', '198.51.100.5'].flatMap((ip) => [
      limits.admit(ip, 9),
      limits.admit(ip, 9),
    ]);
    // 3 spent by the first client; 2 more fit in the account's 5.
    expect(others.filter(Boolean)).to.have.length(2);
    expect(limits.admit('198.51.100.9', 10), 'another account is not affected').to.equal(true);
  });

  it('counts an IPv6 client by its /64, so rotating addresses inside it does not help', () => {
    expect(clientKey('2001:db8:1:2:aaaa::1')).to.equal(clientKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'));
    expect(clientKey('::ffff:203.0.113.7')).to.equal('203.0.113.7');
    const { limits } = setup(2);
    expect([limits.admit('2001:db8:1:2::1'), limits.admit('2001:db8:1:2::2'), limits.admit('2001:db8:1:2::3')]).to.deep.equal([
      true,
      true,
      false,
    ]);
  });
});
