// @vitest-environment jsdom
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UpdateBanner } from '../../../renderer/components/UpdateBanner';
import { WiringContext } from '../../../renderer/stores/context';
import { fail, ok, settled } from '../../support/fake-api';
import { info } from './samples';
import { wiredStores } from './wired-stores';

declare global {
  var IS_REACT_ACT_ENVIRONMENT: boolean | undefined;
}

/**
 * The elements of a role with this accessible name, as a screen reader finds them: a <button> or
 * role="…" element named by its aria-label, else by its text (the cases this page uses).
 */
function byRole(container: HTMLElement, role: string, name?: string): HTMLElement[] {
  const implicit = role === 'button' ? 'button, ' : '';
  return [...container.querySelectorAll<HTMLElement>(`${implicit}[role="${role}"]`)].filter(
    (element) => name === undefined || (element.getAttribute('aria-label') ?? element.textContent ?? '').trim() === name,
  );
}

describe('Restart to update', () => {
  let container: HTMLElement;
  let root: Root;

  beforeEach(() => {
    globalThis.IS_REACT_ACT_ENVIRONMENT = true;
    container = document.body.appendChild(document.createElement('div'));
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  async function render(lang: 'en' | 'ru') {
    const wired = wiredStores();
    wired.fake.answer('app.info', () => ok(info({ lang })));
    await wired.stores.app.getState().load();
    await act(async () => root.render(createElement(WiringContext.Provider, { value: { api: wired.fake.api, stores: wired.stores } }, createElement(UpdateBanner))));
    return wired;
  }

  it('shows once main says an update is downloaded, and its button asks main to restart and install it', async () => {
    const { fake } = await render('en');
    expect(byRole(container, 'status')).toEqual([]);
    expect(byRole(container, 'button')).toEqual([]);

    await act(async () => fake.emit('app.updateReady', { version: '0.2.0' }));
    expect(byRole(container, 'status')[0]?.textContent).toContain('Postdesk 0.2.0 is downloaded and installs when Postdesk restarts.');
    const [button] = byRole(container, 'button', 'Restart to update');
    expect(button).toBeDefined();

    fake.answer('app.restartToUpdate', () => ok(undefined));
    await act(async () => button!.click());
    expect(fake.calls('app.restartToUpdate')).toEqual([undefined]);
    // The app is quitting: the button is not pressed twice.
    expect((button as HTMLButtonElement).disabled).toBe(true);
  });

  it('says why when main refuses, and lets the operator try again; in Russian too', async () => {
    const { fake } = await render('ru');
    await act(async () => fake.emit('app.updateReady', { version: '0.2.0' }));
    const [button] = byRole(container, 'button', 'Перезапустить и обновить');
    expect(button).toBeDefined();

    fake.answer('app.restartToUpdate', () => fail('No update has been downloaded yet.', 'not_found'));
    await act(async () => {
      button!.click();
      await settled();
    });
    expect(byRole(container, 'alert')[0]?.textContent).toBe('Не удалось перезапустить и обновить: No update has been downloaded yet.');
    expect((button as HTMLButtonElement).disabled).toBe(false);
  });
});
