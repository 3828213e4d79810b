import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { SALESBOT_HANDLER, SALESBOT_SETTING_KEYS, salesbotSteps, settingText } from '../../../widget/src/reach/salesbot-steps.ts';
import { AUTOMATION_SETTING_KEYS } from '../../../server/lead-links/automation-settings.ts';
import { SALESBOT_EXITS } from '../../../widget/src/salesbot-exits.ts';

const manifest = JSON.parse(readFileSync(new URL('../../../widget/manifest.json', import.meta.url), 'utf8'));

interface Handler {
  handler: string;
  params: Record<string, unknown>;
}
const stepsOf = (json: string) => JSON.parse(json) as Array<{ question: Handler[] }>;

describe("reach.js: the Salesbot designer step's bot code (onSalesbotDesignerSave)", () => {
  it('posts widget_request to /amocrm/salesbot with the lead and the chosen settings, then goes on to the block that branches', () => {
    const steps = stepsOf(
      salesbotSteps('https://pay.shop.am/', 'payment_link', {
        amount_source: 'fixed',
        fixed_amount: ' 5 000 ',
        providers: 'idram,arca',
        lifetime_hours: 24,
      }),
    );
    expect(steps).to.have.length(2);
    const [request, goto] = steps[0].question;
    expect(request).to.deep.equal({
      handler: 'widget_request',
      params: {
        url: 'https://pay.shop.am/amocrm/salesbot',
        data: {
          lead_id: '{{lead.id}}',
          dramlink_step: 'payment_link',
          amount_source: 'fixed',
          fixed_amount: '5 000',
          providers: 'idram,arca',
          lifetime_hours: '24',
        },
      },
    });
    expect(goto).to.deep.equal({ handler: 'goto', params: { type: 'question', step: 1 } });
  });

  it("leaves through success on status ok, paid on paid, and error on anything else (the server's error, or no answer it knows)", () => {
    const [, branch] = stepsOf(salesbotSteps('https://pay.shop.am', 'payment_link', {}));
    const conditions = branch.question.filter((h) => h.handler === 'conditions');
    expect(
      conditions.map((c) => [(c.params.conditions as Array<{ term1: string; term2: string; operation: string }>)[0], c.params.result]),
    ).to.deep.equal([
      [{ term1: '{{json.status}}', term2: 'ok', operation: '=' }, [{ handler: 'exits', params: { value: 'success' } }]],
      [{ term1: '{{json.status}}', term2: 'paid', operation: '=' }, [{ handler: 'exits', params: { value: 'paid' } }]],
    ]);
    expect(branch.question.at(-1)).to.deep.equal({ handler: 'exits', params: { value: 'error' } });
    const used = new Set(
      branch.question.flatMap((h) =>
        h.handler === 'exits' ? [h.params.value] : (h.params.result as Handler[]).map((r) => r.params.value),
      ),
    );
    expect([...used].sort(), 'every exit script.js declares is reachable, and no other').to.deep.equal([...SALESBOT_EXITS].sort());
  });

  it('reads a setting given as text, a number, {value_manual} or {value}; anything else is empty (the server defaults)', () => {
    expect(settingText(' 12 ')).to.equal('12');
    expect(settingText(7)).to.equal('7');
    expect(settingText({ value_manual: 'fixed' })).to.equal('fixed');
    expect(settingText({ value_manual: '', value: 'idram' })).to.equal('idram');
    expect(settingText(null)).to.equal('');
    expect(settingText([1])).to.equal('');
    const [first] = stepsOf(salesbotSteps('https://pay.shop.am', undefined, null));
    expect(first.question[0].params.data).to.deep.equal({
      lead_id: '{{lead.id}}',
      dramlink_step: SALESBOT_HANDLER,
      amount_source: '',
      fixed_amount: '',
      providers: '',
      lifetime_hours: '',
    });
  });

  it("names the settings as the manifest's handler and the server's automation settings do", () => {
    expect(Object.keys(manifest.salesbot_designer[SALESBOT_HANDLER].settings)).to.deep.equal([...SALESBOT_SETTING_KEYS]);
    expect([...SALESBOT_SETTING_KEYS].sort()).to.deep.equal(Object.values(AUTOMATION_SETTING_KEYS).sort());
  });
});
