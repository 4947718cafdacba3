// A list that renders only the rows in view (plus a margin), so 10,000 conversations or
// messages open and scroll as fast as 100. @tanstack/react-virtual does the windowing: it
// measures each row while it is shown and again whenever its size changes (images load, text
// wraps), counts unmeasured rows with an estimate, and keeps the row in view where it is when
// rows are added above it. What is ours is the history's way of following: a list that sticks to
// its bottom stays there through all of that, and through the window or the composer changing
// size, as long as the operator has not scrolled up to read.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface VirtualListProps<T> {
  items: readonly T[];
  itemKey(item: T): string | number;
  estimate: number;
  renderItem(item: T, index: number): ReactNode;
  /** Start at the end (newest message) and stay there while new rows arrive at the bottom. */
  stickToBottom?: boolean;
  /** How far beyond the window rows are rendered, in pixels. */
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
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => estimate,
    // Measurements are kept by key: rows added above do not inherit the heights of those they push down.
    getItemKey: useCallback((index: number) => itemKey(items[index]!), [items, itemKey]),
    overscan: Math.ceil(overscan / estimate),
    // Named for chat, meant for every list here: rows added above (an older page of the history,
    // a conversation moving to the top) leave the row in view where it is on the screen.
    anchorTo: 'end',
  });
  const atBottom = useRef(stickToBottom);
  const [newBelow, setNewBelow] = useState(false);
  const total = virtualizer.getTotalSize();

  /**
   * Where "at the bottom" is: the end of the list, or the start of its last row when that row is
   * taller than the window (the newest long mail is read from its beginning, not its end).
   */
  const bottom = () => virtualizer.getOffsetForIndex(items.length - 1, 'start')?.[0] ?? 0;
  /** Where this list itself last put the scroll position: the scroll event that follows is not the operator's. */
  const placedAt = useRef<number | null>(null);
  const stick = useRef(() => {});
  stick.current = () => {
    placedAt.current = bottom();
    virtualizer.scrollToOffset(placedAt.current);
  };
  const toBottom = useCallback(() => {
    stick.current();
    atBottom.current = true;
    setNewBelow(false);
  }, []);

  const onScroll = () => {
    const el = scroller.current!;
    // Only the operator's own scrolling says whether they left the bottom; rows growing or
    // arriving while the list follows them move the position too, and must not count.
    const ours = placedAt.current !== null && Math.abs(el.scrollTop - placedAt.current) <= 1;
    if (!ours) atBottom.current = el.scrollTop >= bottom() - 4;
    if (atBottom.current) setNewBelow(false);
    if (el.scrollTop < overscan) onReachTop?.();
  };

  // A first page shorter than the window cannot be scrolled: ask for more at once.
  useEffect(() => {
    const el = scroller.current!;
    if (items.length > 0 && el.scrollHeight <= el.clientHeight + overscan) onReachTop?.();
  }, [items, onReachTop, overscan]);

  useEffect(() => {
    if (!stickToBottom) return;
    const observer = new ResizeObserver(() => {
      if (atBottom.current) stick.current();
    });
    observer.observe(scroller.current!);
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

  const rows = virtualizer.getVirtualItems();
  return (
    <div className="virtual-list-frame">
      {newBelow && newBelowLabel && (
        <button type="button" className="button new-below" onClick={toBottom}>
          {newBelowLabel}
        </button>
      )}
      <div ref={scroller} className={`virtual-list ${className ?? ''}`} onScroll={onScroll}>
        {/* Rows stay in the page's flow between two paddings, so the list and its rows keep their roles and styles. */}
        <div role={role} aria-label={label} style={{ paddingTop: rows[0]?.start ?? 0, paddingBottom: total - (rows.at(-1)?.end ?? 0) }}>
          {rows.map((row) => (
            <div key={row.key} data-index={row.index} ref={virtualizer.measureElement} role={role === 'list' ? 'listitem' : undefined} className="virtual-row">
              {renderItem(items[row.index]!, row.index)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
