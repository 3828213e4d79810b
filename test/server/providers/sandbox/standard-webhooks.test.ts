import { expect } from 'chai';
import { sandboxCredentialsSchema } from '../../../../server/providers/sandbox/credentials.ts';
import { signStandardWebhook, webhookSecretKey } from '../../../../server/providers/sandbox/standard-webhooks.ts';

describe('sandbox Standard Webhooks signing', () => {
  it('matches the published Standard Webhooks test vector (whsec_ secret, id.timestamp.body)', () => {
    const signature = signStandardWebhook(
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'msg_p5jXN8AQM9LWM0D4loKWxJek',
      1614265330,
      '{"test": 2432232314}',
    );
    expect(signature).to.equal('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('uses the base64-decoded bytes of a whsec_ secret, and the UTF-8 bytes of a plain one', () => {
    expect(webhookSecretKey('whsec_AAECAwQFBgcICQoLDA0ODw==')).to.deep.equal(Buffer.from([...Array(16).keys()]));
    expect(webhookSecretKey('plain-secret-ü')).to.deep.equal(Buffer.from('plain-secret-ü', 'utf8'));
  });

  it('signs the exact bytes: the same JSON with other whitespace signs differently', () => {
    const a = signStandardWebhook('s3cret-value', 'msg_1', 1, '{"a":1}');
    const b = signStandardWebhook('s3cret-value', 'msg_1', 1, '{"a": 1}');
    expect(a).to.not.equal(b);
  });

  it('refuses a short plain secret or a whsec_ secret that is not base64 of 16+ bytes', () => {
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'long-enough' }).success).to.equal(true);
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }).success).to.equal(true);
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'short' }).success).to.equal(false);
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'whsec_!!not-base64!!' }).success).to.equal(false);
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'whsec_AAEC' }).success).to.equal(false);
    expect(sandboxCredentialsSchema.safeParse({ webhookSecret: 'long-enough', extra: true }).success).to.equal(false);
  });
});
