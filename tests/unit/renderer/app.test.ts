// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { createAppStore } from '../../../renderer/stores/app';
import { createFakeApi, fail, ok } from '../../support/fake-api';
import { info } from './samples';

describe('the app store', () => {
  it('speaks the language main says, on the page too', async () => {
    const fake = createFakeApi();
    fake.answer('app.info', () => ok(info({ lang: 'ru', signature: 'Anna' })));
    const app = createAppStore(fake.api);
    expect(app.getState().t('notify.title', { name: 'Bob' })).toBe('New mail from Bob');

    await app.getState().load();

    expect(app.getState().info?.signature).toBe('Anna');
    expect(app.getState().lang).toBe('ru');
    expect(app.getState().t('notify.title', { name: 'Bob' })).toBe('Новое письмо от Bob');
    expect(document.documentElement.lang).toBe('ru');
  });

  it('keeps why it could not start, for the page to say', async () => {
    const fake = createFakeApi();
    fake.answer('app.info', () => fail('Not this page', 'forbidden'));
    const app = createAppStore(fake.api);

    await app.getState().load();

    expect(app.getState().info).toBeNull();
    expect(app.getState().loadError).toEqual({ code: 'forbidden', message: 'Not this page' });
  });
});
