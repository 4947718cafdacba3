// Finds a menu item the way an operator (or a screen reader) does: by the labels on the way to it.
interface Item {
  label?: string;
  role?: string;
  submenu?: unknown;
}

export function menuItem<T extends Item>(template: readonly T[] | undefined, ...labels: string[]): T {
  let items = template ?? [];
  let found: T | undefined;
  for (const label of labels) {
    found = items.find((item) => item.label === label);
    if (!found) throw new Error(`no menu item "${label}" among ${JSON.stringify(items.map((item) => item.label))}`);
    items = Array.isArray(found.submenu) ? (found.submenu as T[]) : [];
  }
  if (!found) throw new Error('no labels given');
  return found;
}

/** The roles of a menu's items, separators left out. */
export function rolesOf(item: Item): string[] {
  return (Array.isArray(item.submenu) ? (item.submenu as Item[]) : []).flatMap((entry) => (entry.role ? [entry.role] : []));
}
