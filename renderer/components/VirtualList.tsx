// A list that renders only the rows in view (plus a margin), so 10,000 conversations or
// messages open and scroll as fast as 100. Rows may differ in height: each is measured while
// it is shown (images load, text wraps), and unmeasured rows count with an estimate until then.
// A list that sticks to its bottom stays there through all of that, and through the window or
// the composer changing size, as long as the operator has not scrolled up to read.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  itemKey(item: T): string | number;
  estimate: number;
  renderItem(item: T, index: number): ReactNode;
  /** Start at the end (newest message) and stay there while new rows arrive at the bottom. */
  stickToBottom?: boolean;
  overscan?: number;
  /** Called when the operator scrolls near the top (to load older rows). */
  onReachTop?(): void;
  /** With stickToBottom: the name of the button that appears when rows arrive below while the operator reads further up. */
  newBelowLabel?: string;
  className?: string;
  role?: string;
  label?: string;
}

export function VirtualList<T>({
  items,
  itemKey,
  estimate,
  renderItem,
  stickToBottom = false,
  overscan = 600,
  onReachTop,
  newBelowLabel,
  className,
  role = 'list',
  label,
}: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string | number, number>());
  const [version, setVersion] = useState(0);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const atBottom = useRef(stickToBottom);
  const [newBelow, setNewBelow] = useState(false);

  const offsets = useMemo(() => {
    const result = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) result[i + 1] = result[i]! + (heights.current.get(itemKey(items[i]!)) ?? estimate);
    return result;
    // `version` changes when a row's measured height does.
  }, [items, itemKey, estimate, version]);
  const total = offsets[items.length]!;

  /**
   * Where "at the bottom" is: the end of the list, or the start of its last row when that row is
   * taller than the window (the newest long mail is read from its beginning, not its end).
   */
  const bottom = useRef<() => number>(() => 0);
  bottom.current = () => {
    const el = scroller.current!;
    return Math.max(0, Math.min(el.scrollHeight - el.clientHeight, offsets[Math.max(0, items.length - 1)]!));
  };
  /** Where this list itself last put the scroll position: the scroll event that follows is not the operator's. */
  const placedAt = useRef<number | null>(null);
  const stick = useRef(() => {});
  stick.current = () => {
    const el = scroller.current!;
    el.scrollTop = bottom.current();
    placedAt.current = el.scrollTop;
  };
  const toBottom = useCallback(() => {
    stick.current();
    atBottom.current = true;
    setNewBelow(false);
  }, []);

  const first = Math.max(0, upperBound(offsets, viewport.top - overscan) - 1);
  const last = Math.min(items.length, upperBound(offsets, viewport.top + viewport.height + overscan));

  const onScroll = useCallback(() => {
    const el = scroller.current!;
    // Only the operator's own scrolling says whether they left the bottom; rows growing or
    // arriving while the list follows them move the position too, and must not count.
    const ours = placedAt.current !== null && Math.abs(el.scrollTop - placedAt.current) <= 1;
    if (!ours) atBottom.current = el.scrollTop >= bottom.current() - 4;
    if (atBottom.current) setNewBelow(false);
    setViewport({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < overscan) onReachTop?.();
  }, [onReachTop, overscan]);

  // A first page shorter than the window cannot be scrolled: ask for more at once.
  useEffect(() => {
    const el = scroller.current!;
    if (items.length > 0 && el.scrollHeight <= el.clientHeight + overscan) onReachTop?.();
  }, [items, onReachTop, overscan]);

  // Rows added above (an older page) must not move what the operator is looking at.
  const firstKey = useRef<string | number | undefined>(undefined);
  useLayoutEffect(() => {
    const previous = firstKey.current;
    firstKey.current = items[0] === undefined ? undefined : itemKey(items[0]);
    if (previous === undefined || previous === firstKey.current) return;
    const index = items.findIndex((item) => itemKey(item) === previous);
    if (index > 0) scroller.current!.scrollTop += offsets[index]!;
  }, [items, itemKey, offsets]);

  useEffect(() => {
    const el = scroller.current!;
    const observer = new ResizeObserver(() => {
      if (stickToBottom && atBottom.current) stick.current();
      setViewport({ top: el.scrollTop, height: el.clientHeight });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [stickToBottom]);

  useLayoutEffect(() => {
    if (stickToBottom && atBottom.current) stick.current();
  }, [stickToBottom, total]);

  // A row arrived at the bottom while the operator reads further up: say so instead of moving.
  const lastKey = useRef<string | number | undefined>(undefined);
  useEffect(() => {
    const previous = lastKey.current;
    lastKey.current = items.length === 0 ? undefined : itemKey(items[items.length - 1]!);
    if (stickToBottom && previous !== undefined && previous !== lastKey.current && !atBottom.current) setNewBelow(true);
  }, [items, itemKey, stickToBottom]);

  // Rows are measured when shown and again whenever their size changes (an image loads, the window narrows).
  const rowKeys = useRef(new WeakMap<Element, string | number>());
  const rowObserver = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false;
        for (const entry of entries) {
          const key = rowKeys.current.get(entry.target);
          const height = entry.target.getBoundingClientRect().height;
          if (key !== undefined && height > 0 && heights.current.get(key) !== height) {
            heights.current.set(key, height);
            changed = true;
          }
        }
        if (changed) setVersion((v) => v + 1);
      }),
    [],
  );
  useEffect(() => () => rowObserver.disconnect(), [rowObserver]);
  // One ref callback per row for as long as it is shown, so React does not detach and attach it on every render.
  const refs = useRef(new Map<string | number, (node: HTMLElement | null) => void>());
  const measure = useCallback(
    (key: string | number) => {
      let ref = refs.current.get(key);
      if (!ref) {
        let shown: HTMLElement | null = null;
        ref = (node) => {
          if (shown) rowObserver.unobserve(shown);
          shown = node;
          if (!node) return void refs.current.delete(key);
          rowKeys.current.set(node, key);
          rowObserver.observe(node);
        };
        refs.current.set(key, ref);
      }
      return ref;
    },
    [rowObserver],
  );

  return (
    <div className="virtual-list-frame">
      {newBelow && newBelowLabel && (
        <button type="button" className="button new-below" onClick={toBottom}>
          {newBelowLabel}
        </button>
      )}
      <div ref={scroller} className={`virtual-list ${className ?? ''}`} onScroll={onScroll}>
        <div role={role} aria-label={label} style={{ paddingTop: offsets[first], paddingBottom: total - offsets[last]! }}>
          {items.slice(first, last).map((item, i) => {
            const key = itemKey(item);
            return (
              <div key={key} ref={measure(key)} role={role === 'list' ? 'listitem' : undefined} className="virtual-row">
                {renderItem(item, first + i)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The first index whose offset is greater than value. */
function upperBound(offsets: Float64Array, value: number): number {
  let lo = 0;
  let hi = offsets.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (offsets[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
