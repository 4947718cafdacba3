// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../support/fake-api';
import { draft, info } from './samples';
import { wiredStores } from './wired-stores';

describe("the operator's signature", () => {
  it('opens with the signature main has', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('app.info', () => ok(info({ signature: 'Anna, support' })));
    await stores.app.getState().load();

    stores.signature.getState().open();

    expect(stores.signature.getState()).toMatchObject({ editing: true, text: 'Anna, support', error: null });
  });

  it('saved, it closes and the app and the reply under the field show the new lines', async () => {
    const { fake, stores } = wiredStores();
    let signature = 'Anna';
    fake.answer('app.setSignature', ({ text }) => {
      signature = text;
      return ok(undefined);
    });
    fake.answer('app.info', () => ok(info({ signature })));
    fake.answer('drafts.open', ({ conversationId }) => ok(draft({ id: 1, conversationId, signature })));
    await stores.reply.open(1);
    stores.signature.getState().open();

    await stores.signature.getState().save('Anna Smith');

    expect(stores.signature.getState().editing).toBe(false);
    expect(stores.app.getState().info?.signature).toBe('Anna Smith');
    expect(stores.composer.getState().draft?.signature).toBe('Anna Smith');
  });

  it('refused, it stays open and says why', async () => {
    const { fake, stores } = wiredStores();
    fake.answer('app.setSignature', () => fail('Too long', 'invalid_input'));
    stores.signature.getState().open();

    await stores.signature.getState().save('x'.repeat(3000));

    expect(stores.signature.getState()).toMatchObject({ editing: true, error: 'Too long' });
  });
});
