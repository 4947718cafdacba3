import type { EventName, EventPayload } from '../common/domain/events';

export type EventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** Services push events here; each transport subscribes once and forwards them to its pages. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
