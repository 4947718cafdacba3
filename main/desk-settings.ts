import type { AppStateRepo } from './store/app-state-repo';

/** What the operator sets on their own desk (not the administrator's config): kept in the data dir. */
export class DeskSettings {
  constructor(private readonly state: AppStateRepo) {}

  /** Desktop notifications of new client mail: on unless the operator turned them off. */
  get notifications(): boolean {
    return this.state.get('notifications') !== 'off';
  }

  set notifications(on: boolean) {
    this.state.set('notifications', on ? 'on' : 'off');
  }
}
