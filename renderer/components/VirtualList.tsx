// A list that renders only the rows in view (plus a margin), so 10,000 conversations or
// messages open and scroll as fast as 100. Rows may differ in height: each is measured once
// it is shown, and unmeasured rows count with an estimate until then.
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
  className,
  role = 'list',
  label,
}: VirtualListProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<string | number, number>());
  const [version, setVersion] = useState(0);
  const [viewport, setViewport] = useState({ top: 0, height: 800 });
  const atBottom = useRef(stickToBottom);

  const offsets = useMemo(() => {
    const result = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) result[i + 1] = result[i]! + (heights.current.get(itemKey(items[i]!)) ?? estimate);
    return result;
    // `version` changes when a row's measured height does.
  }, [items, itemKey, estimate, version]);
  const total = offsets[items.length]!;

  const first = Math.max(0, upperBound(offsets, viewport.top - overscan) - 1);
  const last = Math.min(items.length, upperBound(offsets, viewport.top + viewport.height + overscan));

  const onScroll = useCallback(() => {
    const el = scroller.current!;
    atBottom.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 4;
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
    const observer = new ResizeObserver(() => setViewport({ top: el.scrollTop, height: el.clientHeight }));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = scroller.current!;
    if (stickToBottom && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [stickToBottom, total]);

  const measure = useCallback(
    (key: string | number) => (node: HTMLElement | null) => {
      if (!node) return;
      const height = node.getBoundingClientRect().height;
      if (height > 0 && heights.current.get(key) !== height) {
        heights.current.set(key, height);
        setVersion((v) => v + 1);
      }
    },
    [],
  );

  return (
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
