import type { AppStateRepo } from './store/app-state-repo';

/** What the operator sets on their own desk (not the administrator's config): kept in the data dir. */
export class DeskSettings {
  constructor(
    private readonly state: AppStateRepo,
    /** The administrator's default for the operator's signature (config operator.signature). */
    private readonly defaultSignature = '',
  ) {}

  /** The operator's own signature, as they wrote it in the app (the config's until then). */
  get signature(): string {
    return this.state.get('signature') ?? this.defaultSignature;
  }

  set signature(text: string) {
    this.state.set('signature', text);
  }

  /** Desktop notifications of new client mail: on unless the operator turned them off. */
  get notifications(): boolean {
    return this.state.get('notifications') !== 'off';
  }

  set notifications(on: boolean) {
    this.state.set('notifications', on ? 'on' : 'off');
  }
}
