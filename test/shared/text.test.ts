import { expect } from 'chai';
import { createPaymentBodySchema, settingsSchema } from '../../shared/api.ts';
import { stripBidiControls } from '../../shared/text.ts';
import { esc } from '../../server/pay-page/html.ts';

const RLO = '\u202E';
const controls = ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u200E', '\u200F', '\u061C'];

describe('bidi controls never reach a customer', () => {
  it('removes every bidirectional control character, and nothing else (Armenian, Russian, emoji stay)', () => {
    expect(stripBidiControls(controls.join('x'))).to.equal('x'.repeat(controls.length - 1));
    expect(stripBidiControls('Վճարում · Оплата · 💳 · مرحبا')).to.equal('Վճարում · Оплата · 💳 · مرحبا');
  });

  it('strips them from a payment description and a merchant name as the widget API reads them', () => {
    const body = createPaymentBodySchema.parse({ description: `Invoice ${RLO}0001 DMA 009` });
    expect(body.description).to.equal('Invoice 0001 DMA 009');
    expect(createPaymentBodySchema.safeParse({ description: `${RLO}\u2066` }).success, 'nothing left is no description').to.equal(false);
    expect(settingsSchema.parse({ merchantName: `Shop${RLO} LLC` }).merchantName).to.equal('Shop LLC');
  });

  it('strips them from whatever the pay page shows, stored before or coming from amoCRM', () => {
    expect(esc(`Shop ${RLO}<b>`)).to.equal('Shop &lt;b&gt;');
  });
});
